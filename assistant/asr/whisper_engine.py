"""Dictation with Whisper (faster-whisper / CTranslate2, int8 on the CPU).

Whisper hears a whole utterance at once, so ``accept`` only keeps the audio and ``finish``
does the work: one encoding, an open greedy decoding, and, when phrases were given, a second
decoding with the assistant's vocabulary as the prompt. :mod:`assistant.asr.arbiter` picks
between them (and any extra candidates, like the grammar pass's result in the hybrid engine)
by their acoustic score, then by what the understanding stage makes of them.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np

from assistant.asr.arbiter import Candidate, Judge, Verdict, arbitrate
from assistant.asr.base import Recognizer, RecognizerError, clean_phrases
from assistant.asr.whisper_decoder import EncodedUtterance, Hypothesis, spoken_form
from assistant.asr.whisper_model import load_whisper_model
from assistant.events import AudioChunk, PartialTranscript, Transcript

log = logging.getLogger(__name__)

NO_SPEECH = 0.6
"""Whisper's no-speech probability above which a weakly scored result is dropped (it writes
"Thank you." into silence and noise)."""
WEAK_SCORE = -1.0
MIN_SECONDS = 0.2
PROMPT_WORDS = 120


def vocabulary_prompt(phrases: list[str] | None, words: int = PROMPT_WORDS) -> str:
    """A prompt of the assistant's phrases, each adding words not yet in it, the last ones kept
    (list items, device and taught names come last in the phrases and matter most)."""
    chosen: list[str] = []
    seen: set[str] = set()
    for phrase in clean_phrases(phrases):
        new = set(phrase.split()) - seen
        if new:
            chosen.append(phrase)
            seen |= new
    kept: list[str] = []
    count = 0
    for phrase in reversed(chosen):
        count += len(phrase.split())
        if count > words:
            break
        kept.append(phrase)
    return ". ".join(phrase[:1].upper() + phrase[1:] for phrase in reversed(kept)) + ("." if kept else "")


class WhisperRecognizer(Recognizer):
    """Whisper for one request at a time; ``judge`` (the understanding stage) breaks close calls."""

    engine = "whisper"

    def __init__(self, model_path: str | Path, judge: Judge | None = None, threads: int = 2) -> None:
        self.model: Any = load_whisper_model(model_path, threads)
        self.judge = judge
        self._audio = bytearray()
        self._prompt = ""
        self._prompt_source: list[str] | None = None
        self._started = False

    def start(self, phrases: list[str] | None = None) -> None:
        if phrases is not self._prompt_source:  # the same list object: the prompt is still right
            self._prompt_source = phrases
            self._prompt = vocabulary_prompt(phrases)
        self._audio.clear()
        self._started = True

    def accept(self, chunk: AudioChunk) -> PartialTranscript | None:
        if not self._started:
            self.start(None)
        self._audio.extend(chunk.audio)
        return None

    def _final_transcript(self) -> Transcript:
        audio = bytes(self._audio)
        self._audio.clear()
        self._started = False
        return self.decide(audio)

    def decide(self, audio: bytes, extra: list[str] | None = None, path: str = "dictation") -> Transcript:
        """Decode ``audio`` (16 kHz s16le) and pick among Whisper's and the ``extra`` hypotheses."""
        if len(audio) < MIN_SECONDS * 32000:
            return Transcript(engine=self.engine, path=path)
        samples = np.frombuffer(audio, dtype="<i2").astype(np.float32) / 32768.0
        try:
            utterance = EncodedUtterance(self.model, samples)
            open_result = utterance.decode()
            hypotheses = [open_result]
            if self._prompt:
                hypotheses.append(utterance.decode(self._prompt))
            candidates = [_candidate(hypothesis) for hypothesis in hypotheses]
            for text in extra or []:
                candidates.append(Candidate(text, utterance.score(text), "grammar"))
        except RuntimeError as error:  # CTranslate2 reports its failures as RuntimeError
            raise RecognizerError(f"Whisper could not decode the request: {error}") from error
        if open_result.no_speech > NO_SPEECH and open_result.score < WEAK_SCORE:
            return Transcript(engine=self.engine, path=path)
        verdict = arbitrate(candidates, self.judge)
        if verdict is None:
            return Transcript(engine=self.engine, path=path)
        return _transcript(verdict, self.engine, path)


def _candidate(hypothesis: Hypothesis) -> Candidate:
    return Candidate(spoken_form(hypothesis.text), hypothesis.score, hypothesis.source)


def _transcript(verdict: Verdict, engine: str, path: str) -> Transcript:
    chosen = verdict.chosen
    confidence = round(min(1.0, float(np.exp(chosen.score))), 4)
    # Only hypotheses the audio supports about as well are offered as alternatives: the
    # dialogue acts on an alternative when the best guess means nothing.
    alternatives = [candidate.text for candidate in verdict.eligible if candidate.text != chosen.text]
    words = [{"word": word, "confidence": confidence} for word in chosen.text.split()]
    return Transcript(
        text=chosen.text,
        confidence=confidence,
        engine=engine,
        words=words,
        alternatives=alternatives,
        path=f"{path}:{chosen.source}",
    )
