"""The conversation log: your requests and the assistant's replies."""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

SPEAKERS: dict[str, str] = {
    "user": "You",
    "assistant": "Assistant",
    "notice": "Note",
    "timer": "Timer",
    "error": "Problem",
}


class LogEntry(Static):
    """One line of the conversation, with its time and, for replies, who handled it."""

    DEFAULT_CSS = """
    LogEntry { padding: 0 1; margin: 0 0 1 0; }
    LogEntry.user { border-left: outer $primary; }
    LogEntry.assistant { border-left: outer $success; }
    LogEntry.notice { border-left: outer $secondary; }
    LogEntry.timer { border-left: outer $warning; }
    LogEntry.error { border-left: outer $error; }
    """

    def __init__(self, kind: str, text: str, when: str, meta: str = "", turn_id: int | None = None) -> None:
        self.kind = kind
        self.turn_id = turn_id
        self.text = text
        super().__init__(self._render_text(kind, text, when, meta), classes=kind)

    @staticmethod
    def _render_text(kind: str, text: str, when: str, meta: str) -> Text:
        line = Text()
        line.append(f"{SPEAKERS.get(kind, kind)}  ", style="bold")
        line.append(when, style="dim")
        if meta:
            line.append(f"  {meta}", style="italic dim")
        line.append("\n")
        line.append(text)
        return line


class ConversationLog(VerticalScroll):
    """Scrolling list of :class:`LogEntry`, newest at the bottom."""

    DEFAULT_CSS = """
    ConversationLog { height: 1fr; padding: 1 1 0 1; }
    ConversationLog > .placeholder { color: $text-muted; padding: 0 1; }
    """

    def on_mount(self) -> None:
        self.mount(Static("Say the wake word, or type a request below.", classes="placeholder"))

    def add(self, kind: str, text: str, when: str, meta: str = "", turn_id: int | None = None) -> LogEntry:
        """Append one entry and keep the newest in view."""
        for placeholder in self.query(".placeholder"):
            placeholder.remove()
        entry = LogEntry(kind, text, when, meta, turn_id)
        self.mount(entry)
        self.scroll_end(animate=False)
        return entry

    def last_turn_id(self) -> int | None:
        """The stored id of the most recent turn shown, for "why did you do that?"."""
        for entry in reversed(list(self.query(LogEntry))):
            if entry.turn_id is not None:
                return entry.turn_id
        return None
