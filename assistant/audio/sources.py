"""Audio sources: each yields AudioChunk events of 16 kHz mono 16-bit audio."""

from __future__ import annotations

import queue
import sys
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from assistant.audio.convert import TARGET_RATE, convert_pcm, read_wav
from assistant.audio.device import load_sounddevice, require_device
from assistant.audio.errors import AudioUnavailable
from assistant.events import AudioChunk

DEFAULT_CHUNK_SECONDS = 0.1
BYTES_PER_SECOND = TARGET_RATE * 2


class AudioSource(ABC):
    """A stream of AudioChunk events; iterate it, then ``close()``."""

    chunk_seconds: float = DEFAULT_CHUNK_SECONDS

    @abstractmethod
    def chunks(self) -> Iterator[AudioChunk]:
        """Yield chunks until the input ends or ``close()`` is called."""

    def __iter__(self) -> Iterator[AudioChunk]:
        return self.chunks()

    @abstractmethod
    def close(self) -> None:
        """Stop producing chunks; safe to call twice and from another thread."""

    @property
    def is_live(self) -> bool:
        """True for sources that never end by themselves (microphone)."""
        return False


def split_pcm(pcm: bytes, chunk_bytes: int, start: float = 0.0) -> Iterator[AudioChunk]:
    """Cut PCM into AudioChunk events with correct timestamps."""
    for offset in range(0, len(pcm), chunk_bytes):
        yield AudioChunk(
            audio=pcm[offset : offset + chunk_bytes], timestamp=start + offset / BYTES_PER_SECOND
        )


class WavFileSource(AudioSource):
    """Chunks from a WAV file of any format; ``realtime`` paces them like a microphone."""

    def __init__(
        self, path: str | Path, chunk_seconds: float = DEFAULT_CHUNK_SECONDS, realtime: bool = False
    ):
        self.path = Path(path)
        self.chunk_seconds = chunk_seconds
        self.realtime = realtime
        self.pcm = read_wav(self.path)  # fail early, before the loop starts
        self._closed = threading.Event()

    @property
    def duration(self) -> float:
        return len(self.pcm) / BYTES_PER_SECOND

    def chunks(self) -> Iterator[AudioChunk]:
        began = time.monotonic()
        for chunk in split_pcm(self.pcm, _chunk_bytes(self.chunk_seconds)):
            if self._closed.is_set():
                return
            if self.realtime:
                delay = chunk.timestamp - (time.monotonic() - began)
                if delay > 0 and self._closed.wait(delay):
                    return
            yield chunk

    def close(self) -> None:
        self._closed.set()


class StdinRawSource(AudioSource):
    """Raw s16le 16 kHz mono audio from a binary stream (stdin by default)."""

    def __init__(self, stream: BinaryIO | None = None, chunk_seconds: float = DEFAULT_CHUNK_SECONDS):
        self.stream = stream if stream is not None else sys.stdin.buffer
        self.chunk_seconds = chunk_seconds
        self._closed = threading.Event()

    def chunks(self) -> Iterator[AudioChunk]:
        size = _chunk_bytes(self.chunk_seconds)
        position = 0
        pending = b""
        while not self._closed.is_set():
            data = self.stream.read(size - len(pending))
            if not data:
                break
            pending += data
            if len(pending) >= size:
                yield AudioChunk(audio=pending, timestamp=position / BYTES_PER_SECOND)
                position += len(pending)
                pending = b""
        if pending and not self._closed.is_set():
            usable = len(pending) - len(pending) % 2
            yield AudioChunk(audio=pending[:usable], timestamp=position / BYTES_PER_SECOND)

    def close(self) -> None:
        self._closed.set()


class MicrophoneSource(AudioSource):
    """Live audio from a sound device; AudioUnavailable when there is none."""

    def __init__(self, device: int | str | None = None, chunk_seconds: float = DEFAULT_CHUNK_SECONDS):
        self.sd = load_sounddevice()
        self.info: Any = require_device("input", device)
        self.device = device
        self.chunk_seconds = chunk_seconds
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=200)
        self._closed = threading.Event()
        self._stream: Any = None
        self.rate = TARGET_RATE

    @property
    def is_live(self) -> bool:
        return True

    def _open(self) -> None:
        def callback(data: Any, _frames: int, _time: Any, _status: Any) -> None:
            try:
                self._queue.put_nowait(bytes(data))
            except queue.Full:
                pass  # the consumer fell behind: dropping audio beats an ever-growing delay

        for rate in (TARGET_RATE, int(self.info["default_samplerate"])):
            try:
                self._stream = self.sd.RawInputStream(
                    samplerate=rate,
                    blocksize=int(rate * self.chunk_seconds),
                    device=self.device,
                    channels=1,
                    dtype="int16",
                    callback=callback,
                )
                self.rate = rate
                break
            except self.sd.PortAudioError as error:
                last_error = error
        else:
            raise AudioUnavailable(f"The microphone cannot be opened: {last_error}.")
        self._stream.start()

    def chunks(self) -> Iterator[AudioChunk]:
        self._open()
        position = 0
        try:
            while not self._closed.is_set():
                try:
                    data = self._queue.get(timeout=0.5)
                except queue.Empty:
                    continue
                if data is None:
                    break
                if self.rate != TARGET_RATE:
                    data = convert_pcm(data, self.rate)
                yield AudioChunk(audio=data, timestamp=position / BYTES_PER_SECOND)
                position += len(data)
        finally:
            self._stop_stream()

    def _stop_stream(self) -> None:
        if self._stream is not None:
            self._stream.stop()
            self._stream.close()
            self._stream = None

    def close(self) -> None:
        self._closed.set()
        try:
            self._queue.put_nowait(None)
        except queue.Full:
            pass  # the loop checks the closed flag on its next get anyway


def _chunk_bytes(seconds: float) -> int:
    return max(2, int(TARGET_RATE * seconds) * 2)
