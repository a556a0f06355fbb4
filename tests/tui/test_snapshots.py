"""How each screen looks, compared with the stored SVG snapshots.

Deterministic by construction: a fixed home folder (its path shows on the
settings screen), a fixed time of day, no voice loop (no engine names), fixed
terminal size, and History built from a stored turn with fixed timings.
Regenerate after an intended change with ``pytest tests/tui --snapshot-update``.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList, TextArea

from assistant.config import Home
from assistant.memory.history import record_turn
from assistant.memory.store import Store
from assistant.turn import ActionRecord, StageRecord, TurnResult, TurnTrace
from tests.tui.helpers import make_app, running, say, started, wait_for
from tui.screens.help import HelpScreen
from tui.screens.history import HistoryScreen
from tui.screens.memory import MemoryScreen
from tui.screens.settings import SettingsScreen
from tui.screens.teach import TeachScreen
from tui.widgets.trace import TraceView

SIZE = (120, 40)
SNAPSHOT_HOME = Path(tempfile.gettempdir()) / "assistant-tui-snapshot-home"


@pytest.fixture
def snapshot_home(monkeypatch: pytest.MonkeyPatch) -> Home:
    """A fresh home at a fixed path, so paths on screen are the same every run; the input
    cursor does not blink (a picture taken mid-blink hid the placeholder's first letter)."""
    monkeypatch.setattr(Input, "cursor_blink", False)
    shutil.rmtree(SNAPSHOT_HOME, ignore_errors=True)
    monkeypatch.setenv("ASSISTANT_HOME", str(SNAPSHOT_HOME))
    return Home.locate(SNAPSHOT_HOME).ensure()


def test_talk_screen(snap_compare: Any, snapshot_home: Home) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await started(pilot)
        await say(pilot, "square root of 81")

    assert snap_compare(make_app(snapshot_home), terminal_size=SIZE, run_before=run_before)


def test_teach_screen(snap_compare: Any, snapshot_home: Home) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        app = await started(pilot)
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, TeachScreen))
        screen = app.screen
        await wait_for(pilot, lambda: screen.query_one("#abilities", OptionList).option_count > 0)
        screen.query_one("#command-name", Input).value = "roots"
        screen.query_one("#command-triggers", TextArea).text = "do the roots\ncheck {number} times"
        screen.query_one("#command-steps", TextArea).text = "square root of 81\nsquare root of {number}"
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: screen.query_one("#command-check").has_class("ok"))
        screen.query_one("#command-name", Input).focus()

    assert snap_compare(make_app(snapshot_home), terminal_size=SIZE, run_before=run_before)


def test_memory_screen(snap_compare: Any, snapshot_home: Home) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        app = await started(pilot)
        teaching = running(app).teaching
        teaching.save_command("roots", ["do the roots"], ["square root of 81"])
        teaching.save_alias("lights out", "what time is it")
        teaching.set_preference("name", "Sam", category="identity", source="ui")
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, MemoryScreen))
        await wait_for(pilot, lambda: app.screen.query_one("#memory-table", DataTable).row_count == 3)
        await wait_for(pilot, lambda: app.screen.query_one("#changes-table", DataTable).row_count == 3)

    assert snap_compare(make_app(snapshot_home), terminal_size=SIZE, run_before=run_before)


def _stored_turn(home: Home) -> None:
    """One failed turn with fixed timings, as the voice loop would have recorded it."""
    trace = TurnTrace(
        [
            StageRecord("asr", "(audio 1.8 s)", "set a timer for ten minutes", 0.91, ms=212.0),
            StageRecord("nlu", "set a timer for ten minutes", {"intent": "timer.set"}, 0.97, ms=3.5),
            StageRecord("slots", {"duration": "ten minutes"}, {"duration": 600}, None, ms=0.4),
            StageRecord("action", "timer.set", None, None, ms=1.1, ok=False, error="database is locked"),
        ]
    )
    turn = TurnResult(
        text="set a timer for ten minutes",
        reply="Sorry, I couldn't set the timer.",
        intent="timer.set",
        slots={"duration": 600},
        confidence=0.97,
        source="rules",
        actions=[ActionRecord("timer.set", {"duration": 600}, ok=False, error="database is locked")],
        trace=trace,
        outcome="failure",
        failure_stage="result",
        started_at=1_700_000_000.0,
        session_id="voice",
    )
    store = Store(home.database_file)
    try:
        record_turn(store, turn)
    finally:
        store.close()


def test_history_screen(snap_compare: Any, snapshot_home: Home) -> None:
    _stored_turn(snapshot_home)

    async def run_before(pilot: Pilot[Any]) -> None:
        app = await started(pilot)
        await pilot.press("f5")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        trace = app.screen.query_one(TraceView)
        await wait_for(pilot, lambda: trace.turn is not None and bool(trace.why))

    assert snap_compare(make_app(snapshot_home), terminal_size=SIZE, run_before=run_before)


def test_settings_screen(snap_compare: Any, snapshot_home: Home) -> None:
    (snapshot_home.plugins_dir / "broken.py").write_text("def oops(:\n", encoding="utf-8")

    async def run_before(pilot: Pilot[Any]) -> None:
        app = await started(pilot)
        await pilot.press("f6")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        await wait_for(pilot, lambda: app.screen.query_one("#models-table", DataTable).row_count > 0)

    assert snap_compare(make_app(snapshot_home), terminal_size=SIZE, run_before=run_before)


def test_help_screen(snap_compare: Any, snapshot_home: Home) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        app = await started(pilot)
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))

    assert snap_compare(make_app(snapshot_home), terminal_size=SIZE, run_before=run_before)
