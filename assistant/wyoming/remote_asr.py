"""A recognizer on a Wyoming ASR service (faster-whisper on a server, or another assistant).

Audio streams to the service while the user speaks and is kept here too, so when the
service is down, stops answering or breaks mid-request, the local recognizer transcribes
the same request and the user still gets an answer.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from wyoming.asr import Transcribe
from wyoming.asr import Transcript as WyomingTranscript
from wyoming.audio import AudioChunk as WyomingChunk
from wyoming.audio import AudioStart, AudioStop
from wyoming.error import Error as WyomingErrorEvent

from assistant.asr.base import Recognizer, normalize_words
from assistant.events import AudioChunk, PartialTranscript, Transcript
from assistant.wyoming.client import ServiceConnection
from assistant.wyoming.endpoint import WyomingError
from assistant.wyoming.service import RemoteService

log = logging.getLogger(__name__)

RATE, WIDTH, CHANNELS = 16000, 2, 1
REMOTE_CONFIDENCE = 0.9
"""Wyoming transcripts carry no confidence; this says "a good recognizer heard it" without
claiming certainty, so confirmations and learning still treat it as ordinary."""


class WyomingRecognizer(Recognizer):
    """Streams each request to a Wyoming ``transcribe`` service; falls back to a local recognizer."""

    def __init__(
        self,
        uri: str,
        fallback: Callable[[], Recognizer],
        *,
        timeout: float = 5.0,
        retry_seconds: float = 2.0,
        language: str | None = None,
    ) -> None:
        self.service = RemoteService(uri, "recognizer", "asr", timeout, retry_seconds)
        self.engine = "wyoming"
        self.language = language
        self._make_fallback = fallback
        self._fallback: Recognizer | None = None
        self._connection: ServiceConnection | None = None
        self._audio = bytearray()
        self._phrases: list[str] | None = None
        self._position = 0.0

    @property
    def fallback(self) -> Recognizer:
        if self._fallback is None:
            self._fallback = self._make_fallback()
        return self._fallback

    def start(self, phrases: list[str] | None = None) -> None:
        self._close()
        self._audio.clear()
        self._phrases = phrases
        self._position = 0.0
        if not self.service.health.ready():
            return
        try:
            connection = self.service.connect()
            connection.send(Transcribe(name=None, language=self.language))
            connection.send(AudioStart(rate=RATE, width=WIDTH, channels=CHANNELS, timestamp=0))
            self._connection = connection
        except WyomingError as error:
            self._failed(str(error))

    def accept(self, chunk: AudioChunk) -> PartialTranscript | None:
        self._audio.extend(chunk.audio)
        if self._connection is not None:
            try:
                self._connection.send(
                    WyomingChunk(
                        rate=RATE,
                        width=WIDTH,
                        channels=CHANNELS,
                        audio=chunk.audio,
                        timestamp=int(chunk.timestamp * 1000),
                    )
                )
                self._check_early_answer(self._connection)
            except WyomingError as error:
                self._failed(str(error))
        self._position = chunk.timestamp
        return None

    def _check_early_answer(self, connection: ServiceConnection) -> None:
        """A service that refuses the request says so at once (an error event); stop sending."""
        event = connection.poll()
        if event is not None and WyomingErrorEvent.is_type(event.type):
            raise WyomingError(f"The recognizer said: {WyomingErrorEvent.from_event(event).text}")

    def _final_transcript(self) -> Transcript:
        connection = self._connection
        self.engine = "wyoming"  # the trace names the engine that heard it: this, or the local one
        if connection is not None:
            try:
                return self._remote_transcript(connection)
            except WyomingError as error:
                self._failed(str(error))
            finally:
                self._close()
        return self._local_transcript()

    def _remote_transcript(self, connection: ServiceConnection) -> Transcript:
        connection.send(AudioStop(timestamp=int(self._position * 1000)))
        deadline = time.monotonic() + self.service.timeout
        while True:
            event = connection.receive(max(0.0, deadline - time.monotonic()))
            if WyomingTranscript.is_type(event.type):
                text = " ".join(normalize_words(WyomingTranscript.from_event(event).text or ""))
                self.service.health.succeeded()
                words = [{"word": word, "confidence": REMOTE_CONFIDENCE} for word in text.split()]
                return Transcript(
                    text=text,
                    confidence=REMOTE_CONFIDENCE if text else 0.0,
                    engine=f"wyoming:{self.service.program_name}",
                    words=words,
                )
            if WyomingErrorEvent.is_type(event.type):
                raise WyomingError(f"The recognizer said: {WyomingErrorEvent.from_event(event).text}")

    def _local_transcript(self) -> Transcript:
        """The request again, from the audio kept here, through the local recognizer."""
        self.engine = self.fallback.engine
        return self.fallback.transcribe(bytes(self._audio), self._phrases)

    def _failed(self, problem: str) -> None:
        self._close()
        self.service.forget_info()
        self.service.health.failed(problem, f"the local recognizer ({self.fallback.engine})")

    def _close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def close(self) -> None:
        self._close()
