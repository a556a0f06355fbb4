"""Wake word spotting with a Vosk model and a tiny runtime grammar.

The grammar holds only the wake phrase and ``[unk]`` (anything else), so the
decoder is forced to choose between the phrase and "something else". It needs a
Vosk model that supports runtime grammars (the small models do) and whose
vocabulary holds every word of the phrase.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from assistant.asr.base import unit_confidence
from assistant.events import AudioChunk, WakeDetected
from assistant.wake.base import WakeError, WakeWordDetector


class VoskWakeDetector(WakeWordDetector):
    """Spot the phrase in Vosk partial/final results constrained by a grammar."""

    engine = "vosk"

    def __init__(
        self,
        model_path: str | Path,
        phrase: str = "hey computer",
        sensitivity: float = 0.5,
        refractory_seconds: float = 2.0,
    ) -> None:
        super().__init__(phrase, sensitivity, refractory_seconds)
        from assistant.asr.vosk_engine import load_vosk_model, model_has_word

        self.model: Any = load_vosk_model(model_path)
        missing = [word for word in self.phrase.split() if not model_has_word(self.model, word)]
        if missing:
            raise WakeError(
                f"The Vosk model at {model_path} does not know these wake words: {', '.join(missing)}. "
                "Choose another phrase or use wake_engine pocketsphinx."
            )
        grammar = [self.phrase]
        if model_has_word(self.model, "[unk]"):
            grammar.append("[unk]")
        self.grammar = json.dumps(grammar, ensure_ascii=False)
        # Final words carry Vosk's posterior confidence; eager settings accept lower ones.
        self.min_confidence = 0.95 - 0.6 * sensitivity
        self._stream_start: float | None = None
        self.recognizer = self._new_recognizer()

    def _new_recognizer(self) -> Any:
        from vosk import KaldiRecognizer

        recognizer = KaldiRecognizer(self.model, 16000, self.grammar)
        recognizer.SetWords(True)
        return recognizer

    def process(self, chunk: AudioChunk) -> WakeDetected | None:
        if self._stream_start is None:
            self._stream_start = chunk.timestamp
        if not self.recognizer.AcceptWaveform(chunk.audio):
            return None
        result = json.loads(self.recognizer.Result())
        return self._find_phrase(result.get("result", []))

    def _find_phrase(self, words: list[dict[str, Any]]) -> WakeDetected | None:
        wanted = self.phrase.split()
        spoken = [str(item.get("word", "")) for item in words]
        for index in range(len(spoken) - len(wanted) + 1):
            if spoken[index : index + len(wanted)] != wanted:
                continue
            found = words[index : index + len(wanted)]
            confidence = min(unit_confidence(item.get("conf", 1.0), "Vosk word confidence") for item in found)
            if confidence < self.min_confidence:
                continue
            at = round((self._stream_start or 0.0) + float(found[-1].get("end", 0.0)), 3)
            if self._accept(at):
                return self._detected(at, confidence)
        return None

    def reset(self) -> None:
        self.recognizer = self._new_recognizer()
        self._stream_start = None
        self._last_wake_at = None
