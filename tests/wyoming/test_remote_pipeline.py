"""A spoken request through the whole assistant with every speech stage on a real Wyoming peer."""

from __future__ import annotations

from pathlib import Path

from assistant.asr import create_recognizer
from assistant.audio import WavFileSink, WavFileSource
from assistant.config import Home, Settings
from assistant.core import open_assistant
from assistant.pipeline import VoiceLoop
from assistant.tts import create_synthesizer
from assistant.wake import create_wake_detector
from assistant.wyoming.health import ServiceState
from assistant.wyoming.remote_tts import WyomingSynthesizer
from tests.speechgen import StreamBuilder
from tests.wyoming.peers import Peer


def test_a_spoken_request_with_remote_wake_recognizer_and_voice(
    home: Home, tmp_path: Path, wake_peer: Peer, whisper_peer: Peer, piper_peer: Peer
) -> None:
    stream = StreamBuilder().pause(1.2).say("the market opened higher today").pause(0.8)
    stream.say("hey jarvis").pause(0.3).say("set a timer for ten minutes").pause(1.5)
    path = stream.save(tmp_path / "request.wav", noise=0.002)
    settings = Settings(
        wake_phrase="hey jarvis",
        wake_engine=wake_peer.uri,
        asr_engine=whisper_peer.uri,
        tts_engine=piper_peer.uri,
        follow_up_seconds=0.0,
        wyoming_timeout_seconds=30.0,  # a loaded machine: this test is about the flow, not speed
    )
    assistant = open_assistant(home, plugins=False)
    sink = WavFileSink(tmp_path / "reply.wav")
    try:
        recognizer = create_recognizer(settings, home).recognizer
        synthesizer = create_synthesizer(settings)
        synthesizer.synthesize("Ready.")  # Piper loads its voice on the first request (~4 s)
        loop = VoiceLoop(
            WavFileSource(path, realtime=True),  # openWakeWord listens at the pace of a microphone
            recognizer,
            assistant.handle_transcript,
            settings=settings,
            wake=create_wake_detector(settings, home),
            synthesizer=synthesizer,
            sink=sink,
            bus=assistant.bus,
            phrases_provider=assistant.phrases,
        )
        turns = loop.run()
        timers = assistant.scheduler.timers.active() if assistant.scheduler else None
    finally:
        assistant.close()
    assert len(turns) == 1
    turn = turns[0]
    assert turn.intent == "timer.set", turn
    assert "10 minutes" in turn.reply or "ten minutes" in turn.reply
    assert [stage.stage for stage in turn.trace.stages][:3] == ["wake", "vad", "asr"]
    assert turn.trace.stages[2].input["engine"] == "wyoming:faster-whisper"  # the remote service heard it
    tts = next(stage for stage in turn.trace.stages if stage.stage == "tts")
    assert tts.ok, tts.error
    assert tts.output["engine"] == "wyoming"
    assert isinstance(synthesizer, WyomingSynthesizer) and synthesizer.service.health.state is ServiceState.OK
    assert sink.written_seconds > 1.0, tts.output  # Piper's reply, converted to 16 kHz
    assert timers is None or len(timers) == 1
