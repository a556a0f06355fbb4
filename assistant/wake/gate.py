"""An energy gate in front of the wake word spotter, so waiting in a quiet room costs little.

The spotter hears audio only while something clearly louder than the room is
going on: a frame opens the gate when its level is ``ratio`` times the noise
floor (and above an absolute minimum), the gate stays open ``hold_seconds``
after the last such frame, and on opening the spotter first gets the
``lead_seconds`` before it, so the soft start of a phrase ("h" in "hey") is not
lost. The noise floor is a low percentile of the last seconds of frame levels:
a fan that starts becomes the floor within seconds, while speech, which dips
between words, does not.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

from assistant.events import AudioChunk, WakeDetected
from assistant.wake.base import WakeWordDetector

FRAME_SECONDS = 0.02


@dataclass
class GateSettings:
    """When the gate opens and how long it stays open."""

    ratio: float = 2.5
    """A frame this many times the noise floor's level opens the gate (8 dB; a fan's own
    frame-to-frame wobble stays below it)..."""
    min_level: float = 0.003
    """...if its RMS level (0..1) is above this too (-50 dBFS: a quiet room stays below it)."""
    lead_seconds: float = 1.0
    """Audio before the opening frame given to the spotter first."""
    hold_seconds: float = 1.5
    """The gate closes after this long without a loud frame."""
    floor_seconds: float = 6.0
    floor_percentile: float = 20.0
    """The noise floor: this percentile of the frame levels of the last ``floor_seconds``."""


class EnergyGate:
    """Decides, chunk by chunk, which audio the spotter must hear."""

    def __init__(self, settings: GateSettings | None = None) -> None:
        self.settings = settings or GateSettings()
        self._lead: deque[AudioChunk] = deque()
        self.reset()

    def reset(self) -> None:
        self.floor = 0.0
        self._levels = np.zeros(int(self.settings.floor_seconds / FRAME_SECONDS), dtype=np.float32)
        self._level_count = 0
        self.is_open = False
        self._open_until = 0.0
        self._lead.clear()
        self.seconds_heard = 0.0
        """Audio seen in total..."""
        self.seconds_passed = 0.0
        """...and the part handed to the spotter (the benchmark reports the share)."""

    def admit(self, chunk: AudioChunk) -> tuple[list[AudioChunk], bool]:
        """The chunks to give the spotter now, and whether the gate closed with this chunk."""
        seconds = len(chunk.audio) / (2 * chunk.rate)
        self.seconds_heard += seconds
        loud = self._loud(chunk)
        end = chunk.timestamp + seconds
        was_open = self.is_open
        if loud:
            self._open_until = end + self.settings.hold_seconds
        self.is_open = end <= self._open_until
        if self.is_open:
            pieces = [*self._lead, chunk] if not was_open else [chunk]
            self._lead.clear()
            self.seconds_passed += sum(len(piece.audio) for piece in pieces) / (2 * chunk.rate)
            return pieces, False
        self._lead.append(chunk)
        while self._lead and end - self._lead[0].timestamp > self.settings.lead_seconds:
            self._lead.popleft()
        return [], was_open

    def _loud(self, chunk: AudioChunk) -> bool:
        """Whether any 20 ms frame is loud; updates the noise floor on the way."""
        size = int(chunk.rate * FRAME_SECONDS)
        samples = np.frombuffer(chunk.audio[: len(chunk.audio) - len(chunk.audio) % 2], dtype="<i2")
        whole = len(samples) - len(samples) % size
        if whole == 0:
            return False
        frames = samples[:whole].astype(np.float32).reshape(-1, size) / 32768.0
        levels = np.sqrt(np.mean(frames * frames, axis=1))
        # judged against the floor before this chunk, so a loud chunk cannot hide itself
        loud = bool(np.any(levels > max(self.settings.min_level, self.floor * self.settings.ratio)))
        self._remember(levels)
        return loud

    def _remember(self, levels: np.ndarray) -> None:
        size = len(self._levels)
        for level in levels[-size:]:
            self._levels[self._level_count % size] = level
            self._level_count += 1
        known = self._levels[: min(self._level_count, size)]
        self.floor = float(np.percentile(known, self.settings.floor_percentile))


class GatedWakeDetector(WakeWordDetector):
    """Any wake word detector behind an :class:`EnergyGate`; same phrase, engine and events."""

    def __init__(self, inner: WakeWordDetector, settings: GateSettings | None = None) -> None:
        super().__init__(inner.phrase, inner.sensitivity, inner.refractory_seconds)
        self.inner = inner
        self.engine = inner.engine
        self.gate = EnergyGate(settings)

    def process(self, chunk: AudioChunk) -> WakeDetected | None:
        pieces, closed = self.gate.admit(chunk)
        if closed:
            self.inner.pause()
        for piece in pieces:
            detected = self.inner.process(piece)
            if detected is not None:
                return detected
        return None

    def reset(self) -> None:
        self.inner.reset()
        self.gate.reset()
