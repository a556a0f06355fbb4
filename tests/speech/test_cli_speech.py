"""The speech commands, run as a user would: in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from assistant.audio import read_wav
from assistant.config import Home
from tests.speechgen import StreamBuilder, synthesize

ROOT = Path(__file__).resolve().parents[2]


def assistant(*args: str, home: Home) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "ASSISTANT_HOME": str(home.config_dir), "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )


def test_listen_json_no_wake_prints_the_recognized_words(home: Home, tmp_path: Path) -> None:
    wav = synthesize("what time is it", tmp_path / "request.wav")
    result = assistant("listen", "--input", str(wav), "--json", "--no-wake", "--read-back", home=home)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    turn = json.loads(lines[0])
    assert turn["transcript"] == "what time is it"
    assert turn["engine"] == "hybrid"
    assert turn["wake"] == {"detected": False, "at": None}
    for key in ("intent", "slots", "confidence", "reply", "actions", "timings"):
        assert key in turn
    assert turn["reply"] == "You said: what time is it."
    assert {"asr", "response_latency"} <= set(turn["timings"])
    assert "Whisper" in result.stderr  # says which engine it uses


def test_listen_with_wake_word_and_spoken_replies(home: Home, tmp_path: Path) -> None:
    builder = StreamBuilder().say("the market opened higher").pause(0.6).say("hey computer", label="wake")
    path = builder.pause(0.3).say("what time is it").pause(1.2).save(tmp_path / "stream.wav")
    out = tmp_path / "replies.wav"
    result = assistant(
        "listen", "--input", str(path), "--json", "--read-back", "--speak-to", str(out), home=home
    )
    assert result.returncode == 0, result.stderr
    turn = json.loads(result.stdout.strip().splitlines()[0])
    assert turn["wake"]["detected"] is True
    assert abs(turn["wake"]["at"] - builder.marks["wake"][1]) < 0.4
    assert turn["transcript"] == "what time is it"
    assert len(read_wav(out)) > 32000


def test_say_writes_a_wav(home: Home, tmp_path: Path) -> None:
    out = tmp_path / "hello.wav"
    result = assistant("say", "Hello, I am your desk assistant.", "--to", str(out), home=home)
    assert result.returncode == 0, result.stderr
    assert 1.0 < len(read_wav(out)) / 32000 < 6.0


def test_bad_input_file_exits_2_with_a_clear_message(home: Home, tmp_path: Path) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("not audio")
    result = assistant("listen", "--input", str(bad), "--no-wake", home=home)
    assert result.returncode == 2
    assert "not a WAV file" in result.stderr and "Traceback" not in result.stderr


def test_missing_vosk_model_exits_3(home: Home, tmp_path: Path) -> None:
    wav = synthesize("what time is it", tmp_path / "request.wav")
    result = assistant("listen", "--input", str(wav), "--no-wake", "--engine", "vosk", home=home)
    assert result.returncode == 3
    assert "assistant models install vosk-small-en" in result.stderr


def test_no_speaker_exits_3_and_suggests_a_file(home: Home) -> None:
    result = assistant("say", "hello", home=home)
    assert result.returncode in (0, 3)  # 0 only on a machine with a speaker
    if result.returncode == 3:
        assert "--to OUT.wav" in result.stderr


def test_models_list_and_remove(home: Home) -> None:
    listing = assistant("models", "list", "--json", home=home)
    assert listing.returncode == 0
    rows = json.loads(listing.stdout)
    assert {"name": "vosk-small-en", "installed": False}.items() <= rows[0].items()
    removal = assistant("models", "remove", "vosk-small-en", home=home)
    assert removal.returncode == 2 and "No installed model" in removal.stderr
