"""Every confidence an engine reports is a number in [0, 1]: one check that all engines go through."""

from __future__ import annotations

import math

import pytest

from assistant.asr.base import (
    ConfidenceError,
    Recognizer,
    RecognizerError,
    checked_transcript,
    unit_confidence,
)
from assistant.events import AudioChunk, PartialTranscript, Transcript
from assistant.wake.base import WakeWordDetector


class ScriptedRecognizer(Recognizer):
    """An engine that reports whatever confidences it is given, as a buggy engine might."""

    engine = "scripted"

    def __init__(self, word_confidence: object) -> None:
        self.word_confidence = word_confidence

    def start(self, phrases: list[str] | None = None) -> None:
        pass

    def accept(self, chunk: AudioChunk) -> PartialTranscript | None:
        return None

    def _final_transcript(self) -> Transcript:
        word = {"word": "stop", "confidence": self.word_confidence, "start": 0.0, "end": 0.4}
        return Transcript(text="stop", confidence=1.0001, engine=self.engine, words=[word])


class ScriptedWake(WakeWordDetector):
    engine = "scripted"

    def process(self, chunk: AudioChunk) -> None:
        return None

    def reset(self) -> None:
        pass


@pytest.mark.parametrize(
    ("reported", "clamped"),
    [(1.0001, 1.0), (1.7, 1.0), (-0.2, 0.0), (0.25, 0.25), ("0.5", 0.5), (math.inf, 1.0)],
)
def test_a_confidence_outside_zero_to_one_is_clamped(reported: object, clamped: float) -> None:
    assert unit_confidence(reported) == clamped


@pytest.mark.parametrize("reported", [math.nan, "high", None, True, [0.5]])
def test_a_confidence_that_is_not_a_number_is_refused(reported: object) -> None:
    with pytest.raises(ConfidenceError, match="confidence"):
        unit_confidence(reported)


def test_checked_transcript_clamps_the_transcript_and_every_word() -> None:
    transcript = Transcript(
        text="a b", confidence=1.2, words=[{"word": "a", "confidence": 1.0001}, {"word": "b"}]
    )
    checked = checked_transcript(transcript)
    assert checked.confidence == 1.0
    assert checked.words == [{"word": "a", "confidence": 1.0}, {"word": "b"}]


def test_every_engine_finish_goes_through_the_check() -> None:
    result = ScriptedRecognizer(word_confidence=1.0001).finish()
    assert result.confidence == 1.0 and result.words[0]["confidence"] == 1.0


def test_an_engine_reporting_nan_fails_with_a_recognizer_error() -> None:
    with pytest.raises(RecognizerError, match="scripted recognizer gave a broken result"):
        ScriptedRecognizer(word_confidence=math.nan).finish()


def test_wake_scores_are_clamped_for_every_engine() -> None:
    detector = ScriptedWake("hey computer")
    assert detector._detected(1.23456, 1.4).score == 1.0
    assert detector._detected(1.0, -0.1).score == 0.0
    assert detector._detected(1.23456, 0.5).at == 1.235
