"""Timers, alarms and reminders in progress, with the time left."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.widgets import Static

from tui.formatting import clock_time, time_left

KIND_ICONS = {"timer": "⏲", "alarm": "⏰", "reminder": "✎"}


@dataclass(frozen=True)
class RunningTimer:
    """What the panel needs about one timer."""

    id: int
    kind: str
    label: str
    due_at: float
    duration: float | None = None
    """Seconds asked for (timers), to name a timer that has no label."""


class TimersPanel(Static):
    """Redrawn every second by the main screen from the store's active timers."""

    DEFAULT_CSS = """
    TimersPanel { height: auto; padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.timers: list[RunningTimer] = []
        self.border_title = "Timers & reminders"

    def show(self, timers: list[RunningTimer], now: float) -> None:
        """Show ``timers`` (soonest first) counting down from ``now``."""
        self.timers = sorted(timers, key=lambda timer: timer.due_at)
        self.update(self.describe(now))

    def describe(self, now: float) -> Text:
        if not self.timers:
            return Text("Nothing running.", style="dim")
        text = Text()
        for index, timer in enumerate(self.timers):
            if index:
                text.append("\n")
            icon = KIND_ICONS.get(timer.kind, "•")
            name = timer.label or timer.kind
            if not timer.label and timer.duration:
                name = f"{time_left(timer.duration)} timer"
            text.append(f"{icon} {name}\n", style="bold")
            if timer.kind == "timer":
                text.append(f"   {time_left(timer.due_at - now)} left", style="")
            else:
                text.append(f"   at {clock_time(timer.due_at)[:5]} · in {time_left(timer.due_at - now)}")
        return text
