from __future__ import annotations

from datetime import datetime

import pytest

from assistant.nlu.numbers import find_number, number_to_words, parse_number
from assistant.nlu.times import parse_duration, parse_time

NOW = datetime(2024, 5, 8, 14, 0)  # Wednesday 14:00


@pytest.mark.parametrize(
    ("text", "value"),
    [("twenty five", 25), ("2.5", 2.5), ("one and a half", 1.5), ("a dozen", 12),
     ("one hundred and five", 105), ("two point five", 2.5), ("1,000", 1000), ("twenty-five", 25)],
)  # fmt: skip
def test_parses_spoken_and_written_numbers(text: str, value: float) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [("half a dozen", 6), ("two dozen", 24), ("three quarters", 0.75), ("one third", 1 / 3),
     ("two and three quarters", 2.75), ("five and a third", 16 / 3), ("1 1/2", 1.5), ("3/4", 0.75),
     ("twenty third", 23)],
)  # fmt: skip
def test_parses_fractions_and_dozens(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value)


def test_a_fraction_word_is_not_a_length_of_time_word() -> None:
    assert parse_number("one second") is None  # "second" is a unit of time, never a half
    assert parse_number("1/0") is None
    assert parse_number("a few") is None


def test_words_that_are_not_a_number_give_none() -> None:
    assert parse_number("banana") is None
    assert find_number("set it to fifty percent") == 50


def test_number_to_words_round_trips() -> None:
    for value in (0, 7, 25, 105, 999, 2024):
        assert parse_number(number_to_words(value)) == value


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("ten minutes", 600), ("an hour and a half", 5400), ("90 seconds", 90), ("half an hour", 1800),
     ("a quarter of an hour", 900), ("2 hours 30 minutes", 9000), ("1h30m", 5400),
     ("one and a half hours", 5400), ("five minutes and thirty seconds", 330)],
)  # fmt: skip
def test_parses_durations_to_seconds(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


def test_text_without_duration_gives_none() -> None:
    assert parse_duration("hello there") is None


@pytest.mark.parametrize(
    ("text", "iso"),
    [("at half past six", "2024-05-08T18:30:00"), ("tomorrow morning", "2024-05-09T09:00:00"),
     ("in ten minutes", "2024-05-08T14:10:00"), ("at 7 pm", "2024-05-08T19:00:00"),
     ("next monday", "2024-05-13"), ("at quarter to seven", "2024-05-08T18:45:00"),
     ("tomorrow at five thirty", "2024-05-09T17:30:00"), ("friday at 9 am", "2024-05-10T09:00:00"),
     ("six thirty in the morning", "2024-05-09T06:30:00"), ("noon", "2024-05-09T12:00:00")],
)  # fmt: skip
def test_parses_spoken_times_and_dates(text: str, iso: str) -> None:
    parsed = parse_time(text, NOW)
    assert parsed is not None
    assert parsed.iso() == iso


def test_written_dates_fall_back_to_dateparser() -> None:
    parsed = parse_time("March 3rd", NOW)
    assert parsed is not None and parsed.iso() == "2025-03-03"


@pytest.mark.parametrize(
    ("text", "value"),
    [("minus four", -4), ("-4", -4), ("a half", 0.5), ("5 thousand", 5000), ("fifty percent", 50),
     ("two and one half", 2.5), ("a", 1)],
)  # fmt: skip
def test_parses_the_numbers_the_skills_read_too(text: str, value: float) -> None:
    assert parse_number(text) == value


def test_durations_can_be_strict_and_read_a_bare_number_as_minutes() -> None:
    assert parse_duration("10min") == 600
    assert parse_duration("a minute and a half") == 90
    assert parse_duration("five") is None
    assert parse_duration("five", bare_unit=60) == 300
    assert parse_duration("ten minutes banana") == 600
    assert parse_duration("ten minutes banana", strict=True) is None
    assert parse_duration("1 hour 90", strict=True) is None


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("a quarter of an hour", 900), ("quarter of an hour", 900), ("three quarters of an hour", 2700),
     ("half an hour", 1800), ("an hour and a half", 5400), ("one and a half hours", 5400),
     ("1.5 hours", 5400), ("a couple of minutes", 120), ("a couple minutes", 120),
     ("a minute and a half", 90), ("90 secs", 90), ("2 hrs", 7200), ("10 mins", 600),
     ("an hour and 20", 4800), ("an hour and twenty", 4800), ("1 hour 30", 5400),
     ("two hours and ten", 7800), ("2 minutes 15", 135), ("an hour and a quarter", 4500),
     ("an hour and three quarters", 6300), ("a quarter hour", 900), ("half a minute", 30)],
)  # fmt: skip
def test_everyday_spoken_lengths_are_read_whole(text: str, seconds: int) -> None:
    assert parse_duration(text, strict=True) == seconds


@pytest.mark.parametrize("text", ["a few minutes", "in a bit", "a while", "an hour and 90", "some minutes"])
def test_vague_or_half_said_lengths_are_not_read(text: str) -> None:
    assert parse_duration(text, strict=True) is None


def test_a_number_after_a_unit_must_end_the_phrase_to_be_the_smaller_unit() -> None:
    assert parse_duration("5 minutes to call 3") == 300


@pytest.mark.parametrize(
    ("text", "iso"),
    [("twenty past six", "2024-05-08T18:20:00"), ("quarter to seven", "2024-05-08T18:45:00"),
     ("half past 7", "2024-05-08T19:30:00"), ("noon", "2024-05-09T12:00:00"),
     ("midnight", "2024-05-09T00:00:00"), ("a quarter past six", "2024-05-08T18:15:00"),
     ("in an hour and 20", "2024-05-08T15:20:00"), ("in a quarter of an hour", "2024-05-08T14:15:00")],
)  # fmt: skip
def test_everyday_spoken_times(text: str, iso: str) -> None:
    parsed = parse_time(text, NOW, fallback=False)
    assert parsed is not None
    assert parsed.iso() == iso


@pytest.mark.parametrize(
    ("text", "iso"),
    [("tomorrow at 9", "2024-05-09T09:00:00"), ("7.30", "2024-05-08T19:30:00"),
     ("ten minutes from now", "2024-05-08T14:10:00"), ("5 o clock", "2024-05-08T17:00:00"),
     ("7 p m", "2024-05-08T19:00:00"), ("today at 9", "2024-05-08T21:00:00"),
     ("the day after tomorrow", "2024-05-10"), ("yesterday", "2024-05-07")],
)  # fmt: skip
def test_parses_the_times_the_skills_read_too(text: str, iso: str) -> None:
    parsed = parse_time(text, NOW)
    assert parsed is not None
    assert parsed.iso() == iso


def test_without_fallback_written_dates_give_none() -> None:
    assert parse_time("March 3rd", NOW, fallback=False) is None


def test_a_duration_slot_said_as_a_bare_number_is_minutes() -> None:
    from assistant.nlu.slots import parse_typed

    assert parse_typed("duration", "5") == 300
    assert parse_typed("duration", "five") == 300
    assert parse_typed("duration", "a") is None
    assert parse_typed("duration", "a few minutes") is None
