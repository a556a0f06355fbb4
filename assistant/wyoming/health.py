"""How a remote service is doing, and when to try it again (exponential back-off)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from assistant.events import Event, Notice

log = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 60.0


class ServiceState(str, Enum):
    UNKNOWN = "unknown"
    """Not tried yet."""
    OK = "ok"
    DOWN = "down"
    """The last attempt failed; the local engine stands in until the next try."""


@dataclass
class ServiceHealth:
    """One remote service's state as shown to the user, and its retry schedule."""

    role: str
    """What it does for us: "recognizer", "voice", "wake word", "satellite"."""
    uri: str
    retry_seconds: float = 2.0
    """The first wait after a failure; doubled after each further failure up to a minute."""
    state: ServiceState = ServiceState.UNKNOWN
    detail: str = ""
    """What the service offers (from its info), or what went wrong and what happens now."""
    failures: int = 0
    next_attempt: float = 0.0
    listeners: list[Callable[[ServiceHealth], None]] = field(default_factory=list, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def ready(self) -> bool:
        """True when the service should be used (or tried again) now."""
        with self._lock:
            return self.state is not ServiceState.DOWN or time.monotonic() >= self.next_attempt

    def succeeded(self, detail: str | None = None) -> None:
        with self._lock:
            changed = self.state is not ServiceState.OK
            self.state, self.failures = ServiceState.OK, 0
            if detail is not None:
                self.detail = detail
        if changed:
            log.info("The %s at %s works: %s", self.role, self.uri, self.detail)
            self._tell()

    def failed(self, problem: str, fallback: str = "") -> None:
        """Record a failure; ``fallback`` says what stands in ("the local recognizer")."""
        with self._lock:
            self.failures += 1
            wait = min(MAX_BACKOFF_SECONDS, self.retry_seconds * 2 ** (self.failures - 1))
            self.next_attempt = time.monotonic() + wait
            self.state = ServiceState.DOWN
            instead = f" Using {fallback} meanwhile;" if fallback else ""
            self.detail = f"{problem}{instead} trying again in {wait:g} s."
        log.warning("The %s at %s failed: %s", self.role, self.uri, self.detail)
        self._tell()

    def describe(self) -> str:
        return f"{self.role} {self.uri}: {self.state.value}" + (f" ({self.detail})" if self.detail else "")

    def to_dict(self) -> dict[str, str | int]:
        return {
            "role": self.role,
            "uri": self.uri,
            "state": self.state.value,
            "detail": self.detail,
            "failures": self.failures,
        }

    def _tell(self) -> None:
        for listener in list(self.listeners):
            try:
                listener(self)
            except Exception:  # a broken listener (a UI gone) must not break the engine
                log.exception("A service health listener failed")


_registry: list[ServiceHealth] = []
_registry_lock = threading.Lock()


def register(health: ServiceHealth) -> ServiceHealth:
    """Remember a service so ``statuses()`` (the API, the UI) can list it."""
    with _registry_lock:
        _registry.append(health)
    return health


def unregister(health: ServiceHealth) -> None:
    with _registry_lock:
        if health in _registry:
            _registry.remove(health)


def statuses() -> list[ServiceHealth]:
    with _registry_lock:
        return list(_registry)


def announce(
    publish: Callable[[Event], None], services: list[ServiceHealth] | None = None
) -> Callable[[], None]:
    """Publish a Notice whenever one of ``services`` (default: all registered now) goes down or
    comes back (the UI shows notices); returns a function that stops it."""

    def tell(health: ServiceHealth) -> None:
        if health.state is ServiceState.OK:
            publish(
                Notice(
                    text=f"The {health.role} at {health.uri} works: {health.detail}", severity="information"
                )
            )
        else:
            publish(Notice(text=f"The {health.role} at {health.uri}: {health.detail}", severity="warning"))

    watched = statuses() if services is None else list(services)
    for health in watched:
        health.listeners.append(tell)

    def stop() -> None:
        for health in watched:
            if tell in health.listeners:
                health.listeners.remove(tell)

    return stop
