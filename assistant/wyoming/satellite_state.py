"""What a served satellite is doing, published as ``SatelliteChanged`` for the UI."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from assistant.events import Event, SatelliteChanged, StatusChanged

LOOP_STATES = {
    "listening": "connected",
    "hearing": "listening",
    "thinking": "thinking",
    "speaking": "speaking",
}
"""The satellite's voice loop state → the satellite's state in the UI (the loop "listens" for
the wake word; for a person, a satellite listens once it heard it)."""
REQUEST_DETAILS = ("request", "follow-up")
"""The details the loop gives "listening" when it listens for a request, not the wake word."""


class SatelliteState:
    """One satellite's state: set by its link, followed from its voice loop; each change is
    published once (the loop repeats its state several times a second with the level)."""

    def __init__(
        self, uri: str, publish: Callable[[Event], None] | None, names: Callable[[], tuple[str, str]]
    ) -> None:
        """``names()`` gives the satellite's (name, area) as known now (from its info)."""
        self.uri = uri
        self.publish = publish
        self.names = names
        self.state = ""
        """The last state published."""
        self._loop_state = ""
        self._lock = threading.Lock()
        self.quiet = False
        """Stopping: nothing more is published."""

    def connecting(self) -> None:
        self._loop_state = ""
        self._set("connecting")

    def connected(self) -> None:
        self._set("connected")

    def unreachable(self, problem: str, next_attempt: float) -> None:
        """``next_attempt`` on the monotonic clock (the back-off's); published as Unix time."""
        wait = max(0.0, next_attempt - time.monotonic())
        self._set("unreachable", problem, retry_at=time.time() + wait)

    def follow_loop(self, event: StatusChanged) -> None:
        """A status from the satellite's voice loop; level reports (same state, no detail) are not changes."""
        repeated = event.state == self._loop_state and not event.detail
        self._loop_state = event.state
        if repeated:
            return
        state = LOOP_STATES.get(event.state)
        if event.state == "listening" and event.detail in REQUEST_DETAILS:
            state = "listening"
        if state is not None:
            self._set(state, from_loop=True)

    def _set(self, state: str, detail: str = "", retry_at: float = 0.0, from_loop: bool = False) -> None:
        with self._lock:
            if state == self.state and not detail:
                return
            # the loop's states count only while connected: its first "listening" comes before
            # the satellite was asked to stream, its last ones after the connection broke
            if from_loop and self.state in ("connecting", "unreachable"):
                return
            self.state = state
        if self.publish is None or self.quiet:
            return
        name, area = self.names()
        self.publish(
            SatelliteChanged(
                uri=self.uri, name=name, area=area, state=state, detail=detail, retry_at=retry_at
            )
        )
