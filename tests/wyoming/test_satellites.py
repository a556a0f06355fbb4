"""Two real wyoming-satellite processes at once, WAV files as their microphones: each gets its
own answer in its own conversation, and when both hear one wake word the one that heard it
best (clearest) answers."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from assistant.config import Home, Settings
from assistant.core import Assistant, open_assistant
from assistant.voice import start_satellites
from assistant.wyoming.client import describe
from assistant.wyoming.endpoint import Endpoint, WyomingError
from assistant.wyoming.health import ServiceState
from assistant.wyoming.satellite_link import SatelliteHub, SatelliteLink
from tests.speechgen import StreamBuilder
from tests.wyoming import peers


@dataclass
class Room:
    peer: peers.Peer
    go: Path
    speaker: Path


def room(tmp: Path, name: str, builder: StreamBuilder, noise: float = 0.002, kind: str = "white") -> Room:
    mic = builder.save(tmp / f"{name}-mic.wav", noise=noise, kind=kind)
    go, speaker = tmp / f"{name}.go", tmp / f"{name}.raw"
    return Room(peers.satellite(tmp, mic, go, speaker, name).start(), go, speaker)


@pytest.fixture
def assistant(home: Home) -> Iterator[Assistant]:
    assistant = open_assistant(home, plugins=False)
    yield assistant
    assistant.close()


def serve(assistant: Assistant, rooms: list[Room], **settings: str | float) -> SatelliteHub:
    assistant.settings = Settings(
        satellites=", ".join(room.peer.uri for room in rooms),
        follow_up_seconds=0.0,
        wyoming_retry_seconds=0.5,
        **settings,  # type: ignore[arg-type]
    )
    hub = start_satellites(assistant)
    assert hub is not None
    deadline = time.monotonic() + 20
    while not all(link.health.state is ServiceState.OK for link in hub.links):
        assert time.monotonic() < deadline, [link.health.describe() for link in hub.links]
        time.sleep(0.1)
    return hub


def wait_for_turns(links: list[SatelliteLink], count: int, seconds: float = 40) -> None:
    deadline = time.monotonic() + seconds
    while sum(len(link.turns) for link in links) < count and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(2.0)  # anything more that would (wrongly) come


def played(speaker: Path, more_than: int, seconds: float = 30) -> int:
    """How many bytes the speaker file holds once it holds more than ``more_than`` (or when
    ``seconds`` have passed): the reply's speech is synthesized and played after the turn is
    recorded, later still on a loaded machine (the first synthesis loads the voice)."""
    deadline = time.monotonic() + seconds
    while True:
        size = speaker.stat().st_size if speaker.exists() else 0
        if size > more_than or time.monotonic() > deadline:
            return size
        time.sleep(0.2)


def test_two_satellites_each_get_their_own_answer_and_timers_ring_where_set(
    assistant: Assistant, tmp_path: Path
) -> None:
    kitchen = room(tmp_path, "kitchen", StreamBuilder().pause(1.0).say("hey computer").pause(0.3)
                   .say("what time is it").pause(2.0))  # fmt: skip
    office = room(tmp_path, "office", StreamBuilder().pause(5.0).say("hey computer").pause(0.3)
                  .say("set a timer for five seconds").pause(2.0))  # fmt: skip
    hub = serve(assistant, [kitchen, office])
    assistant.start_background()  # the scheduler: timers go off
    try:
        kitchen.go.touch()
        office.go.touch()
        wait_for_turns(hub.links, 2)
        by_name = {link.name: link for link in hub.links}
        assert set(by_name) == {"kitchen", "office"}
        assert [len(by_name[name].turns) for name in ("kitchen", "office")] == [1, 1]
        [asked] = by_name["kitchen"].turns
        [told] = by_name["office"].turns
        assert asked.intent == "time.now", asked
        assert told.intent == "timer.set" and not told.expects_answer, told
        assert asked.session_id == "satellite:kitchen" and told.session_id == "satellite:office"
        assert assistant.session("satellite:office").last_request is not None
        assert assistant.session("satellite:kitchen").last_request.intent == "time.now"  # type: ignore[union-attr]
        rooms = hub.links[0].parts.rooms
        assert rooms is not None
        deadline = time.monotonic() + 20
        while not rooms.announced and time.monotonic() < deadline:
            time.sleep(0.2)
        assert [where for where, _words in rooms.announced] == ["office"]  # rang in its own room
        assert played(kitchen.speaker, 16000) > 16000  # each reply played in its own room
        assert played(office.speaker, 16000) > 16000
    finally:
        hub.stop()
        kitchen.peer.stop()
        office.peer.stop()


def said(volume: float, wake: str = "hey computer") -> StreamBuilder:
    return (
        StreamBuilder()
        .pause(1.0)
        .say(wake, volume=volume)
        .pause(0.3)
        .say("what time is it", volume=volume)
        .pause(2.0)
    )


def test_a_timer_rings_in_its_room_after_the_assistant_restarts(home: Home, tmp_path: Path) -> None:
    """Set from the kitchen, then the assistant closes and opens again on the same database:
    the timer still goes off in the kitchen (its room is stored with it)."""
    from assistant.memory.timers import TimerRepository

    kitchen = room(tmp_path, "kitchen", StreamBuilder().pause(1.0).say("hey computer").pause(0.3)
                   .say("set a timer for twenty seconds").pause(2.0))  # fmt: skip
    first = open_assistant(home, plugins=False)
    try:
        hub = serve(first, [kitchen])
        kitchen.go.touch()
        wait_for_turns(hub.links, 1)
        [turn] = hub.links[0].turns
        assert turn.intent == "timer.set", turn
        [timer] = TimerRepository(first.store).active()
        assert timer.room == hub.links[0].endpoint.uri
        hub.stop()
    finally:
        first.close()
    heard_before = kitchen.speaker.stat().st_size
    second = open_assistant(home, plugins=False)  # the restart: a new assistant, the same SQLite file
    try:
        hub = serve(second, [kitchen])
        second.start_background()  # the scheduler, after the kitchen is back
        rooms = hub.links[0].parts.rooms
        assert rooms is not None
        deadline = time.monotonic() + 40
        while not rooms.announced and time.monotonic() < deadline:
            time.sleep(0.2)
        assert [where for where, _words in rooms.announced] == ["kitchen"]
        assert played(kitchen.speaker, heard_before + 16000) > heard_before + 16000  # heard in the kitchen
        hub.stop()
    finally:
        second.close()
        kitchen.peer.stop()


def test_the_satellite_that_heard_the_wake_word_loudest_answers(assistant: Assistant, tmp_path: Path) -> None:

    near = room(tmp_path, "near", said(1.0))
    far = room(tmp_path, "far", said(0.5))
    hub = serve(assistant, [near, far])
    try:
        near.go.touch()
        far.go.touch()
        wait_for_turns(hub.links, 1)
        turns = {link.name: len(link.turns) for link in hub.links}
        assert turns == {"near": 1, "far": 0}, hub.arbiter.decided
        [(winner, claims)] = hub.arbiter.decided
        assert winner.endswith(str(near.peer.port)) and len(claims) == 2
    finally:
        hub.stop()
        near.peer.stop()
        far.peer.stop()


def test_a_clear_room_wins_over_a_louder_noisy_one(assistant: Assistant, tmp_path: Path) -> None:
    """The same phrase said softly in a quiet room and louder beside a fan: both detectors fire
    (openWakeWord's probability is 0.9-0.99 for both: a tie), the quiet room heard it clearly."""
    clear = room(tmp_path, "clear", said(0.6, "hey jarvis"))
    noisy = room(tmp_path, "noisy", said(0.8, "hey jarvis"), noise=0.08, kind="fan")
    hub = serve(
        assistant,
        [clear, noisy],
        wake_phrase="hey jarvis",
        wake_engine="openwakeword",
        satellite_arbitration_seconds=1.0,  # a busy machine runs one loop late: still one round
    )
    try:
        clear.go.touch()
        noisy.go.touch()
        wait_for_turns(hub.links, 1)
        [(winner, claims)] = hub.arbiter.decided
        assert len(claims) == 2, claims  # both heard it
        by_room = {
            ("clear" if uri.endswith(str(clear.peer.port)) else "noisy"): claim
            for uri, claim in claims.items()
        }
        assert by_room["noisy"].level > by_room["clear"].level, claims  # the loudest would be wrong
        assert by_room["clear"].clarity > by_room["noisy"].clarity, claims
        assert winner.endswith(str(clear.peer.port)), (winner, claims)
        assert {link.name: len(link.turns) for link in hub.links} == {"clear": 1, "noisy": 0}
    finally:
        hub.stop()
        clear.peer.stop()
        noisy.peer.stop()


def test_a_satellite_that_detects_the_wake_word_itself_is_served_from_recognition(
    assistant: Assistant, tmp_path: Path, wake_peer: peers.Peer
) -> None:
    """wyoming-satellite with the real openWakeWord as its own wake service: it sends
    run-pipeline from asr and streams only the request; it stays connected while silent."""
    mic = StreamBuilder().pause(1.5).say("hey jarvis").pause(0.3).say("what time is it").pause(2.0)
    wav, go, speaker = mic.save(tmp_path / "mic.wav", noise=0.002), tmp_path / "go", tmp_path / "spk.raw"
    own_wake = (wake_peer.uri, "hey_jarvis")
    porch = Room(peers.satellite(tmp_path, wav, go, speaker, "porch", wake=own_wake).start(), go, speaker)
    hub = serve(assistant, [porch], wyoming_timeout_seconds=1.0)  # our wake phrase stays "hey computer"
    try:
        [link] = hub.links
        time.sleep(4.0)  # silent for more than three timeouts: not taken for stuck
        assert link.health.state is ServiceState.OK and link.health.failures == 0, link.health.describe()
        go.touch()
        wait_for_turns([link], 1)
        assert link.own_wake and not link.streams_always
        [turn] = link.turns
        assert turn.intent == "time.now", turn
        [wake] = [record for record in turn.trace.stages if record.stage == "wake"]
        assert wake.output["detected"] is False and wake.output["engine"] is None  # our wake stage skipped
        assert played(speaker, 16000) > 16000  # the reply, in its speaker
    finally:
        hub.stop()
        porch.peer.stop()


def test_of_two_rooms_that_detect_the_wake_word_themselves_one_answers(
    assistant: Assistant, tmp_path: Path, wake_peer: peers.Peer
) -> None:
    own_wake = (wake_peer.uri, "hey_jarvis")
    rooms = []
    for name in ("hall", "stairs"):
        mic = StreamBuilder().pause(1.5).say("hey jarvis").pause(0.3).say("what time is it").pause(2.0)
        wav, go, speaker = (
            mic.save(tmp_path / f"{name}.wav", noise=0.002),
            tmp_path / "go",
            tmp_path / f"{name}.raw",
        )
        rooms.append(
            Room(peers.satellite(tmp_path, wav, go, speaker, name, wake=own_wake).start(), go, speaker)
        )
    hub = serve(assistant, rooms, satellite_arbitration_seconds=1.0)
    try:
        (tmp_path / "go").touch()  # one file: both rooms hear the phrase at the same moment
        wait_for_turns(hub.links, 1)
        assert all(link.own_wake for link in hub.links)
        assert sorted(len(link.turns) for link in hub.links) == [0, 1]
        [(_winner, claims)] = hub.arbiter.decided
        assert len(claims) == 2
        time.sleep(2.0)
        assert all(link.health.state is ServiceState.OK for link in hub.links)  # the other one waits again
    finally:
        hub.stop()
        for each in rooms:
            each.peer.stop()


def test_a_satellite_that_goes_away_is_reconnected(assistant: Assistant, tmp_path: Path) -> None:
    desk = room(tmp_path, "desk", StreamBuilder().pause(1.0).say("hey computer").pause(0.3)
                .say("what time is it").pause(2.0))  # fmt: skip
    hub = serve(assistant, [desk])
    try:
        [link] = hub.links
        desk.peer.stop()
        deadline = time.monotonic() + 10
        while link.health.state is not ServiceState.DOWN:
            assert time.monotonic() < deadline
            time.sleep(0.1)
        assert "trying again" in link.health.detail
        desk.peer.start()
        deadline = time.monotonic() + 20
        while link.health.state is not ServiceState.OK:
            assert time.monotonic() < deadline, link.health.describe()
            time.sleep(0.1)
        desk.go.touch()
        wait_for_turns([link], 1)
        assert len(link.turns) == 1
    finally:
        hub.stop()
        desk.peer.stop()


def test_assistant_satellite_mode_is_a_satellite_another_assistant_serves(
    assistant: Assistant, tmp_path: Path
) -> None:
    """``assistant satellite`` in its own process, a WAV file its microphone."""
    import subprocess
    import sys

    mic = StreamBuilder().pause(1.0).say("hey computer").pause(0.3).say("what time is it").pause(2.0)
    wav, go, speaker = mic.save(tmp_path / "mic.wav", noise=0.002), tmp_path / "go", tmp_path / "spk.raw"
    port = peers.free_port()
    python = sys.executable
    process = subprocess.Popen(
        [
            python, "-m", "assistant", "satellite", "--uri", f"tcp://127.0.0.1:{port}", "--name", "den",
            "--mic-command", f"{python} -m tests.wyoming.wav_mic {wav} {go}",
            "--snd-command", f"{python} -m tests.wyoming.file_speaker {speaker}",
        ],
        cwd=peers.ROOT, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                info = describe(Endpoint("127.0.0.1", port), 2.0)
                break
            except WyomingError:
                assert time.monotonic() < deadline and process.poll() is None
                time.sleep(0.2)
        assert info.satellite is not None and info.satellite.name == "den"
        den = peers.Peer("ours", [], port=port)
        hub = serve(assistant, [room_of(den, go, speaker)])
        try:
            go.touch()
            wait_for_turns(hub.links, 1)
            [link] = hub.links
            assert link.name == "den" and [turn.intent for turn in link.turns] == ["time.now"]
            assert link.pongs >= 1  # our satellite answers pings
            assert played(speaker, 16000) > 16000  # the reply, played by our satellite
        finally:
            hub.stop()
    finally:
        process.terminate()
        process.communicate(timeout=30)


def room_of(peer: peers.Peer, go: Path, speaker: Path) -> Room:
    return Room(peer, go, speaker)
