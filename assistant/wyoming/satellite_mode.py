"""``assistant satellite``: this machine's microphone and speaker as a Wyoming satellite.

Any Wyoming server (Home Assistant, or another assistant with ``satellites`` set) connects,
sends ``run-satellite`` and gets the microphone as a stream of ``audio-chunk`` events; the
audio it sends back is played. One server at a time, as with the reference satellite; a
newer connection takes over.
"""

from __future__ import annotations

import asyncio
import logging
import shlex
import subprocess
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import BinaryIO, cast

from wyoming.audio import AudioChunk, AudioStart, AudioStop
from wyoming.event import Event, async_write_event
from wyoming.info import Attribution, Describe, Info, Satellite
from wyoming.ping import Ping, Pong
from wyoming.pipeline import PipelineStage, RunPipeline
from wyoming.satellite import PauseSatellite, RunSatellite

from assistant.audio.convert import convert_pcm
from assistant.audio.sinks import AudioSink
from assistant.audio.sources import AudioSource, StdinRawSource
from assistant.wyoming.endpoint import Endpoint, WyomingError, parse_endpoint
from assistant.wyoming.framing import LIMITS, ProtocolError, async_read_event

log = logging.getLogger(__name__)


class SatelliteServer:
    """Waits for a Wyoming server; streams ``source`` to it and plays what it sends into ``sink``."""

    def __init__(
        self,
        uri: str,
        source_factory: Callable[[], AudioSource],
        sink: AudioSink,
        name: str = "desk-assistant satellite",
        area: str | None = None,
    ) -> None:
        self.endpoint: Endpoint = parse_endpoint(uri, listening=True)
        self.source_factory = source_factory
        self.sink = sink
        self.name = name
        self.area = area
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._current: asyncio.StreamWriter | None = None
        self._source: AudioSource | None = None
        self.streaming = threading.Event()

    @property
    def uri(self) -> str:
        return self.endpoint.uri

    def info(self) -> Info:
        who = Attribution(name="desk-assistant", url="")
        return Info(
            satellite=Satellite(
                name=self.name, area=self.area, description="A desk assistant's microphone and speaker",
                attribution=who, installed=True, version="0.1.0",
            )
        )  # fmt: skip

    def start(self) -> None:
        started: Future[None] = Future()
        self._thread = threading.Thread(
            target=self._run, args=(started,), name="wyoming-satellite", daemon=True
        )
        self._thread.start()
        started.result(timeout=30)

    def _run(self, started: Future[None]) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            server = loop.run_until_complete(
                asyncio.start_server(self._serve, self.endpoint.host, self.endpoint.port, limit=LIMITS.header)
            )
        except OSError as error:
            started.set_exception(
                WyomingError(f"Cannot listen on {self.endpoint} ({error.strerror or error}).")
            )
            return
        self.endpoint = Endpoint(self.endpoint.host, int(server.sockets[0].getsockname()[1]))
        started.set_result(None)
        loop.run_forever()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self._current is not None:  # a newer server takes over
            self._stop_streaming()
            self._current.close()
        self._current = writer
        try:
            while True:
                try:
                    event = await async_read_event(reader)
                except ProtocolError as error:
                    log.warning("Satellite: %s", error)
                    return
                if event is None:
                    return
                await self._handle(event, writer)
        except ConnectionError:
            return
        finally:
            if self._current is writer:
                self._stop_streaming()
                self._current = None
            writer.close()

    async def _handle(self, event: Event, writer: asyncio.StreamWriter) -> None:
        if Describe.is_type(event.type):
            await async_write_event(self.info().event(), writer)
        elif Ping.is_type(event.type):
            await async_write_event(Pong(text=Ping.from_event(event).text).event(), writer)
        elif RunSatellite.is_type(event.type):
            await async_write_event(
                RunPipeline(
                    start_stage=PipelineStage.WAKE, end_stage=PipelineStage.TTS, restart_on_end=True
                ).event(),
                writer,
            )
            self._start_streaming(writer)
        elif PauseSatellite.is_type(event.type):
            self._stop_streaming()
        elif AudioStart.is_type(event.type):
            self.sink.resume()
        elif AudioChunk.is_type(event.type):
            chunk = AudioChunk.from_event(event)
            pcm = (
                chunk.audio
                if (chunk.rate, chunk.channels) == (16000, 1)
                else convert_pcm(chunk.audio, chunk.rate, chunk.channels)
            )
            await asyncio.to_thread(self.sink.write, pcm)
        elif AudioStop.is_type(event.type):
            pass

    def _start_streaming(self, writer: asyncio.StreamWriter) -> None:
        self._stop_streaming()
        source = self.source_factory()
        self._source = source
        loop = self._loop
        if loop is None:
            return
        self.streaming.set()

        def pump() -> None:
            try:
                for chunk in source.chunks():
                    event = AudioChunk(rate=16000, width=2, channels=1, audio=chunk.audio,
                                       timestamp=int(chunk.timestamp * 1000)).event()  # fmt: skip
                    asyncio.run_coroutine_threadsafe(async_write_event(event, writer), loop).result(10)
            except Exception as error:  # the server went away or the microphone failed: stop streaming
                log.info("Satellite stopped streaming: %s", error)
            finally:
                self.streaming.clear()

        threading.Thread(target=pump, name="satellite-mic", daemon=True).start()

    def _stop_streaming(self) -> None:
        if self._source is not None:
            self._source.close()
            self._source = None

    def stop(self) -> None:
        self._stop_streaming()
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)


class ProgramSource(StdinRawSource):
    """Audio from a program's output (``arecord -r 16000 -c 1 -f S16_LE -t raw``, a file player)."""

    def __init__(self, command: str) -> None:
        self.process = subprocess.Popen(shlex.split(command), stdout=subprocess.PIPE)
        if self.process.stdout is None:
            raise WyomingError(f"Cannot read the output of {command!r}.")
        super().__init__(cast(BinaryIO, self.process.stdout))

    def close(self) -> None:
        super().close()
        self.process.terminate()


class ProgramSink(AudioSink):
    """Audio into a program's input (``aplay -r 16000 -c 1 -f S16_LE -t raw``)."""

    def __init__(self, command: str) -> None:
        super().__init__()
        self.process = subprocess.Popen(shlex.split(command), stdin=subprocess.PIPE)

    def _write_piece(self, pcm: bytes) -> None:
        if self.process.stdin is not None:
            self.process.stdin.write(pcm)
            self.process.stdin.flush()

    def close(self) -> None:
        super().close()
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.terminate()
