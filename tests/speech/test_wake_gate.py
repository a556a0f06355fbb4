"""The energy gate: a quiet room costs the spotter nothing, a spoken wake phrase still gets through."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from assistant.audio import WavFileSource
from assistant.audio.convert import to_pcm16
from assistant.events import AudioChunk
from assistant.wake.gate import EnergyGate, GatedWakeDetector
from assistant.wake.pocketsphinx_kws import PocketsphinxWakeDetector
from tests.speech.conftest import wake_stream
from tests.speechgen import mix_noise, silence


def chunks_of(samples: np.ndarray, start: float = 0.0) -> list[AudioChunk]:
    pcm = to_pcm16(samples)
    return [AudioChunk(pcm[i : i + 3200], start + i / 32000) for i in range(0, len(pcm), 3200)]


def room(seconds: float, level: float, kind: str = "white", seed: int = 0) -> np.ndarray:
    return mix_noise(silence(seconds), level, seed=seed, kind=kind)


def test_a_quiet_room_reaches_no_spotter() -> None:
    gate = EnergyGate()
    for chunk in chunks_of(room(60.0, 0.001)):
        assert gate.admit(chunk) == ([], False)
    assert round(gate.seconds_heard, 3) == 60.0 and gate.seconds_passed == 0.0


def test_a_steady_fan_becomes_the_floor_and_closes_the_gate() -> None:
    gate = EnergyGate()
    quiet, fan = chunks_of(room(5.0, 0.001)), chunks_of(room(30.0, 0.05, "fan", seed=1), start=5.0)
    for chunk in quiet + fan:
        gate.admit(chunk)
    assert not gate.is_open
    assert 0.0 < gate.seconds_passed < 20.0  # it opened when the fan started, then learned it


def test_speech_opens_the_gate_with_the_audio_just_before_it() -> None:
    gate = EnergyGate()
    tone = (0.2 * np.sin(np.arange(8000) * 0.2)).astype(np.float32)
    chunks = chunks_of(np.concatenate([room(3.0, 0.001), tone, room(3.0, 0.001)]))
    passed = [gate.admit(chunk)[0] for chunk in chunks]
    opening = next(index for index, pieces in enumerate(passed) if pieces)
    # the first loud chunk brings the second of audio before it
    assert [piece.timestamp for piece in passed[opening]][0] <= chunks[opening].timestamp - 0.9
    assert not gate.is_open


def test_the_gated_spotter_finds_the_phrase_in_noise_and_waits_cheaply(speech_dir: Path) -> None:
    builder = wake_stream()
    path = builder.save(speech_dir / "gated-wake.wav", noise=0.01, kind="fan")
    detector = GatedWakeDetector(PocketsphinxWakeDetector())
    found = [hit.at for chunk in WavFileSource(path).chunks() if (hit := detector.process(chunk))]
    assert len(found) == 1 and abs(found[0] - builder.marks["wake"][1]) < 0.4
    detector.reset()
    began = time.process_time()
    for chunk in chunks_of(room(120.0, 0.0005)):
        assert detector.process(chunk) is None
    # two minutes of a quiet room: the spotter hears none of it; the gate itself is cheap
    assert detector.gate.seconds_passed == 0.0
    assert time.process_time() - began < 2.4  # 2 % of one core, with room for a busy machine
