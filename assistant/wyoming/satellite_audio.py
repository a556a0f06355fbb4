"""Audio to and from a satellite: its microphone as our AudioSource, our voice into its speaker."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator

from assistant.audio.sinks import AudioSink
from assistant.audio.sources import AudioSource
from assistant.events import AudioChunk
from assistant.tts.base import Synthesizer

MAX_QUEUED_CHUNKS = 500
"""About 30 s of audio; if the pipeline falls this far behind, the oldest audio is dropped."""
AHEAD_SECONDS = 0.3
"""How far our voice may run ahead of the satellite's playback (it buffers that much)."""


class StreamSource(AudioSource):
    """Chunks pushed in by the satellite's connection; live (ends only when closed)."""

    def __init__(self) -> None:
        self._queue: queue.Queue[AudioChunk | None] = queue.Queue(MAX_QUEUED_CHUNKS)
        self._closed = threading.Event()
        self.position = 0.0
        """Stream seconds received so far."""
        self._first_arrival: float | None = None

    @property
    def is_live(self) -> bool:
        return True

    def arrival_of(self, stream_seconds: float) -> float:
        """When audio at ``stream_seconds`` arrived (monotonic; satellites stream in real time)."""
        return (self._first_arrival or time.monotonic()) + stream_seconds

    def put(self, pcm: bytes) -> None:
        """16 kHz mono audio from the satellite."""
        if self._first_arrival is None:
            self._first_arrival = time.monotonic()
        chunk = AudioChunk(audio=pcm, timestamp=self.position)
        self.position += len(pcm) / 32000
        while True:
            try:
                self._queue.put_nowait(chunk)
                return
            except queue.Full:
                try:
                    self._queue.get_nowait()
                except queue.Empty:
                    pass

    def chunks(self) -> Iterator[AudioChunk]:
        while not self._closed.is_set():
            try:
                chunk = self._queue.get(timeout=0.2)
            except queue.Empty:
                continue
            if chunk is None:
                return
            yield chunk

    def close(self) -> None:
        self._closed.set()
        try:
            self._queue.put_nowait(None)
        except queue.Full:
            pass


class SatelliteSink(AudioSink):
    """Sends our voice to the satellite (``audio-start``, chunks, ``audio-stop``) at the pace of
    playback, so the loop knows when the reply has been heard and barge-in cuts it short."""

    def __init__(self, send_audio: Callable[[str, bytes], None]) -> None:
        super().__init__()
        self._send_audio = send_audio
        self._began: float | None = None
        self._sent = 0.0

    def begin(self) -> None:
        self._began, self._sent = None, 0.0
        self._send_audio("start", b"")

    def end(self) -> None:
        self._send_audio("stop", b"")

    def _write_piece(self, pcm: bytes) -> None:
        if self._began is None:
            self._began = time.monotonic()  # playback starts with the first audio
        ahead = self._sent - (time.monotonic() - self._began)
        if ahead > AHEAD_SECONDS:
            self._stopped.wait(ahead - AHEAD_SECONDS)
        self._send_audio("chunk", pcm)
        self._sent += len(pcm) / 32000


class SharedVoice(Synthesizer):
    """One satellite's voice: its own stop and sink, the engine shared with the others (one
    sentence at a time, as most engines can only say one thing at once)."""

    def __init__(self, engine: Synthesizer, lock: threading.Lock) -> None:
        super().__init__()
        self.engine_shared = engine
        self.engine = engine.engine
        self._engine_lock = lock

    def synthesize(self, text: str) -> bytes:
        with self._engine_lock:
            return self.engine_shared.synthesize(text)

    def synthesize_stream(self, text: str) -> Iterator[bytes]:
        with self._engine_lock:
            pieces = list(self.engine_shared.synthesize_stream(text))
        yield from pieces

    def speak(self, text: str, sink: AudioSink, on_first_audio: Callable[[], None] | None = None) -> bool:
        if not isinstance(sink, SatelliteSink):
            return super().speak(text, sink, on_first_audio)
        sink.begin()
        try:
            return super().speak(text, sink, on_first_audio)
        finally:
            sink.end()
