"""Turn spoken numbers, durations and times into values, and values back into words.

The understanding stage usually hands handlers resolved slots (seconds, ISO
times, numbers), but a wildcard slot may arrive as the raw words ("an hour and
a half", "half past six"). Every handler goes through these functions so both
shapes work. They are pure: the current time is always passed in.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

_UNITS = {
    "zero": 0, "oh": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_FRACTIONS = {"half": 0.5, "quarter": 0.25, "third": 1 / 3}
_ARTICLES = {"a", "an"}

_DURATION_UNITS = {
    "second": 1, "seconds": 1, "sec": 1, "secs": 1, "s": 1,
    "minute": 60, "minutes": 60, "min": 60, "mins": 60, "m": 60,
    "hour": 3600, "hours": 3600, "hr": 3600, "hrs": 3600, "h": 3600,
    "day": 86400, "days": 86400,
    "week": 604800, "weeks": 604800,
}

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


class ParseError(ValueError):
    """The words could not be read as the wanted kind of value."""


def split_words(text: str) -> list[str]:
    """Lower-case words, with digits split from letters ("10min" -> "10", "min")."""
    text = text.lower().replace("-", " ").replace(",", "")
    # "10min" / "5pm" / "1h30" are split so each part is a word.
    text = re.sub(r"(\d)([a-z])", r"\1 \2", text)
    text = re.sub(r"([a-z])(\d)", r"\1 \2", text)
    return [token for token in re.split(r"\s+", text.strip()) if token]


def _is_number_word(token: str) -> bool:
    return (
        token in _UNITS or token in _TENS or token in _SCALES or _is_numeral(token)
    )


def _is_numeral(token: str) -> bool:
    return re.fullmatch(r"\d+(\.\d+)?", token) is not None


def read_number(tokens: list[str], start: int) -> tuple[float | None, int]:
    """Read one number from ``tokens[start:]``; returns (value, next index)."""
    index = start
    total = 0.0
    current = 0.0
    seen = False
    while index < len(tokens):
        token = tokens[index]
        if _is_numeral(token):
            if seen:
                break
            current += float(token)
            seen = True
        elif token in _UNITS:
            current += _UNITS[token]
            seen = True
        elif token in _TENS:
            current += _TENS[token]
            seen = True
        elif token in _SCALES and seen:
            scale = _SCALES[token]
            if scale == 100:
                current *= scale
            else:
                total += current * scale
                current = 0.0
        elif token == "point" and seen and index + 1 < len(tokens):
            digits = []
            index += 1
            while index < len(tokens) and (tokens[index] in _UNITS and _UNITS[tokens[index]] < 10
                                           or tokens[index].isdigit()):
                word = tokens[index]
                digits.append(str(_UNITS[word]) if word in _UNITS else word)
                index += 1
            if digits:
                current += float("0." + "".join(digits))
            continue
        elif token == "and" and seen and index + 1 < len(tokens) and (
            tokens[index + 1] in _UNITS or tokens[index + 1] in _TENS
        ):
            pass  # "one hundred and five"
        else:
            break
        index += 1
    if not seen:
        return None, start
    return total + current, index


def parse_number(value: Any) -> float | int:
    """A number from a number or words: 12, "12", "twelve", "two point five", "a half".

    Raises ParseError when the words hold no number.
    """
    if isinstance(value, bool):
        raise ParseError(f"Not a number: {value!r}")
    if isinstance(value, (int, float)):
        return value
    tokens = split_words(str(value))
    if not tokens:
        raise ParseError("No number was given.")
    sign = 1
    if tokens[0] in ("minus", "negative"):
        sign, tokens = -1, tokens[1:]
    elif re.fullmatch(r"-\d+(\.\d+)?", str(value).strip()):
        return _tidy(float(str(value).strip()))
    if tokens and tokens[0] in _ARTICLES and len(tokens) > 1 and tokens[1] in _FRACTIONS:
        return _tidy(sign * _FRACTIONS[tokens[1]])
    number, index = read_number(tokens, 0)
    if number is None:
        if tokens[0] in _ARTICLES and len(tokens) == 1:
            return 1
        raise ParseError(f"I could not read a number in {value!r}.")
    rest = tokens[index:]
    if rest[:3] in (["and", "a", "half"], ["and", "one", "half"]):
        number += 0.5
        rest = rest[3:]
    if rest and rest[0] in ("percent", "%"):
        rest = rest[1:]
    if rest:
        raise ParseError(f"I could not read {value!r} as a number.")
    return _tidy(sign * number)


def _tidy(number: float) -> float | int:
    return int(number) if float(number).is_integer() else number


def parse_duration(value: Any) -> int:
    """Seconds from a number of seconds or words.

    "ten minutes", "2 seconds", "an hour and a half", "half an hour",
    "1 hour 30 minutes", "a minute and a half", "90". A bare number means
    minutes when spoken ("five") but seconds when it is already a number (5),
    because the understanding stage resolves durations to seconds.
    """
    if isinstance(value, bool):
        raise ParseError(f"Not a duration: {value!r}")
    if isinstance(value, (int, float)):
        if value < 0:
            raise ParseError("A duration cannot be negative.")
        return int(round(value))
    if str(value).strip().startswith(("-", "minus", "negative")):
        raise ParseError("A duration cannot be negative.")
    tokens = [t for t in split_words(str(value)) if t not in ("for", "of", "in")]
    if not tokens:
        raise ParseError("No duration was given.")
    total = 0.0
    index = 0
    found = False
    last_unit = 60
    while index < len(tokens):
        token = tokens[index]
        if token in ("and", "plus"):
            if tokens[index + 1: index + 3] == ["a", "half"] and found:
                total += last_unit * 0.5
                index += 3
                continue
            index += 1
            continue
        amount: float
        if token in _ARTICLES and index + 1 < len(tokens) and tokens[index + 1] in _FRACTIONS:
            amount, index = _FRACTIONS[tokens[index + 1]], index + 2
            if index < len(tokens) and tokens[index] in _ARTICLES:
                index += 1  # "a quarter of an hour" (the "of" was dropped)
        elif token in _FRACTIONS:
            amount, index = _FRACTIONS[token], index + 1
            if index < len(tokens) and tokens[index] in _ARTICLES:
                index += 1  # "half an hour"
        elif token in _ARTICLES:
            amount, index = 1.0, index + 1
        else:
            number, next_index = read_number(tokens, index)
            if number is None:
                raise ParseError(f"I could not read {value!r} as a length of time.")
            amount, index = number, next_index
            if tokens[index: index + 3] == ["and", "a", "half"]:
                amount, index = amount + 0.5, index + 3  # "two and a half hours"
        if index < len(tokens) and tokens[index] in _DURATION_UNITS:
            last_unit = _DURATION_UNITS[tokens[index]]
            index += 1
        elif index >= len(tokens) and not found:
            last_unit = 60  # "five" on its own: people mean minutes
        else:
            raise ParseError(f"I could not read {value!r} as a length of time.")
        total += amount * last_unit
        found = True
    if not found or total <= 0:
        raise ParseError(f"I could not read {value!r} as a length of time.")
    return int(round(total))


_TIME_WORDS = {"noon": (12, 0), "midday": (12, 0), "midnight": (0, 0)}


def _clock_time(tokens: list[str]) -> tuple[int, int, str | None] | None:
    """Read "7", "7 30", "7:30 pm", "half past six", "quarter to seven", "noon".

    Returns (hour, minute, "am"/"pm"/None) or None.
    """
    if not tokens:
        return None
    meridiem = None
    words = list(tokens)
    for marker in ("am", "pm", "a.m.", "p.m."):
        if words and words[-1] == marker:
            meridiem = marker.replace(".", "")
            words = words[:-1]
    if words[-2:] == ["o", "clock"] or words[-1:] == ["o'clock"]:
        words = words[:-2] if words[-1] == "clock" else words[:-1]
    if words[-3:] in (["in", "the", "morning"],):
        meridiem, words = "am", words[:-3]
    elif words[-3:] in (["in", "the", "afternoon"], ["in", "the", "evening"]):
        meridiem, words = "pm", words[:-3]
    elif words[-2:] == ["at", "night"] or words[-1:] == ["tonight"]:
        meridiem, words = "pm", words[:-2] if words[-1] == "night" else words[:-1]
    if len(words) == 1 and words[0] in _TIME_WORDS:
        hour, minute = _TIME_WORDS[words[0]]
        return hour, minute, "24h"
    joined = " ".join(words)
    match = re.fullmatch(r"(\d{1,2})[:.](\d{2})", joined) or re.fullmatch(r"(\d{1,2}) (\d{2})", joined)
    if match:
        return int(match.group(1)), int(match.group(2)), meridiem
    for relation, sign in (("past", 1), ("after", 1), ("to", -1), ("before", -1)):
        if relation in words:
            position = words.index(relation)
            left, right = words[:position], words[position + 1:]
            target = _clock_time(right)
            if target is None:
                return None
            if left in (["half"], ["a", "half"]):
                minutes = 30
            elif left in (["quarter"], ["a", "quarter"]):
                minutes = 15
            else:
                left = [w for w in left if w not in ("minutes", "minute")]
                number, used = read_number(left, 0)
                if number is None or used != len(left):
                    return None
                minutes = int(number)
            hour, minute, inner = target
            total = (hour * 60 + minute + sign * minutes) % (24 * 60)
            return total // 60, total % 60, meridiem or inner
    # The hour is always one word ("ten thirty" is 10:30, not 40).
    first = words[0]
    if first in _UNITS:
        hour = _UNITS[first]
    elif first.isdigit():
        hour = int(first)
    else:
        return None
    minute = 0
    if len(words) > 1:
        extra, used = read_number(words, 1)
        if extra is None or used != len(words) or extra != int(extra):
            return None
        minute = int(extra)
    return hour, minute, meridiem


def _day_offset(tokens: list[str], today: date) -> tuple[date | None, list[str]]:
    """Pull a day phrase out of the tokens; returns (day or None, remaining tokens)."""
    words = list(tokens)
    day: date | None = None
    if "tomorrow" in words:
        day = today + timedelta(days=1)
        words.remove("tomorrow")
    elif "today" in words:
        day = today
        words.remove("today")
    elif "tonight" in words:
        day = today
    else:
        for index, word in enumerate(words):
            if word in _WEEKDAYS:
                ahead = (_WEEKDAYS.index(word) - today.weekday()) % 7
                if ahead == 0 and index > 0 and words[index - 1] == "next":
                    ahead = 7
                day = today + timedelta(days=ahead)
                words = words[:index] + words[index + 1:]
                break
    # "the" stays: "in the morning" needs it.
    words = [w for w in words if w not in ("at", "on", "for", "by", "next", "this")]
    return day, words


def parse_time(value: Any, now: datetime, *, loose: bool = True) -> datetime:
    """The next moment meant by ``value`` (local, naive), at or after ``now``.

    Accepts an ISO string or datetime, "7 pm", "19:30", "half past six",
    "quarter to seven", "noon", "tomorrow at 9", "friday at 5 pm",
    "in 10 minutes". Without am/pm, the next such time on the clock is meant.
    ``loose`` lets dateparser try what the simple readings cannot (slow the first time).
    """
    if isinstance(value, datetime):
        return _local(value)
    text = str(value).strip()
    try:
        return _local(datetime.fromisoformat(text))
    except ValueError:
        pass  # not ISO: read the words below
    tokens = [t.strip(".") for t in split_words(text)]
    tokens = [{"a.m": "am", "p.m": "pm"}.get(t, t) for t in tokens if t]
    if tokens and tokens[0] == "in":
        return now + timedelta(seconds=parse_duration(" ".join(tokens[1:])))
    if tokens[-1:] in (["later"], ["from", "now"]):
        return now + timedelta(seconds=parse_duration(" ".join(t for t in tokens if t not in
                                                               ("later", "from", "now"))))
    day, words = _day_offset(tokens, now.date())
    # "5 pm" arrives as ["5", "pm"]; "7 p m" as ["7","p","m"].
    if words[-2:] in (["p", "m"], ["a", "m"]):
        words = words[:-2] + [words[-2] + "m"]
    reading = _clock_time(words) if words else (9, 0, None) if day else None
    if reading is None:
        if not loose:
            raise ParseError(f"I could not work out when {text!r} is.")
        return _dateparser_fallback(text, now)
    hour, minute, meridiem = reading
    if not (0 <= hour <= 24 and 0 <= minute < 60):
        raise ParseError(f"{text!r} is not a time on the clock.")
    candidates: list[datetime] = []
    base = day or now.date()
    if meridiem == "pm" and hour < 12:
        hours = [hour + 12]
    elif meridiem == "am":
        hours = [0 if hour == 12 else hour]
    elif meridiem is None and 1 <= hour <= 12:
        hours = [hour % 12, hour % 12 + 12]
    else:
        hours = [hour % 24]
    for offset in (0, 1):
        for candidate_hour in hours:
            moment = datetime.combine(base + timedelta(days=offset), datetime.min.time()).replace(
                hour=candidate_hour, minute=minute)
            candidates.append(moment)
    if day is not None:
        # A named day: take the first candidate on that day (morning first when ambiguous,
        # unless "today" and it has passed).
        same_day = sorted(c for c in candidates if c.date() == day and (day != now.date() or c > now))
        if same_day:
            return same_day[0]
    future = sorted(c for c in candidates if c > now)
    if not future:
        raise ParseError(f"I could not work out when {text!r} is.")
    return future[0]


def _dateparser_fallback(text: str, now: datetime) -> datetime:
    import dateparser  # slow to import, so only when the simple readings failed

    parsed = dateparser.parse(
        text, settings={"PREFER_DATES_FROM": "future", "RELATIVE_BASE": now,
                        "RETURN_AS_TIMEZONE_AWARE": False},
    )
    if parsed is None:
        raise ParseError(f"I could not work out when {text!r} is.")
    return parsed


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
    tokens = split_words(text)
    if "yesterday" in tokens:
        return today - timedelta(days=1)
    if tokens and tokens[0] == "in":
        return today + timedelta(seconds=parse_duration(" ".join(tokens[1:])))
    day, rest = _day_offset(tokens, today)
    if day is not None:
        return day
    if not tokens:
        return today
    moment = _dateparser_fallback(text, datetime.combine(today, datetime.min.time()))
    return moment.date()


# --- back into words ------------------------------------------------------


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


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
        parts.append(_plural(days, "day"))
    if hours:
        parts.append(_plural(hours, "hour"))
    if minutes:
        parts.append(_plural(minutes, "minute"))
    if secs and not days and not hours:
        parts.append(_plural(secs, "second"))
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " and " + parts[-1]


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
    """'at 7 PM', 'tomorrow at 7 AM', 'on Friday at 9 AM', 'on 3 March at 9 AM'."""
    days = (moment.date() - now.date()).days
    clock = say_time(moment)
    at = clock if clock in ("noon", "midnight") else clock
    if days == 0:
        return f"at {at}"
    if days == 1:
        return f"tomorrow at {at}"
    if 1 < days < 7:
        return f"on {moment.strftime('%A')} at {at}"
    return f"on {say_date(moment.date())} at {at}"


def say_date(day: date) -> str:
    """'Monday, 3 March 2025'."""
    return f"{day.strftime('%A')}, {day.day} {day.strftime('%B %Y')}"


def say_number(number: float) -> str:
    """'84', '3.5', '0.333' — no trailing zeros, at most 4 decimals, thousands grouped."""
    if isinstance(number, float) and not number.is_integer():
        text = f"{number:,.4f}".rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text
    return f"{int(number):,}"
