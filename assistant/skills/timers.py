"""Timers, alarms and reminders: named, several at once, persisted across restarts.

Slots (values may be resolved or raw words; both work):
  ``duration``: seconds (int) or words ("ten minutes", "an hour and a half").
  ``time``: ISO date-time or words ("7 pm", "half past six", "tomorrow at 9").
  ``name``: the timer's name ("pasta"); optional everywhere.
  ``kind``: timer, alarm or reminder (from the ``timer_kind`` list); optional.
  ``message``: what a reminder is about ("call mom").

The ``TimerScheduler`` (``assistant/skills/scheduler.py``) makes them go off.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from assistant.memory.timers import Timer, TimerError, TimerRepository, normalise_label
from assistant.skills.base import (
    ActionRequest,
    ActionResult,
    IntentSpec,
    Skill,
    SkillContext,
    SkillError,
    SlotSpec,
)
from assistant.skills.parsing import (
    ParseError,
    RefusedValue,
    parse_duration,
    parse_time,
    say_duration,
    say_when,
)
from assistant.skills.time_date import local_now

MAX_SECONDS = 31 * 86400
"""Longer than a month is a calendar's job, not a timer's."""


def describe(timer: Timer, now: float | None = None) -> str:
    """'the pasta timer', 'the 10 minute timer', 'the 7 AM alarm', 'the reminder to call mom'."""
    if timer.kind == "reminder":
        return f"the reminder to {timer.message}" if timer.message else "the reminder"
    if timer.label:
        return f"the {timer.label} {timer.kind}"
    if timer.kind == "timer" and timer.duration_seconds:
        return f"the {say_duration(timer.duration_seconds).replace('minutes', 'minute')} timer"
    if timer.kind == "alarm":
        moment = datetime.fromtimestamp(timer.due_at)
        return f"the alarm {say_when(moment, datetime.fromtimestamp(now or timer.created_at))}"
    return f"the {timer.kind}"


def _why(error: ParseError) -> str:
    """The reason a value was refused (" A length of time can't be negative."), else nothing:
    a reading that found no value at all needs no second sentence."""
    return f" {error}" if isinstance(error, RefusedValue) else ""


def _duration(request: ActionRequest, name: str = "duration") -> int | None:
    value = request.slots.get(name)
    if value in (None, ""):
        return None
    try:
        seconds = parse_duration(value)
    except ParseError as error:
        raise SkillError(f"Sorry, I didn't understand how long: {value}.{_why(error)}") from error
    if seconds <= 0:
        raise SkillError("The time has to be longer than that.")
    if seconds > MAX_SECONDS:
        raise SkillError("That's longer than a month. Try a reminder for a date instead.")
    return seconds


def _label(request: ActionRequest) -> str:
    return normalise_label(str(request.slots.get("name") or ""))


def _kind(request: ActionRequest, default: str | None = None) -> str | None:
    value = str(request.slots.get("kind") or "").lower().rstrip("s")
    return value if value in ("timer", "alarm", "reminder") else default


def _remaining(timer: Timer, now: float) -> str:
    return say_duration(max(1.0, timer.remaining(now)))


def _data(timer: Timer) -> dict[str, Any]:
    return {
        "timer_id": timer.id,
        "kind": timer.kind,
        "label": timer.label,
        "message": timer.message,
        "due_at": timer.due_at,
        "duration_seconds": timer.duration_seconds,
    }


def _create(timers: TimerRepository, kind: str, due_at: float, **fields: Any) -> Timer:
    try:
        return timers.create(kind, due_at, **fields)
    except TimerError as error:  # e.g. a time read as a century from now
        raise SkillError(f"Sorry, I can't set that {kind}: {error}.") from error


def set_timer(request: ActionRequest, ctx: SkillContext) -> ActionResult:
    seconds = _duration(request)
    if seconds is None:
        raise SkillError("For how long?")
    label = _label(request)
    timers = TimerRepository(ctx.store)
    _cancel_corrected(request, timers)
    now = ctx.clock.now()
    # A timer already due is done (its notice may still be coming): it never blocks its name.
    same_name = timers.find(label, "timer", after=now) if label else []
    if same_name:
        existing = same_name[0]
        raise SkillError(
            f"You already have a {label} timer with {_remaining(existing, now)} left. "
            f'Say "add five minutes to the {label} timer" to change it.'
        )
    timer = _create(timers, "timer", now + seconds, now=now, label=label, duration_seconds=seconds)
    name = f"{label.capitalize()} timer" if label else "Timer"
    others = len(timers.active("timer", after=now)) - 1
    extra = f" That's {others + 1} timers running." if others else ""
    return ActionResult(
        speech=f"{name} set for {say_duration(seconds)}.{extra}",
        entity=f"timer:{timer.id}",
        data=_data(timer),
    )


def _cancel_corrected(request: ActionRequest, timers: TimerRepository) -> None:
    """ "No, ten minutes": the timer being corrected goes, the new one replaces it."""
    replaced = request.replaces or {}
    if replaced.get("timer_id") is not None:
        timers.cancel(int(replaced["timer_id"]))


def set_alarm(request: ActionRequest, ctx: SkillContext) -> ActionResult:
    value = request.slots.get("time")
    if value in (None, ""):
        raise SkillError("For what time?")
    now_dt = local_now(ctx)
    try:
        moment = parse_time(value, now_dt)
    except ParseError as error:
        raise SkillError(f"Sorry, I didn't understand the time {value}.{_why(error)}") from error
    if moment <= now_dt:
        raise SkillError(f"{say_when(moment, now_dt).capitalize()} has already passed.")
    label = _label(request)
    timers = TimerRepository(ctx.store)
    timer = _create(timers, "alarm", moment.timestamp(), now=ctx.clock.now(), label=label)
    name = f"{label.capitalize()} alarm" if label else "Alarm"
    return ActionResult(
        speech=f"{name} set for {say_when(moment, now_dt).removeprefix('at ')}.",
        entity=f"timer:{timer.id}",
        data=_data(timer),
    )


WHEN_WORDS = ("in", "at", "on", "tomorrow", "tonight", "next", "this")


def split_when(message: str, now: datetime) -> tuple[str, datetime | None, int | None]:
    """'call mom in 20 minutes' -> ('call mom', due time, 1200): when the sentence template
    put the time inside the message wildcard."""
    words = message.split()
    for index in range(1, len(words)):
        if words[index].lower() not in WHEN_WORDS:
            continue
        tail = " ".join(words[index:])
        try:
            if words[index].lower() == "in":
                seconds = parse_duration(" ".join(words[index + 1 :]))
                return " ".join(words[:index]), now + timedelta(seconds=seconds), seconds
            # Not loose: most tails are not times at all, and dateparser is slow to say so.
            return " ".join(words[:index]), parse_time(tail, now, loose=False), None
        except ParseError:
            continue
    return message, None, None


def set_reminder(request: ActionRequest, ctx: SkillContext) -> ActionResult:
    message = str(request.slots.get("message") or "").strip()
    if not message:
        raise SkillError("What should I remind you about?")
    now_dt = local_now(ctx)
    seconds = _duration(request)
    if seconds is None and not request.slots.get("time"):
        message, moment_in_text, seconds = split_when(message, now_dt)
        if moment_in_text is not None and seconds is None:
            request = ActionRequest(request.intent, {**request.slots, "time": moment_in_text}, request.text)
    if seconds is not None:
        moment = now_dt + timedelta(seconds=seconds)
    elif request.slots.get("time"):
        try:
            moment = parse_time(request.slots["time"], now_dt)
        except ParseError as error:
            raise SkillError(
                f"Sorry, I didn't understand when: {request.slots['time']}.{_why(error)}"
            ) from error
    else:
        raise SkillError("When should I remind you?")
    if moment <= now_dt:
        raise SkillError("That time has already passed.")
    message = message.removeprefix("to ").strip()
    timers = TimerRepository(ctx.store)
    timer = _create(
        timers,
        "reminder",
        moment.timestamp(),
        now=ctx.clock.now(),
        message=message,
        duration_seconds=float(seconds) if seconds is not None else None,
    )
    when = f"in {say_duration(seconds)}" if seconds is not None else say_when(moment, now_dt)
    return ActionResult(
        speech=f"OK, I'll remind you to {message} {when}.",
        entity=f"timer:{timer.id}",
        data=_data(timer),
    )


def _find(timers: TimerRepository, request: ActionRequest, now: float) -> Timer:
    """The one timer the request means; SkillError asks which when it is unclear."""
    label = _label(request)
    kind = _kind(request)
    active = timers.active(kind, after=now)
    if label:
        matches = [t for t in active if normalise_label(t.label) == label]
        if not matches:
            # "the ten minute timer": match an unnamed timer by its length.
            try:
                seconds = parse_duration(label)
                matches = [t for t in active if t.duration_seconds == seconds and not t.label]
            except ParseError:
                matches = []
        if not matches:
            raise SkillError(f"You don't have a {label} {kind or 'timer'}.")
        return matches[0]
    if not active:
        raise SkillError(f"You don't have any {kind or 'timer'}s running.")
    if len(active) == 1:
        return active[0]
    names = _join([describe(t, now) for t in active])
    raise SkillError(f"Which one? You have {names}.")


ALL_WORDS = ("all", "all the", "all my", "every", "all of my", "all of the")


def cancel_timer(request: ActionRequest, ctx: SkillContext) -> ActionResult:
    if str(request.slots.get("name") or "").strip().lower() in ALL_WORDS:
        return cancel_all(request, ctx)  # "cancel all timers" read as a timer named "all"
    timers = TimerRepository(ctx.store)
    now = ctx.clock.now()
    timer = _find(timers, request, now)
    timers.cancel(timer.id)
    return ActionResult(
        speech=f"OK, I cancelled {describe(timer, now)}.", entity=f"timer:{timer.id}", data=_data(timer)
    )


def cancel_all(request: ActionRequest, ctx: SkillContext) -> ActionResult:
    kind = _kind(request)
    count = TimerRepository(ctx.store).cancel_all(kind, after=ctx.clock.now())
    noun = kind or "timer"
    if count == 0:
        return ActionResult(speech=f"You don't have any {noun}s to cancel.", data={"cancelled": 0})
    things = f"{count} {noun}s" if count > 1 else f"your {noun}"
    if kind is None and count > 1:
        things = f"all {count} timers, alarms and reminders"
    return ActionResult(speech=f"OK, I cancelled {things}.", data={"cancelled": count})


def extend_timer(request: ActionRequest, ctx: SkillContext) -> ActionResult:
    seconds = _duration(request)
    if seconds is None:
        raise SkillError("How much time should I add?")
    timers = TimerRepository(ctx.store)
    now = ctx.clock.now()
    timer = timers.extend(_find(timers, request, now).id, seconds)
    return ActionResult(
        speech=f"Added {say_duration(seconds)}. {describe(timer, now).capitalize()} has "
        f"{_remaining(timer, now)} left.",
        entity=f"timer:{timer.id}",
        data=_data(timer),
    )


def list_timers(request: ActionRequest, ctx: SkillContext) -> ActionResult:
    timers = TimerRepository(ctx.store)
    now = ctx.clock.now()
    kind = _kind(request)
    active = timers.active(kind, after=now)
    label = _label(request)
    if label:
        active = [t for t in active if normalise_label(t.label) == label]
        if not active:
            raise SkillError(f"You don't have a {label} {kind or 'timer'}.")
    if not active:
        return ActionResult(speech=f"You don't have any {kind or 'timer'}s set.", data={"timers": []})
    parts = []
    now_dt = datetime.fromtimestamp(now)
    for timer in active:
        if timer.kind == "timer":
            parts.append(f"{describe(timer, now)} has {_remaining(timer, now)} left")
        else:
            when = say_when(datetime.fromtimestamp(timer.due_at), now_dt)
            parts.append(f"{describe(timer, now)} is {when}")
    speech = _join(parts)
    return ActionResult(
        speech=speech[0].upper() + speech[1:] + ".", data={"timers": [_data(t) for t in active]}
    )


def _join(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


SKILL = Skill(
    name="timers",
    sentences_file=None,
    description="Timers, alarms and reminders that survive restarts.",
    intents=[
        IntentSpec(
            "timer.set",
            set_timer,
            slots=[SlotSpec("duration", "For how long?"), SlotSpec("name", "", required=False)],
            description="Start a timer, optionally with a name.",
            examples=["set a timer for ten minutes", "set a pasta timer for 8 minutes"],
        ),
        IntentSpec(
            "timer.list",
            list_timers,
            slots=[SlotSpec("name", "", required=False), SlotSpec("kind", "", required=False)],
            description="Say what timers, alarms and reminders are set and how long is left.",
            examples=["how much time is left", "what alarms do I have"],
        ),
        IntentSpec(
            "timer.cancel",
            cancel_timer,
            slots=[SlotSpec("name", "", required=False), SlotSpec("kind", "", required=False)],
            description="Cancel one timer, alarm or reminder.",
            examples=["cancel the pasta timer"],
        ),
        IntentSpec(
            "timer.cancel_all",
            cancel_all,
            slots=[SlotSpec("kind", "", required=False)],
            needs_confirmation=True,
            description="Cancel every timer (or every alarm, or every reminder).",
            examples=["cancel all timers"],
        ),
        IntentSpec(
            "timer.extend",
            extend_timer,
            slots=[SlotSpec("duration", "How much time should I add?"), SlotSpec("name", "", required=False)],
            description="Add time to a running timer.",
            examples=["add five minutes to the pasta timer"],
        ),
        IntentSpec(
            "alarm.set",
            set_alarm,
            slots=[SlotSpec("time", "For what time?"), SlotSpec("name", "", required=False)],
            description="Set an alarm for a time.",
            examples=["set an alarm for 7 am", "wake me up tomorrow at half past six"],
        ),
        IntentSpec(
            "reminder.set",
            set_reminder,
            slots=[
                SlotSpec("message", "What should I remind you about?"),
                SlotSpec("duration", "", required=False),
                SlotSpec("time", "", required=False),
            ],
            description="Remind you of something in a while or at a time.",
            examples=["remind me to call mom in 20 minutes", "remind me at 5 pm to stretch"],
        ),
    ],
)
