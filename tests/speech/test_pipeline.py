"""The voice loop end to end on generated recordings, with a responder that reads back."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from assistant.asr.pocketsphinx_engine import PocketsphinxRecognizer
from assistant.audio import WavFileSink, WavFileSource
from assistant.bus import EventBus
from assistant.config import Settings
from assistant.events import Error, Event, Reply, SpeakingStopped, StatusChanged, Transcript, WakeDetected
from assistant.pipeline import VoiceLoop, read_back
from assistant.tts.pyttsx3_engine import Pyttsx3Synthesizer
from assistant.turn import DefectSignal, TurnResult
from assistant.wake.pocketsphinx_kws import PocketsphinxWakeDetector
from tests.speech.conftest import wake_stream
from tests.speechgen import StreamBuilder, word_error_rate

QUIET = Settings(follow_up_seconds=0.0)


@pytest.fixture(scope="module")
def recognizer() -> PocketsphinxRecognizer:
    return PocketsphinxRecognizer()


@pytest.fixture(scope="module")
def stream(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, StreamBuilder]:
    builder = wake_stream()
    return builder.save(tmp_path_factory.mktemp("loop") / "stream.wav", noise=0.003), builder


def collect(bus: EventBus) -> list[Event]:
    events: list[Event] = []
    bus.subscribe(events.append)
    return events


def test_one_turn_from_wake_to_spoken_reply(
    stream: tuple[Path, StreamBuilder], recognizer: PocketsphinxRecognizer, tmp_path: Path
) -> None:
    path, builder = stream
    bus = EventBus()
    events = collect(bus)
    sink = WavFileSink(tmp_path / "reply.wav")
    loop = VoiceLoop(
        WavFileSource(path),
        recognizer,
        read_back,
        settings=QUIET,
        wake=PocketsphinxWakeDetector(),
        synthesizer=Pyttsx3Synthesizer(),
        sink=sink,
        bus=bus,
        phrases_provider=lambda: ["set a timer for ten minutes", "what time is it"],
    )
    turns = loop.run()
    sink.close()
    assert len(turns) == 1, [(t.text, t.trace.to_list()[:2]) for t in turns]
    turn = turns[0]
    assert turn.text == "set a timer for ten minutes"
    assert turn.reply == "You said: set a timer for ten minutes."
    stages = [record.stage for record in turn.trace.stages]
    assert stages == ["wake", "vad", "asr", "tts", "response_latency"]
    wake = turn.trace.find("wake")
    assert wake is not None and abs(wake.output["at"] - builder.marks["wake"][1]) < 0.4
    vad = turn.trace.find("vad")
    assert vad is not None and vad.output["reason"] == "silence"
    assert abs(vad.output["speech_start"] - builder.marks["request"][0]) < 0.4
    assert turn.trace.timings()["response_latency"] < 2000
    assert sink.written_seconds > 1.0
    main = {
        "wake",
        "speech-started",
        "speech-ended",
        "transcript",
        "reply",
        "speaking-started",
        "speaking-stopped",
    }
    kinds = [event.type for event in events if event.type in main]
    assert kinds == [
        "wake",
        "speech-started",
        "speech-ended",
        "transcript",
        "reply",
        "speaking-started",
        "speaking-stopped",
    ]
    states = [event.state for event in events if isinstance(event, StatusChanged)]
    for state in ("listening", "hearing", "thinking", "speaking", "idle"):
        assert state in states


def test_no_wake_mode_treats_the_whole_file_as_one_request(
    recognizer: PocketsphinxRecognizer, tmp_path: Path
) -> None:
    path = StreamBuilder().say("what time is it").pause(0.3).save(tmp_path / "request.wav")
    turns = VoiceLoop(WavFileSource(path), recognizer, no_wake=True).run()
    assert [turn.text for turn in turns] == ["what time is it"]
    wake = turns[0].trace.find("wake")
    assert wake is not None and wake.output["detected"] is False


def test_follow_up_listens_without_the_wake_word(recognizer: PocketsphinxRecognizer, tmp_path: Path) -> None:
    builder = StreamBuilder().pause(0.5).say("hey computer").pause(0.3).say("what time is it").pause(1.2)
    builder.say("and set a timer for five minutes").pause(1.2)
    path = builder.save(tmp_path / "follow.wav")
    turns = VoiceLoop(
        WavFileSource(path),
        recognizer,
        settings=Settings(follow_up_seconds=4.0),
        wake=PocketsphinxWakeDetector(),
    ).run()
    assert len(turns) == 2
    assert word_error_rate("and set a timer for five minutes", turns[1].text) <= 0.4
    follow = turns[1].trace.find("wake")
    assert follow is not None
    assert follow.output == {"detected": False, "at": None, "follow_up": True, "engine": "pocketsphinx"}


def test_without_follow_up_later_speech_is_ignored(
    recognizer: PocketsphinxRecognizer, tmp_path: Path
) -> None:
    builder = StreamBuilder().pause(0.5).say("hey computer").pause(0.3).say("what time is it").pause(1.2)
    builder.say("and set a timer for five minutes").pause(1.2)
    path = builder.save(tmp_path / "nofollow.wav")
    turns = VoiceLoop(WavFileSource(path), recognizer, settings=QUIET, wake=PocketsphinxWakeDetector()).run()
    assert len(turns) == 1


def test_wake_word_while_speaking_stops_the_reply(recognizer: PocketsphinxRecognizer, tmp_path: Path) -> None:
    builder = StreamBuilder().pause(0.5).say("hey computer").pause(0.3).say("tell me a story").pause(2.0)
    builder.say("hey computer", label="barge").pause(0.3).say("stop").pause(1.5)
    path = builder.save(tmp_path / "barge.wav")
    bus = EventBus()
    events = collect(bus)

    def long_answer(transcript: Transcript) -> TurnResult:
        if "story" in transcript.text:
            return TurnResult(
                text=transcript.text, reply="Once upon a time there was a very long story. " * 8
            )
        return TurnResult(text=transcript.text, reply="Okay.")

    sink = WavFileSink(tmp_path / "out.wav", realtime=True)
    loop = VoiceLoop(
        WavFileSource(path, realtime=True),
        recognizer,
        long_answer,
        settings=QUIET,
        wake=PocketsphinxWakeDetector(),
        synthesizer=Pyttsx3Synthesizer(),
        sink=sink,
        bus=bus,
    )
    turns = loop.run()
    sink.close()
    stopped = [event for event in events if isinstance(event, SpeakingStopped)]
    assert stopped[0].interrupted is True
    assert DefectSignal.BARGE_IN in turns[0].feedback.signals
    wakes = [event for event in events if isinstance(event, WakeDetected)]
    assert len(wakes) == 2 and abs(wakes[1].at - builder.marks["barge"][1]) < 0.5
    assert len(turns) == 2  # the request after the barge-in was heard too


def test_barge_in_key_stops_speaking(recognizer: PocketsphinxRecognizer, tmp_path: Path) -> None:
    path = (
        StreamBuilder()
        .pause(0.3)
        .say("hey computer")
        .pause(0.3)
        .say("what time is it")
        .pause(6.0)
        .save(tmp_path / "key.wav")
    )
    long_reply = TurnResult(text="", reply="It is a fine time to talk about many things. " * 8)
    sink = WavFileSink(tmp_path / "out.wav", realtime=True)
    loop = VoiceLoop(
        WavFileSource(path, realtime=True),
        recognizer,
        lambda t: long_reply,
        settings=QUIET,
        wake=PocketsphinxWakeDetector(),
        synthesizer=Pyttsx3Synthesizer(),
        sink=sink,
    )
    loop.start()
    deadline = time.monotonic() + 10
    while not loop.speaking and time.monotonic() < deadline:
        time.sleep(0.05)
    assert loop.speaking
    loop.barge_in()
    deadline = time.monotonic() + 5  # a guard against hangs; the audio written below is the measure
    while loop.speaking and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not loop.speaking
    loop.stop()
    assert sink.written_seconds < 3.0


def test_a_failing_responder_does_not_stop_the_loop(
    recognizer: PocketsphinxRecognizer, tmp_path: Path
) -> None:
    path = StreamBuilder().say("what time is it").pause(0.3).save(tmp_path / "fail.wav")
    bus = EventBus()
    events = collect(bus)

    def broken(transcript: Transcript) -> TurnResult:
        raise RuntimeError("skill exploded")

    turns = VoiceLoop(WavFileSource(path), recognizer, broken, bus=bus, no_wake=True).run()
    assert turns[0].outcome == "failure" and turns[0].reply == "Sorry, something went wrong."
    assert any(isinstance(event, Error) and "skill exploded" in event.text for event in events)
    assert any(isinstance(event, Reply) for event in events)


def test_silence_after_the_wake_word_makes_no_turn(
    recognizer: PocketsphinxRecognizer, tmp_path: Path
) -> None:
    path = StreamBuilder().pause(0.5).say("hey computer").pause(3.0).save(tmp_path / "silent.wav")
    settings = Settings(no_speech_timeout_seconds=2.0, follow_up_seconds=0.0)
    assert (
        VoiceLoop(WavFileSource(path), recognizer, settings=settings, wake=PocketsphinxWakeDetector()).run()
        == []
    )


def test_a_loop_needs_a_wake_detector_unless_told_otherwise(
    recognizer: PocketsphinxRecognizer, tmp_path: Path
) -> None:
    path = StreamBuilder().pause(0.2).save(tmp_path / "x.wav")
    with pytest.raises(ValueError, match="wake word detector"):
        VoiceLoop(WavFileSource(path), recognizer)
