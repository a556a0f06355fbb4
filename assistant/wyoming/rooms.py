"""Timers go off in the room they were set in: a timer set through a satellite is announced
through that satellite; anything else through the assistant's own speaker."""

from __future__ import annotations

import logging
import threading
from typing import Protocol

from assistant.events import Event, TimerFired
from assistant.turn import TurnResult

log = logging.getLogger(__name__)


class Speaker(Protocol):
    def speak(self, text: str) -> None: ...


class RoomSpeaker:
    """The assistant's ``speaker`` while satellites are served.

    The scheduler publishes ``TimerFired`` and then, on the same thread, asks the speaker to say
    it; the event tells which timer the words are about, so they can go to its room."""

    def __init__(self, fallback: Speaker | None) -> None:
        self.fallback = fallback
        self._rooms: dict[int, Speaker] = {}
        self._next = threading.local()
        self.announced: list[tuple[str, str]] = []
        """(room, words) of what was said through a satellite (for the status and the tests)."""
        self._names: dict[int, str] = {}

    def remember(self, turn: TurnResult, room: Speaker, name: str) -> None:
        """After a satellite's turn: a timer it set belongs to that room."""
        timer_id = (turn.feedback.result_data or {}).get("timer_id")
        if (
            isinstance(timer_id, int)
            and turn.intent
            and turn.intent.startswith(("timer.", "alarm.", "reminder."))
        ):
            self._rooms[timer_id] = room
            self._names[timer_id] = name

    def observe(self, event: Event) -> None:
        if isinstance(event, TimerFired):
            self._next.timer_id = event.timer_id

    def speak(self, text: str) -> None:
        timer_id = getattr(self._next, "timer_id", None)
        self._next.timer_id = None
        room = self._rooms.pop(timer_id, None) if isinstance(timer_id, int) else None
        if room is not None and isinstance(timer_id, int):
            self.announced.append((self._names.pop(timer_id, ""), text))
            room.speak(text)
        elif self.fallback is not None:
            self.fallback.speak(text)
