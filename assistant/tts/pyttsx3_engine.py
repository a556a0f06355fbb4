"""Speech with pyttsx3, which drives eSpeak NG on Linux: small, fast, robotic."""

from __future__ import annotations

import contextlib
import io
import tempfile
import threading
from pathlib import Path
from typing import Any

from assistant.audio.convert import read_wav
from assistant.audio.errors import AudioError
from assistant.tts.base import Synthesizer, TTSUnavailable

# pyttsx3 keeps one engine per driver per process and is not thread-safe.
_ENGINE_LOCK = threading.Lock()

ESPEAK_HINT = "Install eSpeak NG with `sudo apt-get install espeak-ng` (or set tts_engine to piper)."


class Pyttsx3Synthesizer(Synthesizer):
    """pyttsx3's ``save_to_file`` into a temporary WAV, converted to 16 kHz."""

    engine = "pyttsx3"

    def __init__(self, voice: str = "", rate: int = 175) -> None:
        super().__init__()
        try:
            import pyttsx3
        except ImportError as error:
            raise TTSUnavailable(f"pyttsx3 is not installed: `pip install pyttsx3`. {ESPEAK_HINT}") from error
        try:
            with _ENGINE_LOCK:
                self._engine: Any = pyttsx3.init("espeak")
        except (OSError, RuntimeError, ImportError, AttributeError) as error:
            raise TTSUnavailable(f"eSpeak NG cannot be loaded ({error}). {ESPEAK_HINT}") from error
        self.voice = voice
        self.rate = rate

    def synthesize(self, text: str) -> bytes:
        if not text.strip():
            return b""
        with tempfile.TemporaryDirectory(prefix="assistant-tts-") as folder:
            path = Path(folder) / "speech.wav"
            with _ENGINE_LOCK:
                self._engine.setProperty("rate", self.rate)
                if self.voice:
                    self._engine.setProperty("voice", self.voice)
                # the espeak driver prints "Audio saved to ..." on stdout, which would corrupt --json output
                with contextlib.redirect_stdout(io.StringIO()):
                    self._engine.save_to_file(text, str(path))
                    self._engine.runAndWait()
            if not path.exists():
                raise TTSUnavailable(f"eSpeak NG produced no audio for {text!r}. {ESPEAK_HINT}")
            try:
                return read_wav(path)
            except AudioError as error:
                raise TTSUnavailable(f"eSpeak NG produced unusable audio ({error}). {ESPEAK_HINT}") from error
