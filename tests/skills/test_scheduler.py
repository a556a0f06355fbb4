"""Timers go off on time, and after a restart the missed ones are announced once."""

from __future__ import annotations

from typing import Any

from assistant.bus import EventBus
from assistant.config import Home
from assistant.events import Event, Notice, TimerFired
from assistant.memory.store import Store
from assistant.memory.timers import FIRED, TimerRepository
from assistant.skills.scheduler import TimerScheduler
from tests.skills.conftest import FakeClock


def _collect(bus: EventBus) -> list[Event]:
    events: list[Event] = []
    bus.subscribe(events.append)
    return events


def test_a_due_timer_fires_once_with_its_announcement(run: Any, store: Store, clock: FakeClock) -> None:
    bus, said = EventBus(), list[str]()
    events = _collect(bus)
    scheduler = TimerScheduler(store, bus, clock, announce=said.append)
    run("timer.set", duration=600, name="pasta")
    clock.advance(599)
    assert scheduler.tick() == []
    clock.advance(1)
    fired = scheduler.tick()
    assert [(e.kind, e.label) for e in fired] == [("timer", "pasta")]
    assert said == ["Your pasta timer is done."]
    assert events == fired
    assert scheduler.tick() == []
    assert TimerRepository(store).get(fired[0].timer_id).state == FIRED


def test_a_reminder_says_its_message(run: Any, store: Store, clock: FakeClock) -> None:
    said: list[str] = []
    scheduler = TimerScheduler(store, EventBus(), clock, announce=said.append)
    run("reminder.set", message="call mom", duration=60)
    clock.advance(61)
    [event] = scheduler.tick()
    assert event.message == "call mom"
    assert said == ["Reminder: call mom."]


def test_timers_persist_and_fire_after_a_restart(
    home: Home, run: Any, store: Store, clock: FakeClock
) -> None:
    run("timer.set", duration=300, name="tea")
    run("reminder.set", message="stretch", duration=3600)
    store.close()  # the assistant stops

    clock.advance(2 * 3600)  # ... and starts again two hours later
    reopened = Store(home.database_file)
    try:
        bus, said = EventBus(), list[str]()
        events = _collect(bus)
        fired = TimerScheduler(reopened, bus, clock, announce=said.append).tick()
        assert sorted(e.label or e.message for e in fired) == ["stretch", "tea"]
        notices = [e for e in events if isinstance(e, Notice)]
        assert len(notices) == 1
        assert notices[0].text.startswith("While you were away, your tea timer went off at 10:05 AM")
        assert "reminder to stretch at 11 AM" in notices[0].text
        assert said == [notices[0].text]
        assert [e for e in events if isinstance(e, TimerFired)] == fired
    finally:
        reopened.close()


def test_two_schedulers_on_one_database_fire_a_timer_once(
    home: Home, run: Any, store: Store, clock: FakeClock
) -> None:
    run("timer.set", duration=10)
    other = Store(home.database_file)
    try:
        clock.advance(11)
        first = TimerScheduler(store, EventBus(), clock).tick()
        second = TimerScheduler(other, EventBus(), clock).tick()
        assert len(first) + len(second) == 1
    finally:
        other.close()


def test_a_failing_announcer_does_not_stop_firing(run: Any, store: Store, clock: FakeClock) -> None:
    def broken(text: str) -> None:
        raise RuntimeError("no speaker")

    run("timer.set", duration=10)
    run("timer.set", duration=10, name="b")
    clock.advance(11)
    assert len(TimerScheduler(store, EventBus(), clock, announce=broken).tick()) == 2


def test_the_background_thread_fires_timers(run: Any, store: Store, clock: FakeClock) -> None:
    import threading

    bus = EventBus()
    got = threading.Event()
    bus.subscribe(lambda event: got.set() if isinstance(event, TimerFired) else None)
    scheduler = TimerScheduler(store, bus, clock, poll_seconds=0.02)
    run("timer.set", duration=5)
    scheduler.start()
    try:
        clock.advance(6)
        assert got.wait(2.0)
    finally:
        scheduler.stop()
    assert not scheduler.running
