"""One client of our Wyoming server: its events in, our answers out.

Engines are synchronous; they run in worker threads so one slow client (a long
transcription) never stalls the others' events.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import Any

from wyoming.asr import Transcribe, Transcript
from wyoming.audio import AudioChunk, AudioStart, AudioStop
from wyoming.error import Error
from wyoming.event import Event, async_write_event
from wyoming.handle import Handled, NotHandled
from wyoming.info import Describe
from wyoming.intent import Entity, Intent, NotRecognized, Recognize
from wyoming.ping import Ping, Pong
from wyoming.tts import Synthesize
from wyoming.wake import Detect, Detection, NotDetected

from assistant.asr.base import Recognizer
from assistant.audio.convert import convert_pcm
from assistant.events import AudioChunk as OurChunk
from assistant.tts.base import Synthesizer
from assistant.wake.base import WakeWordDetector
from assistant.wyoming.framing import Limits, ProtocolError, async_read_event
from assistant.wyoming.offer import Offer
from assistant.wyoming.remote_wake import model_name

log = logging.getLogger(__name__)

SEND_CHUNK_BYTES = 3200
"""100 ms of 16 kHz audio per chunk we send."""
MAX_REQUEST_BYTES = 32000 * 60
"""A minute of audio to transcribe at most; beyond that the request is refused."""


class Engines:
    """The engines shared by all clients, made on first use, one request at a time each."""

    def __init__(self, offer: Offer) -> None:
        self.offer = offer
        self._recognizer: Recognizer | None = None
        self._synthesizer: Synthesizer | None = None
        self._asr_lock = threading.Lock()
        self._tts_lock = threading.Lock()

    def transcribe(self, pcm: bytes) -> str:
        with self._asr_lock:
            if self._recognizer is None:
                self._recognizer = self.offer.recognizer()
            phrases = self.offer.phrases()
            return self._recognizer.transcribe(pcm, phrases or None).text

    def synthesize(self, text: str) -> bytes:
        with self._tts_lock:
            if self._synthesizer is None:
                self._synthesizer = self.offer.synthesizer()
            return self._synthesizer.synthesize(text)

    def close(self) -> None:
        for engine in (self._recognizer, self._synthesizer):
            close = getattr(engine, "close", None)
            if callable(close):
                close()


class ClientSession:
    """Reads a client's events until it leaves; every failure becomes an ``error`` event."""

    def __init__(
        self,
        engines: Engines,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        conversation: str,
        limits: Limits,
    ) -> None:
        self.engines = engines
        self.offer = engines.offer
        self.reader = reader
        self.writer = writer
        self.conversation = conversation
        """This client's own conversation with the assistant (follow-ups, "cancel that")."""
        self.limits = limits
        self.transcribing = False
        self.audio = bytearray()
        self.format = (16000, 2, 1)
        self.detector: WakeWordDetector | None = None
        self.detected = False
        self.position = 0.0

    async def run(self) -> None:
        try:
            while True:
                try:
                    event = await async_read_event(self.reader, self.limits)
                except ProtocolError as error:
                    log.warning("Wyoming client %s: %s", self.conversation, error)
                    await self.send(Error(text=str(error), code="protocol").event())
                    return  # the stream cannot be read further once framing is lost
                if event is None:
                    return
                try:
                    await self.handle(event)
                except Exception as error:  # one bad request must not end the server
                    log.exception("Wyoming client %s: %s failed", self.conversation, event.type)
                    await self.send(Error(text=f"{event.type} failed: {error}", code="failed").event())
        except (ConnectionError, asyncio.IncompleteReadError):
            return
        finally:
            self.writer.close()

    async def send(self, event: Event) -> None:
        await async_write_event(event, self.writer)

    async def handle(self, event: Event) -> None:
        kind = event.type
        if Describe.is_type(kind):
            await self.send(self.offer.info().event())
        elif Ping.is_type(kind):
            await self.send(Pong(text=Ping.from_event(event).text).event())
        elif Transcribe.is_type(kind):
            self.transcribing, self.audio = True, bytearray()
        elif Detect.is_type(kind):
            await self.start_detecting(Detect.from_event(event).names)
        elif AudioStart.is_type(kind):
            start = AudioStart.from_event(event)
            self.format = (start.rate, start.width, start.channels)
            self.audio, self.detected = bytearray(), False
        elif AudioChunk.is_type(kind):
            await self.audio_chunk(AudioChunk.from_event(event))
        elif AudioStop.is_type(kind):
            await self.audio_stop()
        elif Synthesize.is_type(kind):
            await self.synthesize(Synthesize.from_event(event).text)
        elif Transcript.is_type(kind):
            await self.handle_text(Transcript.from_event(event))
        elif Recognize.is_type(kind):
            await self.recognize(Recognize.from_event(event))
        else:
            log.debug("Wyoming client %s: ignoring %s", self.conversation, kind)

    async def start_detecting(self, names: list[str] | None) -> None:
        ours = model_name(self.offer.wake_phrase)
        if names and ours not in names:
            await self.send(
                Error(
                    text=f"This assistant spots only {ours!r}, not {', '.join(names)}.", code="wake"
                ).event()
            )
            return
        self.detector = await asyncio.to_thread(self.offer.wake_detector)

    async def audio_chunk(self, chunk: AudioChunk) -> None:
        rate, width, channels = chunk.rate or self.format[0], chunk.width or 2, chunk.channels or 1
        if width != 2:
            raise ValueError(f"Audio must be 16-bit, not {width * 8}-bit.")
        self.format = (rate, width, channels)
        if self.transcribing:
            # kept as sent and converted once at the end: resampling piece by piece blurs the edges
            if len(self.audio) + len(chunk.audio) > MAX_REQUEST_BYTES * rate * channels // 16000:
                self.transcribing = False
                raise ValueError("A request may hold at most a minute of audio.")
            self.audio.extend(chunk.audio)
        if self.detector is not None and not self.detected:
            pcm = chunk.audio if (rate, channels) == (16000, 1) else convert_pcm(chunk.audio, rate, channels)
            ours = OurChunk(audio=pcm, timestamp=self.position)
            self.position += len(pcm) / 32000
            found = await asyncio.to_thread(self.detector.process, ours)
            if found is not None:
                self.detected = True
                await self.send(
                    Detection(name=model_name(self.offer.wake_phrase), timestamp=int(found.at * 1000)).event()
                )

    async def audio_stop(self) -> None:
        if self.transcribing:
            self.transcribing = False
            rate, _width, channels = self.format
            pcm = (
                bytes(self.audio)
                if (rate, channels) == (16000, 1)
                else convert_pcm(bytes(self.audio), rate, channels)
            )
            text = await asyncio.to_thread(self.engines.transcribe, pcm)
            self.audio = bytearray()
            await self.send(Transcript(text=text, language="en").event())
        if self.detector is not None:
            if not self.detected:
                await self.send(NotDetected().event())
            self.detector.reset()
            self.detector, self.detected, self.position = None, False, 0.0

    async def synthesize(self, text: str) -> None:
        pcm = await asyncio.to_thread(self.engines.synthesize, text)
        await self.send(AudioStart(rate=16000, width=2, channels=1, timestamp=0).event())
        for offset in range(0, len(pcm), SEND_CHUNK_BYTES):
            piece = pcm[offset : offset + SEND_CHUNK_BYTES]
            await self.send(
                AudioChunk(rate=16000, width=2, channels=1, audio=piece, timestamp=offset // 32).event()
            )
        await self.send(AudioStop(timestamp=len(pcm) // 32).event())

    async def handle_text(self, transcript: Transcript) -> None:
        context: dict[str, Any] = dict(transcript.context or {})
        conversation = str(context.get("conversation_id") or self.conversation)
        result = await asyncio.to_thread(self.offer.handle, transcript.text, conversation)
        answer = Handled if result.done else NotHandled
        await self.send(
            answer(text=result.reply, context={**context, "conversation_id": conversation}).event()
        )

    async def recognize(self, request: Recognize) -> None:
        understood = await asyncio.to_thread(self.offer.understand, request.text)
        if understood is None:
            await self.send(NotRecognized(text=request.text).event())
            return
        entities = [Entity(name=name, value=value) for name, value in understood.slots.items()]
        await self.send(Intent(name=understood.intent, entities=entities, text=request.text).event())
