"""Times and dates: read, none or refused; clock times read back; impossible days refused."""

from __future__ import annotations

import calendar
from datetime import date, datetime, time

from hypothesis import given
from hypothesis import strategies as st

from assistant.nlu.numbers import RefusedReading
from assistant.nlu.slots import find_typed, parse_typed
from assistant.nlu.times import MONTHS, parse_time
from assistant.skills.parsing import ParseError, parse_day, say_time
from assistant.skills.parsing import parse_time as skill_time
from tests.property.strategies import anything, phrases

NOW = datetime(2024, 5, 8, 14, 0)
moments = st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1))


@given(anything, moments)
def test_any_text_is_a_time_none_or_refused(text: str, now: datetime) -> None:
    try:
        parsed = parse_time(text, now, fallback=False)
    except RefusedReading as refusal:
        assert str(refusal)
        return
    assert parsed is None or isinstance(parsed.when, datetime)


@given(phrases)
def test_the_skills_readers_give_a_moment_or_say_why(text: str) -> None:
    for read in (lambda: skill_time(text, NOW, loose=False), lambda: parse_day(text, NOW.date())):
        try:
            read()
        except ParseError as error:
            assert str(error)


@given(st.times().map(lambda moment: moment.replace(second=0, microsecond=0)), moments)
def test_a_said_clock_time_reads_back(clock: time, now: datetime) -> None:
    now = now.replace(second=0, microsecond=0)
    moment = datetime.combine(now.date(), clock)
    parsed = parse_time(say_time(moment), now, fallback=False)
    assert parsed is not None and parsed.when.time() == clock and parsed.when > now


@given(
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=1, max_value=31),
    st.integers(min_value=1900, max_value=2200),
    st.booleans(),
)
def test_a_day_of_the_calendar_reads_back_and_an_impossible_one_is_refused(
    month: int, day: int, year: int, day_first: bool
) -> None:
    name = MONTHS[month - 1]
    text = f"{day} {name} {year}" if day_first else f"{name} {day} {year}"
    if day <= calendar.monthrange(year, month)[1]:
        assert parse_day(text, NOW.date()) == date(year, month, day)
        return
    try:
        parse_day(text, NOW.date())
    except ParseError as error:
        assert "There is no" in str(error)
    else:
        raise AssertionError(f"{text!r} was read")
    assert parse_typed("time", text, NOW) == text  # left for the skill to explain


@given(
    st.lists(st.integers(min_value=0, max_value=99).map(str), min_size=3, max_size=4),
    st.sampled_from([".", ":"]),
)
def test_dotted_figures_are_no_time_or_date(groups: list[str], separator: str) -> None:
    text = separator.join(groups)
    for words in (text, f"at {text}"):
        try:
            parsed = parse_time(words, NOW)
        except RefusedReading:
            continue
        assert parsed is None, f"{words!r} read as {parsed}"


@given(
    st.lists(
        st.sampled_from(
            [
                "at",
                "seven",
                "pm",
                "the",
                "lamp",
                "tomorrow",
                "february",
                "30",
                "banana",
                "3.14.15",
                "noon",
                "in",
                "minutes",
            ]
        ),
        max_size=40,
    ).map(" ".join)
)
def test_spotting_a_time_never_raises(text: str) -> None:
    found = find_typed("time", text, NOW)
    assert found is None or found[1] in text
