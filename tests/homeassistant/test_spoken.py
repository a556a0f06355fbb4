"""Against a real Home Assistant, spoken: Piper's speech through the real voice loop and the
default recognizer (pocketsphinx's grammar pass with Whisper) changes the real home."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from assistant.asr import create_recognizer
from assistant.audio import WavFileSource
from assistant.core import Assistant
from assistant.dialogue.codes import MASK
from assistant.events import Event, PartialTranscript, Transcript
from assistant.pipeline import VoiceLoop
from assistant.voice import understanding_judge
from tests.homeassistant.conftest import ALARM, Owner, connected_home
from tests.speechgen import synthesize


def test_a_spoken_request_through_listen_switches_the_real_light(
    plugin_entry_point: None, owner: Owner, tmp_path: Path
) -> None:
    home = connected_home(tmp_path, owner, token_name="spoken test")
    owner.service("light", "turn_off", entity_id="light.bed_light")
    owner.wait_for("light.bed_light", lambda s: s["state"] == "off")
    wav = synthesize("turn on the bed light", tmp_path / "request.wav")
    # As a user runs it: `assistant listen --no-wake -i WAV`, the plug-in found as installed.
    environment = {
        **os.environ,
        "ASSISTANT_HOME": str(home.config_dir),
        "PYTHONPATH": os.pathsep.join(entry for entry in sys.path if entry),
    }
    done = subprocess.run(
        [sys.executable, "-m", "assistant", "listen", "--no-wake", "-i", str(wav), "--json"],
        capture_output=True,
        text=True,
        env=environment,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    turn = json.loads(done.stdout.splitlines()[-1])
    assert turn["intent"] == "homeassistant.turn_on", turn
    assert owner.wait_for("light.bed_light", lambda s: s["state"] == "on")["state"] == "on"


def test_a_spoken_code_arms_the_alarm_and_is_shown_and_kept_masked(
    disarmed_alarm_home: tuple[Path, Assistant, list[Event]], owner: Owner, tmp_path: Path
) -> None:
    folder, assistant, events = disarmed_alarm_home
    choice = create_recognizer(
        assistant.settings, assistant.home, engine="auto", judge=understanding_judge(assistant)
    )
    wav = synthesize("one two three four", tmp_path / "code.wav")
    loop = VoiceLoop(
        WavFileSource(wav),
        choice.recognizer,
        assistant.handle_transcript,
        settings=assistant.settings,
        bus=assistant.bus,
        phrases_provider=assistant.phrases,
        no_wake=True,
    )
    # Asked on the screen; the code said aloud: the loop heard the question on the bus.
    assistant.handle_text("arm the security")
    assert assistant.handle_text("yes").expects_code
    [turn] = loop.run()
    assert turn.text == MASK
    assert turn.reply.startswith("Done."), turn.reply
    assert owner.wait_for(ALARM, lambda s: s["state"] == "armed_away", timeout=20)["state"] == "armed_away"
    asr = turn.trace.find("asr")
    assert asr is not None and asr.output == MASK
    heard = [event.text for event in events if isinstance(event, (Transcript, PartialTranscript))]
    assert heard == [MASK]  # no partials while a code is spoken; the transcript masked
    kept = b"".join(path.read_bytes() for path in folder.rglob("*") if path.is_file())
    for said in ("1234", "1 2 3 4", "one two three four", "1, 2, 3, 4"):
        assert said.encode() not in kept
