"""Recognition with Vosk (Kaldi): the main engine when a model is installed.

Biasing uses Vosk's runtime grammar, which only models with a lookahead graph
(``graph/HCLr.fst`` + ``graph/Gr.fst``, i.e. the small models) honour; big models
with a static ``HCLG.fst`` ignore it, so for them we decode openly only. A
grammar recognizer runs beside the open one (it is cheap) and
:mod:`assistant.asr.biasing` picks the result.
"""

from __future__ import annotations

import functools
import json
import threading
from pathlib import Path
from typing import Any

from assistant.asr.base import Recognizer, RecognizerError, clean_phrases, unit_confidence
from assistant.asr.biasing import choose
from assistant.events import AudioChunk, PartialTranscript, Transcript, WordInfo

UNKNOWN = "[unk]"
PARTIAL_EVERY_SECONDS = 0.3
"""Vosk computes a partial by searching the lattice; every 100 ms chunk would cost ~40 % more CPU."""
_load_lock = threading.Lock()


def check_model_folder(path: str | Path) -> Path:
    """The folder if it looks like a Vosk model; RecognizerError saying what is wrong otherwise."""
    folder = Path(path).expanduser()
    if not folder.is_dir():
        raise RecognizerError(f"The Vosk model folder {folder} does not exist.")
    if not (folder / "am" / "final.mdl").exists() or not (folder / "conf" / "model.conf").exists():
        raise RecognizerError(
            f"{folder} is not a Vosk model (no am/final.mdl or conf/model.conf). "
            "Point vosk_model at the unpacked model folder, or run `assistant models install`."
        )
    return folder


def supports_grammar(path: str | Path) -> bool:
    """True for lookahead models, the only ones that apply a runtime grammar."""
    graph = Path(path) / "graph"
    return (graph / "HCLr.fst").exists() and (graph / "Gr.fst").exists()


@functools.lru_cache(maxsize=2)
def _load(path: str) -> Any:
    import vosk

    vosk.SetLogLevel(-1)
    try:
        return vosk.Model(path)
    except Exception as error:  # vosk raises a bare Exception("Failed to create a model")
        raise RecognizerError(
            f"Vosk could not load the model in {path}: {error}. Reinstall the model."
        ) from error


def load_vosk_model(path: str | Path) -> Any:
    """Load a model once per process; the wake spotter and the recognizer share it (hundreds of MB)."""
    folder = check_model_folder(path)
    with _load_lock:
        return _load(str(folder.resolve()))


def model_has_word(model: Any, word: str) -> bool:
    return int(model.vosk_model_find_word(word)) != -1


class VoskRecognizer(Recognizer):
    """Streaming Vosk recognition with optional grammar biasing."""

    engine = "vosk"

    def __init__(self, model_path: str | Path) -> None:
        self.model_path = check_model_folder(model_path)
        self.model: Any = load_vosk_model(self.model_path)
        self.grammar_capable = supports_grammar(self.model_path)
        self._open: Any = None
        self._biased: Any = None
        self._phrases: list[str] = []
        self._finals: list[dict[str, Any]] = []
        self._biased_finals: list[dict[str, Any]] = []
        self._last_partial = ""
        self._since_partial = 0.0
        self._has_unknown = model_has_word(self.model, UNKNOWN)

    def _recognizer(self, grammar: list[str] | None = None) -> Any:
        from vosk import KaldiRecognizer

        if grammar is None:
            recognizer = KaldiRecognizer(self.model, 16000)
        else:
            # ensure_ascii=False: Vosk looks words up verbatim, so "\\uc548" would never match
            recognizer = KaldiRecognizer(self.model, 16000, json.dumps(grammar, ensure_ascii=False))
        recognizer.SetWords(True)
        return recognizer

    def vocabulary_phrases(self, phrases: list[str] | None) -> list[str]:
        """Phrases whose every word the model knows (others would be silently dropped by Vosk)."""
        return [
            phrase
            for phrase in clean_phrases(phrases)
            if all(model_has_word(self.model, word) for word in phrase.split())
        ]

    def start(self, phrases: list[str] | None = None) -> None:
        self._phrases = self.vocabulary_phrases(phrases) if self.grammar_capable else []
        self._open = self._recognizer()
        self._biased = None
        if self._phrases:
            grammar = [*self._phrases, UNKNOWN] if self._has_unknown else list(self._phrases)
            self._biased = self._recognizer(grammar)
        self._finals = []
        self._biased_finals = []
        self._last_partial = ""
        self._since_partial = 0.0

    def accept(self, chunk: AudioChunk) -> PartialTranscript | None:
        if self._open is None:
            self.start(None)
        if self._biased is not None and self._biased.AcceptWaveform(chunk.audio):
            self._biased_finals.append(json.loads(self._biased.Result()))
        self._since_partial += len(chunk.audio) / (2 * chunk.rate)
        if self._open.AcceptWaveform(chunk.audio):
            self._finals.append(json.loads(self._open.Result()))
            partial = ""
        elif self._since_partial >= PARTIAL_EVERY_SECONDS:
            self._since_partial = 0.0
            partial = str(json.loads(self._open.PartialResult()).get("partial", ""))
        else:
            return None
        text = " ".join([*(final.get("text", "") for final in self._finals), partial]).split()
        joined = " ".join(text)
        if joined and joined != self._last_partial:
            self._last_partial = joined
            return PartialTranscript(text=joined)
        return None

    def _final_transcript(self) -> Transcript:
        if self._open is None:
            return Transcript(engine=self.engine)
        self._finals.append(json.loads(self._open.FinalResult()))
        open_result = self._transcript(self._finals)
        biased: Transcript | None = None
        if self._biased is not None:
            self._biased_finals.append(json.loads(self._biased.FinalResult()))
            biased = self._transcript(self._biased_finals)
            if UNKNOWN in biased.text.split():
                biased = None  # the speaker said something outside the known phrases
        self._open = self._biased = None
        return choose(biased, open_result, set(self._phrases))

    def _transcript(self, results: list[dict[str, Any]]) -> Transcript:
        words = [
            WordInfo(
                word=str(item.get("word", "")),
                confidence=unit_confidence(item.get("conf", 1.0), "Vosk word confidence"),
                start=float(item.get("start", 0.0)),
                end=float(item.get("end", 0.0)),
            )
            for result in results
            for item in result.get("result", [])
        ]
        text = " ".join(part for result in results if (part := str(result.get("text", "")).strip()))
        confidence = sum(word.confidence for word in words) / len(words) if words else 0.0
        return Transcript(
            text=text,
            confidence=round(confidence, 4),
            engine=self.engine,
            words=[word.__dict__ for word in words],
        )
