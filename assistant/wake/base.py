"""The wake word detector interface shared by every engine."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod

from assistant.asr.base import unit_confidence
from assistant.events import AudioChunk, WakeDetected


class WakeError(Exception):
    """The wake word engine cannot use this phrase or model; the message says what to change."""


def normalize_phrase(phrase: str) -> str:
    """Lower case, letters and apostrophes only, single spaces: what engines' dictionaries hold."""
    words = re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?", phrase.lower())
    return " ".join(words)


class WakeWordDetector(ABC):
    """Spots the wake phrase in a stream of AudioChunk events."""

    engine: str = ""

    def __init__(self, phrase: str, sensitivity: float = 0.5, refractory_seconds: float = 2.0) -> None:
        self.phrase = normalize_phrase(phrase)
        if not self.phrase:
            raise WakeError(f"The wake phrase {phrase!r} has no words. Choose one like 'hey computer'.")
        if not 0.0 <= sensitivity <= 1.0:
            raise WakeError(f"wake_sensitivity must be between 0 and 1, not {sensitivity}.")
        self.sensitivity = sensitivity
        self.refractory_seconds = refractory_seconds
        self._last_wake_at: float | None = None

    @abstractmethod
    def process(self, chunk: AudioChunk) -> WakeDetected | None:
        """Feed one chunk; a WakeDetected when the phrase ended inside it."""

    @abstractmethod
    def reset(self) -> None:
        """Forget audio heard so far and the last wake (between streams, or after a request)."""

    def pause(self) -> None:
        """Audio stops coming for a while (the energy gate closed): the next chunk does not follow
        the last one. Engines whose state assumes contiguous audio start afresh; the last wake is kept."""
        return None  # most engines take a gap in their stride

    def _detected(self, at: float, score: float) -> WakeDetected:
        """The event every engine reports, its score clamped to [0, 1] (ConfidenceError if not a number)."""
        return WakeDetected(phrase=self.phrase, at=round(at, 3), score=unit_confidence(score, "wake score"))

    def _accept(self, at: float) -> bool:
        """Refractory period: one spoken phrase must not fire twice."""
        if self._last_wake_at is not None and at - self._last_wake_at < self.refractory_seconds:
            return False
        self._last_wake_at = at
        return True
