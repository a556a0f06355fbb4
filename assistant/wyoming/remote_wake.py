"""A wake word detector on a Wyoming wake service (openWakeWord on a server, or another assistant).

Audio streams to the service without waiting; detections are picked up as they arrive
(the service answers a little after the phrase). While the service is down, the local
detector listens instead, so the assistant can always be woken.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from wyoming.audio import AudioChunk as WyomingChunk
from wyoming.audio import AudioStart
from wyoming.error import Error as WyomingErrorEvent
from wyoming.wake import Detect, Detection

from assistant.events import AudioChunk, WakeDetected
from assistant.wake.base import WakeWordDetector
from assistant.wyoming.client import ServiceConnection
from assistant.wyoming.endpoint import WyomingError
from assistant.wyoming.service import RemoteService

log = logging.getLogger(__name__)

REMOTE_SCORE = 1.0
"""Wyoming detections carry no score: the service decided against its own threshold."""


STREAM_GAP_SECONDS = 0.5
"""Audio missing for longer than this (a request was heard) starts a new stream."""


def model_name(phrase: str) -> str:
    """The model a wake service knows a phrase by: "hey jarvis" → "hey_jarvis"."""
    return "_".join(phrase.split())


class WyomingWakeDetector(WakeWordDetector):
    """Streams all audio to a Wyoming ``detect`` service; falls back to a local detector."""

    def __init__(
        self,
        uri: str,
        fallback: Callable[[], WakeWordDetector],
        phrase: str,
        *,
        sensitivity: float = 0.5,
        refractory_seconds: float = 2.0,
        timeout: float = 5.0,
        retry_seconds: float = 2.0,
    ) -> None:
        super().__init__(phrase, sensitivity, refractory_seconds)
        self.service = RemoteService(uri, "wake word", "wake", timeout, retry_seconds)
        self.engine = "wyoming"
        self.model = model_name(self.phrase)
        self._make_fallback = fallback
        self._fallback: WakeWordDetector | None = None
        self._connection: ServiceConnection | None = None
        self._sent_until = 0.0

    @property
    def fallback(self) -> WakeWordDetector:
        if self._fallback is None:
            self._fallback = self._make_fallback()
        return self._fallback

    def process(self, chunk: AudioChunk) -> WakeDetected | None:
        end = chunk.timestamp + len(chunk.audio) / (2 * chunk.rate)
        if self._connection is not None and chunk.timestamp - self._sent_until > STREAM_GAP_SECONDS:
            # A request was heard meanwhile and the service was sent none of it: with the old
            # audio still in its window openWakeWord fired on the answered phrase again, seconds
            # later, cutting the reply short. A fresh stream forgets it.
            self._close()
        self._sent_until = end
        if self._connection is None and self.service.health.ready():
            self._open(chunk.timestamp)
        connection = self._connection
        if connection is None:
            return self.fallback.process(chunk)
        try:
            connection.send(
                WyomingChunk(
                    rate=chunk.rate,
                    width=2,
                    channels=1,
                    audio=chunk.audio,
                    timestamp=int(chunk.timestamp * 1000),
                )
            )
            return self._detections(connection, end)
        except WyomingError as error:
            self._failed(str(error))
            return self.fallback.process(chunk)

    def _open(self, at: float) -> None:
        try:
            connection = self.service.connect(connect_timeout=min(1.0, self.service.timeout))
            names = [
                program_model.name for program in self.service.programs() for program_model in program.models
            ]
            if names and not any(name == self.model or name.startswith(self.model + "_v") for name in names):
                connection.close()
                raise WyomingError(
                    f"The wake service has no model for {self.phrase!r} (it has {', '.join(names[:6])}). "
                    "Set wake_phrase to one of those."
                )
            connection.send(Detect(names=[self.model]))
            connection.send(AudioStart(rate=16000, width=2, channels=1, timestamp=int(at * 1000)))
            self._connection = connection
            self.service.health.succeeded()
        except WyomingError as error:
            self._failed(str(error))

    def _detections(self, connection: ServiceConnection, end: float) -> WakeDetected | None:
        found: WakeDetected | None = None
        while (event := connection.poll()) is not None:
            if Detection.is_type(event.type):
                detection = Detection.from_event(event)
                # The timestamp is that of the chunk the service fired on (stream time, as we sent
                # it). Late detections of an utterance already answered then fall inside the
                # refractory period, and the request is replayed from where the phrase ended.
                at = end
                if detection.timestamp is not None and 0 <= detection.timestamp / 1000 <= end:
                    at = detection.timestamp / 1000
                if found is None and self._accept(at):
                    found = self._detected(at, REMOTE_SCORE)
            elif WyomingErrorEvent.is_type(event.type):
                raise WyomingError(f"The wake service said: {WyomingErrorEvent.from_event(event).text}")
        return found

    def _failed(self, problem: str) -> None:
        self._close()
        self.service.forget_info()
        self.service.health.failed(problem, f"the local wake word detector ({self.fallback.engine})")

    def _close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def reset(self) -> None:
        # The service's stream starts afresh with the next audio (see process); the time of
        # the last wake stays, for its late detections of that phrase.
        self._close()
        if self._fallback is not None:
            self._fallback.reset()

    def close(self) -> None:
        self._close()
