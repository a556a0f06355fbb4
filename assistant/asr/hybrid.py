"""The default recognizer: a fast grammar pass for known commands, Whisper for everything else.

pocketsphinx decodes the request while it is spoken, openly and with the grammar of the
assistant's phrases (partials come from it). At the end of speech:

- **grammar path**: when the grammar pass heard a complete known phrase, the open decoding
  heard mostly the same words, and the understanding stage reads it as an exact command with
  no free-text slot, it is the transcript at once (a few ms: commands stay fast);
- **dictation path**: otherwise Whisper decodes the utterance and the hypothesis the audio
  supports best, then the one the understanding stage understands best, wins (the grammar's
  phrase takes part, scored by Whisper like the others). Free text — list items, notes,
  reminders, names of new commands — always comes from here, never from the grammar, whose
  phrases carry stand-in slot values.

``Transcript.path`` says which path a turn took ("grammar", "dictation:open", ...); the voice
loop records it in the trace's ``asr`` stage.
"""

from __future__ import annotations

import dataclasses

from assistant.asr.arbiter import Judge
from assistant.asr.base import Recognizer, checked_transcript
from assistant.asr.biasing import agreement
from assistant.asr.pocketsphinx_engine import PocketsphinxRecognizer
from assistant.asr.whisper_engine import WhisperRecognizer
from assistant.events import AudioChunk, PartialTranscript, Transcript

FAST_AGREEMENT = 0.75
"""Share of the grammar phrase's words the open pocketsphinx decoding must also have heard for
the grammar path; below it the two passes disagree and Whisper decides."""
FAST_CONFIDENCE = 0.5
"""Mean word posterior of the grammar result needed for the grammar path."""


class HybridRecognizer(Recognizer):
    """pocketsphinx's streaming grammar pass and Whisper, sharing one request's audio."""

    engine = "hybrid"

    def __init__(self, grammar: PocketsphinxRecognizer, dictation: WhisperRecognizer) -> None:
        self.grammar = grammar
        self.dictation = dictation
        self._audio = bytearray()

    @property
    def judge(self) -> Judge | None:
        return self.dictation.judge

    @judge.setter
    def judge(self, judge: Judge | None) -> None:
        self.dictation.judge = judge

    def start(self, phrases: list[str] | None = None) -> None:
        self.grammar.start(phrases)
        self.dictation.start(phrases)
        self._audio.clear()

    def accept(self, chunk: AudioChunk) -> PartialTranscript | None:
        self._audio.extend(chunk.audio)
        self.dictation.speculation.observe(chunk.audio, self._audio)
        return self.grammar.accept(chunk)

    def _final_transcript(self) -> Transcript:
        open_result, biased = self.grammar.finish_both()
        audio = bytes(self._audio)
        self._audio.clear()
        if biased is not None and self._fast(biased, open_result):
            self.dictation.speculation.abandon()
            return dataclasses.replace(checked_transcript(biased), engine="pocketsphinx", path="grammar")
        early = self.dictation.speculation.result()
        if early is not None:  # decoded in the silence window (without the grammar's phrase to compare)
            return dataclasses.replace(early, path=early.path + "+early")
        extra = [biased.text] if biased is not None and biased.text in self.grammar.phrases else []
        return self.dictation.decide(audio, extra)

    def _fast(self, biased: Transcript, open_result: Transcript) -> bool:
        if not biased.text or biased.text not in self.grammar.phrases:
            return False
        # both ways: the open pass heard the phrase's words, and little besides ("wake me up"
        # is a complete phrase inside "wake me up at six forty five tomorrow")
        if (
            min(agreement(biased.text, open_result.text), agreement(open_result.text, biased.text))
            < FAST_AGREEMENT
        ):
            return False
        if biased.confidence < FAST_CONFIDENCE:
            return False
        reading = self.judge(biased.text) if self.judge is not None else None
        return reading is not None and reading.exact and not reading.free_text
