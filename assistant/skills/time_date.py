"""Time and date: "what time is it", "what's the date", "what day is it tomorrow",
"what day is christmas this year", "how many days until halloween".

Slots:
  ``day`` (optional): which day, as an ISO date or words ("tomorrow", "friday",
  "in 3 days"); today when missing.
  ``occasion``: a day in words that may be a holiday ("christmas", "new year's eve",
  "easter next year", "march 3rd", "friday"); for ``date.until`` the day counted to.
  ``direction``: ``since`` for "how many days since christmas" (counts back).
  ``unit``: ``weeks`` or ``sleeps`` when asked in those ("how many weeks until ...").
  ``part``: ``year`` or ``month`` for "what year is it".
  ``place``: "what time is it in Tokyo": other time zones are not known, and it says so.
  ``later_duration``: "what time will it be in 45 minutes" (seconds from now).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from assistant.nlu.numbers import RefusedReading
from assistant.nlu.times import parse_time
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
    parse_day,
    parse_duration,
    say_date,
    say_day_and_time,
    say_duration,
    say_time,
)
from assistant.wording import count


def local_now(ctx: SkillContext) -> datetime:
    """The context clock's time as naive local time (the fake clock in tests)."""
    return datetime.fromtimestamp(ctx.clock.now())


def _clock_text(moment: datetime, ctx: SkillContext) -> str:
    """'2:05 PM', or '14:05' for someone who prefers the 24-hour clock."""
    if "24" in str(ctx.preferences.get("clock") or ""):
        return f"{moment.hour:02d}:{moment.minute:02d}"
    return say_time(moment)


# --- holidays ---------------------------------------------------------------------


def easter(year: int) -> date:
    """Easter Sunday (Gregorian), by the anonymous algorithm."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))


HOLIDAYS: dict[str, tuple[str, Any]] = {
    "christmas eve": ("Christmas Eve", (12, 24)),
    "christmas day": ("Christmas", (12, 25)),
    "christmas": ("Christmas", (12, 25)),
    "xmas": ("Christmas", (12, 25)),
    "boxing day": ("Boxing Day", (12, 26)),
    "new year's eve": ("New Year's Eve", (12, 31)),
    "new years eve": ("New Year's Eve", (12, 31)),
    "new year's day": ("New Year's Day", (1, 1)),
    "new years day": ("New Year's Day", (1, 1)),
    "new year's": ("New Year's Day", (1, 1)),
    "new years": ("New Year's Day", (1, 1)),
    "new year": ("New Year's Day", (1, 1)),
    "halloween": ("Halloween", (10, 31)),
    "valentine's day": ("Valentine's Day", (2, 14)),
    "valentines day": ("Valentine's Day", (2, 14)),
    "valentine's": ("Valentine's Day", (2, 14)),
    "valentines": ("Valentine's Day", (2, 14)),
    "st patrick's day": ("St Patrick's Day", (3, 17)),
    "st patricks day": ("St Patrick's Day", (3, 17)),
    "saint patrick's day": ("St Patrick's Day", (3, 17)),
    "saint patricks day": ("St Patrick's Day", (3, 17)),
    "april fools day": ("April Fools' Day", (4, 1)),
    "april fool's day": ("April Fools' Day", (4, 1)),
    "april fools": ("April Fools' Day", (4, 1)),
    "independence day": ("Independence Day", (7, 4)),
    "the fourth of july": ("the Fourth of July", (7, 4)),
    "fourth of july": ("the Fourth of July", (7, 4)),
    "bonfire night": ("Bonfire Night", (11, 5)),
    "guy fawkes night": ("Bonfire Night", (11, 5)),
    "easter sunday": ("Easter", easter),
    "easter": ("Easter", easter),
    "good friday": ("Good Friday", lambda year: easter(year) - timedelta(days=2)),
    "easter monday": ("Easter Monday", lambda year: easter(year) + timedelta(days=1)),
    "thanksgiving": ("Thanksgiving", lambda year: _nth_weekday(year, 11, 3, 4)),
    "father's day": ("Father's Day", lambda year: _nth_weekday(year, 6, 6, 3)),
    "fathers day": ("Father's Day", lambda year: _nth_weekday(year, 6, 6, 3)),
}
"""Said name -> (name as spoken back, (month, day) or a function of the year)."""

_YEAR = re.compile(r"\b(?:in\s+)?((?:19|20)\d\d)\b")


def _holiday_on(rule: Any, year: int) -> date:
    if isinstance(rule, tuple):
        return date(year, rule[0], rule[1])
    return rule(year)


def find_holiday(text: str, today: date, *, backwards: bool = False) -> tuple[str, date] | None:
    """'christmas' -> ("Christmas", the next 25 December, today included); "this year",
    "next year", "last year" and a year ("easter 2026") choose the year."""
    words = " ".join(text.lower().replace("\u2019", "'").split())
    words = re.sub(r"^(?:the|on|for|until|till|til)\s+", "", words)
    year: int | None = None
    said_year = _YEAR.search(words)
    if said_year:
        year = int(said_year.group(1))
        words = _YEAR.sub("", words)
    for modifier, offset in (("this year", 0), ("next year", 1), ("last year", -1), ("this", 0)):
        if re.search(rf"\b{modifier}\b", words):
            year = today.year + offset
            words = re.sub(rf"\b{modifier}\b", "", words)
    words = re.sub(r"^(?:next|last)\s+", "", words).strip(" ?.!,")
    words = re.sub(r"\s+(?:day\s+)?(?:is|be)$", "", words).strip()
    match = HOLIDAYS.get(words)
    if match is None:
        return None
    name, rule = match
    if year is not None:
        return name, _holiday_on(rule, year)
    this_year = _holiday_on(rule, today.year)
    if backwards:
        return name, this_year if this_year <= today else _holiday_on(rule, today.year - 1)
    return name, this_year if this_year >= today else _holiday_on(rule, today.year + 1)


def _birthday(text: str) -> bool:
    return bool(re.search(r"\b(?:my|your|our)\s+(?:birthday|bday|anniversary)\b", text.lower()))


def resolve_day(words: str, today: date, *, backwards: bool = False) -> tuple[str, date]:
    """A said day as (how to say its name, the day): a holiday, a date or a weekday.
    Raises SkillError when it is no day the assistant knows."""
    words = re.sub(
        r"^(?:it|it be|be)\s+", "", words.strip(), flags=re.IGNORECASE
    )  # "what date is it in 2 weeks"
    holiday = find_holiday(words, today, backwards=backwards)
    if holiday is not None:
        return holiday
    if re.fullmatch(r"(?:mother'?s|mothers|mum'?s|mom'?s) day", words.strip().lower()):
        year = today.year
        uk, us = easter(year) - timedelta(days=21), _nth_weekday(year, 5, 6, 2)
        raise SkillError(
            f"Mother's Day depends on where you are: in the UK and Ireland it's {say_date(uk)}, "
            f"in the US and Canada {say_date(us)}."
        )
    if _birthday(words):
        raise SkillError(
            f"I don't know when {words.strip()} is. Ask me with the date instead, like "
            "\u201chow long until march 3rd\u201d."
        )
    ending = re.fullmatch(r"(?:the\s+)?(?:end\s+of\s+)?(?:the|this)\s+(year|month)", words.strip().lower())
    if ending is not None:
        if ending.group(1) == "year":
            return "the end of the year", date(today.year, 12, 31)
        first_of_next = date(today.year + today.month // 12, today.month % 12 + 1, 1)
        return "the end of the month", first_of_next - timedelta(days=1)
    if re.fullmatch(r"(?:the\s+)?(?:this\s+)?weekend", words.strip().lower()):
        saturday = today + timedelta(days=(5 - today.weekday()) % 7)
        return "the weekend", today if today.weekday() == 6 else saturday
    nth = _day_of_this_month(words, today)
    if nth is not None:
        return say_date(nth), nth
    try:
        day = parse_day(words, today)
    except ParseError as error:
        raise SkillError(f"Sorry, I don't know which day \u201c{words.strip()}\u201d is.") from error
    said_year = _YEAR.search(words) is not None
    if not said_year and re.search(r"[a-z]", words.lower()) and day == _same_day_next_year(today):
        day = today  # "march 3rd" said on 3 March is today, not a year away
    if backwards and not said_year and day > today:
        try:
            day = day.replace(year=day.year - 1)
        except ValueError:
            day = day - timedelta(days=365)
    return say_date(day), day


def _day_of_this_month(words: str, today: date) -> date | None:
    """'the 14th': the next 14th of a month, this month's if it is still to come."""
    match = re.fullmatch(
        r"(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)(?:\s+of\s+(?:the|this)\s+month)?", words.strip().lower()
    )
    if match is None:
        return None
    number = int(match.group(1))
    year, month = today.year, today.month
    for _ in range(3):
        try:
            candidate = date(year, month, number)
        except ValueError:
            candidate = None
        if candidate is not None and candidate >= today:
            return candidate
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def _same_day_next_year(today: date) -> date | None:
    try:
        return today.replace(year=today.year + 1)
    except ValueError:
        return None


# --- handlers ---------------------------------------------------------------------


def tell_time(request: ActionRequest, ctx: SkillContext) -> ActionResult:
    now = local_now(ctx)
    spoken = _clock_text(now, ctx)
    place = str(request.slots.get("place") or "").strip()
    data = {"time": now.isoformat(timespec="minutes")}
    later = request.slots.get("later_duration")
    if later is None and re.search(r"\b(?:will|would) (?:it|the time) be\b", request.text.lower()):
        # "what time will it be in a bit": a time later, but not how much later
        raise SkillError("How much later? Say it like \u201cwhat time will it be in 45 minutes\u201d.")
    if later is not None:
        seconds = parse_duration(later)
        then = now + timedelta(seconds=seconds)
        clock = _clock_text(then, ctx)
        if then.date() != now.date():
            clock = say_day_and_time(then, now).replace(say_time(then), clock)
        return ActionResult(
            speech=f"In {say_duration(seconds)} it will be {clock}.",
            data={"time": then.isoformat(timespec="minutes"), "from": data["time"]},
        )
    if re.search(r"\b(?:24|twenty four)\b|military", place.lower()):
        return ActionResult(speech=f"It's {now.hour:02d}:{now.minute:02d}.", data=data)  # "in 24 hour"
    if place and place.lower() not in ("here", "now", "right now"):
        return ActionResult(
            speech=f"I can't tell the time in other places yet. Here it's {spoken}.",
            data={**data, "place": place},
        )
    return ActionResult(speech=f"It's {spoken}.", data=data)


def tell_date(request: ActionRequest, ctx: SkillContext) -> ActionResult:
    today = local_now(ctx).date()
    part = str(request.slots.get("part") or "")
    if part == "year":
        return ActionResult(speech=f"It's {today.year}.", data={"date": today.isoformat()})
    if part == "week":
        week = today.isocalendar()[1]
        return ActionResult(speech=f"It's week {week}.", data={"date": today.isoformat(), "week": week})
    if part == "month":
        return ActionResult(speech=f"It's {today.strftime('%B')}.", data={"date": today.isoformat()})
    occasion = str(request.slots.get("occasion") or "").strip()
    name = ""
    if occasion:
        # "what day was 1st january": the one gone by, not the next one.
        name, day = resolve_day(occasion, today, backwards=bool(re.search(r"\bwas\b", request.text.lower())))
        if name == say_date(day):
            name = ""
    else:
        wanted = request.slots.get("day")
        try:
            day = parse_day(wanted, today) if wanted else today
        except ParseError as error:
            raise SkillError(f"Sorry, I didn't catch which day you mean. {error}") from error
    offset = (day - today).days
    spoken = say_date(day)
    if name:
        if offset == 0:
            speech = f"{name} is today, {spoken}."
        elif offset == 1:
            speech = f"{name} is tomorrow, {spoken}."
        elif offset > 0:
            speech = f"{name} is on {spoken}, {count(offset, 'day')} from now."
        else:
            speech = f"{name} was on {spoken}, {count(-offset, 'day')} ago."
    elif offset == 0:
        speech = f"Today is {spoken}."
    elif offset == 1:
        speech = f"Tomorrow is {spoken}."
    elif offset == -1:
        speech = f"Yesterday was {spoken}."
    elif offset > 0:
        speech = f"That's {spoken}, {count(offset, 'day')} from now."
    else:
        speech = f"That was {spoken}, {count(-offset, 'day')} ago."
    return ActionResult(speech=speech, data={"date": day.isoformat(), "days_from_today": offset})


def _in_units(days: int, unit: str) -> str:
    if unit == "weeks" and days >= 7:
        weeks, rest = divmod(days, 7)
        spoken = count(weeks, "week")
        return spoken + (f" and {count(rest, 'day')}" if rest else "")
    if unit == "sleeps":
        return count(days, "sleep")
    return count(days, "day")


def _until_a_time(words: str, now: datetime, ctx: SkillContext) -> ActionResult | None:
    """'how long until 5 pm': the time left to a clock time today or tomorrow."""
    try:
        parsed = parse_time(words, now, fallback=False)
    except RefusedReading as error:
        raise SkillError(str(error)) from error
    if parsed is None or not parsed.has_time or parsed.when <= now:
        return None
    left = (parsed.when - now).total_seconds()
    if left >= 60:
        left = round(left / 60) * 60  # "2 hours", not "1 hour, 59 minutes and 58 seconds"
    when = _clock_text(parsed.when, ctx)
    if parsed.when.date() != now.date():
        when += " tomorrow" if (parsed.when.date() - now.date()).days == 1 else f" on {say_date(parsed.when)}"
    return ActionResult(
        speech=f"{when[0].upper() + when[1:]} is in {say_duration(left)}.",
        data={"time": parsed.when.isoformat(timespec="minutes"), "seconds": int(left)},
    )


_HOW_MANY_IN = re.compile(
    r"^how many (days|weeks|hours|minutes|seconds|months)\s+(?:are\s+|is\s+)?(?:there\s+)?in\s+"
    r"(?:a\s+|an\s+)?(.+?)\??$"
)


def _how_many_in(text: str, today: date) -> ActionResult | None:
    """ "how many days in 3 weeks" (a conversion) or "how many days in march" (a month), which
    the learned model may take for a count of days until something."""
    match = _HOW_MANY_IN.match(" ".join(text.lower().split()))
    if match is None:
        return None
    unit, rest = match.groups()
    month = next((number for number, name in enumerate(_MONTHS, 1) if rest.startswith(name)), None)
    if month is not None and unit == "days":
        year = int(_YEAR.search(rest).group(1)) if _YEAR.search(rest) else today.year  # type: ignore[union-attr]
        first_of_next = date(year + month // 12, month % 12 + 1, 1)
        days = (first_of_next - timedelta(days=1)).day
        name = date(year, month, 1).strftime("%B")
        return ActionResult(speech=f"{name} {year} has {days} days.", data={"days": days, "month": month})
    from assistant.skills.conversions import ConversionError, convert, parse_conversion, say_amount

    parsed = parse_conversion(f"{rest if rest[0].isdigit() else '1 ' + rest} in {unit}")
    if parsed is None:
        return None
    value, source, target = parsed
    try:
        result = convert(value, source, target)
    except ConversionError as error:
        raise SkillError(str(error)) from error
    return ActionResult(
        speech=f"{say_amount(value, source)} is {say_amount(result, target)}.",
        data={"value": value, "from_unit": source.key, "to_unit": target.key, "result": result},
    )


_AFTER_UNTIL = re.compile(r"\b(?:until|untill|till|til|untill|before|since|to go until)\s+(.+)$")

_MONTHS = [date(2000, number, 1).strftime("%B").lower() for number in range(1, 13)]


def days_until(request: ActionRequest, ctx: SkillContext) -> ActionResult:
    now = local_now(ctx)
    today = now.date()
    other_question = _how_many_in(request.text, today)
    if other_question is not None:
        return other_question
    words = str(request.slots.get("occasion") or request.slots.get("day") or "").strip()
    if not words:
        # A reading without the slot ("how many days untill christmas"): the words after "until".
        said = _AFTER_UNTIL.search(request.text.lower())
        words = said.group(1).strip(" ?.!") if said else ""
    if not words:
        raise MissingSlot("occasion", "Until which day?")
    backwards = request.slots.get("direction") == "since"
    unit = str(request.slots.get("unit") or "days")
    if not backwards and find_holiday(words, today) is None and re.search(r"\d|noon|midnight", words):
        timed = _until_a_time(words, now, ctx)
        if timed is not None:
            return timed
    name, day = resolve_day(words, today, backwards=backwards)
    offset = (day - today).days
    data = {"date": day.isoformat(), "days": offset, "name": name}
    on = "" if name == say_date(day) else f" ({say_date(day)})"
    if offset == 0:
        return ActionResult(speech=f"{name[0].upper() + name[1:]} is today!", data=data)
    if offset > 0 and backwards:
        return ActionResult(
            speech=f"{name[0].upper() + name[1:]} hasn't come yet: it's in {_in_units(offset, unit)}{on}.",
            data=data,
        )
    if offset < 0 and not backwards:
        return ActionResult(
            speech=f"{name[0].upper() + name[1:]} was {_in_units(-offset, unit)} ago{on}.", data=data
        )
    if backwards:
        return ActionResult(speech=f"It's been {_in_units(-offset, unit)} since {name}{on}.", data=data)
    if offset == 1:
        return ActionResult(speech=f"{name[0].upper() + name[1:]} is tomorrow{on}.", data=data)
    opening = "It's" if unit == "weeks" and offset >= 7 else "There are"
    return ActionResult(speech=f"{opening} {_in_units(offset, unit)} until {name}{on}.", data=data)


SKILL = Skill(
    name="time and date",
    sentences_file=None,
    description="Tells the time and the date, and counts the days to a date or holiday.",
    intents=[
        IntentSpec(
            name="time.now",
            handler=tell_time,
            slots=[
                SlotSpec("place", "", required=False),
                SlotSpec("later_duration", "", required=False),
            ],
            description="Tell the time.",
            examples=["what time is it"],
        ),
        IntentSpec(
            name="date.day",
            handler=tell_date,
            description="Tell today's date, or another day's.",
            examples=["what's the date", "what day is it tomorrow", "what day is christmas this year"],
            slots=[
                SlotSpec("day", "Which day?", required=False),
                SlotSpec("occasion", "Which day?", required=False),
                SlotSpec("part", "", required=False),
            ],
        ),
        IntentSpec(
            name="date.until",
            handler=days_until,
            description="Count the days until (or since) a date or holiday.",
            examples=["how many days until christmas", "how long until friday"],
            slots=[
                SlotSpec("occasion", "Until which day?", required=False),
                SlotSpec("direction", "", required=False),
                SlotSpec("unit", "", required=False),
            ],
        ),
    ],
)
