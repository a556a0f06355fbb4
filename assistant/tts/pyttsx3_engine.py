"""Speech with pyttsx3, which drives eSpeak NG on Linux: small, fast, robotic."""

from __future__ import annotations

import contextlib
import io
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from assistant.audio.convert import read_wav
from assistant.audio.errors import AudioError
from assistant.tts.base import Synthesizer, TTSUnavailable

# pyttsx3 keeps one engine per driver per process and is not thread-safe.
_ENGINE_LOCK = threading.Lock()

WRITE_TIMEOUT_SECONDS = 30.0
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
                    # In a thread other than the one that first used the engine, runAndWait can return
                    # before eSpeak's callback has written the file; wait for it inside the lock.
                    return _wait_for_wav(path, text)


def _wait_for_wav(path: Path, text: str, timeout: float = WRITE_TIMEOUT_SECONDS) -> bytes:
    deadline = time.monotonic() + timeout
    last_error: AudioError | None = None
    last_size = -1
    while time.monotonic() < deadline:
        size = path.stat().st_size if path.exists() else -1
        if size > 44 and size == last_size:  # unchanged for one poll: the callback finished writing
            try:
                return read_wav(path)
            except AudioError as error:
                last_error = error
        last_size = size
        time.sleep(0.03)
    if last_error is not None:
        raise TTSUnavailable(f"eSpeak NG produced unusable audio ({last_error}). {ESPEAK_HINT}")
    raise TTSUnavailable(f"eSpeak NG produced no audio for {text[:60]!r}. {ESPEAK_HINT}")
