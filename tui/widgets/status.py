"""The live status of the voice loop: state, microphone level, engines, partial words."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from tui.formatting import level_meter, state_label


class LoopStatus(Widget):
    """Two lines: state · mic meter · engines, then what is being heard right now."""

    DEFAULT_CSS = """
    LoopStatus { height: 2; padding: 0 2; background: $boost; }
    """

    state: reactive[str] = reactive("starting")
    detail: reactive[str] = reactive("")
    level: reactive[float] = reactive(0.0)
    engines: reactive[str] = reactive("")
    partial: reactive[str] = reactive("")
    wake_phrase: reactive[str] = reactive("")

    def render(self) -> Text:
        line = Text()
        line.append("● ", style=self._dot_style())
        label = state_label(self.state, self.detail)
        if self.state == "listening" and self.wake_phrase:
            label = f"listening for “{self.wake_phrase}”"
        line.append(label, style="bold")
        if self.state in ("listening", "hearing", "speaking"):
            line.append("   mic ", style="dim")
            line.append(level_meter(self.level))
        if self.engines:
            line.append(f"   {self.engines}", style="dim")
        line.append("\n")
        if self.partial:
            line.append("… " + self.partial, style="italic")
        return line

    def _dot_style(self) -> str:
        colours = {
            "listening": "cyan",
            "hearing": "green",
            "thinking": "yellow",
            "speaking": "magenta",
            "failed": "red",
            "starting": "yellow",
        }
        return colours.get(self.state, "grey50")

    def show(self, state: str, detail: str = "", level: float | None = None) -> None:
        """Apply one ``StatusChanged``; leaving "hearing" clears the partial words."""
        self.state = state
        self.detail = detail
        if level is not None:
            self.level = level
        if state not in ("hearing", "thinking"):
            self.partial = ""
