"""What the two trained-model engines (microWakeWord, openWakeWord) share.

Each model gives a probability every few tens of milliseconds; the phrase is
heard when it passes a threshold set from ``wake_sensitivity`` around the
model's own cutoff. Repeats within the refractory period are one detection.
"""

from __future__ import annotations

import ctypes
from abc import abstractmethod
from pathlib import Path

from assistant.events import AudioChunk, WakeDetected
from assistant.wake.base import WakeError, WakeWordDetector
from assistant.wake.bundled import bundled_model

REARM_SECONDS = 0.4
"""A model's probability dips inside one spoken phrase; it must stay below the threshold
this long before a new rise counts as a new phrase."""


def threshold_for(cutoff: float, sensitivity: float) -> float:
    """Sensitivity 0.5 keeps the model's cutoff; 0 moves it most of the way to 1, 1 halves it."""
    if sensitivity <= 0.5:
        return cutoff + (1.0 - cutoff) * 0.9 * (0.5 - sensitivity) * 2
    return cutoff * (1.0 - (sensitivity - 0.5))


def check_model_file(library: Path, model: Path, package: str) -> None:
    """WakeError unless TensorFlow Lite can read ``model``: the engines crash the process on a broken one."""
    reinstall = f"Reinstall the package: `pip install --force-reinstall {package}`."
    if not model.is_file():
        raise WakeError(f"The wake word model {model} is missing. {reinstall}")
    lib = ctypes.CDLL(str(library))
    lib.TfLiteModelCreateFromFile.argtypes = [ctypes.c_char_p]
    lib.TfLiteModelCreateFromFile.restype = ctypes.c_void_p
    lib.TfLiteModelDelete.argtypes = [ctypes.c_void_p]
    handle = lib.TfLiteModelCreateFromFile(str(model).encode())
    if not handle:
        raise WakeError(f"The wake word model {model} is damaged (not a TensorFlow Lite model). {reinstall}")
    lib.TfLiteModelDelete(handle)


class TrainedWakeDetector(WakeWordDetector):
    """A detector whose model was trained on one phrase; subclasses feed their engine."""

    package: str = ""
    """The PyPI package holding the engine and its models (named in error messages)."""
    default_cutoff: float = 0.5

    def __init__(self, phrase: str, sensitivity: float = 0.5, refractory_seconds: float = 2.0) -> None:
        super().__init__(phrase, sensitivity, refractory_seconds)
        self.model_name = bundled_model(self.engine, phrase)
        self.threshold = threshold_for(self._cutoff(), sensitivity)
        self._above_until: float | None = None
        """When the probability was last above the threshold, while that phrase is not over."""

    def _cutoff(self) -> float:
        return self.default_cutoff

    @abstractmethod
    def _probabilities(self, chunk: AudioChunk) -> list[tuple[float, float]]:
        """The model's probabilities for this chunk, each with how many seconds before the
        chunk's end the audio it covers ends."""

    def process(self, chunk: AudioChunk) -> WakeDetected | None:
        end = chunk.timestamp + len(chunk.audio) / (2 * chunk.rate)
        found: WakeDetected | None = None
        for before_end, probability in self._probabilities(chunk):
            at = end - before_end
            if probability <= self.threshold:
                if self._above_until is not None and at - self._above_until >= REARM_SECONDS:
                    self._above_until = None
                continue
            # one detection per phrase: the model stays above the threshold for a while
            rising = self._above_until is None
            self._above_until = at
            if rising and found is None and self._accept(at):
                found = self._detected(at, probability)
        return found

    def pause(self) -> None:
        self._above_until = None
