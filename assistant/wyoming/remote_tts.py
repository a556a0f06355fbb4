"""A voice on a Wyoming TTS service (Piper on a server, or another assistant).

Audio is played as it arrives, converted to our 16 kHz mono. When the service cannot be
reached, stops answering or errs before any audio came, the local voice says the reply.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator

from wyoming.audio import AudioChunk as WyomingChunk
from wyoming.audio import AudioStart, AudioStop
from wyoming.error import Error as WyomingErrorEvent
from wyoming.tts import Synthesize, SynthesizeVoice

from assistant.audio.convert import convert_pcm
from assistant.tts.base import Synthesizer
from assistant.wyoming.endpoint import WyomingError
from assistant.wyoming.service import RemoteService

log = logging.getLogger(__name__)


class WyomingSynthesizer(Synthesizer):
    """Sends ``synthesize`` and streams the audio back; falls back to a local synthesizer."""

    def __init__(
        self,
        uri: str,
        fallback: Callable[[], Synthesizer],
        *,
        timeout: float = 5.0,
        retry_seconds: float = 2.0,
        voice: str = "",
    ) -> None:
        super().__init__()
        self.service = RemoteService(uri, "voice", "tts", timeout, retry_seconds)
        self.engine = "wyoming"
        self.voice = voice
        self._make_fallback = fallback
        self._fallback: Synthesizer | None = None

    @property
    def fallback(self) -> Synthesizer:
        if self._fallback is None:
            self._fallback = self._make_fallback()
        return self._fallback

    def synthesize(self, text: str) -> bytes:
        return b"".join(self.synthesize_stream(text))

    def synthesize_stream(self, text: str) -> Iterator[bytes]:
        started = False
        self.engine = "wyoming"  # the trace names the engine that spoke: this, or the local one
        if self.service.health.ready():
            try:
                for pcm in self._remote_stream(text):
                    started = True
                    yield pcm
                self.service.health.succeeded()
                return
            except WyomingError as error:
                self.service.forget_info()
                if started:  # half a sentence was said; repeating it all would be worse
                    self.service.health.failed(f"{error} (the reply was cut short)", "the local voice")
                    return
                self.service.health.failed(str(error), f"the local voice ({self.fallback.engine})")
        self.engine = self.fallback.engine
        yield from self.fallback.synthesize_stream(text)

    def _remote_stream(self, text: str) -> Iterator[bytes]:
        connection = self.service.connect()
        try:
            voice = SynthesizeVoice(name=self.voice) if self.voice else None
            connection.send(Synthesize(text=text, voice=voice))
            rate, channels = 16000, 1
            deadline = time.monotonic() + self.service.timeout
            while True:
                # the deadline is for the first audio (a voice may load first); then per chunk
                event = connection.receive(max(0.0, deadline - time.monotonic()))
                deadline = time.monotonic() + self.service.timeout
                if AudioStart.is_type(event.type):
                    start = AudioStart.from_event(event)
                    rate, channels = start.rate, start.channels
                    if start.width != 2:
                        raise WyomingError(f"The voice sends {start.width * 8}-bit audio; we play 16-bit.")
                elif WyomingChunk.is_type(event.type):
                    chunk = WyomingChunk.from_event(event)
                    yield convert_pcm(chunk.audio, chunk.rate or rate, chunk.channels or channels)
                elif AudioStop.is_type(event.type):
                    return
                elif WyomingErrorEvent.is_type(event.type):
                    raise WyomingError(f"The voice said: {WyomingErrorEvent.from_event(event).text}")
        finally:
            connection.close()
