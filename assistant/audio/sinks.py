"""Audio sinks: where speech output goes (a WAV file or the speakers)."""

from __future__ import annotations

import threading
import time
import wave
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any

from assistant.audio.convert import TARGET_RATE
from assistant.audio.device import load_sounddevice, require_device
from assistant.audio.errors import AudioError

WRITE_PIECE_SECONDS = 0.05
"""Audio is handed over in pieces this long so a stop takes effect within one piece."""


class AudioSink(ABC):
    """Takes 16 kHz mono s16le audio; ``stop()`` drops what is still playing."""

    def __init__(self) -> None:
        self._stopped = threading.Event()

    @abstractmethod
    def _write_piece(self, pcm: bytes) -> None:
        """Write one short piece of audio."""

    def write(self, pcm: bytes) -> bool:
        """Play or store audio; False when stopped part-way (barge-in)."""
        piece = int(TARGET_RATE * WRITE_PIECE_SECONDS) * 2
        for offset in range(0, len(pcm), piece):
            if self._stopped.is_set():
                return False
            self._write_piece(pcm[offset : offset + piece])
        return not self._stopped.is_set()

    def stop(self) -> None:
        """Interrupt the current output at once."""
        self._stopped.set()

    def resume(self) -> None:
        """Accept output again after a stop (the next reply)."""
        self._stopped.clear()

    @property
    def stopped(self) -> bool:
        return self._stopped.is_set()

    def close(self) -> None:
        """Release the file or device; nothing more can be written."""
        self._stopped.set()


class WavFileSink(AudioSink):
    """Append all output to one WAV file; ``realtime`` paces writes like a speaker."""

    def __init__(self, path: str | Path, realtime: bool = False) -> None:
        super().__init__()
        self.path = Path(path)
        self.realtime = realtime
        self.written_bytes = 0
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file: wave.Wave_write | None = wave.open(str(self.path), "wb")
        except OSError as error:
            raise AudioError(f"Cannot write {self.path}: {error.strerror or error}.") from error
        self._file.setnchannels(1)
        self._file.setsampwidth(2)
        self._file.setframerate(TARGET_RATE)
        self._lock = threading.Lock()

    def _write_piece(self, pcm: bytes) -> None:
        with self._lock:
            if self._file is None:
                raise AudioError(f"{self.path} is already closed.")
            self._file.writeframes(pcm)
            self.written_bytes += len(pcm)
        if self.realtime:
            self._stopped.wait(len(pcm) / (TARGET_RATE * 2))

    @property
    def written_seconds(self) -> float:
        return self.written_bytes / (TARGET_RATE * 2)

    def close(self) -> None:
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None


class SpeakerSink(AudioSink):
    """Play through a sound device; AudioUnavailable when there is none."""

    def __init__(self, device: int | str | None = None) -> None:
        super().__init__()
        self.sd = load_sounddevice()
        require_device("output", device)
        self._stream: Any = self.sd.RawOutputStream(
            samplerate=TARGET_RATE, channels=1, dtype="int16", device=device
        )
        self._stream.start()

    def _write_piece(self, pcm: bytes) -> None:
        self._stream.write(pcm)

    def stop(self) -> None:
        super().stop()
        # abort() drops the device buffer too, so the voice stops now, not after ~100 ms of queued audio
        self._stream.abort()
        self._stream.start()

    def close(self) -> None:
        self._stream.stop()
        self._stream.close()


class NullSink(AudioSink):
    """Discard output (text-only mode) but keep the timing contract."""

    def _write_piece(self, pcm: bytes) -> None:
        time.sleep(0)
