"""The recognizer interface every speech-to-text engine implements."""

from __future__ import annotations

import dataclasses
import math
import re
from abc import ABC, abstractmethod

from assistant.events import AudioChunk, PartialTranscript, Transcript


class RecognizerError(Exception):
    """Recognition cannot run (model missing or broken); the message says how to fix it."""


class ConfidenceError(ValueError):
    """An engine reported a confidence that is not a number."""


class Recognizer(ABC):
    """Streaming speech-to-text for one request at a time.

    ``start(phrases)`` begins a request; ``phrases`` biases recognition toward
    known commands (None means open dictation). ``accept`` takes audio and may
    return the words so far; ``finish`` returns the final Transcript. Engines
    implement ``_final_transcript``; ``finish`` passes its result through
    :func:`checked_transcript`, so every engine's confidences are within [0, 1].
    """

    engine: str = ""

    @abstractmethod
    def start(self, phrases: list[str] | None = None) -> None:
        """Begin a new request, biased toward ``phrases`` when given."""

    @abstractmethod
    def accept(self, chunk: AudioChunk) -> PartialTranscript | None:
        """Feed audio; a PartialTranscript when the words so far changed."""

    def finish(self) -> Transcript:
        """End the request and return the best transcript (empty text when nothing was heard).

        Raises RecognizerError when the engine reports a confidence that is not a number.
        """
        try:
            return checked_transcript(self._final_transcript())
        except ConfidenceError as error:
            raise RecognizerError(f"The {self.engine} recognizer gave a broken result: {error}") from error

    @abstractmethod
    def _final_transcript(self) -> Transcript:
        """The engine's own end of request: its best transcript, confidences as the engine gave them."""

    def transcribe(
        self, pcm: bytes, phrases: list[str] | None = None, chunk_seconds: float = 0.2
    ) -> Transcript:
        """Recognize a whole 16 kHz mono s16le buffer in one call."""
        self.start(phrases)
        step = int(16000 * chunk_seconds) * 2
        for offset in range(0, len(pcm), step):
            self.accept(AudioChunk(audio=pcm[offset : offset + step], timestamp=offset / 32000))
        return self.finish()


def normalize_words(text: str) -> list[str]:
    """Lower-case words without punctuation, the form recognizers output."""
    return re.findall(r"[^\W_]+(?:'[^\W_]+)?", text.lower())


def clean_phrases(phrases: list[str] | None) -> list[str]:
    """Distinct, normalized phrases; template pieces like ``{name}`` or ``[the]`` make no sense to an
    engine, so phrases holding them are skipped (callers should pass expanded examples)."""
    if not phrases:
        return []
    seen: dict[str, None] = {}
    for phrase in phrases:
        if any(mark in phrase for mark in "{}[]<>|()"):
            continue
        words = normalize_words(phrase)
        if words:
            seen.setdefault(" ".join(words), None)
    return list(seen)


def unit_confidence(value: object, what: str = "confidence") -> float:
    """``value`` as a confidence in [0, 1].

    Engines' scores stray a little outside the range (pocketsphinx's posteriors are
    computed in an integer log domain and come back as 1.0001), so they are clamped;
    a value that is not a number is an engine bug and raises ConfidenceError.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ConfidenceError(f"The {what} {value!r} is not a number.")
    try:
        number = float(value)
    except ValueError as error:
        raise ConfidenceError(f"The {what} {value!r} is not a number.") from error
    if math.isnan(number):
        raise ConfidenceError(f"The {what} is NaN.")
    return round(min(1.0, max(0.0, number)), 4)


def checked_transcript(transcript: Transcript) -> Transcript:
    """The transcript with its own and every word's confidence clamped to [0, 1] (see unit_confidence)."""
    words = [
        {**word, "confidence": unit_confidence(word["confidence"], f"confidence of {word.get('word')!r}")}
        if "confidence" in word
        else word
        for word in transcript.words
    ]
    confidence = unit_confidence(transcript.confidence, "transcript confidence")
    return dataclasses.replace(transcript, confidence=confidence, words=words)
