"""Driving the real app in tests: start it on a temporary home and wait for things to show."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from textual.geometry import Region
from textual.pilot import Pilot
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Input

from assistant.config import Home
from assistant.core import Assistant
from tui.app import AssistantApp
from tui.widgets.conversation import LogEntry

FIXED_TIME = "09:30:00"
WAIT_GUARD_SECONDS = 120.0
"""How long a wait may last before the test fails: a guard against hangs on a busy machine,
never a measure of speed (a wait ends as soon as its condition holds)."""


def make_app(home: Home, *, timers: bool = True) -> AssistantApp:
    """The real app on ``home``, without the voice loop, with a fixed time of day on screen."""
    return AssistantApp(str(home.config_dir), voice=False, timers=timers, time_text=lambda _: FIXED_TIME)


def running(app: AssistantApp) -> Assistant:
    """The app's assistant, once started."""
    if app.assistant is None:
        raise AssertionError("The assistant has not started.")
    return app.assistant


async def wait_for(
    pilot: Pilot[Any], condition: Callable[[], object], timeout: float = WAIT_GUARD_SECONDS
) -> None:
    """Let the app run until ``condition()`` is true; fail with a clear message after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        await pilot.pause()
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"Timed out after {timeout} s waiting for {condition}")


async def started(pilot: Pilot[Any]) -> AssistantApp:
    """Wait until the assistant runs and the request input is enabled."""
    app = pilot.app
    assert isinstance(app, AssistantApp)
    await wait_for(
        pilot, lambda: app.assistant is not None and not app.talk_screen.query_one("#request").disabled
    )
    return app


async def settings_opened(pilot: Pilot[Any]) -> Screen[Any]:
    """Start the app, open the settings screen (F6) and wait for it."""
    from tui.screens.settings import SettingsScreen

    app = await started(pilot)
    await pilot.press("f6")
    await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
    return app.screen


def entries(app: AssistantApp, kind: str | None = None) -> list[LogEntry]:
    """Conversation entries, optionally of one kind (user, assistant, timer, notice, error)."""
    found = list(app.talk_screen.query(LogEntry))
    return [entry for entry in found if kind is None or entry.kind == kind]


async def say(pilot: Pilot[Any], text: str) -> LogEntry:
    """Type a request on Talk and wait for the reply entry."""
    app = pilot.app
    assert isinstance(app, AssistantApp)
    before = len(entries(app, "assistant"))
    request = app.talk_screen.query_one("#request", Input)
    request.focus()
    request.value = text
    await pilot.press("enter")
    await wait_for(pilot, lambda: len(entries(app, "assistant")) > before)
    return entries(app, "assistant")[-1]


def shown_text(widget: Widget) -> str:
    """The text a widget shows on screen, whatever it renders (Text, a rich Table...)."""
    lines: list[Strip] = widget.render_lines(Region(0, 0, *widget.size))
    return "\n".join(line.text for line in lines)
