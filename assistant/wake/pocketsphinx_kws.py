"""Wake word by pocketsphinx keyword spotting: any English phrase, no training.

The acoustic model and dictionary ship inside the pocketsphinx wheel, so this
works offline on a fresh install.
"""

from __future__ import annotations

import logging
from typing import Any

from assistant.events import AudioChunk, WakeDetected
from assistant.wake.base import WakeError, WakeWordDetector

log = logging.getLogger(__name__)

FRAMES_PER_SECOND = 100
"""pocketsphinx works on 10 ms frames."""

STRICT_EXPONENT = 30.0
EAGER_EXPONENT = -10.0
"""Sensitivity 0..1 maps onto kws thresholds 1e30..1e-10 (log scale). Measured with
benchmarks/speech.py: 'hey computer' spoken plainly scores above 1e20, while 'my
computer' in running speech passes 1e5 but not 1e10, so 0.5 (1e10) sits between."""


def sensitivity_to_threshold(sensitivity: float) -> float:
    """Map 0 (strict) .. 1 (eager) onto pocketsphinx's kws_threshold."""
    exponent = STRICT_EXPONENT + (EAGER_EXPONENT - STRICT_EXPONENT) * sensitivity
    return float(10.0**exponent)


class PocketsphinxWakeDetector(WakeWordDetector):
    """Keyword spotting with pocketsphinx's kws search."""

    engine = "pocketsphinx"

    def __init__(self, phrase: str = "hey computer", sensitivity: float = 0.5, refractory_seconds: float = 2.0):
        super().__init__(phrase, sensitivity, refractory_seconds)
        from pocketsphinx import Decoder

        self.threshold = sensitivity_to_threshold(sensitivity)
        self.decoder: Any = Decoder(
            samprate=16000, lm=None, keyphrase=self.phrase, kws_threshold=self.threshold, loglevel="FATAL"
        )
        missing = [word for word in self.phrase.split() if self.decoder.lookup_word(word) is None]
        if missing:
            raise WakeError(
                f"The wake phrase uses words the pocketsphinx dictionary does not know: {', '.join(missing)}. "
                "Choose common English words, or install a Vosk model and set wake_engine to vosk."
            )
        self._utterance_start = 0.0
        self._position = 0.0
        self.decoder.start_utt()

    def process(self, chunk: AudioChunk) -> WakeDetected | None:
        if self._position == 0.0 and self._utterance_start == 0.0:
            self._utterance_start = chunk.timestamp
        self.decoder.process_raw(chunk.audio, False, False)
        self._position = chunk.timestamp + len(chunk.audio) / (2 * chunk.rate)
        hypothesis = self.decoder.hyp()
        if hypothesis is None:
            return None
        segments = list(self.decoder.seg())
        end_frame = segments[-1].end_frame if segments else 0
        at = round(self._utterance_start + (end_frame + 1) / FRAMES_PER_SECOND, 3)
        probability = segments[-1].prob if segments else 1.0
        # a fresh utterance clears kws history, so the same phrase is not reported twice
        self._restart(self._position)
        if not self._accept(at):
            log.debug("wake at %.2f s ignored: refractory period", at)
            return None
        return WakeDetected(phrase=self.phrase, at=at, score=float(min(1.0, max(0.0, probability))))

    def _restart(self, start: float) -> None:
        self.decoder.end_utt()
        self.decoder.start_utt()
        self._utterance_start = start

    def reset(self) -> None:
        self._restart(self._position)
