"""Requests a screen makes of the app (the app routes them); screens never call each other."""

from __future__ import annotations

from textual.message import Message


class TurnAdded(Message):
    """A turn was written to the history (History reloads when next shown)."""


class ShowTurn(Message):
    """Open History on one turn (the newest when ``turn_id`` is None)."""

    def __init__(self, turn_id: int | None) -> None:
        super().__init__()
        self.turn_id = turn_id


class EditTaught(Message):
    """Open Teach on something taught: a command, an alias or a preference."""

    def __init__(self, kind: str, key: str, meaning: str = "") -> None:
        super().__init__()
        self.kind = kind
        """command, alias or preference."""
        self.key = key
        self.meaning = meaning
        """What an alias means, or a preference's value."""


class WakePhraseChanged(Message):
    """The wake phrase setting changed (the status line names it)."""

    def __init__(self, phrase: str) -> None:
        super().__init__()
        self.phrase = phrase
