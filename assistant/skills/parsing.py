"""Skill-facing readers of numbers, durations and times, and values back into words.

The understanding stage usually hands handlers resolved slots (seconds, ISO
times, numbers), but a wildcard slot may arrive as the raw words ("an hour and
a half", "half past six"). Every handler goes through these functions so both
shapes work. The reading itself lives in :mod:`assistant.nlu.numbers` and
:mod:`assistant.nlu.times`; these wrappers accept resolved values too and raise
:class:`ParseError` with a message fit to say, also when the words are a value
the readers refuse (too big, negative, a day the calendar does not have). They are
pure: the current time is always passed in.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any, TypeVar

from assistant.nlu import numbers, times
from assistant.nlu.numbers import RefusedReading, read_number, split_words
from assistant.wording import count, join

__all__ = [
    "ParseError", "parse_day", "parse_duration", "parse_moment", "parse_number", "parse_time", "read_number",
    "say_date", "say_day_and_time", "say_duration", "say_number", "say_time", "say_when", "split_words",
    "time_in_words", "vague_duration",
]  # fmt: skip

MORNING = time(9, 0)
"""A day named without a time ("remind me tomorrow") means this time on it."""


class ParseError(ValueError):
    """The words could not be read as the wanted kind of value."""


class RefusedValue(ParseError):
    """The words were read, but the value is impossible or out of range (negative, too long,
    not finite, a 30 February); the message says why, for the user."""


Read = TypeVar("Read")


def _read(reader: Callable[[], Read]) -> Read:
    """``reader()``, with a value the readers refuse as a ParseError that says why."""
    try:
        return reader()
    except RefusedReading as error:
        raise RefusedValue(str(error)) from error


def _quote(value: Any, limit: int = 40) -> str:
    """The words in quotes for a message, cut short when they are long."""
    text = " ".join(str(value).split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "\u2026")


def _usable(number: float | int) -> float | int:
    """A resolved number, unless it is not finite or too big to use."""
    if math.isnan(number):
        raise RefusedValue("That isn't a number.")
    if not math.isfinite(number) or abs(number) >= numbers.MAX_NUMBER:
        raise RefusedValue(numbers.TOO_BIG)
    return number


def parse_number(value: Any) -> float | int:
    """A number from a number or words: 12, "12", "twelve", "two point five", "a half".

    Raises ParseError when the words hold no number, or one too big to use.
    """
    if isinstance(value, bool):
        raise ParseError(f"Not a number: {value!r}")
    if isinstance(value, (int, float)):
        return _usable(value)
    if not str(value).strip():
        raise ParseError("No number was given.")
    number = _read(lambda: numbers.parse_number(str(value)))
    if number is None:
        raise ParseError(f"I could not read {_quote(value)} as a number.")
    return number


def parse_duration(value: Any) -> int:
    """Seconds from a number of seconds or words.

    "ten minutes", "2 seconds", "an hour and a half", "half an hour",
    "1 hour 30 minutes", "a minute and a half", "90". A bare number means
    minutes when spoken ("five") but seconds when it is already a number (5),
    because the understanding stage resolves durations to seconds. Longer than
    ``times.MAX_DURATION_DAYS``, negative or not finite is refused with a ParseError.
    """
    if isinstance(value, bool):
        raise ParseError(f"Not a duration: {value!r}")
    if isinstance(value, (int, float)):
        if math.isnan(value):
            raise RefusedValue("That isn't a length of time.")
        if value < 0:
            raise RefusedValue(times.NEGATIVE)
        if value > times.MAX_DURATION_SECONDS:
            raise RefusedValue(times.TOO_LONG)
        return int(round(value))
    text = str(value).strip()
    if text.startswith(("-", "\u2212", "minus", "negative")):
        raise RefusedValue(times.NEGATIVE)
    if not text:
        raise ParseError("No duration was given.")
    if len(text) > times.MAX_PHRASE_CHARACTERS:
        raise RefusedValue("That's too long to be a length of time.")
    seconds = _read(lambda: times.parse_duration(text, strict=True, bare_unit=60))
    if seconds is None or seconds <= 0:
        raise ParseError(f"I could not read {_quote(value)} as a length of time.")
    return seconds


_VAGUE = {"few", "several", "some", "bit", "while", "moment", "little", "jiffy", "tick", "mo"}
"""Words that say a length of time without saying how long ("a few minutes", "in a bit")."""
_VAGUE_COMPANIONS = {"a", "an", "in", "for", "of", "just", "quick", "short", "more", "minute", "minutes",
                     "min", "mins", "hour", "hours", "second", "seconds", "secs"}  # fmt: skip


def vague_duration(value: Any) -> str | None:
    """The question to ask when ``value`` names a length of time without saying how long,
    else None: "a few minutes" -> "How many minutes?", "in a bit" / "a while" / "a few hours"
    -> "For how long?". Guessing (3 minutes for "a few") would be confident nonsense; a bare
    number in answer to "How many minutes?" is read as minutes, so only minutes ask that."""
    words = split_words(str(value).lower()) if isinstance(value, str) else []
    if not words or not _VAGUE & set(words) or not set(words) <= _VAGUE | _VAGUE_COMPANIONS:
        return None
    if set(words) & {"minute", "minutes", "min", "mins"}:
        return "How many minutes?"
    return "For how long?"


def parse_time(value: Any, now: datetime, *, loose: bool = True) -> datetime:
    """The next moment meant by ``value`` (local, naive), at or after ``now``.

    Accepts an ISO string or datetime, "7 pm", "19:30", "half past six",
    "quarter to seven", "noon", "tomorrow at 9", "friday at 5 pm",
    "in 10 minutes". Without am/pm, the next such time on the clock is meant;
    on a named day, the morning. A day without a time ("tomorrow", "2025-03-04")
    means :data:`MORNING` on it. ``loose`` lets dateparser try what the simple
    readings cannot (slow the first time).
    """
    moment, has_time = parse_moment(value, now, loose=loose)
    return moment if has_time else datetime.combine(moment.date(), MORNING)


def parse_moment(value: Any, now: datetime, *, loose: bool = True) -> tuple[datetime, bool]:
    """Like :func:`parse_time`, with whether a time of day was said: ("tomorrow", False)
    is that day at midnight, for the skill to ask "what time?" or choose one."""
    if isinstance(value, datetime):
        return _local(value), True
    text = str(value).strip()
    try:
        moment = datetime.fromisoformat(text)
        return _local(moment), bool(re.search(r"\d[T ]\d", text))
    except ValueError:
        pass  # not ISO: read the words below
    parsed = _read(
        lambda: times.parse_time(text, now, fallback=loose, early_pm=0, same_weekday_is_today=True)
    )
    if parsed is None:
        raise ParseError(f"I could not work out when {_quote(text)} is.")
    return _local(parsed.when), parsed.has_time


def time_in_words(text: str, now: datetime, *, early_pm: int = 0) -> datetime | None:
    """The time said somewhere in ``text`` read with the skills' own rule (on a named day
    without am/pm, the morning unless the hour is before ``early_pm``), or None."""
    try:
        found = times.find_time(text, now, early_pm=early_pm, same_weekday_is_today=True)
    except RefusedReading:
        return None
    if found is None or not found[0].has_time:
        return None
    return _local(found[0].when)


def _local(moment: datetime) -> datetime:
    """Naive local time, whatever came in."""
    if moment.tzinfo is not None:
        return moment.astimezone().replace(tzinfo=None)
    return moment


def parse_day(value: Any, today: date) -> date:
    """A day from "today", "tomorrow", "yesterday", "friday", "in 3 days" or ISO."""
    if isinstance(value, datetime):
        return _local(value).date()
    if isinstance(value, date):
        return value
    text = str(value).strip().lower()
    try:
        return _local(datetime.fromisoformat(text)).date()
    except ValueError:
        pass  # words, read below
    if not split_words(text):
        return today
    day = _read(lambda: times.find_day(text, today, same_weekday_is_today=True))
    if day is not None:
        return day
    parsed = _read(lambda: times.parse_time(text, datetime.combine(today, time(0, 0))))
    if parsed is None:
        raise ParseError(f"I could not work out which day {_quote(text)} is.")
    return parsed.when.date()


# --- back into words ------------------------------------------------------


def say_duration(seconds: float) -> str:
    """'10 minutes', '1 hour and 30 minutes', '45 seconds'."""
    seconds = int(round(seconds))
    if seconds <= 0:
        return "no time"
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts = []
    if days:
        parts.append(count(days, "day"))
    if hours:
        parts.append(count(hours, "hour"))
    if minutes:
        parts.append(count(minutes, "minute"))
    if secs and not days:
        parts.append(count(secs, "second"))
    return join(parts)


def say_time(moment: datetime) -> str:
    """'7 PM', '7:30 AM', 'noon', 'midnight'."""
    if moment.minute == 0 and moment.hour == 12:
        return "noon"
    if moment.minute == 0 and moment.hour == 0:
        return "midnight"
    hour = moment.hour % 12 or 12
    suffix = "AM" if moment.hour < 12 else "PM"
    if moment.minute == 0:
        return f"{hour} {suffix}"
    return f"{hour}:{moment.minute:02d} {suffix}"


def say_when(moment: datetime, now: datetime) -> str:
    """'at 7 PM', 'tomorrow at 7 AM', 'on Friday at 9 AM', 'on Monday, 10 March 2025 at 9 AM'."""
    said = say_day_and_time(moment, now)
    days = (moment.date() - now.date()).days
    if days == 0:
        return f"at {said}"
    return said if days == 1 else f"on {said}"


def say_day_and_time(moment: datetime, now: datetime) -> str:
    """The moment as it completes "set for ...": '7 PM', 'tomorrow at 7 AM', 'Friday at
    9 AM', 'Monday, 10 March 2025 at 9 AM' (no "at"/"on" in front)."""
    days = (moment.date() - now.date()).days
    clock = say_time(moment)
    if days == 0:
        return clock
    if days == 1:
        return f"tomorrow at {clock}"
    if 1 < days < 7:
        return f"{moment.strftime('%A')} at {clock}"
    return f"{say_date(moment.date())} at {clock}"


def say_date(day: date) -> str:
    """'Monday, 3 March 2025'."""
    return f"{day.strftime('%A')}, {day.day} {day.strftime('%B %Y')}"


def say_number(number: float) -> str:
    """'84', '3.5', '0.333' — no trailing zeros, at most 4 decimals, thousands grouped."""
    if isinstance(number, float) and not number.is_integer():
        text = f"{number:,.4f}".rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text
    return f"{int(number):,}"
