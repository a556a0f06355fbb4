"""Time and date from the context's clock."""

from __future__ import annotations

from typing import Any


def test_time(run: Any) -> None:
    result = run("time.now")
    assert result.speech == "It's 10 AM."
    assert result.data["time"] == "2025-03-03T10:00"


def test_today(run: Any) -> None:
    assert run("date.day").speech == "Today is Monday, 3 March 2025."


def test_tomorrow_in_words(run: Any) -> None:
    assert run("date.day", day="tomorrow").speech == "Tomorrow is Tuesday, 4 March 2025."


def test_a_resolved_day(run: Any) -> None:
    result = run("date.day", day="2025-03-07")
    assert result.speech == "That's Friday, 7 March 2025, 4 days from now."
    assert result.data["days_from_today"] == 4


def test_wildcard_leftovers_are_tolerated(run: Any) -> None:
    assert run("date.day", day="it tomorrow").speech.startswith("Tomorrow is")


def test_days_until_christmas(run: Any) -> None:
    result = run("date.until", occasion="christmas")
    assert result.speech == "There are 297 days until Christmas (Thursday, 25 December 2025)."
    assert result.data["days"] == 297


def test_days_until_in_weeks_and_sleeps(run: Any) -> None:
    assert run("date.until", occasion="christmas", unit="weeks").speech.startswith("It's 42 weeks and 3 days")
    assert run("date.until", occasion="halloween", unit="sleeps").speech.startswith("There are 242 sleeps")


def test_days_since(run: Any) -> None:
    result = run("date.until", occasion="new year's day", direction="since")
    assert result.speech == "It's been 61 days since New Year's Day (Wednesday, 1 January 2025)."


def test_a_holiday_that_has_passed_means_next_year(run: Any) -> None:
    assert run("date.until", occasion="valentine's day").data["date"] == "2026-02-14"


def test_what_day_a_holiday_is(run: Any) -> None:
    assert run("date.day", occasion="christmas this year").speech == (
        "Christmas is on Thursday, 25 December 2025, 297 days from now."
    )
    assert run("date.day", occasion="easter").data["date"] == "2025-04-20"
    assert run("date.day", occasion="easter next year").data["date"] == "2026-04-05"
    assert run("date.day", occasion="thanksgiving").data["date"] == "2025-11-27"


def test_a_date_in_words(run: Any) -> None:
    assert run("date.until", occasion="march 17th").data["days"] == 14
    assert run("date.until", occasion="the 14th").data["date"] == "2025-03-14"
    assert run("date.until", occasion="the weekend").data["date"] == "2025-03-08"


def test_time_until_a_clock_time(run: Any) -> None:
    assert run("date.until", occasion="5 pm").speech == "5 PM is in 7 hours."


def test_unknown_day_is_said_not_guessed(run: Any) -> None:
    result = run("date.until", occasion="my birthday")
    assert not result.ok and "don't know when my birthday is" in result.speech
    result = run("date.day", occasion="the blue moon")
    assert not result.ok and "Today" not in result.speech


def test_year_and_month(run: Any) -> None:
    assert run("date.day", part="year").speech == "It's 2025."
    assert run("date.day", part="month").speech == "It's March."


def test_time_elsewhere_is_honest(run: Any) -> None:
    assert (
        run("time.now", place="tokyo").speech == "I can't tell the time in other places yet. Here it's 10 AM."
    )


def test_24_hour_clock_preference(run: Any, context: Any) -> None:
    context.preferences["clock"] = "24 hour"
    assert run("time.now").speech == "It's 10:00."


def test_how_many_days_in_a_length_or_a_month(run: Any) -> None:
    assert run("date.until", "how many days in 3 weeks", occasion="3 weeks").speech == "3 weeks is 21 days."
    assert run("date.until", "how many days in february 2024").speech == "February 2024 has 29 days."


def test_until_nothing_asks(run: Any) -> None:
    result = run("date.until", "how long until")
    assert result.asks_for == "occasion"


def test_a_reading_without_the_day_takes_the_words_after_until(run: Any) -> None:
    assert run("date.until", "how many days untill christmas").data["days"] == 297


def test_a_day_that_was(run: Any) -> None:
    assert run("date.day", "what day was 1st january", occasion="1st january").data["date"] == "2025-01-01"


def test_mothers_day_depends_on_the_country(run: Any) -> None:
    speech = run("date.day", occasion="mother's day").speech
    assert "30 March 2025" in speech and "11 May 2025" in speech


def test_the_time_in_24_hours(run: Any) -> None:
    assert run("time.now", place="24 hour").speech == "It's 10:00."
