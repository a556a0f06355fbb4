"""Recognition with pocketsphinx and the English model inside its wheel.

It is the fallback that always works offline. Biasing: the request is decoded
as it streams twice at once, with the open language model (partials, free text)
and with a JSGF grammar of the known phrases on a second decoder;
:mod:`assistant.asr.biasing` picks one.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from typing import Any

from assistant.asr.base import Recognizer, RecognizerError, clean_phrases
from assistant.asr.biasing import choose
from assistant.events import AudioChunk, PartialTranscript, Transcript, WordInfo

FRAMES_PER_SECOND = 100
_OPEN_SEARCH = "_default"
_FILLERS = {"<s>", "</s>", "<sil>", "[NOISE]", "[SPEECH]", "[BREATH]", "[COUGH]", "[UM]", "[UH]", "[SMACK]"}
_SAFE_TOKEN = re.compile(r"^[a-z][a-z'.-]*$")


class PocketsphinxRecognizer(Recognizer):
    """Open dictation plus grammar biasing with pocketsphinx's en-us model."""

    engine = "pocketsphinx"

    def __init__(self, alternatives: int = 3) -> None:
        try:
            from pocketsphinx import Decoder
        except ImportError as error:
            raise RecognizerError("pocketsphinx is not installed: `pip install pocketsphinx`.") from error
        self.decoder: Any = Decoder(samprate=16000, loglevel="FATAL")
        self.alternatives = alternatives
        self._grammars: dict[str, str] = {}
        self._grammar: Any = None
        self._grammar_listening = False
        self._phrases: list[str] = []
        self._audio = bytearray()
        self._last_partial = ""
        self._started = False

    def start(self, phrases: list[str] | None = None) -> None:
        if self._started:
            self.decoder.end_utt()
            self._end_grammar_utterance()
        self._phrases = [phrase for phrase in clean_phrases(phrases) if self._known(phrase)]
        self._audio.clear()
        self._last_partial = ""
        self.decoder.activate_search(_OPEN_SEARCH)
        self.decoder.start_utt()
        if self._phrases:
            # The grammar pass runs while the user speaks, not after: at the end of speech
            # only the last few frames are left to decode in both passes.
            grammar = self._grammar_decoder()
            grammar.activate_search(self._grammar_search(self._phrases))
            grammar.start_utt()
            self._grammar_listening = True
        self._started = True

    def _known(self, phrase: str) -> bool:
        return all(_SAFE_TOKEN.match(word) and self.decoder.lookup_word(word) for word in phrase.split())

    def accept(self, chunk: AudioChunk) -> PartialTranscript | None:
        if not self._started:
            self.start(None)
        self._audio.extend(chunk.audio)
        self.decoder.process_raw(chunk.audio, False, False)
        if self._grammar_listening:
            self._grammar.process_raw(chunk.audio, False, False)
        hypothesis = self.decoder.hyp()
        text = hypothesis.hypstr if hypothesis is not None else ""
        if text and text != self._last_partial:
            self._last_partial = text
            return PartialTranscript(text=text)
        return None

    def finish(self) -> Transcript:
        if not self._started:
            return Transcript(engine=self.engine)
        self.decoder.end_utt()
        self._started = False
        open_result = _result(self.decoder, self.engine, self.alternatives)
        grammar_listened = self._end_grammar_utterance()
        if not grammar_listened or not self._audio:
            return open_result
        biased = _result(self._grammar, self.engine, 0)
        return choose(biased, open_result, set(self._phrases))

    def _end_grammar_utterance(self) -> bool:
        if not self._grammar_listening:
            return False
        self._grammar_listening = False
        self._grammar.end_utt()
        return True

    def _grammar_decoder(self) -> Any:
        """A second decoder for the phrase grammar, made on the first biased request."""
        if self._grammar is None:
            from pocketsphinx import Decoder

            self._grammar = Decoder(samprate=16000, loglevel="FATAL")
        return self._grammar

    def _grammar_search(self, phrases: list[str]) -> str:
        """A JSGF search for these phrases, built once per distinct phrase list."""
        key = hashlib.sha1("\n".join(phrases).encode()).hexdigest()[:12]
        name = self._grammars.get(key)
        if name is None:
            name = f"phrases_{key}"
            jsgf = "#JSGF V1.0;\ngrammar phrases;\npublic <phrase> = " + " | ".join(phrases) + ";\n"
            try:
                self._grammar.add_jsgf_string(name, jsgf)
            except RuntimeError as error:
                raise RecognizerError(f"pocketsphinx rejected the phrase grammar: {error}") from error
            self._grammars[key] = name
        return name

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
                confidence=round(float(segment.prob), 4),
                start=segment.start_frame / FRAMES_PER_SECOND,
                end=(segment.end_frame + 1) / FRAMES_PER_SECOND,
            )
        )
    confidence = sum(word.confidence for word in words) / len(words) if words else 0.0
    alternatives: list[str] = []
    if alternatives_wanted:
        for item in itertools.islice(decoder.nbest(), alternatives_wanted * 3):
            text = item.hypstr
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
