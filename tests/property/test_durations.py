"""Durations: any text is a duration in range, none or refused; spoken ones read back."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from assistant.nlu.numbers import RefusedReading
from assistant.nlu.slots import find_typed, parse_typed
from assistant.nlu.times import MAX_DURATION_DAYS, MAX_DURATION_SECONDS, parse_duration
from assistant.skills.parsing import ParseError, say_duration
from assistant.skills.parsing import parse_duration as skill_duration
from tests.property.strategies import anything


@given(anything, st.booleans(), st.sampled_from([None, 1, 60]))
def test_any_text_is_a_duration_in_range_none_or_refused(text: str, strict: bool, bare: int | None) -> None:
    try:
        seconds = parse_duration(text, strict=strict, bare_unit=bare)
    except RefusedReading as refusal:
        assert str(refusal)
        return
    assert seconds is None or 0 <= seconds <= MAX_DURATION_SECONDS


@given(st.one_of(anything, st.integers(), st.floats()))
def test_the_skills_reader_gives_seconds_in_range_or_says_why(value: object) -> None:
    try:
        seconds = skill_duration(value)
    except ParseError as error:
        assert str(error)
        return
    assert isinstance(seconds, int) and 0 <= seconds <= MAX_DURATION_SECONDS


@given(st.integers(min_value=1, max_value=MAX_DURATION_SECONDS))
def test_a_said_duration_reads_back(seconds: int) -> None:
    # Said with days, a duration leaves its seconds out ("1 hour and 30 seconds" keeps them).
    expected = seconds if seconds < 86400 else seconds - seconds % 60
    assert skill_duration(say_duration(seconds)) == expected


@given(st.integers(min_value=1, max_value=10**6), st.sampled_from(["-", "minus ", "negative ", "\u2212"]))
def test_negative_durations_are_refused(amount: int, sign: str) -> None:
    text = f"{sign}{amount} minutes"
    try:
        parse_duration(text)
    except RefusedReading:
        pass
    else:
        raise AssertionError(f"{text!r} was read")
    assert parse_typed("duration", text) == text  # left for the skill to explain


@given(
    st.integers(min_value=MAX_DURATION_DAYS + 1, max_value=10**17),
    st.sampled_from(["days", "hours", "weeks"]),
)
def test_durations_past_the_limit_are_refused(amount: int, unit: str) -> None:
    seconds = {"days": 86400, "hours": 3600, "weeks": 604800}[unit] * amount
    text = f"{amount} {unit}"
    if seconds <= MAX_DURATION_SECONDS:
        return
    try:
        skill_duration(text)
    except ParseError as error:
        assert str(MAX_DURATION_DAYS) in str(error)
    else:
        raise AssertionError(f"{text!r} was read")


@given(
    st.lists(
        st.sampled_from(["the", "lamp", "for", "ten", "minutes", "and", "-5", "banana", "1e309"]), max_size=40
    ).map(" ".join)
)
def test_spotting_a_duration_never_raises(text: str) -> None:
    found = find_typed("duration", text)
    assert found is None or found[1] in text
