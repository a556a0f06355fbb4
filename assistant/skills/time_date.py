"""Time and date: "what time is it", "what's the date", "what day is it tomorrow".

Slots:
  ``day`` (optional): which day, as an ISO date or words ("tomorrow", "friday",
  "in 3 days"); today when missing.
"""

from __future__ import annotations

from datetime import datetime

from assistant.skills.base import (
    ActionRequest,
    ActionResult,
    IntentSpec,
    Skill,
    SkillContext,
    SkillError,
    SlotSpec,
)
from assistant.skills.parsing import ParseError, parse_day, say_date, say_time


def local_now(ctx: SkillContext) -> datetime:
    """The context clock's time as naive local time (the fake clock in tests)."""
    return datetime.fromtimestamp(ctx.clock.now())


def tell_time(request: ActionRequest, ctx: SkillContext) -> ActionResult:
    now = local_now(ctx)
    return ActionResult(speech=f"It's {say_time(now)}.", data={"time": now.isoformat(timespec="minutes")})


def tell_date(request: ActionRequest, ctx: SkillContext) -> ActionResult:
    today = local_now(ctx).date()
    wanted = request.slots.get("day")
    try:
        day = parse_day(wanted, today) if wanted else today
    except ParseError as error:
        raise SkillError(f"Sorry, I didn't catch which day you mean. {error}") from error
    offset = (day - today).days
    spoken = say_date(day)
    if offset == 0:
        speech = f"Today is {spoken}."
    elif offset == 1:
        speech = f"Tomorrow is {spoken}."
    elif offset == -1:
        speech = f"Yesterday was {spoken}."
    elif offset > 0:
        speech = f"That's {spoken}, {offset} days from now."
    else:
        speech = f"That was {spoken}, {-offset} days ago."
    return ActionResult(speech=speech, data={"date": day.isoformat(), "days_from_today": offset})


SKILL = Skill(
    name="time and date",
    sentences_file=None,
    description="Tells the time and the date.",
    intents=[
        IntentSpec(
            name="time.now",
            handler=tell_time,
            description="Tell the time.",
            examples=["what time is it"],
        ),
        IntentSpec(
            name="date.day",
            handler=tell_date,
            description="Tell today's date, or another day's.",
            examples=["what's the date", "what day is it tomorrow"],
            slots=[SlotSpec("day", "Which day?", required=False)],
        ),
    ],
)
