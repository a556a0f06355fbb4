"""Reading spoken numbers, durations and times, resolved or raw."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from assistant.skills.parsing import (
    ParseError,
    parse_day,
    parse_duration,
    parse_number,
    parse_time,
    say_duration,
    say_number,
    say_time,
    vague_duration,
)

NOW = datetime(2025, 3, 3, 10, 0)  # a Monday morning


@pytest.mark.parametrize(
    ("words", "seconds"),
    [
        ("ten minutes", 600),
        ("2 seconds", 2),
        ("an hour and a half", 5400),
        ("half an hour", 1800),
        ("1 hour 30 minutes", 5400),
        ("a minute and a half", 90),
        ("two and a half hours", 9000),
        ("a quarter of an hour", 900),
        ("twenty five minutes", 1500),
        ("10min", 600),
        ("one hour and fifteen minutes", 4500),
        ("five", 300),
        ("90 seconds", 90),
        ("1h30m", 5400),
        ("one and a half hours", 5400),
        ("five minutes and thirty seconds", 330),
        ("a couple of minutes", 120),
    ],
)
def test_durations_in_words_become_seconds(words: str, seconds: int) -> None:
    assert parse_duration(words) == seconds


def test_resolved_durations_pass_through_as_seconds() -> None:
    assert parse_duration(600) == 600
    assert parse_duration(2.4) == 2


@pytest.mark.parametrize(
    "words", ["", "soon", "minutes ten ago", "-5", "ten minutes banana", "1 hour 90", "a few minutes"]
)
def test_nonsense_durations_are_refused(words: str) -> None:
    with pytest.raises(ParseError):
        parse_duration(words)


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("7 pm", datetime(2025, 3, 3, 19, 0)),
        ("19:30", datetime(2025, 3, 3, 19, 30)),
        ("half past six", datetime(2025, 3, 3, 18, 30)),
        ("quarter to seven", datetime(2025, 3, 3, 18, 45)),
        ("tomorrow at 9", datetime(2025, 3, 4, 9, 0)),
        ("noon", datetime(2025, 3, 3, 12, 0)),
        ("friday at 5 pm", datetime(2025, 3, 7, 17, 0)),
        ("in 10 minutes", datetime(2025, 3, 3, 10, 10)),
        ("6 in the morning", datetime(2025, 3, 4, 6, 0)),
        ("ten thirty", datetime(2025, 3, 3, 10, 30)),
        ("7 a.m.", datetime(2025, 3, 4, 7, 0)),
        ("2025-03-05T08:15:00", datetime(2025, 3, 5, 8, 15)),
        ("tomorrow at half past six", datetime(2025, 3, 4, 6, 30)),
        ("tomorrow morning", datetime(2025, 3, 4, 9, 0)),
        ("the day after tomorrow", datetime(2025, 3, 5, 9, 0)),
        ("tonight at 8", datetime(2025, 3, 3, 20, 0)),
        ("7.30", datetime(2025, 3, 3, 19, 30)),
        ("2 hours later", datetime(2025, 3, 3, 12, 0)),
        ("monday at 9", datetime(2025, 3, 3, 21, 0)),
    ],
)
def test_times_in_words_mean_the_next_such_moment(words: str, expected: datetime) -> None:
    assert parse_time(words, NOW) == expected


def test_an_aware_iso_time_becomes_local() -> None:
    moment = datetime(2025, 3, 3, 18, 0).astimezone()
    assert parse_time(moment.isoformat(), NOW) == datetime(2025, 3, 3, 18, 0)


@pytest.mark.parametrize(
    ("words", "number"),
    [
        ("twelve", 12),
        ("two point five", 2.5),
        ("one hundred and five", 105),
        ("3.5", 3.5),
        ("a half", 0.5),
        ("minus 4", -4),
        ("2,000", 2000),
        ("one thousand two hundred", 1200),
        (7, 7),
        ("a dozen", 12),
        ("one and a half", 1.5),
        ("twenty-five", 25),
        ("-4", -4),
    ],
)
def test_numbers_in_words(words: str, number: float) -> None:
    assert parse_number(words) == number


def test_a_word_that_is_no_number_is_refused() -> None:
    with pytest.raises(ParseError):
        parse_number("banana")


def test_days() -> None:
    today = date(2025, 3, 3)
    assert parse_day("tomorrow", today) == date(2025, 3, 4)
    assert parse_day("yesterday", today) == date(2025, 3, 2)
    assert parse_day("friday", today) == date(2025, 3, 7)
    assert parse_day("in 3 days", today) == date(2025, 3, 6)
    assert parse_day("monday", today) == today
    assert parse_day("next monday", today) == date(2025, 3, 10)
    assert parse_day("the day after tomorrow", today) == date(2025, 3, 5)


def test_saying_values_back() -> None:
    assert say_duration(5400) == "1 hour and 30 minutes"
    assert say_duration(1) == "1 second"
    assert say_time(datetime(2025, 1, 1, 19, 30)) == "7:30 PM"
    assert say_time(datetime(2025, 1, 1, 12, 0)) == "noon"
    assert say_number(84.0) == "84"
    assert say_number(1 / 3) == "0.3333"


def test_a_number_left_after_hours_is_minutes() -> None:
    assert parse_duration("1 hour 30") == 5400
    assert parse_duration("an hour and 20") == 4800


@pytest.mark.parametrize(
    ("words", "question"),
    [("a few minutes", "How many minutes?"), ("several mins", "How many minutes?"),
     ("in a bit", "For how long?"), ("a while", "For how long?"), ("a few hours", "For how long?"),
     ("pasta", None), ("a couple of minutes", None), ("ten minutes", None)],
)  # fmt: skip
def test_vague_lengths_get_a_question(words: str, question: str | None) -> None:
    assert vague_duration(words) == question
