"""Timers, alarms and reminders through their handlers, on a real store."""

from __future__ import annotations

from typing import Any

from assistant.memory.store import Store
from assistant.memory.timers import TimerRepository
from tests.skills.conftest import FakeClock


def test_setting_a_timer_from_seconds(run: Any, store: Store, clock: FakeClock) -> None:
    result = run("timer.set", duration=600)
    assert result.ok
    assert result.speech == "Timer set for 10 minutes."
    [timer] = TimerRepository(store).active()
    assert timer.due_at == clock.now() + 600


def test_setting_a_timer_from_raw_words(run: Any) -> None:
    result = run("timer.set", duration="an hour and a half")
    assert result.speech == "Timer set for 1 hour and 30 minutes."


def test_a_named_timer_keeps_its_name(run: Any, store: Store) -> None:
    result = run("timer.set", duration="8 minutes", name="the pasta")
    assert result.speech == "Pasta timer set for 8 minutes."
    assert TimerRepository(store).active()[0].label == "pasta"


def test_a_second_timer_with_the_same_name_is_refused(run: Any) -> None:
    run("timer.set", duration=60, name="pasta")
    result = run("timer.set", duration=120, name="pasta")
    assert not result.ok
    assert "already have a pasta timer" in result.speech


def test_a_timer_without_duration_asks_for_it(run: Any) -> None:
    result = run("timer.set")
    assert not result.ok
    assert result.speech == "For how long?"


def test_an_unreadable_duration_says_so(run: Any) -> None:
    result = run("timer.set", duration="a little while")
    assert not result.ok
    assert "didn't understand" in result.speech


def test_several_timers_are_listed_with_time_left(run: Any, clock: FakeClock) -> None:
    run("timer.set", duration=600, name="pasta")
    run("timer.set", duration=300, name="eggs")
    clock.advance(60)
    result = run("timer.list")
    assert result.speech == "The eggs timer has 4 minutes left and the pasta timer has 9 minutes left."
    assert [t["label"] for t in result.data["timers"]] == ["eggs", "pasta"]


def test_cancel_by_name(run: Any, store: Store) -> None:
    run("timer.set", duration=600, name="pasta")
    run("timer.set", duration=300, name="eggs")
    result = run("timer.cancel", name="pasta timer")
    assert result.speech == "OK, I cancelled the pasta timer."
    assert [t.label for t in TimerRepository(store).active()] == ["eggs"]


def test_cancel_without_name_asks_which_when_several(run: Any) -> None:
    run("timer.set", duration=600, name="pasta")
    run("timer.set", duration=300, name="eggs")
    result = run("timer.cancel")
    assert not result.ok
    assert result.speech == "Which one? You have the eggs timer and the pasta timer."


def test_cancel_an_unnamed_timer_by_its_length(run: Any, store: Store) -> None:
    run("timer.set", duration=600)
    run("timer.set", duration=300)
    result = run("timer.cancel", name="ten minute")
    assert result.ok, result.speech
    assert [t.duration_seconds for t in TimerRepository(store).active()] == [300]


def test_cancel_all(run: Any, store: Store) -> None:
    run("timer.set", duration=600)
    run("alarm.set", time="7 pm")
    result = run("timer.cancel_all")
    assert result.data["cancelled"] == 2
    assert TimerRepository(store).active() == []


def test_cancel_all_read_as_a_timer_named_all(run: Any, store: Store) -> None:
    run("timer.set", duration=600)
    run("timer.set", duration=60)
    assert run("timer.cancel", name="all", kind="timer").data["cancelled"] == 2


def test_extend_a_named_timer(run: Any, clock: FakeClock) -> None:
    run("timer.set", duration=600, name="pasta")
    result = run("timer.extend", duration="five minutes", name="pasta")
    assert result.speech == "Added 5 minutes. The pasta timer has 15 minutes left."
    assert result.data["due_at"] == clock.now() + 900


def test_extend_when_no_timer_runs(run: Any) -> None:
    result = run("timer.extend", duration=300)
    assert not result.ok
    assert "don't have any timers" in result.speech


def test_alarm_in_words(run: Any, store: Store, clock: FakeClock) -> None:
    result = run("alarm.set", time="tomorrow at half past six")
    assert result.speech == "Alarm set for tomorrow at 6:30 AM."
    [alarm] = TimerRepository(store).active("alarm")
    assert alarm.due_at - clock.now() == 20.5 * 3600


def test_alarm_from_iso_time(run: Any) -> None:
    assert run("alarm.set", time="2025-03-03T19:00:00").speech == "Alarm set for 7 PM."


def test_alarm_in_the_past_is_refused(run: Any) -> None:
    result = run("alarm.set", time="2025-03-03T08:00:00")
    assert not result.ok


def test_reminder_in_a_while(run: Any, store: Store) -> None:
    result = run("reminder.set", message="call mom", duration="20 minutes")
    assert result.speech == "OK, I'll remind you to call mom in 20 minutes."
    assert TimerRepository(store).active("reminder")[0].message == "call mom"


def test_reminder_at_a_time(run: Any) -> None:
    result = run("reminder.set", message="stretch", time="5 pm")
    assert result.speech == "OK, I'll remind you to stretch at 5 PM."


def test_reminder_without_a_time_asks_when(run: Any) -> None:
    result = run("reminder.set", message="stretch")
    assert result.speech == "When should I remind you?"


def test_list_alarms_only(run: Any) -> None:
    run("timer.set", duration=600)
    run("alarm.set", time="7 pm", name="dinner")
    result = run("timer.list", kind="alarms")
    assert result.speech == "The dinner alarm is at 7 PM."


def test_reminder_time_left_inside_the_message(run: Any) -> None:
    assert (
        run("reminder.set", message="call mom in 20 minutes").speech
        == "OK, I'll remind you to call mom in 20 minutes."
    )
    assert (
        run("reminder.set", message="water the plants at the window tomorrow at 9").speech
        == "OK, I'll remind you to water the plants at the window tomorrow at 9 AM."
    )
