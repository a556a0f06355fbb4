"""Carry events from the assistant's bus (any thread) into the Textual app.

The bus calls subscribers in the publisher's thread; ``post_message`` is
thread-safe, so each event is wrapped in a :class:`BusEvent` message and
handled on the UI thread.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.message import Message
from textual.message_pump import MessagePump

from assistant.events import Event

UI_SESSION = "ui"
"""The session of requests typed into the UI; the UI shows their turns itself."""


class BusEvent(Message):
    """One event from the assistant's bus."""

    def __init__(self, event: Event) -> None:
        super().__init__()
        self.event = event


def forwarder(target: MessagePump, own_session: str = UI_SESSION) -> Callable[[Event], None]:
    """A bus subscriber that posts every event to ``target``, except those of turns typed
    into the UI (session ``own_session``): the UI shows those turns from their results."""

    def forward(event: Event) -> None:
        if getattr(event, "session_id", None) == own_session:
            return
        target.post_message(BusEvent(event))

    return forward
