"""Serving Wyoming satellites: we connect to each (as Home Assistant does), run the whole
voice pipeline on its microphone and answer through its speaker.

Each satellite has its own voice loop, recognizer, wake detector and conversation; they
share the assistant, the voice engine (one sentence at a time) and the wake arbiter.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from wyoming.asr import Transcript as WyomingTranscript
from wyoming.audio import AudioChunk as WyomingChunk
from wyoming.audio import AudioStart, AudioStop
from wyoming.error import Error as WyomingErrorEvent
from wyoming.event import Eventable
from wyoming.info import Describe, Info
from wyoming.ping import Ping, Pong
from wyoming.pipeline import PipelineStage, RunPipeline
from wyoming.satellite import RunSatellite
from wyoming.wake import Detection

from assistant.asr.base import Recognizer
from assistant.audio.convert import convert_pcm
from assistant.bus import EventBus
from assistant.config import Settings
from assistant.events import Event, StatusChanged, Transcript, WakeDetected
from assistant.pipeline import VoiceLoop
from assistant.tts.base import Synthesizer
from assistant.turn import TurnResult
from assistant.wake.base import WakeWordDetector
from assistant.wyoming.arbiter import ArbitratedWake, WakeArbiter, WakeClaim
from assistant.wyoming.client import ServiceConnection, ServiceTimeout
from assistant.wyoming.endpoint import WyomingError, parse_endpoint
from assistant.wyoming.health import ServiceHealth, register, unregister
from assistant.wyoming.remote_wake import model_name
from assistant.wyoming.rooms import RoomSpeaker
from assistant.wyoming.satellite_audio import SatelliteSink, SharedVoice, StreamSource
from assistant.wyoming.satellite_state import SatelliteState

log = logging.getLogger(__name__)

SILENCE_LIMIT_FACTOR = 3
"""A satellite streams all the time; no audio for this many timeouts means it is stuck."""
PING_SECONDS = 5.0
"""How often we ping a satellite. Newer satellites answer (and then ping us); one that has
answered once and then stays silent for SILENCE_LIMIT_FACTOR timeouts is reconnected."""


@dataclass
class SatelliteParts:
    """What the satellites need from the assistant, built by the entry point."""

    settings: Settings
    engines: Callable[[], tuple[Recognizer, WakeWordDetector]]
    """A recognizer and a wake detector for one satellite (its own: they listen at once)."""
    voice: Synthesizer
    """Shared by all satellites (through SharedVoice)."""
    respond: Callable[[Transcript, str], TurnResult]
    """A transcript and the satellite's own conversation id → the turn."""
    phrases: Callable[[], list[str]]
    rooms: RoomSpeaker | None = None
    """Where timers set through a satellite go off."""
    publish: Callable[[Event], None] | None = None
    """Where each satellite's ``SatelliteChanged`` goes (the assistant's bus, for the UI)."""


@dataclass
class SatelliteLink:
    """One satellite: a connection kept up (with back-off), and its voice loop."""

    uri: str
    parts: SatelliteParts
    arbiter: WakeArbiter
    voice_lock: threading.Lock
    name: str = ""
    area: str = ""
    turns: list[TurnResult] = field(default_factory=list)
    health: ServiceHealth = field(init=False)

    def __post_init__(self) -> None:
        self.endpoint = parse_endpoint(self.uri)
        settings = self.parts.settings
        self.health = register(
            ServiceHealth("satellite", self.endpoint.uri, retry_seconds=settings.wyoming_retry_seconds)
        )
        self.bus = EventBus()
        self.bus.subscribe(self._tell_satellite)
        self._connection: ServiceConnection | None = None
        self._send_lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.loop: VoiceLoop | None = None
        self._engines: tuple[Recognizer, WakeWordDetector] | None = None
        self.pongs = 0
        """Pongs received: satellites that answer pings are watched by them too."""
        self.status = SatelliteState(self.endpoint.uri, self.parts.publish, lambda: (self.name, self.area))
        """What it is doing, for the UI."""
        self.streams_always = False
        """It asked for the pipeline from the wake word: it streams all the time (we watch that)."""
        self.own_wake = False
        """It detects the wake word itself and asks for the pipeline from recognition (it
        streams only the request): our wake stage is skipped for it."""
        self.end_stage = PipelineStage.TTS
        """Where its pipeline ends: without ``tts`` (no speaker), replies are not sent as audio."""

    @property
    def conversation(self) -> str:
        return f"satellite:{self.name or self.endpoint.uri}"

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name=f"satellite-{self.endpoint}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self.status.quiet = True
        self._drop_connection()
        if self.loop is not None:
            self.loop.stop()
        if self._thread is not None:
            self._thread.join(10)
        unregister(self.health)

    # ------------------------------------------------------------ connection

    def _run(self) -> None:
        while not self._stop.is_set():
            wait = self.health.next_attempt - time.monotonic()
            if not self.health.ready() and self._stop.wait(max(0.05, wait)):
                return
            self.status.connecting()
            try:
                self._serve()
            except WyomingError as error:
                if not self._stop.is_set():
                    self.health.failed(str(error))
                    self.status.unreachable(str(error), self.health.next_attempt)
            finally:
                self._drop_connection()

    def _serve(self) -> None:
        timeout = self.parts.settings.wyoming_timeout_seconds
        connection = ServiceConnection(self.endpoint, timeout)
        self._connection = connection
        connection.send(Describe())
        info = self._await_info(connection)
        if info.satellite is not None:
            self.name = info.satellite.name or self.name
            self.area = info.satellite.area or ""
        source = StreamSource()
        self.streams_always = self.own_wake = False  # it says again in its run-pipeline
        self.loop = self._make_loop(source)
        self.loop.start()
        connection.send(RunSatellite())
        where = f" ({self.area})" if self.area else ""
        self.health.succeeded(f"{self.name or 'satellite'}{where} connected, listening")
        self.status.connected()
        last_audio = last_ping = time.monotonic()
        last_pong: float | None = None
        self._send(Ping(text="desk-assistant"))
        while not self._stop.is_set():
            now = time.monotonic()
            if now - last_ping >= PING_SECONDS:
                self._send(Ping(text="desk-assistant"))
                last_ping = now
            if last_pong is not None and now - last_pong > SILENCE_LIMIT_FACTOR * timeout + PING_SECONDS:
                raise WyomingError(f"{self.endpoint} stopped answering pings.")
            try:
                event = connection.receive(1.0)
            except ServiceTimeout:
                # a satellite with its own wake word is silent until someone says it
                if self.streams_always and time.monotonic() - last_audio > SILENCE_LIMIT_FACTOR * timeout:
                    raise WyomingError(
                        f"{self.endpoint} sent no audio for {SILENCE_LIMIT_FACTOR * timeout:g} s."
                    ) from None
                continue
            if WyomingChunk.is_type(event.type):
                chunk = WyomingChunk.from_event(event)
                pcm = chunk.audio
                if (chunk.rate, chunk.channels) != (16000, 1):
                    pcm = convert_pcm(pcm, chunk.rate, chunk.channels)
                source.put(pcm)
                last_audio = time.monotonic()
                self.streams_always = self.streams_always or not self.own_wake
            elif RunPipeline.is_type(event.type):
                self._run_pipeline(RunPipeline.from_event(event))
                last_audio = time.monotonic()
            elif Ping.is_type(event.type):
                self._send(Pong(text=Ping.from_event(event).text))
            elif Pong.is_type(event.type):
                last_pong = time.monotonic()
                self.pongs += 1
            elif WyomingErrorEvent.is_type(event.type):
                log.warning("Satellite %s: %s", self.endpoint, WyomingErrorEvent.from_event(event).text)

    def _run_pipeline(self, request: RunPipeline) -> None:
        """The satellite says which stages it wants: from the wake word (it streams all the
        time) or from recognition (it heard the wake word itself: a request begins now)."""
        self.end_stage = request.end_stage
        loop = self.loop
        if request.start_stage == PipelineStage.WAKE:
            self.streams_always = True
        elif request.start_stage == PipelineStage.ASR and loop is not None:
            self.own_wake = True
            loop.wake = None  # its detector decided; ours must not fire on the request's audio
            # its detection carries no score and we have not heard the phrase: of several rooms
            # that heard it, the first to ask answers, the others are told there was nothing
            if not self.arbiter.claim(self.endpoint.uri, WakeClaim(score=1.0, clarity=0.0, level=0.0)):
                self._send(WyomingTranscript(text=""))  # it stops streaming and waits for its wake word
                return
            loop.barge_in()  # a request without our wake word, from the next chunk
        else:
            log.warning(
                "Satellite %s asked for a pipeline from %s; only wake and asr are served.",
                self.endpoint,
                request.start_stage.value,
            )

    def _await_info(self, connection: ServiceConnection) -> Info:
        deadline = time.monotonic() + connection.timeout
        while True:
            event = connection.receive(max(0.0, deadline - time.monotonic()))
            if Info.is_type(event.type):
                return Info.from_event(event)

    def _drop_connection(self) -> None:
        with self._send_lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None
        if self.loop is not None and self._thread is not None and threading.current_thread() is self._thread:
            self.loop.stop()
            self.loop = None

    def _send(self, message: Eventable) -> None:
        with self._send_lock:
            connection = self._connection
            if connection is None:
                return
            try:
                connection.send(message)
            except WyomingError as error:
                log.info("Satellite %s: could not send %s (%s)", self.endpoint, type(message).__name__, error)

    # ------------------------------------------------------------ the voice loop

    def _make_loop(self, source: StreamSource) -> VoiceLoop:
        parts = self.parts
        if self._engines is None:
            self._engines = parts.engines()  # kept across reconnects: loading them takes seconds
        recognizer, detector = self._engines
        detector.reset()
        wake = ArbitratedWake(detector, self.arbiter, self.endpoint.uri, heard_at=source.arrival_of)
        return VoiceLoop(
            source,
            recognizer,
            self._respond,
            settings=parts.settings,
            wake=wake,
            synthesizer=SharedVoice(parts.voice, self.voice_lock),
            sink=SatelliteSink(self._send_audio),
            bus=self.bus,
            phrases_provider=parts.phrases,
            on_turn=self._turn_done,
        )

    def _turn_done(self, turn: TurnResult) -> None:
        self.turns.append(turn)
        if self.parts.rooms is not None:
            self.parts.rooms.remember(turn, self.endpoint.uri)

    @property
    def reachable(self) -> bool:
        """Connected, with its voice loop running (a timer can ring here)."""
        return self._connection is not None and self.loop is not None

    def speak(self, text: str) -> None:
        """Say something outside a turn here (a timer set in this room going off)."""
        loop = self.loop
        if loop is not None:
            loop.speak(text)

    def _respond(self, transcript: Transcript) -> TurnResult:
        return self.parts.respond(transcript, self.conversation)

    def _send_audio(self, part: str, pcm: bytes) -> None:
        if self.end_stage != PipelineStage.TTS:
            return  # it asked for no spoken reply (no speaker)
        if part == "start":
            self._send(AudioStart(rate=16000, width=2, channels=1))
        elif part == "stop":
            self._send(AudioStop())
        else:
            self._send(WyomingChunk(rate=16000, width=2, channels=1, audio=pcm))

    def _tell_satellite(self, event: Event) -> None:
        """The satellite's own events (lights, sounds) follow the pipeline, and so does its state."""
        if isinstance(event, StatusChanged):
            self.status.follow_loop(event)
        elif isinstance(event, WakeDetected):
            self._send(Detection(name=model_name(event.phrase), timestamp=int(event.at * 1000)))
        elif isinstance(event, Transcript):
            self._send(WyomingTranscript(text=event.text))


class SatelliteHub:
    """All the satellites of the settings, served at once."""

    def __init__(self, uris: list[str], parts: SatelliteParts) -> None:
        self.arbiter = WakeArbiter(parts.settings.satellite_arbitration_seconds)
        lock = threading.Lock()
        self.links = [SatelliteLink(uri, parts, self.arbiter, lock) for uri in uris]
        if parts.rooms is not None:
            for link in self.links:
                parts.rooms.add(link.endpoint.uri, link)  # the timers of each room, set before a restart too

    def start(self) -> None:
        for link in self.links:
            link.start()

    def stop(self) -> None:
        for link in self.links:
            link.stop()

    def statuses(self) -> list[dict[str, str | int]]:
        return [{**link.health.to_dict(), "name": link.name, "area": link.area} for link in self.links]


def satellite_uris(setting: str) -> list[str]:
    """The satellites of the ``satellites`` setting; raises WyomingError naming a bad one."""
    uris = [part.strip() for part in setting.split(",") if part.strip()]
    for uri in uris:
        parse_endpoint(uri)
    return uris
