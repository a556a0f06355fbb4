"""Dictation with Whisper (faster-whisper / CTranslate2, int8 on the CPU).

Whisper hears a whole utterance at once, so ``accept`` only keeps the audio and ``finish``
does the work: one encoding, an open greedy decoding, and, when phrases were given, a second
decoding with the assistant's vocabulary as the prompt. :mod:`assistant.asr.arbiter` picks
between them (and any extra candidates, like the grammar pass's result in the hybrid engine)
by their acoustic score, then by what the understanding stage makes of them.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path
from typing import Any

import numpy as np

from assistant.asr.arbiter import Candidate, Judge, Understander, Verdict, arbitrate
from assistant.asr.base import Recognizer, RecognizerError, clean_phrases
from assistant.asr.repair import first_word_repairs, function_word_repairs
from assistant.asr.speculation import Speculation
from assistant.asr.whisper_decoder import EncodedUtterance, Hypothesis
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
    """A prompt of the assistant's requests as previous text: short sentences, each bringing the
    most words not yet in it (so every skill's words appear). One- and two-word phrases (list
    values such as units) are left out: as the last words before the audio they were heard in
    it ("tonne the desk lamp")."""
    cleaned = clean_phrases(phrases)
    sentences = [
        phrase for phrase in cleaned if 3 <= len(phrase.split()) <= 8 and not any(c.isdigit() for c in phrase)
    ]
    budget = words
    chosen: list[str] = []
    seen: set[str] = set()
    while sentences and budget > 0:
        best = max(sentences, key=lambda phrase: (len(set(phrase.split()) - seen), -len(phrase.split())))
        if not set(best.split()) - seen:
            break
        sentences.remove(best)
        chosen.append(best)
        seen |= set(best.split())
        budget -= len(best.split())
    return " ".join(f"{phrase[:1].upper()}{phrase[1:]}." for phrase in chosen)


class WhisperRecognizer(Recognizer):
    """Whisper for one request at a time; ``judge`` (the understanding stage) breaks close calls."""

    engine = "whisper"

    def __init__(self, model_path: str | Path, judge: Judge | None = None, threads: int = 2) -> None:
        self.model: Any = load_whisper_model(model_path, threads)
        self.judge = judge
        self._audio = bytearray()
        self._prompt = ""
        self._prompt_source: list[str] | None = None
        self._starts: list[str] = []
        self.speculation = Speculation(self.decide)
        self._started = False

    def start(self, phrases: list[str] | None = None) -> None:
        if phrases is not self._prompt_source:  # the same list object: the prompt is still right
            self._prompt_source = phrases
            self._prompt = vocabulary_prompt(phrases)
            if isinstance(self.judge, Understander):
                self._starts = self.judge.request_starts()
        self._audio.clear()
        self.speculation.reset()
        self._started = True

    def accept(self, chunk: AudioChunk) -> PartialTranscript | None:
        if not self._started:
            self.start(None)
        self._audio.extend(chunk.audio)
        self.speculation.observe(chunk.audio, self._audio)
        return None

    def _final_transcript(self) -> Transcript:
        audio = bytes(self._audio)
        self._audio.clear()
        self._started = False
        early = self.speculation.result()
        if early is not None:
            return dataclasses.replace(early, path=early.path + "+early")
        return self.decide(audio)

    def decide(self, audio: bytes, extra: list[str] | None = None, path: str = "dictation") -> Transcript:
        """Decode ``audio`` (16 kHz s16le) and pick among Whisper's and the ``extra`` hypotheses."""
        if len(audio) < MIN_SECONDS * 32000:
            return Transcript(engine=self.engine, path=path)
        samples = np.frombuffer(audio, dtype="<i2").astype(np.float32) / 32768.0
        try:
            utterance = EncodedUtterance(self.model, samples)
            open_result = utterance.decode()
            if open_result.runaway and not utterance.full_window:
                log.debug(
                    "Whisper ran away in the short window (%r); decoding the full one", open_result.text
                )
                utterance = EncodedUtterance(self.model, samples, full_window=True)
                open_result = utterance.decode()
            hypotheses = [open_result]
            if self._prompt:
                hypotheses.append(utterance.decode(self._prompt))
            # a runaway prompted decoding repeats the prompt, not the audio
            candidates = [_candidate(hypothesis) for hypothesis in hypotheses if not hypothesis.runaway]
            for text in extra or []:
                mean, total = utterance.score(text)
                candidates.append(Candidate(text, mean, "grammar", total))
            if self.judge is not None and self._starts and not _understood(self.judge, open_result.text):
                repairs = first_word_repairs(open_result.text, self._starts)
                for text in [*repairs, *function_word_repairs(open_result.text)]:
                    mean, total = utterance.score(text)
                    candidates.append(Candidate(text, mean, "repair", total))
        except RuntimeError as error:  # CTranslate2 reports its failures as RuntimeError
            raise RecognizerError(f"Whisper could not decode the request: {error}") from error
        if open_result.no_speech > NO_SPEECH and open_result.score < WEAK_SCORE:
            return Transcript(engine=self.engine, path=path)
        verdict = arbitrate(candidates, self.judge)
        if verdict is None:
            return Transcript(engine=self.engine, path=path)
        return _transcript(verdict, self.engine, path)


def _understood(judge: Judge, text: str) -> bool:
    reading = judge(text)
    return reading is not None and reading.exact


def _candidate(hypothesis: Hypothesis) -> Candidate:
    return Candidate(hypothesis.text, hypothesis.score, hypothesis.source, hypothesis.total)


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
