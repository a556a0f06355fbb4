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
