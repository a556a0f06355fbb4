"""A small thread-safe publish/subscribe hub for events.

The voice loop, timers and plug-ins publish; the UI, the socket API and the
learning code subscribe. A failing subscriber is logged and never stops the
publisher.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from assistant.errors import reraise_if_strict
from assistant.events import Event

log = logging.getLogger(__name__)

Subscriber = Callable[[Event], None]


class EventBus:
    """Deliver every published event to every subscriber, in the publisher's thread."""

    def __init__(self) -> None:
        self._subscribers: list[Subscriber] = []
        self._lock = threading.Lock()

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Add a subscriber; returns a function that removes it."""
        with self._lock:
            self._subscribers.append(subscriber)

        def unsubscribe() -> None:
            with self._lock:
                if subscriber in self._subscribers:
                    self._subscribers.remove(subscriber)

        return unsubscribe

    def publish(self, event: Event) -> None:
        with self._lock:
            subscribers = list(self._subscribers)
        for subscriber in subscribers:
            try:
                subscriber(event)
            except Exception:  # a broken listener must not stop the loop
                log.exception("Event subscriber failed on %s", event.type)
                reraise_if_strict()
