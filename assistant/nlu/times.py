"""Durations, times and dates in spoken form.

``parse_duration("an hour and a half") == 5400``;
``parse_time("at half past six", now)`` gives the next 6:30 (morning or evening).
Our own parser handles the spoken forms; dateparser (offline) is the fallback for
written dates such as "March 3rd" or "2024-05-06 14:00" (only those: it reads bare numbers
as years).

Readers return None for words that hold no duration or time and raise
:class:`~assistant.nlu.numbers.RefusedReading` for one the assistant will not use: longer
than :data:`MAX_DURATION_DAYS`, negative, a day the calendar does not have ("february
30"), or digits that could be a time or a date ("3.14.15").
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from assistant.nlu.numbers import (
    MAX_NUMBER_WORDS,
    NUMBER_WORDS,
    ORDINALS,
    SPECIAL,
    RefusedReading,
    parse_digits,
    parse_number_tokens,
    tokenize,
)

_LOGGER = logging.getLogger(__name__)

UNIT_SECONDS: dict[str, int] = {
    "second": 1, "seconds": 1, "sec": 1, "secs": 1, "s": 1, "seconde": 1, "secconds": 1,
    "minute": 60, "minutes": 60, "min": 60, "mins": 60, "m": 60, "minuets": 60, "minuts": 60, "minites": 60,
    "hour": 3600, "hours": 3600, "hr": 3600, "hrs": 3600, "h": 3600,
    "day": 86400, "days": 86400, "week": 604800, "weeks": 604800,
}  # fmt: skip
"""Units, with the misspellings recognizers and quick typing make ("five minuets")."""
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december"]  # fmt: skip
_DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
PARTS_OF_DAY: dict[str, int] = {"morning": 9, "afternoon": 15, "evening": 19, "tonight": 20, "night": 21}
_COMPACT = re.compile(r"^(\d+(?:\.\d+)?)(h|m|s|min|mins|hr|hrs|sec|secs)$")
_COMPACT_PARTS = re.compile(r"(\d+(?:\.\d+)?)(h|m|s)")
_DOTTED = re.compile(r"\d+(?:[.:]\d+){2,}")
_ORDINAL_FIGURE = re.compile(r"\d+(?:st|nd|rd|th|%)")
_WRITTEN_CLOCK = re.compile(r"(\d{1,2})[:.](\d{2})")
_CLOCK_AND_MERIDIEM = re.compile(r"^(\d{1,2}(?:[:.]\d{2})?)(am|pm)$")
_MINUS = re.compile(r"(?:^|(?<=[\s(]))[-\u2212]\s*(?=\d)")
_SIGN_WORDS = ("minus", "negative")

MAX_DURATION_DAYS = 1000
"""Longer lengths of time are refused. Timers stop at a month with their own message; this
bound keeps "in 500 days" answerable and every sum of dates far from overflowing."""
MAX_DURATION_SECONDS = MAX_DURATION_DAYS * 86400
MAX_PHRASE_CHARACTERS = 200
"""A time or date said in words is far shorter; longer text holds none (so reading one takes
bounded time whatever the text)."""
TOO_LONG = f"I can only work with lengths of time up to {MAX_DURATION_DAYS} days."
NEGATIVE = "A length of time can't be negative."

_NUMBER_PARTS = (NUMBER_WORDS - {"a", "an", "and"}) | set(ORDINALS)
_SKIPPED = ("and", "plus", "of", "for", "in", "after", "about", "like", "more", "another", "extra")
"""Words a duration may hold that add nothing: "five more minutes", "another ten minutes"."""
_FILLERS = {*_SKIPPED, "a", "an", *_SIGN_WORDS}
DURATION_WORDS = frozenset(NUMBER_WORDS | set(ORDINALS) | set(SPECIAL) | set(UNIT_SECONDS) | _FILLERS)
"""Every word a duration may hold besides figures (for spotting one inside a sentence)."""
DURATION_ANCHORS = frozenset(UNIT_SECONDS)
"""Words without which a phrase is no duration (besides figures such as "10min")."""
_DAY_WORDS = {"today", "tonight", "tomorrow", "yesterday"}
TIME_WORDS = frozenset(
    DURATION_WORDS | _DAY_WORDS | set(WEEKDAYS) | set(MONTHS) | set(PARTS_OF_DAY)
    | {"noon", "midday", "midnight", "am", "pm", "a.m", "p.m", "p", "m", "o'clock", "oclock", "o",
       "clock", "past", "to", "before", "after", "day", "next", "this", "on", "at", "the", "by",
       "morning's", "around", "later", "from", "now"}
)  # fmt: skip
"""Every word a time or date may hold besides figures."""
TIME_ANCHORS = frozenset(
    (NUMBER_WORDS - {"point", "and", "a", "an"}) | set(ORDINALS) | set(UNIT_SECONDS) | _DAY_WORDS
    | set(WEEKDAYS) | set(MONTHS) | set(PARTS_OF_DAY) | {"noon", "midday", "midnight", "half", "quarter"}
)  # fmt: skip
"""Words without which a phrase is no time (besides figures): "at the" is none, "at six" one."""


def parse_duration(text: str, *, strict: bool = False, bare_unit: int | None = None) -> int | None:
    """Parse a duration to whole seconds, or None if the text holds none.

    Handles "ten minutes", "90 seconds", "an hour and a half", "half an hour",
    "a quarter of an hour", "2 hours 30 minutes", "1h30m", "one and a half hours",
    "10min". ``strict``: None unless every word is part of the duration (or a filler
    such as "for"). ``bare_unit``: a number with no unit at all ("five") counts as
    that many seconds each (60 reads it as minutes); otherwise it is no duration.
    Raises RefusedReading for a negative duration, one longer than
    :data:`MAX_DURATION_DAYS`, or one whose number is too big to read.
    """
    tokens = tokenize(_MINUS.sub(" minus ", text))
    expanded: list[str] = []
    for token in tokens:
        compact = _COMPACT_PARTS.findall(token)
        if compact and "".join(a + b for a, b in compact) == token:
            for amount, unit in compact:
                expanded += [amount, unit]
        else:
            match = _COMPACT.match(token)
            expanded += [match.group(1), match.group(2)] if match else [token]
    tokens = expanded
    total = 0.0
    found = False
    pending: float | None = None
    negative = False  # the pending number had "minus" before it
    refusal: RefusedReading | None = None  # a number too big to read, waiting for its unit
    last_unit = 0
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token in UNIT_SECONDS and (
            pending is not None or refusal is not None or token in ("hour", "minute", "second", "day", "week")
        ):
            if refusal is not None:
                raise refusal  # "1e309 minutes"
            if negative:
                raise RefusedReading(NEGATIVE)  # "-5 minutes"
            # "an hour" arrives as the pending number 1 from "an"; a bare unit means one.
            amount = 1.0 if pending is None else pending
            last_unit = UNIT_SECONDS[token]
            total = _bounded(total + amount * last_unit)
            found = True
            pending = None
            index += 1
            continue
        fraction = _AND_FRACTIONS.get(tuple(tokens[index + 1 : index + 3])) if token == "and" else None
        if fraction is not None and last_unit and pending is None:
            # "an hour and a half", "an hour and a quarter", "an hour and three quarters"
            total = _bounded(total + fraction * last_unit)
            index += 3
            continue
        if token in _SKIPPED:
            index += 1
            continue
        if token in _SIGN_WORDS and pending is None and index + 1 < len(tokens):
            sign_at = index
            index += 1
            try:
                signed = parse_number_tokens(tokens[index : index + MAX_NUMBER_WORDS])
            except RefusedReading as error:
                refusal, index = error, _past_number(tokens, index)
                continue
            if signed is not None:
                pending, negative = float(signed[0]), True
                index += signed[1]
                continue
            if strict:
                return None
            index = sign_at + 1
            continue
        try:
            parsed = parse_number_tokens(tokens[index : index + MAX_NUMBER_WORDS])
        except RefusedReading as error:
            refusal, pending, negative = error, None, False
            index = _past_number(tokens, index)
            continue
        if parsed is not None and not (parsed[1] == 1 and token == "and"):
            value, used = parsed
            # "half an hour", "a quarter of an hour": the fraction multiplies the unit after "an".
            if pending is not None:
                pending *= float(value)
            else:
                pending = float(value)
            index += used
            if tokens[index : index + 1] in (["an"], ["a"]):
                index += 1
            continue
        if token in ("a", "an"):
            pending = 1.0 if pending is None else pending
            index += 1
            continue
        if strict:
            return None
        pending, negative, refusal = None, False, None
        index += 1
    if not found and bare_unit is not None:
        if refusal is not None:
            raise refusal  # "1e309" on its own
        if pending is not None:
            if negative:
                raise RefusedReading(NEGATIVE)
            return round(_bounded(pending * bare_unit))  # "five" on its own
    smaller = _NEXT_SMALLER.get(last_unit)
    if found and pending is not None and not negative and smaller and _trails_unit(tokens):
        # "an hour and 20", "1 hour 30", "2 minutes 15": the number left is of the next
        # smaller unit, as people say it (under 60 of them; "an hour and 90" stays unread).
        if float(pending).is_integer() and 0 < pending < 60:
            return round(_bounded(total + pending * smaller))
        return None
    if (pending is not None or refusal is not None) and strict:
        return None  # a number left without its unit: "1 hour 90"
    return round(total) if found else None


_AND_FRACTIONS: dict[tuple[str, ...], float] = {
    ("a", "half"): 0.5, ("an", "half"): 0.5, ("a", "quarter"): 0.25, ("three", "quarters"): 0.75,
}  # fmt: skip
"""What "and ..." adds of the unit said just before it ("an hour and a quarter")."""
_NEXT_SMALLER = {3600: 60, 60: 1}
"""The unit a number said after hours or minutes is of ("an hour and 20" is 80 minutes)."""


def _trails_unit(tokens: list[str]) -> bool:
    """The tokens end with a number said right after a unit: "an hour and 20", "1 hour 30"
    (not "5 minutes to call 3")."""
    last_unit_at = max((i for i, t in enumerate(tokens) if t in UNIT_SECONDS), default=-1)
    rest = tokens[last_unit_at + 1 :]
    if rest[:1] == ["and"]:
        rest = rest[1:]
    if last_unit_at < 0 or not rest:
        return False
    parsed = parse_number_tokens(rest)
    return parsed is not None and parsed[1] == len(rest)


def _past_number(tokens: list[str], index: int) -> int:
    """Where the number that starts at ``tokens[index]`` ends, roughly (for one not read)."""
    index += 1
    while index < len(tokens) and (tokens[index] in _NUMBER_PARTS or tokens[index][:1].isdigit()):
        index += 1
    return index


def _bounded(seconds: float) -> float:
    """``seconds``, unless longer than :data:`MAX_DURATION_SECONDS` (RefusedReading)."""
    if seconds > MAX_DURATION_SECONDS:
        raise RefusedReading(TOO_LONG)
    return seconds


@dataclass
class ParsedTime:
    """A moment parsed from speech."""

    when: datetime
    """The moment, naive local time."""
    has_time: bool
    """False for a day only ("next monday"): then ``when`` is that day at 00:00."""

    def iso(self) -> str:
        """ISO text: a date for a day only, a date and time otherwise."""
        return self.when.isoformat(timespec="seconds") if self.has_time else self.when.date().isoformat()


def _whole(value: float | int) -> int | None:
    """``value`` as an int when it is a whole number, else None ("2.5 past six" is no time)."""
    return int(value) if float(value).is_integer() else None


def _clock_time(tokens: list[str]) -> tuple[int, int, str | None] | None:
    """Read "half past six", "quarter to seven", "six thirty", "7:30 pm", "noon".

    Raises RefusedReading for digits that could be a time or a date ("3.14.15")."""
    if not tokens:
        return None
    if tokens[0] in ("noon", "midday"):
        return 12, 0, "pm"
    if tokens[0] == "midnight":
        return 0, 0, "am"
    meridiem: str | None = None
    words = list(tokens)
    for index, word in enumerate(words):
        if word in ("am", "pm", "a.m", "p.m"):
            meridiem = word.replace(".", "")
            words = words[:index]
            break
        if word in ("o'clock", "oclock") or words[index : index + 2] == ["o", "clock"]:
            words = words[:index]
            break
    if words[-2:] == ["in", "morning"] or words[-3:] == ["in", "the", "morning"]:
        meridiem = "am"
        words = words[: words.index("in")]
    elif words and words[-1] in ("evening", "afternoon", "night") and "in" in words:
        meridiem = "pm"
        words = words[: words.index("in")]
    elif words[-2:] == ["at", "night"]:
        meridiem, words = "pm", words[:-2]
    if not words:
        return None
    if _DOTTED.fullmatch(words[0]):
        raise RefusedReading(
            f"I can't tell which time or date \u201c{words[0]}\u201d is. Say a time like "
            "\u201c3:14 pm\u201d or a date like \u201c14 March\u201d."
        )
    if words[0] in ORDINALS or _ORDINAL_FIGURE.fullmatch(words[0]):
        return None  # "friday the 13th" is a day of the month, not one o'clock
    written = _WRITTEN_CLOCK.fullmatch(words[0])
    if written or ":" in words[0]:
        if written is None:
            return None
        return int(written.group(1)), int(written.group(2)), meridiem
    if words[0] == "half" and len(words) == 2:
        # British "half six" is 6:30.
        half_hour = parse_number_tokens(words[1:])
        if half_hour is not None and half_hour[1] == 1 and _whole(half_hour[0]) in range(1, 13):
            return int(half_hour[0]), 30, meridiem
        return None
    for relation, sign in (("past", 1), ("after", 1), ("to", -1), ("before", -1)):
        if relation in words:
            cut = words.index(relation)
            minutes_part, hour_part = words[:cut], words[cut + 1 :]
            if minutes_part in (["half"], ["a", "half"]):
                minutes: int | None = 30
            elif minutes_part in (["quarter"], ["a", "quarter"]):
                minutes = 15
            else:
                counted = [w for w in minutes_part if w not in ("minutes", "minute")]
                parsed = parse_number_tokens(counted)
                if parsed is None or parsed[1] != len(counted):
                    return None
                minutes = _whole(parsed[0])
            hour_parsed = parse_number_tokens(hour_part)
            if hour_parsed is None or hour_parsed[1] != len(hour_part):
                return None
            hour_or_none = _whole(hour_parsed[0])
            if minutes is None or hour_or_none is None or not 1 <= minutes <= 59:
                return None
            hour = hour_or_none
            if sign < 0:
                hour, minutes = (hour - 1) % 24, 60 - minutes
            return hour, minutes, meridiem
    hour_parsed = parse_number_tokens(words)
    if hour_parsed is None:
        return None
    hour_value, used = hour_parsed
    rest = words[used:]
    minute = 0
    if rest:
        if rest[0] == "oh" and len(rest) == 2:
            rest = rest[1:]
        minute_parsed = parse_number_tokens(rest)
        if minute_parsed is None or minute_parsed[1] != len(rest):
            return None
        whole_minute = _whole(minute_parsed[0])
        if whole_minute is None:
            return None
        minute = whole_minute
    elif isinstance(hour_value, int) and hour_value >= 100 and hour_value % 100 < 60:
        hour_value, minute = hour_value // 100, hour_value % 100  # "seven thirty" read as 730
    whole_hour = _whole(hour_value)
    if whole_hour is None or not (0 <= whole_hour <= 23 and 0 <= minute <= 59):
        return None
    return whole_hour, minute, meridiem


def resolve_clock(
    now: datetime,
    day: date | None,
    hour: int,
    minute: int,
    meridiem: str | None,
    *,
    early_pm: int = 7,
    said_today: bool = False,
) -> datetime | None:
    """The next moment at or after ``now`` that a clock reading means, or None if none.

    Without am/pm both halves of the day are candidates and the first one still to
    come wins. On a named day the morning wins, except that hours before
    ``early_pm`` on another day than today mean the afternoon ("tomorrow at five").
    ``said_today``: the day was named ("at 5 pm today"), so a time already gone today is
    returned as it is (in the past) rather than moved to tomorrow.
    """
    if not (0 <= hour <= 24 and 0 <= minute <= 59):
        return None
    if meridiem == "pm" and hour < 12:
        hours = [hour + 12]
    elif meridiem == "am":
        hours = [0 if hour == 12 else hour]
    elif meridiem is None and 1 <= hour <= 12:
        hours = [hour % 12, hour % 12 + 12]
        if day is not None and day != now.date() and hour < early_pm:
            hours = [hour + 12]  # "tomorrow at five" means the afternoon
    else:
        hours = [hour % 24]
    if day is not None:
        same_day = sorted(datetime.combine(day, time(h, minute)) for h in hours)
        coming = [moment for moment in same_day if day != now.date() or moment > now]
        if coming:
            return coming[0]
        if said_today:
            return same_day[-1]  # "at 5 pm today" at 6 pm: past, for the caller to say so
    base = day or now.date()
    candidates = sorted(
        datetime.combine(base + timedelta(days=offset), time(h, minute)) for offset in (0, 1) for h in hours
    )
    future = [moment for moment in candidates if moment > now]
    return future[0] if future else None


def _day_words(
    tokens: list[str], now: datetime, *, same_weekday_is_today: bool = False
) -> tuple[date | None, int | None, list[str]]:
    """Take the day ("today", "tomorrow", "next monday") and part of day out of tokens.

    A weekday said on that day means next week's, unless ``same_weekday_is_today``
    (then only "next friday" does).
    """
    day: date | None = None
    part_hour: int | None = None
    rest: list[str] = []
    index = 0
    while index < len(tokens):
        word = tokens[index]
        if word == "today":
            day = now.date()
        elif word == "tonight":
            day, part_hour = now.date(), PARTS_OF_DAY["tonight"]
        elif word == "tomorrow":
            day = now.date() + timedelta(days=1)
        elif word == "yesterday":
            day = now.date() - timedelta(days=1)
        elif word == "day" and tokens[index + 1 : index + 3] == ["after", "tomorrow"]:
            day = now.date() + timedelta(days=2)
            index += 2
        elif word in WEEKDAYS:
            offset = (WEEKDAYS.index(word) - now.weekday()) % 7
            if offset == 0 and (not same_weekday_is_today or tokens[index - 1 : index] == ["next"]):
                offset = 7  # "monday" said on a Monday means next week's
            day = now.date() + timedelta(days=offset)
        elif word in PARTS_OF_DAY and word != "tonight":
            part_hour = PARTS_OF_DAY[word]
            if day is None and index > 0 and tokens[index - 1] == "this":
                day = now.date()
        elif word in ("next", "this", "on", "at", "the", "in", "by", "for", "morning's"):
            pass
        else:
            rest.append(word)
        index += 1
    return day, part_hour, rest


def find_day(text: str, today: date, *, same_weekday_is_today: bool = False) -> date | None:
    """The day a phrase names ("tomorrow", "friday", "in 3 days"), other words ignored.

    Raises RefusedReading for a day the calendar does not have or too far away."""
    if len(text) > MAX_PHRASE_CHARACTERS:
        return None
    tokens = tokenize(text)
    _check_calendar(tokens)
    if tokens[:1] == ["in"]:
        seconds = parse_duration(" ".join(tokens[1:]))
        if seconds is not None:
            return today + timedelta(seconds=seconds)
    now = datetime.combine(today, time(0, 0))
    return _day_words(tokens, now, same_weekday_is_today=same_weekday_is_today)[0]


def parse_time(
    text: str,
    now: datetime | None = None,
    *,
    fallback: bool = True,
    early_pm: int = 7,
    same_weekday_is_today: bool = False,
) -> ParsedTime | None:
    """Parse a spoken time or date relative to ``now`` (default: the current time).

    "in ten minutes", "ten minutes from now", "at 7 pm", "at half past six",
    "quarter to seven", "tomorrow morning", "next monday", "tomorrow at five thirty",
    "7.30", "noon"; written dates go to dateparser unless ``fallback`` is False.
    ``early_pm`` and ``same_weekday_is_today``: see :func:`resolve_clock` and
    :func:`_day_words`. None for text longer than :data:`MAX_PHRASE_CHARACTERS`.
    Raises RefusedReading for a day the calendar does not have ("february 30"), a
    length of time it refuses ("in 1e309 minutes") or digits that could be a time or a
    date ("3.14.15").
    """
    if len(text) > MAX_PHRASE_CHARACTERS:
        return None
    now = now or datetime.now().replace(microsecond=0)
    tokens = tokenize(text.replace("a.m.", "am").replace("p.m.", "pm"))
    if not tokens:
        return None
    _check_calendar(tokens)
    if tokens[0] == "in" or (tokens[0] in ("after",) and len(tokens) > 1):
        seconds = parse_duration(" ".join(tokens[1:]))
        if seconds is not None:
            return ParsedTime(now + timedelta(seconds=seconds), True)
    if tokens[-1:] == ["later"] or tokens[-2:] == ["from", "now"]:
        seconds = parse_duration(" ".join(tokens[: -1 if tokens[-1] == "later" else -2]))
        if seconds is not None:
            return ParsedTime(now + timedelta(seconds=seconds), True)
    # "7pm" arrives as one token, "7 p m" as three.
    split: list[str] = []
    for token in tokens:
        match = _CLOCK_AND_MERIDIEM.match(token)
        split += [match.group(1), match.group(2)] if match else [token]
    if split[-2:] in (["p", "m"], ["a", "m"]):
        split = split[:-2] + [split[-2] + "m"]
    day, part_hour, rest = _day_words(split, now, same_weekday_is_today=same_weekday_is_today)
    if rest and rest[0] in ("at", "around", "about"):
        rest = rest[1:]
    if rest:
        clock = _clock_time(rest)
        if clock is not None:
            hour, minute, meridiem = clock
            if meridiem is None and part_hour is not None and part_hour >= 12 and hour < 12:
                meridiem = "pm"
            elif meridiem is None and part_hour is not None and part_hour < 12:
                meridiem = "am"
            said_today = "today" in split and day == now.date()
            moment = resolve_clock(now, day, hour, minute, meridiem, early_pm=early_pm, said_today=said_today)
            return ParsedTime(moment, True) if moment is not None else None
    elif day is not None or part_hour is not None:
        base = day or now.date()
        if part_hour is None:
            return ParsedTime(datetime.combine(base, time(0, 0)), False)
        moment = datetime.combine(base, time(part_hour, 0))
        if day is None and moment <= now:
            moment += timedelta(days=1)
        return ParsedTime(moment, True)
    return _parse_with_dateparser(text, now) if fallback else None


_WRITTEN_DATE = re.compile(
    r"\b(?:" + "|".join(MONTHS) + r")\b|\b\d{1,4}[/-]\d{1,2}(?:[/-]\d{1,4})?\b", re.IGNORECASE
)
"""What dateparser is asked about: a month by name or a date in figures ("5/6/2024")."""


def _parse_with_dateparser(text: str, now: datetime) -> ParsedTime | None:
    """Fallback for written dates; dateparser works offline with these settings.

    Only text naming a month or holding a date in figures gets there: dateparser guesses
    wildly on the rest ("5000" is the year 5000, "3 14 15" the 14th of March 2115).
    """
    if not _WRITTEN_DATE.search(text):
        return None
    import dateparser  # imported late: it costs ~0.3 s to load

    settings = {"RELATIVE_BASE": now, "PREFER_DATES_FROM": "future", "RETURN_AS_TIMEZONE_AWARE": False}
    result = dateparser.parse(text, languages=["en"], settings=settings)
    if result is None:
        return None
    has_time = bool(re.search(r"\d:\d|\d\s*(am|pm)|noon|midnight", text.lower()))
    if not has_time:
        result = datetime.combine(result.date(), time(0, 0))
    return ParsedTime(result, has_time)


def _day_of_month(tokens: list[str], start: int, end: int) -> int | None:
    """The whole number that ``tokens[start:end]`` is exactly ("30", "30th", "thirty first")."""
    if start < 0 or start >= end:
        return None
    parsed = parse_number_tokens(tokens[start:end])
    if parsed is None or parsed[1] != end - start:
        return None
    return _whole(parsed[0])


def _number_before(tokens: list[str], end: int) -> int | None:
    """The number that ends just before ``tokens[end]``: "30" or "thirty first" (longest)."""
    for start in range(max(0, end - 3), end):
        value = _day_of_month(tokens, start, end)
        if value is not None:
            return value
    return None


def _number_after(tokens: list[str], start: int) -> tuple[int, int] | None:
    """The number that starts at ``tokens[start]`` and where it ends (longest of 1-3 words)."""
    for end in range(min(len(tokens), start + 3), start, -1):
        value = _day_of_month(tokens, start, end)
        if value is not None:
            return value, end
    return None


def _check_calendar(tokens: list[str]) -> None:
    """Raise RefusedReading when the tokens name a day the calendar does not have:
    "february 30", "the 31st of april", "29 february 2025", "march 45"."""
    for index, word in enumerate(tokens):
        if word not in MONTHS:
            continue
        month = MONTHS.index(word) + 1
        before_end = index - 1 if tokens[index - 1 : index] == ["of"] else index
        day = _number_before(tokens, before_end)
        day = day if day is not None and day < 1000 else None  # "2024 march" names no day
        after_start = index + 1 + (tokens[index + 1 : index + 2] == ["the"])
        after = _number_after(tokens, after_start)
        year: int | None = None
        if day is not None:
            year = after[0] if after is not None and after[0] >= 1000 else None
        elif after is not None and after[0] < 1000:
            day = after[0]
            following = _number_after(tokens, after[1])
            year = following[0] if following is not None and following[0] >= 1000 else None
        if day is None:
            continue
        name = word.capitalize()
        if not 1 <= day <= _DAYS_IN_MONTH[month - 1]:
            raise RefusedReading(f"There is no {day} {name}.")
        if year is not None and year <= 9999:
            try:
                date(year, month, day)
            except ValueError:
                raise RefusedReading(f"There is no {day} {name} {year}.") from None


def parse_clock_digits(text: str) -> tuple[int, int] | None:
    """Parse "7:30" or "0730" to (hour, minute); used by templates with a time slot."""
    value = text.strip()
    if ":" in value:
        hour_text, minute_text = value.split(":", 1)
        if hour_text.isdigit() and minute_text.isdigit():
            return int(hour_text), int(minute_text)
    number = parse_digits(value)
    if isinstance(number, int) and 0 <= number <= 2359 and number % 100 < 60:
        return (number // 100, number % 100) if number >= 100 else (number, 0)
    return None


MAX_TIME_SPAN_WORDS = 12
"""The longest stretch :func:`find_time` reads as one time ("next friday at a quarter to
seven in the morning" is 10)."""


def find_time(
    text: str, now: datetime, *, early_pm: int = 7, same_weekday_is_today: bool = False
) -> tuple[ParsedTime, str] | None:
    """The longest span of ``text`` that reads as a time (with these options), and its words.

    Only spans made of words a time may hold, with one that carries it (a figure, "noon",
    "tomorrow"...), are read, so "wake me up at 6:45 tomorrow" gives "at 6:45 tomorrow".
    A span the readers refuse is skipped."""
    if len(text) > 4 * MAX_PHRASE_CHARACTERS:
        return None
    words = text.split()
    usable = []
    carrying = []
    for word in words:
        tokens = tokenize(word)
        usable.append(bool(tokens) and all(_has_digit(t) or t in TIME_WORDS for t in tokens))
        carrying.append(any(_has_digit(t) or t in TIME_ANCHORS for t in tokens))
    for length in range(min(len(words), MAX_TIME_SPAN_WORDS), 0, -1):
        for start in range(len(words) - length + 1):
            end = start + length
            if not all(usable[start:end]) or not any(carrying[start:end]):
                continue
            span = " ".join(words[start:end])
            try:
                parsed = parse_time(
                    span, now, fallback=False, early_pm=early_pm, same_weekday_is_today=same_weekday_is_today
                )
            except RefusedReading:
                continue
            if parsed is not None:
                return parsed, span
    return None


def _has_digit(token: str) -> bool:
    return any(char.isdigit() for char in token)
