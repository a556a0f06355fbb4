"""Carry events from the assistant's bus (any thread) into the Textual app.

The bus calls subscribers in the publisher's thread; ``post_message`` is
thread-safe, so each event is wrapped in a :class:`BusEvent` message and
handled on the UI thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from textual.message import Message
from textual.message_pump import MessagePump

from assistant.events import Event, Reply, Understood

_typed_turn = threading.local()


class BusEvent(Message):
    """One event from the assistant's bus."""

    def __init__(self, event: Event) -> None:
        super().__init__()
        self.event = event


def run_typed_turn(call: Callable[[], object]) -> object:
    """Run a typed turn; its Understood/Reply events are skipped because the UI shows the result."""
    _typed_turn.active = True
    try:
        return call()
    finally:
        _typed_turn.active = False


def forwarder(target: MessagePump) -> Callable[[Event], None]:
    """A bus subscriber that posts every event to ``target``."""

    def forward(event: Event) -> None:
        if getattr(_typed_turn, "active", False) and isinstance(event, (Understood, Reply)):
            return
        target.post_message(BusEvent(event))

    return forward
