"""Remote engines against the real Wyoming peers: faster-whisper, Piper and openWakeWord."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.asr import create_recognizer
from assistant.asr.base import Recognizer
from assistant.audio.convert import pcm16_to_float, read_wav
from assistant.config import Home, Settings
from assistant.events import AudioChunk
from assistant.tts import create_synthesizer
from assistant.wake import create_wake_detector
from assistant.wyoming.health import ServiceState
from assistant.wyoming.remote_asr import WyomingRecognizer
from assistant.wyoming.remote_tts import WyomingSynthesizer
from assistant.wyoming.remote_wake import WyomingWakeDetector
from tests.speechgen import StreamBuilder, synthesize, word_error_rate
from tests.wyoming import LOCAL_RECOGNIZERS
from tests.wyoming.peers import Peer, free_port


def settings(**changes: object) -> Settings:
    return Settings(wyoming_timeout_seconds=10.0, wyoming_retry_seconds=0.5).update(**changes)


def test_remote_recognizer_transcribes_with_faster_whisper(whisper_peer: Peer, tmp_path: Path) -> None:
    choice = create_recognizer(settings(asr_engine=whisper_peer.uri), Home(tmp_path, tmp_path))
    assert isinstance(choice.recognizer, WyomingRecognizer)
    transcript = choice.recognizer.transcribe(read_wav(synthesize("set a timer for ten minutes")))
    assert word_error_rate("set a timer for ten minutes", transcript.text) <= 0.2
    assert transcript.engine == "wyoming:faster-whisper"
    health = choice.recognizer.service.health
    assert health.state is ServiceState.OK and "faster-whisper" in health.detail


def test_remote_voice_speaks_with_piper_at_our_rate(piper_peer: Peer) -> None:
    synthesizer = create_synthesizer(settings(tts_engine=piper_peer.uri))
    assert isinstance(synthesizer, WyomingSynthesizer)
    pcm = synthesizer.synthesize("The timer is set for ten minutes.")
    seconds = len(pcm) / 32000  # converted from Piper's 22 050 Hz to our 16 kHz mono
    assert 1.0 < seconds < 5.0
    assert float(np.sqrt(np.mean(pcm16_to_float(pcm) ** 2))) > 0.02
    assert synthesizer.service.health.state is ServiceState.OK
    assert "piper" in synthesizer.service.health.detail


def feed(detector: WyomingWakeDetector, path: Path) -> list[float]:
    """Stream a file in 80 ms chunks at four times real time; the stream times woken at."""
    import time

    pcm = read_wav(path)
    step = 2560
    woken = []
    for offset in range(0, len(pcm), step):
        detected = detector.process(AudioChunk(audio=pcm[offset : offset + step], timestamp=offset / 32000))
        if detected is not None:
            woken.append(detected.at)
        time.sleep(0.02)  # a quarter of real time: openWakeWord keeps up, stamps stay close
    for _ in range(40):  # detections still on their way
        time.sleep(0.05)
        silence = AudioChunk(audio=bytes(step), timestamp=len(pcm) / 32000)
        detected = detector.process(silence)
        if detected is not None:
            woken.append(detected.at)
    return woken


def test_remote_wake_word_with_openwakeword(wake_peer: Peer, tmp_path: Path) -> None:
    stream = StreamBuilder().pause(1.5).say("the market opened higher today").pause(1.0)
    stream.say("hey jarvis", label="wake").pause(1.5)
    path = stream.save(tmp_path / "wake.wav")
    detector = create_wake_detector(settings(wake_engine=wake_peer.uri, wake_phrase="hey jarvis"))
    assert isinstance(detector, WyomingWakeDetector)
    woken = feed(detector, path)
    start, _end = stream.marks["wake"]
    assert len(woken) == 1, woken  # several detections per utterance, one wake
    # at the phrase, not the speech before it (how far after it depends on how busy the machine is)
    assert start < woken[0]
    assert detector.service.health.state is ServiceState.OK


def test_remote_wake_word_stays_quiet_on_other_speech(wake_peer: Peer, tmp_path: Path) -> None:
    stream = StreamBuilder().pause(1.0).say("please send me the report before lunch").pause(1.0)
    detector = create_wake_detector(settings(wake_engine=wake_peer.uri, wake_phrase="hey jarvis"))
    assert feed(detector, stream.save(tmp_path / "other.wav")) == []


def test_a_phrase_the_wake_service_has_no_model_for_says_which_it_has(wake_peer: Peer) -> None:
    detector = create_wake_detector(settings(wake_engine=wake_peer.uri, wake_phrase="hey computer"))
    assert isinstance(detector, WyomingWakeDetector)
    detector.process(AudioChunk(audio=bytes(2560)))
    health = detector.service.health
    assert health.state is ServiceState.DOWN
    assert "hey_jarvis" in health.detail and "local wake word detector" in health.detail


def test_no_service_at_the_address_falls_back_to_the_local_recognizer(tmp_path: Path) -> None:
    choice = create_recognizer(
        settings(asr_engine=f"tcp://127.0.0.1:{free_port()}"), Home(tmp_path, tmp_path)
    )
    recognizer: Recognizer = choice.recognizer
    transcript = recognizer.transcribe(read_wav(synthesize("what time is it")), ["what time is it"])
    assert transcript.text == "what time is it"
    assert transcript.engine in LOCAL_RECOGNIZERS
    assert isinstance(recognizer, WyomingRecognizer)
    assert recognizer.service.health.state is ServiceState.DOWN
    assert "Cannot connect" in recognizer.service.health.detail
    assert "local recognizer" in recognizer.service.health.detail


def test_a_recognizer_address_that_offers_only_speech_falls_back(piper_peer: Peer, tmp_path: Path) -> None:
    choice = create_recognizer(settings(asr_engine=piper_peer.uri), Home(tmp_path, tmp_path))
    transcript = choice.recognizer.transcribe(read_wav(synthesize("what time is it")), ["what time is it"])
    assert transcript.text == "what time is it"
    assert isinstance(choice.recognizer, WyomingRecognizer)
    assert "offers no asr service" in choice.recognizer.service.health.detail


@pytest.mark.parametrize("value", ["tcp://host", "tcp://:10300", "http://host:10300", "tcp://h:99999"])
def test_a_broken_address_is_refused_by_the_settings(value: str) -> None:
    from assistant.config import ConfigError

    if value == "tcp://h:99999":
        from assistant.wyoming import WyomingError, parse_endpoint

        with pytest.raises(WyomingError, match="not a Wyoming address"):
            parse_endpoint(value)
        return
    with pytest.raises(ConfigError, match="tcp://HOST:PORT"):
        Settings().update(asr_engine=value)
