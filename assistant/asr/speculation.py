"""Decode a request while the end-of-speech detector is still waiting.

The voice loop ends a request after ``silence_window_seconds`` (0.6 s) of quiet, and the reply
latency is counted from then. Whisper needs the whole utterance, so it would start only at that
point. Instead, once the request has been quiet for QUIET_SECONDS, the audio so far is decoded in
a background thread; if nothing voiced follows before the request ends, that result is the
transcript (the quiet tail adds no words), and most of the decoding happened inside the silence
window. Speech after the snapshot makes it stale, and the request is decoded again at its end.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from assistant.audio.convert import rms_level
from assistant.events import Transcript

QUIET_SECONDS = 0.25
VOICED_SHARE = 0.15
"""A chunk is voiced when its level is above this share of the loudest chunk so far."""
MIN_LEVEL = 0.004
BYTES_PER_SECOND = 32000


class Speculation:
    """One request's background decoding; ``decide`` turns audio into a transcript."""

    def __init__(self, decide: Callable[[bytes], Transcript]) -> None:
        self.decide = decide
        self._peak = 0.0
        self._quiet = 0.0
        self._voiced = False
        self._thread: threading.Thread | None = None
        self._abandoned: threading.Thread | None = None
        self._result: Transcript | None = None
        self._error: Exception | None = None
        self._stale = False

    def reset(self) -> None:
        self.wait()
        self._peak = self._quiet = 0.0
        self._voiced = self._stale = False
        self._thread = None
        self._result = self._error = None

    def observe(self, chunk: bytes, audio: bytearray) -> None:
        """After each chunk (already appended to ``audio``): start or invalidate the decoding."""
        level = rms_level(chunk)
        self._peak = max(self._peak, level)
        if level > max(MIN_LEVEL, VOICED_SHARE * self._peak):
            self._voiced = True
            self._quiet = 0.0
            if self._thread is not None:
                self._stale = True  # the speaker went on
            return
        self._quiet += len(chunk) / BYTES_PER_SECOND
        if self._voiced and self._quiet >= QUIET_SECONDS and (self._thread is None or self._stale):
            self.wait()
            self._stale = False
            self._result = self._error = None
            self._thread = threading.Thread(
                target=self._run, args=(bytes(audio),), name="asr-speculation", daemon=True
            )
            self._thread.start()

    def _run(self, audio: bytes) -> None:
        try:
            self._result = self.decide(audio)
        except Exception as error:  # handed to the request's end, which raises it there
            self._error = error

    def abandon(self) -> None:
        """Forget the background decoding without waiting for it (its result is not needed)."""
        self._abandoned = self._thread
        self._thread = None
        self._stale = False
        self._result = self._error = None
        self._peak = self._quiet = 0.0
        self._voiced = False

    def wait(self) -> None:
        """Until no decoding of this request's audio runs (an abandoned one included)."""
        for thread in (self._thread, self._abandoned):
            if thread is not None:
                thread.join()
        self._abandoned = None

    def result(self) -> Transcript | None:
        """At the end of the request: the background result when it is still valid."""
        if self._thread is None or self._stale:
            self.reset()
            return None
        self.wait()
        result, error = self._result, self._error
        self.reset()
        if error is not None:
            raise error
        return result
