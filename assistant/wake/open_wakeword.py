"""Wake word by openWakeWord: a shared speech embedding and a small model per phrase.

The models (okay nabu, hey jarvis, hey mycroft, alexa, hey rhasspy) and the
TensorFlow Lite library ship inside the ``pyopen-wakeword`` wheel. It costs about
30 % of one core on the development machine, so it waits behind the energy gate.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from assistant.events import AudioChunk
from assistant.wake.base import WakeError
from assistant.wake.bundled import OPEN
from assistant.wake.trained import TrainedWakeDetector, check_model_file

EMBEDDING_SECONDS = 0.08
"""One embedding, and so one probability, per 80 ms of audio."""


class OpenWakeWordDetector(TrainedWakeDetector):
    """One bundled openWakeWord model on top of the shared mel and embedding models."""

    engine = OPEN
    package = "pyopen-wakeword"
    default_cutoff = 0.5
    """The threshold openWakeWord's own command line uses."""

    def __init__(
        self, phrase: str = "hey rhasspy", sensitivity: float = 0.5, refractory_seconds: float = 2.0
    ) -> None:
        try:
            import pyopen_wakeword
            from pyopen_wakeword import OpenWakeWord, OpenWakeWordFeatures
        except ImportError as error:
            raise WakeError(f"openWakeWord is not installed: `pip install {self.package}`.") from error
        super().__init__(phrase, sensitivity, refractory_seconds)
        package_dir = Path(pyopen_wakeword.__file__).parent
        models = package_dir / "models"
        library = next((package_dir / "lib").glob("*tensorflowlite_c.*"), None)
        if library is None:
            raise WakeError(f"openWakeWord's TensorFlow Lite library is missing: reinstall {self.package}.")
        for name in ("melspectrogram", "embedding_model", self.model_name):
            check_model_file(library, models / f"{name}.tflite", self.package)
        self.model: Any = OpenWakeWord.from_model(models / f"{self.model_name}.tflite", library)
        self.features: Any = OpenWakeWordFeatures.from_builtin(models, library)

    def _probabilities(self, chunk: AudioChunk) -> list[tuple[float, float]]:
        probabilities = [
            float(probability)
            for embedding in self.features.process_streaming(chunk.audio)
            for probability in self.model.process_streaming(embedding)
        ]
        count = len(probabilities)
        return [((count - 1 - index) * EMBEDDING_SECONDS, value) for index, value in enumerate(probabilities)]

    def reset(self) -> None:
        self.features.reset()
        self.model.reset()
        self._last_wake_at = None
        self._above_until = None
