"""Numbers: any text is read, refused or not a number; spelled numbers read back."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from assistant.nlu.numbers import (
    MAX_NUMBER,
    RefusedReading,
    find_number,
    number_to_words,
    parse_number,
)
from assistant.skills.parsing import ParseError
from assistant.skills.parsing import parse_number as skill_number
from tests.property.strategies import anything


@given(anything)
def test_any_text_is_a_number_in_range_none_or_refused(text: str) -> None:
    try:
        value = parse_number(text)
    except RefusedReading as refusal:
        assert str(refusal)
        return
    assert value is None or (math.isfinite(value) and abs(value) < MAX_NUMBER)


@given(anything)
def test_finding_a_number_never_raises(text: str) -> None:
    value = find_number(text)
    assert value is None or (math.isfinite(value) and abs(value) < MAX_NUMBER)


@given(st.one_of(anything, st.integers(), st.floats()))
def test_the_skills_reader_gives_a_usable_number_or_says_why(value: object) -> None:
    try:
        number = skill_number(value)
    except ParseError as error:
        assert str(error)
        return
    assert math.isfinite(number) and abs(number) < MAX_NUMBER


@given(st.integers(min_value=-(10**9), max_value=10**9))
def test_spelled_numbers_read_back(value: int) -> None:
    assert parse_number(number_to_words(value)) == value


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_written_whole_numbers_read_back(value: int) -> None:
    assert parse_number(str(value)) == value
    assert parse_number(f"{value:,}") == value


@given(st.integers(min_value=19, max_value=400))
def test_numbers_with_absurd_digit_counts_are_refused(digits: int) -> None:
    try:
        parse_number("9" * digits)
    except RefusedReading:
        return
    raise AssertionError("a number of 19 or more nines was read")
