"""When several satellites hear the same wake word, the one that heard it loudest answers.

Each satellite's detector claims the wake; the first claim opens a short round
(``satellite_arbitration_seconds``), claims in it are compared by loudness of the phrase
at each microphone, and only the loudest goes on. Late claims of a round already decided
lose, so one phrase never gets two answers.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from assistant.audio.convert import rms_level
from assistant.events import AudioChunk, WakeDetected
from assistant.wake.base import WakeWordDetector

LATE_SECONDS = 1.0
"""After a round closes, claims this late still belong to it (a slow detector, a far room)."""
PHRASE_SECONDS = 1.5
"""How much audio before a detection counts as the phrase, for its loudness."""


@dataclass
class _Round:
    heard_at: float
    """When the first claimant's microphone heard the phrase (monotonic clock)."""
    closes_at: float
    claims: dict[str, float] = field(default_factory=dict)


class WakeArbiter:
    """Decides which of several simultaneous wakes answers; shared by all satellites."""

    def __init__(self, window_seconds: float) -> None:
        self.window = window_seconds
        self._round: _Round | None = None
        self._changed = threading.Condition()
        self.decided: list[tuple[str, dict[str, float]]] = []
        """Each round's winner and every claim, late ones too (for the status and the tests)."""

    def claim(self, who: str, strength: float, heard_at: float | None = None) -> bool:
        """True when ``who`` should answer; blocks for the rest of the round.

        ``heard_at`` is when the phrase reached that satellite's microphone: a loop that runs
        behind (a busy machine) claims late, but its claim still belongs to the same phrase."""
        if self.window <= 0:
            return True  # arbitration turned off: every satellite answers
        with self._changed:
            now = time.monotonic()
            heard = now if heard_at is None else heard_at
            current = self._round
            if current is None or abs(heard - current.heard_at) > self.window + LATE_SECONDS:
                current = self._round = _Round(heard_at=heard, closes_at=now + self.window)
            elif now > current.closes_at:
                current.claims.setdefault(who, strength)
                return False  # this phrase was already answered elsewhere
            current.claims[who] = strength
            self._changed.notify_all()
            while (left := current.closes_at - time.monotonic()) > 0:
                self._changed.wait(left)
            winner = max(current.claims, key=lambda name: current.claims[name])
            if who == winner:
                self.decided.append((winner, current.claims))  # late claims still join it
            return who == winner


class ArbitratedWake(WakeWordDetector):
    """One satellite's detector, asking the arbiter before it reports a wake."""

    def __init__(
        self,
        inner: WakeWordDetector,
        arbiter: WakeArbiter,
        who: str,
        heard_at: Callable[[float], float] | None = None,
    ) -> None:
        super().__init__(inner.phrase, inner.sensitivity, inner.refractory_seconds)
        self.inner = inner
        self.heard_at = heard_at
        """Stream seconds → when that audio arrived (monotonic); None: now."""
        self.engine = inner.engine
        self.arbiter = arbiter
        self.who = who
        self._recent: deque[AudioChunk] = deque()

    def process(self, chunk: AudioChunk) -> WakeDetected | None:
        self._recent.append(chunk)
        while self._recent and chunk.timestamp - self._recent[0].timestamp > PHRASE_SECONDS:
            self._recent.popleft()
        detected = self.inner.process(chunk)
        if detected is None:
            return None
        loudness = rms_level(b"".join(piece.audio for piece in self._recent))
        heard = self.heard_at(detected.at) if self.heard_at is not None else None
        return detected if self.arbiter.claim(self.who, loudness, heard) else None

    def reset(self) -> None:
        self.inner.reset()
        self._recent.clear()
