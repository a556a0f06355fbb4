"""Values the readers refuse reach the user as a refusal, never as a default or a guess."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.memory.store import Store
from assistant.memory.timers import TimerRepository


@pytest.mark.parametrize("words", ["-5 minutes", "minus five minutes", "1e309 minutes", "5000 days"])
def test_a_timer_for_a_length_of_time_refused_is_not_set(run: Any, store: Store, words: str) -> None:
    result = run("timer.set", duration=words)
    assert not result.ok
    assert words in result.speech
    assert TimerRepository(store).active("timer") == []


def test_a_timer_longer_than_a_month_says_what_to_do(run: Any) -> None:
    result = run("timer.set", duration="200 days")
    assert not result.ok
    assert "reminder" in result.speech


def test_an_alarm_at_dotted_figures_is_not_set(run: Any, store: Store) -> None:
    result = run("alarm.set", time="3.14.15")
    assert not result.ok
    assert TimerRepository(store).active("alarm") == []


@pytest.mark.parametrize(
    ("day", "message"),
    [("february 30", "There is no 30 February."), ("the 31st of april", "There is no 31 April.")],
)
def test_an_impossible_day_is_refused_with_the_reason(run: Any, day: str, message: str) -> None:
    result = run("date.day", day=day)
    assert not result.ok
    assert message in result.speech


def test_a_day_too_far_away_is_refused_with_the_reason(run: Any) -> None:
    result = run("date.day", day="in 5000 days")
    assert not result.ok
    assert "up to 1000 days" in result.speech


def test_deeply_nested_sums_are_refused_with_the_reason(run: Any) -> None:
    result = run("calculator.evaluate", expression="(" * 5000 + "1" + ")" * 5000)
    assert not result.ok
    assert "inside each other" in result.speech


def test_a_number_too_big_to_convert_is_refused(run: Any) -> None:
    result = run("units.convert", value="9" * 30, from_unit="mile", to_unit="kilometer")
    assert not result.ok
    assert "too big" in result.speech
