"""Wake word by microWakeWord: small streaming models trained on one phrase each.

The models (okay nabu, hey jarvis, hey mycroft, alexa) and the TensorFlow Lite
library ship inside the ``pymicro-wakeword`` wheel. About 1 % of one core.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from assistant.events import AudioChunk
from assistant.wake.base import WakeError
from assistant.wake.bundled import MICRO
from assistant.wake.trained import TrainedWakeDetector, check_model_file

FEATURE_SECONDS = 0.01
"""The front end makes one feature frame per 10 ms; the model runs every ``stride`` frames."""


class MicroWakeWordDetector(TrainedWakeDetector):
    """One bundled microWakeWord model, fed 16 kHz audio chunk by chunk."""

    engine = MICRO
    package = "pymicro-wakeword"

    def __init__(
        self, phrase: str = "okay nabu", sensitivity: float = 0.5, refractory_seconds: float = 2.0
    ) -> None:
        try:
            import pymicro_wakeword
            from pymicro_wakeword import MicroWakeWord, MicroWakeWordFeatures
        except ImportError as error:
            raise WakeError(f"microWakeWord is not installed: `pip install {self.package}`.") from error
        self._config: dict[str, Any] = {}
        self._models_dir = Path(pymicro_wakeword.__file__).parent / "models"
        super().__init__(phrase, sensitivity, refractory_seconds)
        library = next((self._models_dir.parent / "lib").glob("*tensorflowlite_c.*"), None)
        if library is None:
            raise WakeError(f"microWakeWord's TensorFlow Lite library is missing: reinstall {self.package}.")
        check_model_file(library, self._models_dir / str(self._config["model"]), self.package)
        self.model: Any = MicroWakeWord.from_config(self._models_dir / f"{self.model_name}.json", library)
        self.features: Any = MicroWakeWordFeatures()

    def _cutoff(self) -> float:
        path = self._models_dir / f"{self.model_name}.json"
        try:
            self._config = json.loads(path.read_text(encoding="utf-8"))
            return float(self._config["micro"]["probability_cutoff"])
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise WakeError(
                f"The microWakeWord settings {path} cannot be read ({error}). "
                f"Reinstall the package: `pip install --force-reinstall {self.package}`."
            ) from error

    def _probabilities(self, chunk: AudioChunk) -> list[tuple[float, float]]:
        frames = list(self.features.process_streaming(chunk.audio))
        probabilities = []
        for index, features in enumerate(frames):
            probability = self.model.process_streaming_prob(features)
            # the model runs on every stride-th frame (it then clears its frame list); the others
            # return 0.0, which is no probability at all, and None means the model was closed
            if probability is None or self.model._features:
                continue
            probabilities.append(((len(frames) - 1 - index) * FEATURE_SECONDS, float(probability)))
        return probabilities

    def reset(self) -> None:
        self.features.reset()
        self.model.reset()
        self._last_wake_at = None
        self._above_until = None
