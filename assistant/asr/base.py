"""The recognizer interface every speech-to-text engine implements."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod

from assistant.events import AudioChunk, PartialTranscript, Transcript


class RecognizerError(Exception):
    """Recognition cannot run (model missing or broken); the message says how to fix it."""


class Recognizer(ABC):
    """Streaming speech-to-text for one request at a time.

    ``start(phrases)`` begins a request; ``phrases`` biases recognition toward
    known commands (None means open dictation). ``accept`` takes audio and may
    return the words so far; ``finish`` returns the final Transcript.
    """

    engine: str = ""

    @abstractmethod
    def start(self, phrases: list[str] | None = None) -> None:
        """Begin a new request, biased toward ``phrases`` when given."""

    @abstractmethod
    def accept(self, chunk: AudioChunk) -> PartialTranscript | None:
        """Feed audio; a PartialTranscript when the words so far changed."""

    @abstractmethod
    def finish(self) -> Transcript:
        """End the request and return the best transcript (empty text when nothing was heard)."""

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
