"""From a spoken request to a spoken timer notice: real audio, engines, database and scheduler."""

from __future__ import annotations

import time
from pathlib import Path

from assistant.asr import create_recognizer
from assistant.audio import WavFileSink, WavFileSource
from assistant.audio.convert import read_wav
from assistant.config import Home, Settings
from assistant.core import open_assistant
from assistant.events import SpeakingStarted
from assistant.memory.timers import TimerRepository
from assistant.pipeline import VoiceLoop
from assistant.tts import create_synthesizer
from assistant.wake import create_wake_detector
from tests.speechgen import synthesize


def test_spoken_timer_request_fires_and_is_announced_into_a_wav(home: Home, tmp_path: Path) -> None:
    request = tmp_path / "request.wav"
    synthesize("hey computer, set a timer for two seconds", request)
    spoken = tmp_path / "spoken.wav"
    # Piper speaks the notice: the built-in recognizer can check its words (it is poor on eSpeak).
    Settings(tts_engine="piper").save(home)
    assistant = open_assistant(home)
    said: list[str] = []
    assistant.bus.subscribe(
        lambda event: said.append(event.text) if isinstance(event, SpeakingStarted) else None
    )
    sink = WavFileSink(spoken)
    loop = VoiceLoop(
        WavFileSource(request),
        create_recognizer(assistant.settings, home).recognizer,
        assistant.handle_transcript,
        settings=assistant.settings,
        wake=create_wake_detector(assistant.settings, home),
        synthesizer=create_synthesizer(assistant.settings),
        sink=sink,
        bus=assistant.bus,
        phrases_provider=assistant.phrases,
    )
    try:
        (turn,) = loop.run()
        assert turn.intent == "timer.set", turn.to_json()
        assert turn.slots["duration"] == 2
        (timer,) = TimerRepository(assistant.store).active()
        replied_seconds = sink.written_seconds

        assistant.speaker = loop
        assistant.start_background()
        deadline = time.monotonic() + 20
        while TimerRepository(assistant.store).active() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert TimerRepository(assistant.store).active() == []
        deadline = time.monotonic() + 20
        while sink.written_seconds <= replied_seconds and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        assistant.close()
        sink.close()

    assert sink.written_seconds > replied_seconds + 0.5
    announcement = read_wav(spoken)[int(replied_seconds * 16000) * 2 :]
    heard = create_recognizer(assistant.settings, home).recognizer.transcribe(announcement)
    notice = next(text for text in said if "timer is done" in text)
    assert "two seconds" in heard.text or "timer" in heard.text, (notice, heard.text)
    assert timer.id is not None
