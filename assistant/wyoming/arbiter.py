"""When several satellites hear the same wake word, the one that heard it best answers.

Each satellite's detector claims the wake; the first claim opens a short round
(``satellite_arbitration_seconds``), claims in it are compared, and only the best goes on:
the detector's own score first (its probability, or how closely the phones matched), then,
among scores within ``SCORE_TIE`` of the best, how clearly the phrase stood out of that
room's background (its level over the noise floor). Late claims of a round already decided
lose, so one phrase never gets two answers.

Measured with the trained models (openWakeWord, microWakeWord), their probability at the
moment they fire is 0.91-0.99 whether the phrase was clean, quiet or in fan noise, so it
mostly ties and clarity decides; a clear difference in score (a model far less sure, two phones
missed by the keyword spotter) decides before it. Clarity, not loudness: a room with a fan is loud, not clear.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from assistant.audio.convert import rms_level
from assistant.events import AudioChunk, WakeDetected
from assistant.wake.base import WakeWordDetector

log = logging.getLogger(__name__)

LATE_SECONDS = 1.0
"""After a round closes, claims this late still belong to it (a slow detector, a far room)."""
PHRASE_SECONDS = 1.5
"""How much audio before a detection counts as the phrase, for its level."""
BACKGROUND_SECONDS = 4.0
"""The noise floor is the quietest chunk of sound in this much audio before a detection (a
gap between words counts: it is what the room sounds like)."""
FLOOR_MINIMUM = 1e-4
"""Chunks quieter than this are digital silence, left out of the floor (which would make any
phrase infinitely clear)."""
SCORE_TIE = 0.15
"""Detector scores this close to the best are a tie, decided by clarity. The keyword spotter's
score steps by one phone (0.1 for "hey computer"), and which phone it misses changes with how
the audio falls into chunks: one phone is a tie, two decide."""


@dataclass(frozen=True)
class WakeClaim:
    """How one satellite heard the wake phrase."""

    score: float
    """The detector's score, 0..1 (1.0 from engines that give none, like a remote service)."""
    clarity: float
    """The phrase's level over the room's noise floor, in dB."""
    level: float
    """The phrase's RMS level, 0..1 (for the log and the tests)."""


def best_claim(claims: dict[str, WakeClaim]) -> str:
    """The best score wins; scores within SCORE_TIE of it are a tie, won by the clearest."""
    top = max(claim.score for claim in claims.values())
    close = [who for who, claim in claims.items() if claim.score >= top - SCORE_TIE]
    return max(close, key=lambda who: (claims[who].clarity, claims[who].score))


@dataclass
class _Round:
    heard_at: float
    """When the first claimant's microphone heard the phrase (monotonic clock)."""
    closes_at: float
    claims: dict[str, WakeClaim] = field(default_factory=dict)


class WakeArbiter:
    """Decides which of several simultaneous wakes answers; shared by all satellites."""

    def __init__(self, window_seconds: float) -> None:
        self.window = window_seconds
        self._round: _Round | None = None
        self._changed = threading.Condition()
        self.decided: list[tuple[str, dict[str, WakeClaim]]] = []
        """Each round's winner and every claim, late ones too (for the status and the tests)."""

    def claim(self, who: str, heard: WakeClaim, heard_at: float | None = None) -> bool:
        """True when ``who`` should answer; blocks for the rest of the round.

        ``heard_at`` is when the phrase reached that satellite's microphone: a loop that runs
        behind (a busy machine) claims late, but its claim still belongs to the same phrase."""
        if self.window <= 0:
            return True  # arbitration turned off: every satellite answers
        with self._changed:
            now = time.monotonic()
            when = now if heard_at is None else heard_at
            current = self._round
            if current is None or abs(when - current.heard_at) > self.window + LATE_SECONDS:
                current = self._round = _Round(heard_at=when, closes_at=now + self.window)
            elif now > current.closes_at:
                current.claims.setdefault(who, heard)
                return False  # this phrase was already answered elsewhere
            current.claims[who] = heard
            self._changed.notify_all()
            while (left := current.closes_at - time.monotonic()) > 0:
                self._changed.wait(left)
            winner = best_claim(current.claims)
            if who == winner:
                self.decided.append((winner, current.claims))  # late claims still join it
                log.info("Wake arbitration: %s answers (claims: %s)", winner, current.claims)
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
        while self._recent and chunk.timestamp - self._recent[0].timestamp > BACKGROUND_SECONDS:
            self._recent.popleft()
        detected = self.inner.process(chunk)
        if detected is None:
            return None
        heard = self.heard_at(detected.at) if self.heard_at is not None else None
        return detected if self.arbiter.claim(self.who, self._claim(detected, chunk), heard) else None

    def _claim(self, detected: WakeDetected, chunk: AudioChunk) -> WakeClaim:
        since = chunk.timestamp - PHRASE_SECONDS
        phrase = [piece.audio for piece in self._recent if piece.timestamp >= since]
        level = rms_level(b"".join(phrase))
        # digital silence is a microphone not yet streaming (or muted), not the room's sound
        levels = [rms_level(piece.audio) for piece in self._recent]
        floor = min((value for value in levels if value >= FLOOR_MINIMUM), default=FLOOR_MINIMUM)
        clarity = 20 * math.log10(max(level, FLOOR_MINIMUM) / max(floor, FLOOR_MINIMUM))
        return WakeClaim(score=detected.score, clarity=round(clarity, 2), level=round(level, 5))

    def reset(self) -> None:
        self.inner.reset()
        self._recent.clear()
