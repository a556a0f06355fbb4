"""Voice activity and end-of-speech detection after the wake word.

An adaptive energy detector: it learns the noise floor from the quietest recent
frames and calls a frame speech when it is clearly above that floor. No extra
dependency (webrtcvad needs a compiler on some platforms), and good enough to
find where a request starts and ends on a desk microphone.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

from assistant.events import AudioChunk, SpeechEnded, SpeechStarted

FRAME_SECONDS = 0.02


@dataclass
class VadSettings:
    """Timing of end-of-speech detection, in seconds."""

    silence_window: float = 0.6
    """Silence after speech that ends the request."""
    max_utterance: float = 12.0
    """Cut a request this long, in case the room never goes quiet."""
    no_speech_timeout: float = 5.0
    """Give up when nobody speaks this long after the wake word."""
    min_speech: float = 0.12
    """Speech shorter than this (a click, a cough) does not start a request."""
    threshold_ratio: float = 3.0
    """A frame is speech when its energy is this many times the noise floor..."""
    min_level: float = 0.004
    """...and above this absolute RMS level (0..1), so digital silence is never speech."""


class EndpointDetector:
    """Turns audio into SpeechStarted / SpeechEnded events for one request at a time."""

    def __init__(self, settings: VadSettings | None = None) -> None:
        self.settings = settings or VadSettings()
        # Recent frame levels; the floor is a low percentile of them, so steady fan or
        # street noise becomes the floor while speech (loud, intermittent) does not.
        self._levels: deque[float] = deque(maxlen=int(8.0 / FRAME_SECONDS))
        self.start(0.0)

    def start(self, at: float) -> None:
        """Begin listening for one request at stream time ``at``."""
        self.started_at = at
        self.speech_start: float | None = None
        self.speech_end: float | None = None
        self._voiced_run = 0.0
        self._silence_run = 0.0
        self._run_start = at
        self.done = False
        self.position = at

    @property
    def noise_floor(self) -> float:
        if not self._levels:
            return 0.0
        return float(np.percentile(np.fromiter(self._levels, dtype=np.float32), 10))

    def learn_noise_from(self, other: EndpointDetector) -> None:
        """Start from the noise levels another detector heard (the one watching while idle)."""
        self._levels.extend(other._levels)

    def observe(self, chunk: AudioChunk) -> None:
        """Learn the noise floor from audio heard before the request (while waiting for the wake word)."""
        for _at, level, _length in _frames(chunk):
            self._levels.append(level)

    def process(self, chunk: AudioChunk) -> list[SpeechStarted | SpeechEnded]:
        """Feed audio; the SpeechStarted/SpeechEnded events that happened inside it, in order."""
        events: list[SpeechStarted | SpeechEnded] = []
        if self.done:
            return events
        for at, level, length in _frames(chunk):
            self._levels.append(level)
            self.position = at + length
            event = self._frame(level, at, length)
            if event is not None:
                events.append(event)
                if isinstance(event, SpeechEnded):
                    break
        return events

    def is_speech(self, level: float) -> bool:
        return level > max(self.settings.min_level, self.noise_floor * self.settings.threshold_ratio)

    def _frame(self, level: float, at: float, length: float) -> SpeechStarted | SpeechEnded | None:
        voiced = self.is_speech(level)
        settings = self.settings
        if self.speech_start is None:
            if voiced:
                if self._voiced_run == 0.0:
                    self._run_start = at
                self._voiced_run += length
                if self._voiced_run >= settings.min_speech:
                    self.speech_start = self._run_start
                    return SpeechStarted(at=round(self._run_start, 3))
            else:
                self._voiced_run = 0.0
            if at + length - self.started_at >= settings.no_speech_timeout:
                return self._end(at + length, "timeout")
            return None
        if voiced:
            self._silence_run = 0.0
        else:
            self._silence_run += length
            if self._silence_run >= settings.silence_window:
                return self._end(at + length, "silence")
        if at + length - self.speech_start >= settings.max_utterance:
            return self._end(at + length, "max-length")
        return None

    def _end(self, at: float, reason: str) -> SpeechEnded:
        self.done = True
        self.speech_end = round(at, 3)
        return SpeechEnded(at=self.speech_end, reason=reason)

    def finish(self) -> SpeechEnded | None:
        """The input ended: close an open request."""
        if self.done:
            return None
        return self._end(self.position, "end-of-input")


def _frames(chunk: AudioChunk) -> list[tuple[float, float, float]]:
    """(start time, RMS level 0..1, length) of each 20 ms frame in the chunk."""
    samples = np.frombuffer(chunk.audio[: len(chunk.audio) - len(chunk.audio) % 2], dtype="<i2")
    size = int(chunk.rate * FRAME_SECONDS)
    result = []
    for start in range(0, len(samples), size):
        frame = samples[start : start + size].astype(np.float32) / 32768.0
        if len(frame):
            result.append(
                (
                    chunk.timestamp + start / chunk.rate,
                    float(np.sqrt(np.mean(frame**2))),
                    len(frame) / chunk.rate,
                )
            )
    return result
