"""Two trained engines on one phrase: a wake when either hears it.

microWakeWord and openWakeWord were trained on different data and miss
different renditions (measured in benchmarks/wake.py: in noise, and in eSpeak NG
voices, each catches many that the other misses), so together they miss far
fewer. The cost is openWakeWord's CPU while people talk (the energy gate keeps a
quiet room cheap) and the sum of both engines' false wakes.
"""

from __future__ import annotations

from assistant.events import AudioChunk, WakeDetected
from assistant.wake.base import WakeWordDetector


class EitherWakeDetector(WakeWordDetector):
    """Feeds every detector each chunk; the first wake counts, repeats of the same phrase do not."""

    def __init__(self, detectors: list[WakeWordDetector], refractory_seconds: float = 2.0) -> None:
        if not detectors:
            raise ValueError("EitherWakeDetector needs at least one detector")
        first = detectors[0]
        super().__init__(first.phrase, first.sensitivity, refractory_seconds)
        self.detectors = detectors
        self.engine = "+".join(detector.engine for detector in detectors)

    def process(self, chunk: AudioChunk) -> WakeDetected | None:
        found: WakeDetected | None = None
        for detector in self.detectors:  # all of them, so each engine's stream stays contiguous
            detected = detector.process(chunk)
            if detected is not None and found is None:
                found = detected
        if found is None:
            return None
        # the other engine reports the same phrase a little later: the refractory period joins them
        return found if self._accept(found.at) else None

    def pause(self) -> None:
        for detector in self.detectors:
            detector.pause()

    def reset(self) -> None:
        for detector in self.detectors:
            detector.reset()
        self._last_wake_at = None
