"""Readers refuse what they must not guess at, and take time linear in the text."""

from __future__ import annotations

from datetime import datetime

import pytest

from assistant.nlu import slots
from assistant.nlu.engine import Understanding
from assistant.nlu.numbers import MAX_NUMBER, RefusedReading, find_number, parse_number
from assistant.nlu.slots import MAX_SPAN_WORDS, find_typed, parse_typed
from assistant.nlu.times import MAX_DURATION_DAYS, parse_duration, parse_time

NOW = datetime(2024, 5, 8, 14, 0)  # Wednesday 14:00


@pytest.mark.parametrize("text", ["1e309", "1e309 minutes", "9" * 30, "one hundred " + "hundred " * 20])
def test_a_number_too_big_is_refused_not_read_in_pieces(text: str) -> None:
    with pytest.raises(RefusedReading):
        parse_duration(text, bare_unit=60)
    assert find_number(text) is None


def test_numbers_up_to_the_limit_are_read() -> None:
    assert parse_number("1e3") == 1000
    assert parse_number(str(MAX_NUMBER - 1)) == MAX_NUMBER - 1
    with pytest.raises(RefusedReading, match="too big"):
        parse_number(str(MAX_NUMBER))


@pytest.mark.parametrize("text", ["-5 minutes", "minus five minutes", "negative 2 hours", "for -5 minutes"])
def test_negative_durations_are_refused(text: str) -> None:
    with pytest.raises(RefusedReading, match="can't be negative"):
        parse_duration(text)


def test_a_hyphen_between_words_is_no_minus() -> None:
    assert parse_duration("twenty-five minutes") == 1500


def test_durations_longer_than_the_limit_are_refused() -> None:
    assert parse_duration(f"{MAX_DURATION_DAYS} days") == MAX_DURATION_DAYS * 86400
    with pytest.raises(RefusedReading, match=f"up to {MAX_DURATION_DAYS} days"):
        parse_duration(f"{MAX_DURATION_DAYS + 1} days")


@pytest.mark.parametrize(
    ("text", "message"),
    [("february 30", "There is no 30 February."), ("the 31st of april", "There is no 31 April."),
     ("april thirty first", "There is no 31 April."), ("29 february 2025", "There is no 29 February 2025."),
     ("june 0", "There is no 0 June.")],
)  # fmt: skip
def test_impossible_days_are_refused(text: str, message: str) -> None:
    with pytest.raises(RefusedReading, match=message):
        parse_time(text, NOW)


def test_possible_days_still_read() -> None:
    assert parse_time("29 february 2028", NOW).iso() == "2028-02-29"  # type: ignore[union-attr]
    assert parse_time("march 3rd", NOW).iso() == "2025-03-03"  # type: ignore[union-attr]


@pytest.mark.parametrize("text", ["3.14.15", "at 3.14.15", "3:14:15"])
def test_dotted_figures_are_no_time_or_date(text: str) -> None:
    with pytest.raises(RefusedReading, match="3:14 pm"):
        parse_time(text, NOW)


@pytest.mark.parametrize("text", ["5000", "3 14 15", "the 5th", "at 2.5"])
def test_bare_figures_are_no_date(text: str) -> None:
    assert parse_time(text, NOW) is None


def test_an_endless_figure_is_no_clock_time() -> None:
    # Read as infinity, it once reached int() and ended the process.
    with pytest.raises(RefusedReading, match="too many digits"):
        parse_time("at " + "9" * 150, NOW)
    assert parse_time("at " + "9" * 400, NOW) is None  # longer than any time said in words


def test_refused_words_stay_words_for_the_skill_to_explain() -> None:
    assert parse_typed("duration", "-5 minutes") == "-5 minutes"
    assert parse_typed("time", "february 30", NOW) == "february 30"
    assert parse_typed("number", "1e309") == "1e309"
    assert parse_typed("duration", "banana") is None


def test_a_refused_reading_in_a_sentence_is_kept_as_its_words() -> None:
    assert find_typed("duration", "set a timer for -5 minutes please") == ("for -5 minutes", "for -5 minutes")


def test_finding_a_duration_tries_a_bounded_number_of_spans(monkeypatch: pytest.MonkeyPatch) -> None:
    words = ("the lamp for five kitchen and " * 500).split()
    calls: list[str] = []

    def counting(text: str, **options: object) -> int | None:
        calls.append(text)
        return None

    monkeypatch.setattr(slots, "parse_duration", counting)
    slots._spot_duration.cache_clear()
    assert find_typed("duration", " ".join(words)) is None
    assert calls == []  # no span with a unit: nothing to read
    assert find_typed("duration", " ".join(words) + " minutes") is None
    assert 0 < len(calls) <= MAX_SPAN_WORDS and max(len(span.split()) for span in calls) <= MAX_SPAN_WORDS
    slots._spot_duration.cache_clear()  # nothing read with the stand-in stays cached


def test_a_duration_is_found_at_the_end_of_a_long_text() -> None:
    text = "please " * 10_000 + "set it for ten minutes"
    assert find_typed("duration", text) == (600, "for ten minutes")


def test_understanding_leaves_a_refused_slot_for_the_skill(understanding: Understanding) -> None:
    timer = understanding.parse("set a timer for -5 minutes")[0]
    assert (timer.intent, timer.slots, timer.unresolved) == ("StartTimer", {"duration": "-5 minutes"}, [])
    alarm = understanding.parse("wake me up at 3.14.15")[0]
    assert (alarm.intent, alarm.slots) == ("SetAlarm", {"time": "3.14.15"})
