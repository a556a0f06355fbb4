"""Recognition with pocketsphinx and the English model inside its wheel.

It is the fallback that always works offline. Biasing: the request is decoded
as it streams twice at once, with the open language model (partials, free text)
on the process's shared decoder and with a grammar of the known phrases on a
small grammar decoder (:mod:`assistant.asr.pocketsphinx_decoder`);
:mod:`assistant.asr.biasing` picks one.
"""

from __future__ import annotations

import itertools
import logging
import re
from typing import Any

from assistant.asr.base import Recognizer, RecognizerError, clean_phrases, unit_confidence
from assistant.asr.biasing import choose
from assistant.asr.pocketsphinx_decoder import OPEN_SEARCH, GrammarDecoder, SharedDecoder, shared_decoder
from assistant.events import AudioChunk, PartialTranscript, Transcript, WordInfo

log = logging.getLogger(__name__)

FRAMES_PER_SECOND = 100
_FILLERS = {"<s>", "</s>", "<sil>", "[NOISE]", "[SPEECH]", "[BREATH]", "[COUGH]", "[UM]", "[UH]", "[SMACK]"}
_SAFE_TOKEN = re.compile(r"^[a-z][a-z'.-]*$")


class PocketsphinxRecognizer(Recognizer):
    """Open dictation plus grammar biasing with pocketsphinx's en-us model."""

    engine = "pocketsphinx"

    def __init__(self, alternatives: int = 3, shared: SharedDecoder | None = None) -> None:
        try:
            self.shared = shared or shared_decoder()
        except ImportError as error:
            raise RecognizerError("pocketsphinx is not installed: `pip install pocketsphinx`.") from error
        self.decoder: Any = self.shared.decoder
        self.alternatives = alternatives
        self._grammar: GrammarDecoder | None = None
        self._grammar_listening = False
        self._phrases: list[str] = []
        self._audio = bytearray()
        self._last_partial = ""
        self._started = False

    def start(self, phrases: list[str] | None = None) -> None:
        with self.shared.lock:
            self.shared.end(self)  # a request still in progress is abandoned
            self._end_grammar_utterance()
            self._phrases = [phrase for phrase in clean_phrases(phrases) if self._known(phrase)]
            self._audio.clear()
            self._last_partial = ""
            self.shared.begin(self, OPEN_SEARCH)
            if self._phrases:
                # The grammar pass runs while the user speaks, not after: at the end of speech
                # only the last few frames are left to decode in both passes.
                grammar = self._grammar_decoder()
                try:
                    grammar.activate(self._phrases)
                except (RuntimeError, ValueError) as error:
                    raise RecognizerError(f"pocketsphinx rejected the phrase grammar: {error}") from error
                grammar.decoder.start_utt()
                self._grammar_listening = True
            self._started = True

    def _known(self, phrase: str) -> bool:
        return all(_SAFE_TOKEN.match(word) and self.decoder.lookup_word(word) for word in phrase.split())

    def accept(self, chunk: AudioChunk) -> PartialTranscript | None:
        if not self._started:
            self.start(None)
        with self.shared.lock:
            self._take_back_decoder()
            self._audio.extend(chunk.audio)
            self.decoder.process_raw(chunk.audio, False, False)
            if self._grammar_listening and self._grammar is not None:
                self._grammar.decoder.process_raw(chunk.audio, False, False)
            hypothesis = self.decoder.hyp()
        text = hypothesis.hypstr if hypothesis is not None else ""
        if text and text != self._last_partial:
            self._last_partial = text
            return PartialTranscript(text=text)
        return None

    def _take_back_decoder(self) -> None:
        """After another client used the shared decoder mid-request, decode the request's audio again."""
        if self.shared.owns(self):
            return
        log.debug("shared decoder was taken mid-request; replaying %d bytes", len(self._audio))
        self.shared.begin(self, OPEN_SEARCH)
        if self._audio:
            self.decoder.process_raw(bytes(self._audio), False, False)

    def _final_transcript(self) -> Transcript:
        open_result, biased = self.finish_both()
        return choose(biased, open_result, set(self._phrases))

    def finish_both(self) -> tuple[Transcript, Transcript | None]:
        """End the request: the open decoding and the grammar pass's result (None without phrases)."""
        if not self._started:
            return Transcript(engine=self.engine), None
        self._started = False
        with self.shared.lock:
            self._take_back_decoder()
            self.shared.end(self)
            open_result = _result(self.decoder, self.engine, self.alternatives)
        grammar_listened = self._end_grammar_utterance()
        if not grammar_listened or not self._audio or self._grammar is None:
            return open_result, None
        return open_result, _result(self._grammar.decoder, self.engine, 0)

    @property
    def phrases(self) -> set[str]:
        """The phrases of the current (or last) request's grammar."""
        return set(self._phrases)

    def _end_grammar_utterance(self) -> bool:
        if not self._grammar_listening or self._grammar is None:
            return False
        self._grammar_listening = False
        self._grammar.decoder.end_utt()
        return True

    def _grammar_decoder(self) -> GrammarDecoder:
        """The grammar decoder, made on the first biased request (5 MB, 15 ms)."""
        if self._grammar is None:
            self._grammar = GrammarDecoder(self.shared)
        return self._grammar


def _result(decoder: Any, engine: str, alternatives_wanted: int) -> Transcript:
    """The decoder's best hypothesis with word confidences and up to N alternatives."""
    hypothesis = decoder.hyp()
    if hypothesis is None or not hypothesis.hypstr:
        return Transcript(engine=engine)
    words = []
    for segment in decoder.seg() or []:
        if segment.word in _FILLERS:
            continue
        words.append(
            WordInfo(
                word=re.sub(r"\(\d+\)$", "", segment.word),
                # already a posterior (the binding exponentiates it); clamped for log-domain rounding
                confidence=unit_confidence(segment.prob),
                start=segment.start_frame / FRAMES_PER_SECOND,
                end=(segment.end_frame + 1) / FRAMES_PER_SECOND,
            )
        )
    confidence = sum(word.confidence for word in words) / len(words) if words else 0.0
    alternatives: list[str] = []
    if alternatives_wanted:
        for item in itertools.islice(decoder.nbest(), alternatives_wanted * 3):
            # the n-best list of a request that heard almost nothing can hold empty entries
            text = item.hypstr if item is not None else ""
            if text and text != hypothesis.hypstr and text not in alternatives:
                alternatives.append(text)
            if len(alternatives) >= alternatives_wanted:
                break
    return Transcript(
        text=hypothesis.hypstr,
        confidence=round(confidence, 4),
        engine=engine,
        words=[word.__dict__ for word in words],
        alternatives=alternatives,
    )
