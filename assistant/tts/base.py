"""The synthesizer interface: text to 16 kHz mono PCM, and interruptible speaking."""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator

from assistant.audio.sinks import AudioSink


class TTSUnavailable(Exception):
    """A speech engine or its voice is missing; the message says how to install it."""


class Synthesizer(ABC):
    """Turns text into speech and plays it into a sink until done or ``stop()``ped."""

    engine: str = ""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._sink: AudioSink | None = None
        self._lock = threading.Lock()

    @abstractmethod
    def synthesize(self, text: str) -> bytes:
        """The whole utterance as 16 kHz mono s16le PCM."""

    def synthesize_stream(self, text: str) -> Iterator[bytes]:
        """Pieces of audio in order; engines that work sentence by sentence yield early (lower latency)."""
        yield self.synthesize(text)

    def speak(self, text: str, sink: AudioSink, on_first_audio: Callable[[], None] | None = None) -> bool:
        """Play ``text`` into ``sink``; True when finished, False when interrupted by ``stop()``."""
        with self._lock:
            self._stop.clear()
            self._sink = sink
            sink.resume()
        first = True
        try:
            for pcm in self.synthesize_stream(text):
                if self._stop.is_set():
                    return False
                if first and on_first_audio is not None:
                    on_first_audio()
                first = False
                if not sink.write(pcm):
                    return False
            return not self._stop.is_set()
        finally:
            with self._lock:
                self._sink = None

    def stop(self) -> None:
        """Barge-in: stop speaking at once (safe from any thread)."""
        with self._lock:
            self._stop.set()
            if self._sink is not None:
                self._sink.stop()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()
