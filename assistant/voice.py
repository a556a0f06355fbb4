"""Start the live voice loop for a running assistant (used by ``serve`` and the UI).

Anything missing (microphone, PortAudio, a model, a speech engine) becomes a
status the caller shows; typed requests keep working.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.asr.arbiter import Judge, Reading
    from assistant.asr.base import Recognizer
    from assistant.audio.sinks import AudioSink
    from assistant.core import Assistant
    from assistant.events import Transcript
    from assistant.pipeline import VoiceLoop
    from assistant.turn import TurnResult
    from assistant.wake.base import WakeWordDetector
    from assistant.wyoming.satellite_link import SatelliteHub

log = logging.getLogger(__name__)


@dataclass
class VoiceStart:
    """How starting the voice loop went."""

    state: str
    """"listening", "no-audio" (no microphone, model or sound library), "unavailable" (the
    voice packages are missing) or "off" (not asked for)."""
    detail: str
    """What to show the user."""
    loop: VoiceLoop | None = None


class UnderstandingJudge:
    """The understanding stage's view of a hypothesis, for the recognizer's close calls."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant

    def __call__(self, text: str) -> Reading | None:
        from assistant.asr.arbiter import Reading
        from assistant.turn import TurnSource

        candidate = self.assistant.understand(text)
        if candidate is None or candidate.intent is None:
            return None
        nlu = self.assistant.nlu
        free_text = any(nlu.slot_kind(candidate.intent, slot) == "text" for slot in candidate.slots)
        return Reading(
            candidate.intent, candidate.confidence, candidate.source == TurnSource.RULES, free_text
        )

    def request_starts(self) -> list[str]:
        return self.assistant.nlu.request_starts()


def understanding_judge(assistant: Assistant) -> Judge:
    return UnderstandingJudge(assistant)


def start_voice_loop(assistant: Assistant) -> VoiceStart:
    """Start listening on the microphone; on any missing piece, explain and return without it."""
    try:
        from assistant.asr import create_recognizer
        from assistant.audio.sinks import NullSink, SpeakerSink
        from assistant.audio.sources import MicrophoneSource
        from assistant.pipeline import VoiceLoop
        from assistant.tts import create_synthesizer
        from assistant.wake import create_wake_detector, second_check_for
    except ImportError as error:
        log.info("Voice loop unavailable: %s", error, exc_info=True)
        detail = f"the voice loop cannot start ({error}); typed requests still work."
        return VoiceStart("unavailable", detail)
    settings = assistant.settings
    try:
        source = MicrophoneSource()
        choice = create_recognizer(settings, assistant.home, judge=understanding_judge(assistant))
        wake = create_wake_detector(
            settings, assistant.home, second_check=second_check_for(choice.recognizer)
        )
    except Exception as error:  # no microphone, no model, no sound library: the API still works
        log.info("No voice loop: %s", error, exc_info=True)
        detail = f"no voice input ({error}). Typed requests still work."
        return VoiceStart("no-audio", detail)
    synthesizer = None
    try:
        synthesizer = create_synthesizer(settings)
        sink: AudioSink = SpeakerSink()
    except Exception as error:  # no speaker or TTS engine: replies are still shown and sent as events
        log.info("Speaking disabled: %s", error, exc_info=True)
        sink = NullSink()
    loop = VoiceLoop(
        source,
        choice.recognizer,
        assistant.handle_transcript,
        settings=settings,
        wake=wake,
        synthesizer=synthesizer,
        sink=sink,
        bus=assistant.bus,
        phrases_provider=assistant.phrases,
    )
    loop.start()
    from assistant.wyoming.health import announce

    announce(assistant.bus.publish)  # a remote engine going down or back shows in the UI
    assistant.speaker = loop  # timer notices are spoken through the same voice
    return VoiceStart("listening", f'listening for "{settings.wake_phrase}". {choice.message}', loop)


def start_satellites(assistant: Assistant) -> SatelliteHub | None:
    """Serve the satellites of the ``satellites`` setting (None when there are none);
    raises WyomingError when the setting names a bad address."""
    from assistant.wyoming.satellite_link import SatelliteHub, SatelliteParts, satellite_uris

    settings = assistant.settings
    uris = satellite_uris(settings.satellites)
    if not uris:
        return None
    from assistant.asr import create_recognizer  # the engines only when there are satellites
    from assistant.tts import create_synthesizer
    from assistant.wake import create_wake_detector

    def respond(transcript: Transcript, conversation: str) -> TurnResult:
        return assistant.handle_transcript(transcript, conversation)  # the assistant takes turns in order

    def engines() -> tuple[Recognizer, WakeWordDetector]:
        # the judge lets the hybrid take its grammar path for commands (without it every request
        # went to Whisper, one model for all the satellites: seconds per turn with two rooms)
        recognizer = create_recognizer(
            settings, assistant.home, judge=understanding_judge(assistant)
        ).recognizer
        wake = create_wake_detector(settings, assistant.home)
        return _own_decoder(recognizer, wake)

    from assistant.memory.timers import TimerRepository
    from assistant.wyoming.rooms import RoomSpeaker

    rooms = RoomSpeaker(assistant.speaker, TimerRepository(assistant.store))
    assistant.bus.subscribe(rooms.observe)
    assistant.speaker = rooms  # timers go off in the room they were set in
    parts = SatelliteParts(
        settings=settings,
        engines=engines,
        voice=create_synthesizer(settings),
        respond=respond,
        phrases=assistant.phrases,
        rooms=rooms,
        publish=assistant.bus.publish,  # each satellite's state: the UI's satellite panel
    )
    hub = SatelliteHub(uris, parts)
    from assistant.wyoming.health import announce

    announce(assistant.bus.publish, [link.health for link in hub.links])  # connected, lost, back: in the UI
    hub.start()
    return hub


def _own_decoder(recognizer: Recognizer, wake: WakeWordDetector) -> tuple[Recognizer, WakeWordDetector]:
    """pocketsphinx engines take turns on the process's one decoder, as one voice loop does;
    satellites listen at the same time, so each gets a decoder of its own (for the spotter
    behind the energy gate, and for the hybrid recognizer's grammar pass)."""
    from assistant.asr.hybrid import HybridRecognizer
    from assistant.asr.pocketsphinx_decoder import SharedDecoder, private_decoder
    from assistant.asr.pocketsphinx_engine import PocketsphinxRecognizer
    from assistant.wake.gate import GatedWakeDetector
    from assistant.wake.pocketsphinx_kws import PocketsphinxWakeDetector

    own: list[SharedDecoder] = []

    def decoder() -> SharedDecoder:
        if not own:
            own.append(private_decoder())
        return own[0]

    spotter = wake.inner if isinstance(wake, GatedWakeDetector) else wake
    if isinstance(spotter, PocketsphinxWakeDetector):
        spotter = PocketsphinxWakeDetector(
            spotter.phrase, spotter.sensitivity, spotter.refractory_seconds, shared=decoder()
        )
        if isinstance(wake, GatedWakeDetector):
            wake.inner = spotter
        else:
            wake = spotter
    if isinstance(recognizer, HybridRecognizer):
        recognizer.grammar = PocketsphinxRecognizer(shared=decoder())
    elif isinstance(recognizer, PocketsphinxRecognizer):
        recognizer = PocketsphinxRecognizer(shared=decoder())
    return recognizer, wake
