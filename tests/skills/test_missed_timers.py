"""Timers that came due while nothing ran are told once, by whichever front end starts
first, and then they are gone: in-process with a clock the test moves, then in real
``ask`` and ``chat`` processes on one database."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterator

import pytest
import sqlite_utils

from assistant.bus import EventBus
from assistant.config import Home
from assistant.core import Assistant, open_assistant
from assistant.events import Event, TimerFired
from assistant.memory.store import Store
from assistant.memory.timers import FIRED, TimerRepository
from assistant.skills.scheduler import DueTimerNotices
from tests.commands import HANG_GUARD_SECONDS, run_assistant
from tests.skills.conftest import FakeClock

Starter = Callable[[], Assistant]


@pytest.fixture
def start(home: Home, clock: FakeClock) -> Iterator[Starter]:
    """start() -> a new assistant process on the same home and clock (the last one closed)."""
    opened: list[Assistant] = []

    def open_one() -> Assistant:
        for earlier in opened:
            earlier.close()
        opened.append(open_assistant(home, clock=clock, plugins=False))
        return opened[-1]

    yield open_one
    opened[-1].close()


def test_a_timer_due_while_nothing_ran_is_told_once_at_next_start(start: Starter, clock: FakeClock) -> None:
    first = start()
    first.handle_text("set a pasta timer for 1 minute")
    clock.advance(2 * 3600)
    later = start()
    turn = later.handle_text("what time is it")
    assert turn.reply.startswith("It's")
    assert turn.notices == ["While you were away, your pasta timer went off at 10:01 AM."]
    assert later.handle_text("what time is it").notices == []
    [row] = later.store.db["timers"].rows
    assert row["state"] == FIRED


def test_alarms_and_reminders_are_worded_for_themselves(start: Starter, clock: FakeClock) -> None:
    first = start()
    first.handle_text("remind me to call mom in 5 minutes")
    TimerRepository(first.store).create("alarm", clock.now() + 600, now=clock.now(), label="wake up")
    clock.advance(86400)
    turn = start().handle_text("what time is it")
    assert turn.notices == [
        "While you were away, you had a reminder to call mom at 10:05 AM yesterday "
        "and your wake up alarm went off at 10:10 AM yesterday."
    ]


def test_a_due_timer_never_blocks_its_name_nor_shows_as_time_left(start: Starter, clock: FakeClock) -> None:
    assistant = start()
    assistant.handle_text("set a pasta timer for 1 second")
    clock.advance(5)
    again = assistant.handle_text("set a pasta timer for 5 minutes")
    assert again.reply == "Pasta timer set for 5 minutes."
    assert again.notices == ["Your pasta timer is done."]  # told in the turn, in the same words
    left = assistant.handle_text("how much time is left")
    assert left.reply == "The pasta timer has 5 minutes left."
    assert left.notices == []


def test_how_much_time_is_left_on_a_timer_past_due(start: Starter, clock: FakeClock) -> None:
    start().handle_text("set a pasta timer for 1 second")
    clock.advance(90)
    turn = start().handle_text("how much time is left")
    assert turn.reply == "You don't have any timers set."
    assert turn.notices == ["While you were away, your pasta timer went off at 10 AM."]


def test_cancel_all_leaves_a_timer_that_went_off_to_be_told(start: Starter, clock: FakeClock) -> None:
    assistant = start()
    assistant.handle_text("set a pasta timer for 1 second")
    assistant.handle_text("set a tea timer for 10 minutes")
    clock.advance(5)
    asked = assistant.handle_text("cancel all timers")
    done = assistant.handle_text("yes")
    assert done.reply == "OK, I cancelled your timer."
    assert asked.notices + done.notices == ["Your pasta timer is done."]


def test_the_hook_stays_quiet_while_a_scheduler_fires_timers(home: Home, clock: FakeClock) -> None:
    store = Store(home.database_file)
    try:
        bus, events = EventBus(), list[Event]()
        bus.subscribe(events.append)
        TimerRepository(store).create("timer", clock.now() + 1, now=clock.now(), label="tea")
        clock.advance(120)
        scheduler_runs = True
        hook = DueTimerNotices(store, bus, clock, scheduler_running=lambda: scheduler_runs)
        from assistant.dialogue.session import Session
        from assistant.turn import TurnResult

        turn = TurnResult(text="hi")
        hook.after_turn(turn, Session())
        assert turn.notices == [] and events == []
        scheduler_runs = False
        hook.after_turn(turn, Session())
        # Due before this process started: missed, not "done" just now.
        assert turn.notices == ["While you were away, your tea timer went off at 10 AM."]
        assert [(type(e), getattr(e, "missed", None)) for e in events] == [(TimerFired, True)]
    finally:
        store.close()


def test_claiming_is_one_transaction_so_two_stores_never_share_a_timer(home: Home, clock: FakeClock) -> None:
    stores = [Store(home.database_file), Store(home.database_file)]
    try:
        for n in range(20):
            TimerRepository(stores[0]).create("timer", clock.now() + n, now=clock.now(), label=f"t{n}")
        clock.advance(30)
        claimed = [TimerRepository(s).claim_due(clock.now()) for s in stores]
        assert len(claimed[0]) == 20 and claimed[1] == []
    finally:
        for store in stores:
            store.close()


# --- real processes ------------------------------------------------------------------------


def _wait_until_due(home: Home) -> None:
    db = sqlite_utils.Database(home.database_file)
    due = max(row["due_at"] for row in db["timers"].rows)
    db.close()
    time.sleep(max(0.0, due - time.time()) + 0.2)


def test_ask_tells_a_missed_timer_once(home: Home) -> None:
    assert run_assistant("ask", "--local", "set a pasta timer for 1 second").returncode == 0
    _wait_until_due(home)
    first = run_assistant("ask", "--local", "what time is it")
    assert first.returncode == 0, first.stderr
    reply, notice = first.stdout.strip().splitlines()
    assert reply.startswith("It's")
    assert notice.startswith("While you were away, your pasta timer went off at ")
    second = run_assistant("ask", "--local", "what time is it")
    assert "While you were away" not in second.stdout
    again = run_assistant("ask", "--local", "set a pasta timer for 1 minute")
    assert again.stdout.strip() == "Pasta timer set for 1 minute."


def test_chat_tells_a_missed_timer_in_its_first_turn_only(home: Home) -> None:
    run_assistant("ask", "--local", "set a tea timer for 1 second")
    _wait_until_due(home)
    done = run_assistant("chat", "--local", "--json", input="how much time is left\nwhat time is it\n")
    first, second = (json.loads(line) for line in done.stdout.splitlines())
    assert first["reply"] == "You don't have any timers set."
    assert [n[:43] for n in first["notices"]] == ["While you were away, your tea timer went of"]
    assert second["notices"] == []


def test_two_processes_starting_at_once_tell_it_once(home: Home) -> None:
    run_assistant("ask", "--local", "set a pasta timer for 1 second")
    _wait_until_due(home)
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "assistant", "ask", "--local", "what time is it"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=HANG_GUARD_SECONDS) for process in processes]
    for stdout, stderr in outputs:
        assert "Traceback" not in stderr
        assert stdout.startswith("It's")
    assert sum(stdout.count("While you were away") for stdout, _ in outputs) == 1
