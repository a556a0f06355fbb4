"""The assistant's own Wyoming server, driven by the ``wyoming`` client library."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import wave
from collections.abc import Iterator
from pathlib import Path

import pytest
from wyoming.asr import Transcribe, Transcript
from wyoming.audio import AudioChunk, AudioStart, AudioStop
from wyoming.client import AsyncTcpClient
from wyoming.error import Error
from wyoming.event import Event
from wyoming.handle import Handled, NotHandled
from wyoming.info import Describe, Info
from wyoming.intent import Intent, NotRecognized, Recognize
from wyoming.ping import Ping, Pong
from wyoming.tts import Synthesize
from wyoming.wake import Detect, Detection, NotDetected

from assistant.audio.convert import read_wav
from assistant.cli.wyoming_offer import build_offer
from assistant.config import Home
from assistant.core import open_assistant
from assistant.wyoming.server import WyomingServer
from tests.speechgen import StreamBuilder, synthesize
from tests.wyoming.peers import ROOT, free_port


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WyomingServer]:
    home = Home.locate(tmp_path_factory.mktemp("home")).ensure()
    assistant = open_assistant(home, plugins=False)
    wyoming = WyomingServer(build_offer(assistant), "tcp://127.0.0.1:0")
    wyoming.start()
    yield wyoming
    wyoming.stop()
    assistant.close()


async def exchange(uri: str, events: list[Event], until: tuple[str, ...], timeout: float = 30) -> list[Event]:
    """Send ``events``, then collect answers up to one whose type is in ``until``."""
    received: list[Event] = []
    async with AsyncTcpClient.from_uri(uri) as client:
        for event in events:
            await client.write_event(event)
        while True:
            answer = await asyncio.wait_for(client.read_event(), timeout)
            assert answer is not None, f"the server closed the connection after {received}"
            received.append(answer)
            if answer.type in until:
                return received


def audio_events(pcm: bytes, rate: int = 16000) -> list[Event]:
    step = 2048
    chunks = [
        AudioChunk(rate=rate, width=2, channels=1, audio=pcm[i : i + step]).event()
        for i in range(0, len(pcm), step)
    ]
    return [AudioStart(rate=rate, width=2, channels=1).event(), *chunks, AudioStop().event()]


def test_info_lists_wake_recognizer_voice_handle_and_intent(server: WyomingServer) -> None:
    [answer] = asyncio.run(exchange(server.uri, [Describe().event()], ("info",)))
    info = Info.from_event(answer)
    assert [program.name for program in info.asr] == ["desk-assistant"]
    assert info.asr[0].installed and info.asr[0].models[0].languages == ["en"]
    assert info.tts[0].voices and info.handle[0].models and info.intent[0].models
    assert info.wake[0].models[0].phrase == "hey computer"
    assert info.wake[0].models[0].name == "hey_computer"


def test_transcribe_uses_our_recognizer_biased_to_our_commands(server: WyomingServer) -> None:
    pcm = read_wav(synthesize("what time is it"))
    answers = asyncio.run(exchange(server.uri, [Transcribe().event(), *audio_events(pcm)], ("transcript",)))
    assert Transcript.from_event(answers[-1]).text == "what time is it"


def test_transcribe_takes_audio_at_another_rate(server: WyomingServer) -> None:
    with wave.open(str(synthesize("what time is it", rate=22050))) as clip:
        pcm = clip.readframes(clip.getnframes())
    answers = asyncio.run(
        exchange(server.uri, [Transcribe().event(), *audio_events(pcm, 22050)], ("transcript",))
    )
    assert Transcript.from_event(answers[-1]).text == "what time is it"


def test_synthesize_streams_our_voice(server: WyomingServer) -> None:
    answers = asyncio.run(exchange(server.uri, [Synthesize(text="Timer set.").event()], ("audio-stop",)))
    assert answers[0].type == "audio-start"
    start = AudioStart.from_event(answers[0])
    assert (start.rate, start.width, start.channels) == (16000, 2, 1)
    audio = b"".join(AudioChunk.from_event(event).audio for event in answers if event.type == "audio-chunk")
    assert 0.3 < len(audio) / 32000 < 5


def test_detect_spots_the_wake_word_and_says_when_it_did_not(server: WyomingServer, tmp_path: Path) -> None:
    stream = StreamBuilder().pause(0.5).say("hey computer").pause(0.8)
    pcm = read_wav(stream.save(tmp_path / "wake.wav"))
    answers = asyncio.run(
        exchange(server.uri, [Detect().event(), *audio_events(pcm)], ("detection", "not-detected"))
    )
    detection = Detection.from_event(answers[-1])
    assert detection.name == "hey_computer"
    assert 0.5 < (detection.timestamp or 0) / 1000 < stream.seconds
    other = read_wav(StreamBuilder().say("please send me the report before lunch").save(tmp_path / "o.wav"))
    answers = asyncio.run(
        exchange(server.uri, [Detect().event(), *audio_events(other)], ("detection", "not-detected"))
    )
    assert NotDetected.is_type(answers[-1].type)


def test_handle_understands_acts_and_answers(server: WyomingServer) -> None:
    answers = asyncio.run(
        exchange(
            server.uri, [Transcript(text="add eggs to my shopping list").event()], ("handled", "not-handled")
        )
    )
    handled = Handled.from_event(answers[-1])
    assert "eggs" in (handled.text or "").lower()
    answers = asyncio.run(
        exchange(server.uri, [Transcript(text="cancel the pasta timer").event()], ("handled", "not-handled"))
    )
    assert NotHandled.is_type(answers[-1].type)


def test_each_client_is_its_own_conversation(server: WyomingServer) -> None:
    async def ask_then_answer() -> tuple[str, str]:
        async with (
            AsyncTcpClient.from_uri(server.uri) as first,
            AsyncTcpClient.from_uri(server.uri) as second,
        ):
            await first.write_event(Transcript(text="set a timer").event())
            question = Handled.from_event(await first.read_event())  # type: ignore[arg-type]
            await second.write_event(Transcript(text="five minutes").event())
            elsewhere = await second.read_event()
            await first.write_event(Transcript(text="five minutes").event())
            answered = Handled.from_event(await first.read_event())  # type: ignore[arg-type]
            assert elsewhere is not None
            return (question.text or "") + "|" + str(elsewhere.data.get("text")), answered.text or ""

    asked, answered = asyncio.run(ask_then_answer())
    assert "how long" in asked.lower()
    assert "5 minutes" in answered


def test_recognize_gives_the_intent_and_slots(server: WyomingServer) -> None:
    answers = asyncio.run(
        exchange(
            server.uri, [Recognize(text="set a timer for ten minutes").event()], ("intent", "not-recognized")
        )
    )
    intent = Intent.from_event(answers[-1])
    assert intent.name == "timer.set"
    assert {entity.name for entity in intent.entities} >= {"duration"}
    answers = asyncio.run(
        exchange(
            server.uri, [Recognize(text="purple monkey dishwasher").event()], ("intent", "not-recognized")
        )
    )
    assert NotRecognized.is_type(answers[-1].type)


def test_ping_is_answered(server: WyomingServer) -> None:
    [pong] = asyncio.run(exchange(server.uri, [Ping(text="x").event()], ("pong",)))
    assert Pong.from_event(pong).text == "x"


def test_a_wake_model_we_do_not_have_is_an_error(server: WyomingServer) -> None:
    [error] = asyncio.run(exchange(server.uri, [Detect(names=["ok_nabu"]).event()], ("error",)))
    assert "hey_computer" in Error.from_event(error).text


def test_serve_wyoming_runs_as_a_command(home: Home) -> None:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "assistant", "serve", "--no-voice", "--wyoming", f"tcp://127.0.0.1:{port}"],
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    try:
        uri = f"tcp://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                [answer] = asyncio.run(exchange(uri, [Describe().event()], ("info",), timeout=10))
                break
            except OSError:
                assert time.monotonic() < deadline and process.poll() is None
                time.sleep(0.3)
        assert Info.from_event(answer).handle
        answers = asyncio.run(
            exchange(uri, [Transcript(text="what is twelve times eight").event()], ("handled",))
        )
        assert "96" in (Handled.from_event(answers[-1]).text or "")
    finally:
        process.terminate()
        _out, err = process.communicate(timeout=30)
    assert f"Serving Wyoming (wake word, recognizer, voice, understanding) on tcp://127.0.0.1:{port}" in err
    assert "no passwords" not in err  # loopback: no warning


def test_serving_beyond_loopback_is_said_to_have_no_passwords(
    home: Home, capsys: pytest.CaptureFixture[str]
) -> None:
    from assistant.cli.serve import _start_wyoming

    assistant = open_assistant(home, plugins=False)
    try:
        wyoming = _start_wyoming(assistant, "tcp://0.0.0.0:0")
        wyoming.stop()
    finally:
        assistant.close()
    err = capsys.readouterr().err
    assert "Wyoming has no passwords" in err and "127.0.0.1" in err
