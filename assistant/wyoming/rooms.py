"""Timers go off in the room they were set in: a timer set through a satellite is announced
through that satellite; anything else through the assistant's own speaker.

The room is stored with the timer (its ``room`` column), so it still rings there after the
assistant restarts."""

from __future__ import annotations

import logging
import threading
from typing import Protocol

from assistant.events import Event, TimerFired
from assistant.turn import TurnResult

log = logging.getLogger(__name__)


class Speaker(Protocol):
    def speak(self, text: str) -> None: ...


class Room(Protocol):
    """A satellite, as a place timers ring in."""

    @property
    def name(self) -> str: ...

    @property
    def reachable(self) -> bool: ...

    def speak(self, text: str) -> None: ...


class TimerRooms(Protocol):
    """Where the timers' rooms are kept (the timers table)."""

    def set_room(self, timer_id: int, room: str) -> None: ...

    def room_of(self, timer_id: int) -> str: ...


class RoomSpeaker:
    """The assistant's ``speaker`` while satellites are served.

    The scheduler publishes ``TimerFired`` and then, on the same thread, asks the speaker to say
    it; the event tells which timer the words are about, so they can go to its room."""

    def __init__(self, fallback: Speaker | None, timers: TimerRooms) -> None:
        self.fallback = fallback
        self.timers = timers
        self._rooms: dict[str, Room] = {}
        self._next = threading.local()
        self.announced: list[tuple[str, str]] = []
        """(room, words) of what was said through a satellite (for the status and the tests)."""

    def add(self, address: str, room: Room) -> None:
        """A satellite served now, by its address in the settings (what the timers keep)."""
        self._rooms[address] = room

    def remember(self, turn: TurnResult, address: str) -> None:
        """After a satellite's turn: a timer it set belongs to that room."""
        timer_id = (turn.feedback.result_data or {}).get("timer_id")
        if (
            isinstance(timer_id, int)
            and turn.intent
            and turn.intent.startswith(("timer.", "alarm.", "reminder."))
        ):
            self.timers.set_room(timer_id, address)

    def observe(self, event: Event) -> None:
        if isinstance(event, TimerFired):
            self._next.timer_id = event.timer_id

    def speak(self, text: str) -> None:
        timer_id = getattr(self._next, "timer_id", None)
        self._next.timer_id = None
        address = self.timers.room_of(timer_id) if isinstance(timer_id, int) else ""
        room = self._rooms.get(address) if address else None
        if room is not None and room.reachable:
            self.announced.append((room.name or address, text))
            room.speak(text)
            return
        if address:
            # a satellite no longer in the settings, or down: better heard here than not at all
            log.info("The timer for %s rings here: that satellite is not reachable.", address)
        if self.fallback is not None:
            self.fallback.speak(text)
