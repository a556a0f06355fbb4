"""Timers, alarms and reminders: named, several at once, persisted across restarts.

Slots (values may be resolved or raw words; both work):
  ``duration``: seconds (int) or words ("ten minutes", "an hour and a half").
  ``time``: ISO date-time or words ("7 pm", "half past six", "tomorrow at 9").
  ``name``: the timer's name ("pasta"); optional everywhere.
  ``kind``: timer, alarm or reminder (from the ``timer_kind`` list); optional.
  ``message``: what a reminder is about ("call mom").

Every intent that changes something can be taken back ("cancel that", "undo that"):
its ``ActionResult.data`` holds the timer's id and details, and its ``undo`` reads them.
The ``TimerScheduler`` (``assistant/skills/scheduler.py``) makes them go off.
"""

from __future__ import annotations

import dataclasses
import math
import re
from datetime import datetime, timedelta
from typing import Any

from assistant.memory.timers import Timer, TimerError, TimerRepository, normalise_label
from assistant.nlu.numbers import tokenize
from assistant.nlu.slots import find_typed, normalize
from assistant.nlu.times import DURATION_WORDS, WEEKDAYS
from assistant.skills.base import (
    ActionRequest,
    ActionResult,
    IntentSpec,
    MissingSlot,
    Skill,
    SkillContext,
    SkillError,
    SlotSpec,
)
from assistant.skills.parsing import (
    ParseError,
    RefusedValue,
    parse_duration,
    parse_moment,
    say_day_and_time,
    say_duration,
    say_when,
    time_in_words,
    vague_duration,
)
from assistant.skills.time_date import local_now
from assistant.wording import count, join, plural, sentence, unit_adjective, with_article

MAX_SECONDS = 31 * 86400
"""Longer than a month is a calendar's job, not a timer's."""
KINDS = ("timer", "alarm", "reminder")


def length_words(seconds: float) -> str:
    """'3-minute', '1-hour'; '' for a length said in several units ("1 hour and 30 minutes")."""
    said = say_duration(seconds)
    adjective = unit_adjective(said)
    return adjective if adjective != said else ""


def describe(timer: Timer, now: float | None = None) -> str:
    """'the pasta timer', 'the 10-minute timer', 'the alarm for tomorrow at 7 AM',
    'the reminder to call mom'."""
    if timer.kind == "reminder":
        return f"the reminder {reminder_of(timer.message)}" if timer.message else "the reminder"
    if timer.label:
        return f"the {timer.label} {timer.kind}"
    if timer.kind == "timer" and timer.duration_seconds:
        adjective = length_words(timer.duration_seconds)
        if adjective:
            return f"the {adjective} timer"
        return f"the timer for {say_duration(timer.duration_seconds)}"
    if timer.kind == "alarm":
        moment = datetime.fromtimestamp(timer.due_at)
        reference = datetime.fromtimestamp(now if now is not None else timer.created_at)
        return f"the alarm for {say_day_and_time(moment, reference)}"
    return f"the {timer.kind}"


_DETERMINERS = ("the", "a", "an", "my", "your", "his", "her", "our", "their", "this", "that")


def reminder_of(message: str) -> str:
    """'to call mum', 'about the dentist': what a reminder is for, as it follows "remind you"."""
    first = message.split()[0].lower() if message.split() else ""
    if first == "that":
        return message
    return f"about {message}" if first in _DETERMINERS else f"to {message}"


def _named(timer: Timer) -> str:
    """The timer in words for "it" next turn: 'eggs timer', '10-minute timer'."""
    return describe(timer).removeprefix("the ")


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
        vague = vague_duration(value)
        if vague is not None:
            raise MissingSlot(name, vague) from error  # "a few minutes": "How many minutes?"
        if isinstance(error, RefusedValue):
            raise SkillError(
                f"Sorry, I can't use \u201c{value}\u201d as a length of time.{_why(error)}"
            ) from error
        raise MissingSlot(
            name, f"Sorry, I didn't catch how long \u201c{value}\u201d is. For how long?"
        ) from error
    if seconds <= 0:
        raise SkillError("The time has to be longer than that.")
    if seconds > MAX_SECONDS:
        raise SkillError("That's longer than a month. Try a reminder for a date instead.")
    return seconds


_ASKING_WORDS = ("cancel", "stop", "delete", "remove", "turn off", "check", "the", "my")


def _label(request: ActionRequest) -> str:
    """The name said, without "the", "timer" or "one"; an answer to "Which one?" said as a
    whole request ("cancel the 5 minute timer") keeps only the name."""
    words = str(request.slots.get("name") or "").strip()
    while (first := next((w for w in _ASKING_WORDS if words.lower().startswith(w + " ")), None)) is not None:
        words = words[len(first) + 1 :].strip()
    label = normalise_label(words)
    return "" if label in _PRONOUNS else label


_PRONOUNS = ("it", "that", "this", "that one", "this one")


def _kind(request: ActionRequest, default: str | None = None) -> str | None:
    value = str(request.slots.get("kind") or "").lower().rstrip("s")
    return value if value in KINDS else default


def _remaining(timer: Timer, now: float) -> str:
    """'25 minutes' while 24:54 is left (the seconds a turn takes are no news), exact under
    two minutes ('1 minute and 30 seconds')."""
    left = max(1.0, timer.remaining(now))
    return say_duration(left if left < 120 else math.ceil(left / 60) * 60)


def _data(timer: Timer, **extra: Any) -> dict[str, Any]:
    return {
        "timer_id": timer.id,
        "kind": timer.kind,
        "label": timer.label,
        "message": timer.message,
        "due_at": timer.due_at,
        "duration_seconds": timer.duration_seconds,
        **extra,
    }


def _create(timers: TimerRepository, kind: str, due_at: float, **fields: Any) -> Timer:
    try:
        return timers.create(kind, due_at, **fields)
    except TimerError as error:  # e.g. a time read as a century from now
        raise SkillError(f"Sorry, I can't set that {kind}: {error}.") from error


def _cancel_corrected(request: ActionRequest, timers: TimerRepository) -> None:
    """ "No, ten minutes": the timer being corrected goes, the new one replaces it."""
    replaced = request.replaces or {}
    if replaced.get("timer_id") is not None:
        timers.cancel(int(replaced["timer_id"]))


def _same_name(first: str, second: str) -> bool:
    """'egg' and 'eggs' name one timer; so do 'the rice' and 'rice'."""
    return first == second or first.rstrip("s") == second.rstrip("s")


# --- setting ----------------------------------------------------------------


UNIT_SECONDS = {"second": 1, "minute": 60, "hour": 3600}


def _amount_and_unit(request: ActionRequest) -> int | None:
    """Seconds from the ``amount`` and ``unit`` slots ("10 minute timer"), if both are there."""
    amount, unit = request.slots.get("amount"), str(request.slots.get("unit") or "")
    if amount in (None, "") or unit not in UNIT_SECONDS:
        return None
    try:
        return parse_duration(f"{amount} {unit}s")
    except ParseError:
        return None


def _duration_words(label: str) -> bool:
    """The name is made of words a length of time holds ("a quarter", "half", "an hour"):
    part of the duration taken for a name, never a name itself."""
    tokens = tokenize(label)
    return bool(tokens) and all(t in DURATION_WORDS or t[:1].isdigit() for t in tokens)


def _whole_duration(text: str) -> int | None:
    """The longest length of time said anywhere in ``text``, in seconds ("for a quarter of an
    hour" where a template split it into a name and a duration), or None."""
    found = find_typed("duration", normalize(text))
    if found is None or not isinstance(found[0], int):
        return None
    try:
        return parse_duration(found[0])
    except ParseError:
        return None


def set_timer(request: ActionRequest, ctx: SkillContext) -> ActionResult:
    label = _label(request)
    vague = vague_duration(label) if label else None
    if vague is not None and request.slots.get("duration") in (None, ""):
        raise MissingSlot("duration", vague)  # "a timer for a few minutes": how many?
    seconds = _duration(request)
    if seconds is None:
        seconds = _amount_and_unit(request)
    if vague is not None:
        label = ""  # the answer to "How many minutes?" came: "a few minutes" was never a name
    elif label and _duration_words(label):
        # "a timer for a quarter of an hour" read as a "quarter" timer for an hour: the name is
        # part of the length of time. Read the length from all that was said, or ask.
        whole = _whole_duration(request.text) if request.text else None
        if whole is not None and (seconds is None or whole != seconds):
            seconds, label = whole, ""
        elif seconds is None:
            try:
                seconds, label = parse_duration(label), ""
            except ParseError as error:
                raise MissingSlot("duration", "For how long?") from error
        else:
            label = ""
    if seconds is None and label:
        # "set a timer for ten minutes" read as a timer named "ten minutes".
        try:
            seconds, label = parse_duration(label), ""
        except ParseError:
            seconds = None
    if seconds is None:
        raise MissingSlot("duration", "For how long?")
    timers = TimerRepository(ctx.store)
    _cancel_corrected(request, timers)
    now = ctx.clock.now()
    # A timer already due is done (its notice may still be coming): it never blocks its name.
    same_name = [t for t in timers.active("timer", after=now) if label and _same_name(t.label, label)]
    if same_name:
        existing = same_name[0]
        raise SkillError(
            f"You already have a {label} timer with {_remaining(existing, now)} left. "
            f'Say "add five minutes to the {label} timer" to change it.'
        )
    timer = _create(timers, "timer", now + seconds, now=now, label=label, duration_seconds=seconds)
    name = f"{label.capitalize()} timer" if label else "Timer"
    running = len(timers.active("timer", after=now))
    extra = f" That's {count(running, 'timer')} running." if running > 1 else ""
    return ActionResult(
        speech=f"{name} set for {say_duration(seconds)}.{extra}",
        entity=f"timer:{timer.id}",
        entity_name=_named(timer),
        data=_data(timer),
    )


def _moment(request: ActionRequest, now: datetime, *, early_pm: int) -> tuple[datetime, bool]:
    """The moment the ``time`` slot means, and whether a time of day was said.

    The understanding stage reads times with one rule for every skill ("tomorrow at five"
    is the afternoon); where the request's own words say the time, they are read again
    with this intent's rule, which only ever moves the moment by half a day."""
    value = request.slots["time"]
    try:
        moment, has_time = parse_moment(value, now)
    except ParseError as error:
        raise SkillError(f"Sorry, I didn't catch when \u201c{value}\u201d is.{_why(error)}") from error
    if has_time and not isinstance(value, datetime) and request.text:
        again = time_in_words(request.text, now, early_pm=early_pm)
        if again is not None and again > now and abs((again - moment).total_seconds()) == 12 * 3600:
            moment = again
    return moment, has_time


_DAYS = (
    "day|morning|evening|night|week|weekday|weekend|monday|tuesday|wednesday|thursday|friday|saturday|sunday"
)
REPEATS = re.compile(
    rf"\b(?:(?:every|each)(?: single)? (?:{_DAYS})s?|daily|weekly|(?:on )?(?:weekdays|weekends|weeknights))\b"
)
"""Words asking for a repeating alarm or reminder, which are not kept yet: it is set once and
says so, rather than losing the time said with them ("set an alarm for weekdays at 7")."""
ONCE = " I can't repeat {kind}s yet, so this one is just for the next time."


def _once(request: ActionRequest, now: datetime, early_pm: int) -> tuple[ActionRequest, bool]:
    """The request without its repeat words, its time read from the rest; whether it had some."""
    if not REPEATS.search(request.text):
        return request, False
    if REPEATS.search(str(request.slots.get("name") or "")):  # "an alarm for weekdays at 7" names nothing
        request = dataclasses.replace(request, slots={k: v for k, v in request.slots.items() if k != "name"})
    if request.slots.get("time") in (None, "") and request.slots.get("duration") in (None, ""):
        moment = time_in_words(REPEATS.sub(" ", request.text), now, early_pm=early_pm)
        if moment is not None:
            request = dataclasses.replace(request, slots={**request.slots, "time": moment})
    return request, True


def set_alarm(request: ActionRequest, ctx: SkillContext) -> ActionResult:
    now_dt = local_now(ctx)
    request, repeats = _once(request, now_dt, early_pm=0)
    if request.slots.get("time") in (None, ""):
        raise MissingSlot("time", "For what time?")
    # Wake-ups: on another day than today, an hour without am/pm is the morning.
    moment, has_time = _moment(request, now_dt, early_pm=0)
    if not has_time:
        day = say_when(moment, now_dt).removesuffix(" at midnight")
        raise SkillError(f"What time {day}?" if day.startswith(("tomorrow", "on ")) else "For what time?")
    if moment <= now_dt:
        raise SkillError(sentence(f"{say_when(moment, now_dt)} has already passed"))
    label = _label(request)
    timers = TimerRepository(ctx.store)
    _cancel_corrected(request, timers)
    timer = _create(timers, "alarm", moment.timestamp(), now=ctx.clock.now(), label=label)
    name = f"{label.capitalize()} alarm" if label else "Alarm"
    return ActionResult(
        speech=f"{name} set for {say_day_and_time(moment, now_dt)}."
        + (ONCE.format(kind="alarm") if repeats else ""),
        entity=f"timer:{timer.id}",
        entity_name=_named(timer),
        data=_data(timer),
    )


WHEN_WORDS = ("in", "at", "on", "tomorrow", "tonight", "next", "this", "for", "by")


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
            moment, has_time = parse_moment(tail, now, loose=False)
            if words[index].lower() in ("for", "by") and not has_time:
                continue  # "remind me to shop for tomorrow" is about tomorrow, not when
            return " ".join(words[:index]), moment if has_time else moment.replace(hour=9), None
        except ParseError:
            continue
    return message, None, None


def set_reminder(request: ActionRequest, ctx: SkillContext) -> ActionResult:
    message = str(request.slots.get("message") or "").strip()
    if not message:
        raise MissingSlot("message", "What should I remind you about?")
    now_dt = local_now(ctx)
    request, repeats = _once(request, now_dt, early_pm=7)
    message = REPEATS.sub(" ", message).strip() if repeats else message
    seconds = _duration(request)
    moment: datetime | None = None
    if seconds is None and not request.slots.get("time"):
        message, moment, seconds = split_when(message, now_dt)
    if seconds is not None:
        moment = now_dt + timedelta(seconds=seconds)
    elif moment is None and request.slots.get("time"):
        moment, has_time = _moment(request, now_dt, early_pm=7)
        if not has_time:
            moment = moment.replace(hour=9)  # "remind me tomorrow": the morning
        message, day_said = _without_trailing_day(message)
        if day_said:  # "about the dentist tomorrow at 10": the day belongs to the time
            moment = time_in_words(request.text, now_dt, early_pm=7) or moment
    if moment is None:
        raise MissingSlot("time", "When should I remind you?")
    if moment <= now_dt:
        raise SkillError("That time has already passed.")
    message = _reminder_words(message)
    if re.search(r"\bremind me that\b", request.text, re.IGNORECASE):
        message = f"that {message}"  # "remind you that the bins go out tonight"
    timers = TimerRepository(ctx.store)
    _cancel_corrected(request, timers)
    timer = _create(
        timers,
        "reminder",
        moment.timestamp(),
        now=ctx.clock.now(),
        message=message,
        duration_seconds=float(seconds) if seconds is not None else None,
    )
    when = f"in {say_duration(seconds)}" if seconds is not None else say_when(moment, now_dt)
    about = _about(request.text, str(request.slots.get("message") or ""))
    said = f"about {message}" if about == "about" else reminder_of(message)
    return ActionResult(
        speech=f"OK, I'll remind you {said} {when}." + (ONCE.format(kind="reminder") if repeats else ""),
        entity=f"timer:{timer.id}",
        entity_name=_named(timer),
        data=_data(timer),
    )


def _about(text: str, said: str) -> str:
    """'about' when the words came after "about" or "of" ("remind me about the meeting"),
    else 'to' ("remind me to call mum")."""
    words = re.escape(" ".join(said.split()[:3]))
    return "about" if words and re.search(rf"\b(about|of)\s+{words}", text, re.IGNORECASE) else "to"


_DAY_WORDS = {"today", "tomorrow", "tonight", *WEEKDAYS}


def _without_trailing_day(message: str) -> tuple[str, bool]:
    """('the dentist', True) for "the dentist tomorrow": a day said before the time slot."""
    words = message.split()
    if len(words) > 1 and words[-1].lower() in _DAY_WORDS:
        words = words[:-1]
        while len(words) > 1 and words[-1].lower() in ("on", "next", "this"):
            words = words[:-1]
        return " ".join(words), True
    return message, False


_MY_WORDS = {"my": "your", "me": "you", "i": "you", "i'm": "you're", "myself": "yourself", "mine": "yours"}


def _reminder_words(message: str) -> str:
    """What to remind of, as it completes "remind you to ...": "to" and "that" dropped, the
    user's "my" said back as "your"."""
    words = message.strip().rstrip(".!?").split()
    while words and words[0].lower() in ("to", "that", "please"):
        words = words[1:]
    return " ".join(_MY_WORDS.get(word.lower(), word) for word in words)


# --- finding ----------------------------------------------------------------


def _find(
    timers: TimerRepository,
    request: ActionRequest,
    now: float,
    kind: str | None = None,
    ctx: SkillContext | None = None,
) -> Timer:
    """The one timer (of ``kind``, else of the kind said) the request means; SkillError asks
    which when it is unclear. "it" is the timer the conversation's last request acted on."""
    label = _label(request)
    kind = _kind(request, kind)
    active = timers.active(kind, after=now)
    noun = kind or "timer"
    last = _last_timer(ctx, active) if not label and _said_it(request) else None
    if last is not None:
        return last
    if label:
        matches = _matching(active, label, now)
        if not matches:
            if not active:
                raise SkillError(f"You don't have any {plural(noun)} running.")
            raise SkillError(f"You don't have {with_article(noun)} called {label}.")
        if len(matches) > 1:
            raise MissingSlot("name", f"Which one? You have {join([describe(t, now) for t in matches])}.")
        return matches[0]
    if not active:
        raise SkillError(f"You don't have any {plural(noun)} running.")
    if len(active) == 1:
        return active[0]
    raise MissingSlot("name", f"Which one? You have {join([describe(t, now) for t in active])}.")


def _matching(active: list[Timer], label: str, now: float) -> list[Timer]:
    """Timers a name means: by their name, a reminder by its words, an unnamed timer by its
    length ("the ten minute timer"), an alarm by its time ("the 7 am alarm")."""
    matches = [t for t in active if t.label and _same_name(normalise_label(t.label), label)]
    if matches:
        return matches
    if label in ("other", "the other", "other one", "last", "remaining"):
        # "cancel the other one" after cancelling one of two: the one left (of several: ask)
        return active
    about = label.removeprefix("to ").removeprefix("about ")
    matches = [t for t in active if t.kind == "reminder" and about and about in t.message.lower()]
    if matches:
        return matches
    try:
        seconds = parse_duration(label)
        matches = [t for t in active if t.kind == "timer" and t.duration_seconds == seconds and not t.label]
    except ParseError:
        matches = []  # not a length: perhaps a time
    if matches:
        return matches
    now_dt = datetime.fromtimestamp(now)
    try:
        moment, has_time = parse_moment(label, now_dt, loose=False)
    except ParseError:
        return []
    # "the 7:30 alarm" is the one at 7:30, morning or evening, unless the name says which.
    half_day = re.search(
        r"\b(am|pm|a\.m|p\.m|noon|midnight|morning|afternoon|evening|night|tonight)\b", label
    )
    hours = 24 if half_day else 12
    found = []
    for timer in active:
        due = datetime.fromtimestamp(timer.due_at)
        if timer.kind == "timer":
            continue
        if has_time and (due.hour % hours, due.minute) == (moment.hour % hours, moment.minute):
            found.append(timer)
        elif not has_time and due.date() == moment.date():
            found.append(timer)
    return found


def _said_it(request: ActionRequest) -> bool:
    """The request names its timer by "it" or "that" ("add a minute to it")."""
    name = str(request.slots.get("name") or "").strip().lower()
    return name in _PRONOUNS or (not name and bool(re.search(r"\b(it|that)\W*$", request.text.lower())))


def _last_timer(ctx: SkillContext | None, active: list[Timer]) -> Timer | None:
    """The active timer the conversation's last request acted on ("add a minute to it")."""
    last = getattr(ctx.session, "last_request", None) if ctx is not None and ctx.session else None
    entity = str(getattr(last, "entity", "") or "")
    return next((t for t in active if entity == f"timer:{t.id}"), None)


ALL_WORDS = ("all", "all the", "all my", "every", "all of my", "all of the", "everything")


# --- cancelling and changing ------------------------------------------------


def cancel_timer(request: ActionRequest, ctx: SkillContext) -> ActionResult:
    if str(request.slots.get("name") or "").strip().lower() in ALL_WORDS:
        return cancel_all(request, ctx)  # "cancel all timers" read as a timer named "all"
    timers = TimerRepository(ctx.store)
    now = ctx.clock.now()
    seconds = _duration(request) if not _label(request) else None
    if seconds:
        # "stop the timer for 5 minutes": the length said instead of a name finds it.
        request = dataclasses.replace(request, slots={**request.slots, "name": say_duration(seconds)})
    timer = _find(timers, request, now, ctx=ctx)
    timers.cancel(timer.id)
    return ActionResult(
        speech=f"OK, I cancelled {describe(timer, now)}.", entity=f"timer:{timer.id}", data=_data(timer)
    )


def cancel_all(request: ActionRequest, ctx: SkillContext) -> ActionResult:
    kind = _kind(request)
    timers = TimerRepository(ctx.store)
    now = ctx.clock.now()
    going = timers.active(kind, after=now)
    for timer in going:
        timers.cancel(timer.id)
    data: dict[str, Any] = {"cancelled": len(going), "timers": [_data(t) for t in going]}
    if not going:
        nothing = plural(kind) if kind else "timers, alarms or reminders"
        return ActionResult(speech=f"You don't have any {nothing} to cancel.", data=data)
    return ActionResult(speech=f"OK, I cancelled {_counted(going)}.", data=data)


def _counted(timers: list[Timer]) -> str:
    """'your timer', '2 timers', '1 timer and 2 alarms'."""
    kinds = [kind for kind in KINDS if any(t.kind == kind for t in timers)]
    if len(timers) == 1:
        return f"your {timers[0].kind}"
    return join([count(sum(t.kind == kind for t in timers), kind) for kind in kinds])


def extend_timer(request: ActionRequest, ctx: SkillContext) -> ActionResult:
    seconds = _duration(request)
    if seconds is None:
        raise MissingSlot("duration", "How much time should I add?")
    timers = TimerRepository(ctx.store)
    now = ctx.clock.now()
    timer = timers.extend(_find(timers, request, now, kind="timer", ctx=ctx).id, seconds)
    return ActionResult(
        speech=f"Added {say_duration(seconds)} {_to_timer(timer)}. It has {_remaining(timer, now)} left.",
        entity=f"timer:{timer.id}",
        entity_name=_named(timer),
        data=_data(timer, added_seconds=seconds),
    )


def reduce_timer(request: ActionRequest, ctx: SkillContext) -> ActionResult:
    seconds = _duration(request)
    if seconds is None:
        raise MissingSlot("duration", "How much time should I take off?")
    timers = TimerRepository(ctx.store)
    now = ctx.clock.now()
    found = _find(timers, request, now, kind="timer", ctx=ctx)
    if found.remaining(now) <= seconds:
        raise SkillError(
            f"{describe(found, now).capitalize()} only has {_remaining(found, now)} left. "
            f"Say \u201ccancel {describe(found, now)}\u201d to stop it."
        )
    timer = timers.extend(found.id, -seconds)
    return ActionResult(
        speech=f"Took {say_duration(seconds)} off {_to_timer(found).removeprefix('to ')}. "
        f"It has {_remaining(timer, now)} left.",
        entity=f"timer:{timer.id}",
        entity_name=_named(timer),
        data=_data(timer, added_seconds=-seconds),
    )


def _to_timer(timer: Timer) -> str:
    """'to the pasta timer', 'to your timer' (its length changed, so not by its length)."""
    return f"to the {timer.label} timer" if timer.label else "to your timer"


def pause_timer(request: ActionRequest, ctx: SkillContext) -> ActionResult:
    """Said plainly: timers here cannot be paused (nothing else must take "pause the timer")."""
    raise SkillError("Sorry, I can't pause timers. I can cancel one, or add time to it.")


def list_timers(request: ActionRequest, ctx: SkillContext) -> ActionResult:
    timers = TimerRepository(ctx.store)
    now = ctx.clock.now()
    kind = _kind(request)
    active = timers.active(kind, after=now)
    label = _label(request)
    last = _last_timer(ctx, active) if not label and _said_it(request) else None
    if last is not None:
        active = [last]
    if label and label not in KINDS and label.rstrip("s") not in KINDS:
        active = _matching(active, label, now)
        if not active:
            raise SkillError(f"You don't have {with_article(kind or 'timer')} called {label}.")
    if not active:
        return ActionResult(speech=f"You don't have any {plural(kind or 'timer')} set.", data={"timers": []})
    now_dt = datetime.fromtimestamp(now)
    parts = []
    unnamed_alarms = [t for t in active if t.kind == "alarm" and not t.label]
    for timer in active:
        if timer.kind == "timer":
            parts.append(f"{describe(timer, now)} has {_remaining(timer, now)} left")
        elif timer in unnamed_alarms:
            if timer is unnamed_alarms[0]:
                parts.append(_alarms_at(unnamed_alarms, now_dt))
        else:
            parts.append(
                f"{describe(timer, now)} is {say_when(datetime.fromtimestamp(timer.due_at), now_dt)}"
            )
    return ActionResult(speech=sentence(join(parts)), data={"timers": [_data(t) for t in active]})


def _alarms_at(alarms: list[Timer], now: datetime) -> str:
    """Unnamed alarms told together by their times (never "the 7 AM alarm is at 7 AM"):
    'you have an alarm set for 7 AM', 'you have 2 alarms set, for 7 AM and Saturday at 8 AM'."""
    times = join([say_day_and_time(datetime.fromtimestamp(t.due_at), now) for t in alarms])
    if len(alarms) == 1:
        return f"you have an alarm set for {times}"
    return f"you have {count(len(alarms), 'alarm')} set, for {times}"


# --- taking back ("cancel that", "undo that") -------------------------------


def undo_set(data: dict[str, Any], ctx: SkillContext) -> str:
    """Cancel the timer, alarm or reminder a run set."""
    timers = TimerRepository(ctx.store)
    now = ctx.clock.now()
    try:
        timer = timers.get(int(data["timer_id"]))
    except (KeyError, TypeError, ValueError) as error:
        raise SkillError("I can't find that one any more.") from error
    if timer.state != "active" or timer.due_at <= now:
        raise SkillError(sentence(f"{describe(timer, now)} has already gone off"))
    timers.cancel(timer.id)
    return f"OK, I cancelled {describe(timer, now)}."


def undo_extend(data: dict[str, Any], ctx: SkillContext) -> str:
    """Take the added time back off the timer (or give back what was taken off)."""
    timers = TimerRepository(ctx.store)
    now = ctx.clock.now()
    added = float(data.get("added_seconds") or 0)
    try:
        timer = timers.get(int(data["timer_id"]))
    except (KeyError, TypeError, ValueError) as error:
        raise SkillError("I can't find that timer any more.") from error
    if not added or timer.state != "active" or timer.due_at - added <= now:
        raise SkillError(sentence(f"{describe(timer, now)} can't go back any more"))
    timer = timers.extend(timer.id, -added)
    change = "took the" if added > 0 else "put the"
    where = "back off" if added > 0 else "back on"
    return f"OK, I {change} {say_duration(abs(added))} {where}. It has {_remaining(timer, now)} left."


def _restore(timer: dict[str, Any], timers: TimerRepository, now: float) -> Timer | None:
    """Set again a cancelled timer that would not have gone off yet (as a new row)."""
    if float(timer["due_at"]) <= now:
        return None
    try:
        return timers.create(
            timer["kind"],
            float(timer["due_at"]),
            now=now,
            label=timer.get("label") or "",
            message=timer.get("message") or "",
            duration_seconds=timer.get("duration_seconds"),
        )
    except TimerError:
        return None


def undo_cancel(data: dict[str, Any], ctx: SkillContext) -> str:
    """Put back the timer a run cancelled, with the time it had left."""
    timers = TimerRepository(ctx.store)
    now = ctx.clock.now()
    restored = _restore(data, timers, now)
    if restored is None:
        raise SkillError("It would have gone off by now, so I can't bring it back.")
    if restored.kind == "timer":
        return f"OK, {describe(restored, now)} is back, with {_remaining(restored, now)} left."
    return f"OK, {describe(restored, now)} is back."


def undo_cancel_all(data: dict[str, Any], ctx: SkillContext) -> str:
    """Put back every timer a run cancelled that would not have gone off yet."""
    timers = TimerRepository(ctx.store)
    now = ctx.clock.now()
    restored = [
        t for t in (_restore(timer, timers, now) for timer in data.get("timers", [])) if t is not None
    ]
    if not restored:
        raise SkillError("There's nothing to bring back.")
    return f"OK, I brought back {_counted(restored)}."


SKILL = Skill(
    name="timers",
    sentences_file=None,
    description="Timers, alarms and reminders that survive restarts.",
    intents=[
        IntentSpec(
            "timer.set",
            set_timer,
            # The length is asked by the handler: a name may hold it ("a timer for ten minutes").
            slots=[
                SlotSpec("duration", "For how long?", required=False),
                SlotSpec("name", "", required=False),
                SlotSpec("amount", "", required=False),
                SlotSpec("unit", "", required=False),
            ],
            undo=undo_set,
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
            slots=[
                SlotSpec("name", "", required=False),
                SlotSpec("kind", "", required=False),
                SlotSpec("duration", "", required=False),
            ],
            undo=undo_cancel,
            description="Cancel one timer, alarm or reminder.",
            examples=["cancel the pasta timer"],
        ),
        IntentSpec(
            "timer.cancel_all",
            cancel_all,
            slots=[SlotSpec("kind", "", required=False)],
            needs_confirmation=True,
            confirm="cancel all your {kind}s|cancel every timer, alarm and reminder",
            undo=undo_cancel_all,
            description="Cancel every timer (or every alarm, or every reminder).",
            examples=["cancel all timers"],
        ),
        IntentSpec(
            "timer.extend",
            extend_timer,
            slots=[SlotSpec("duration", "How much time should I add?"), SlotSpec("name", "", required=False)],
            undo=undo_extend,
            description="Add time to a running timer.",
            examples=["add five minutes to the pasta timer"],
        ),
        IntentSpec(
            "timer.reduce",
            reduce_timer,
            slots=[
                SlotSpec("duration", "How much time should I take off?"),
                SlotSpec("name", "", required=False),
            ],
            undo=undo_extend,
            description="Take time off a running timer.",
            examples=["take five minutes off the pasta timer"],
        ),
        IntentSpec(
            "timer.pause",
            pause_timer,
            slots=[SlotSpec("name", "", required=False)],
            description="Say that timers cannot be paused (cancel or add time instead).",
            examples=["pause the timer"],
        ),
        IntentSpec(
            "alarm.set",
            set_alarm,
            # the time is asked for by the handler: it may be said with repeat words first
            slots=[SlotSpec("time", "For what time?", required=False), SlotSpec("name", "", required=False)],
            undo=undo_set,
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
            undo=undo_set,
            description="Remind you of something in a while or at a time.",
            examples=["remind me to call mom in 20 minutes", "remind me at 5 pm to stretch"],
        ),
    ],
)
