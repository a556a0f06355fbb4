"""Speech output: both engines produce 16 kHz speech; speaking stops at once on barge-in."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from assistant.audio import WavFileSink, read_wav
from assistant.config import Settings
from assistant.tts import TTSUnavailable, create_synthesizer
from assistant.tts.piper_engine import PiperSynthesizer, split_clauses
from assistant.tts.pyttsx3_engine import Pyttsx3Synthesizer
from tests.speechgen import word_error_rate

REPLY = "The timer is set for ten minutes."


@pytest.fixture(scope="module")
def piper() -> PiperSynthesizer:
    return PiperSynthesizer()


def test_pyttsx3_speaks_at_16k() -> None:
    pcm = Pyttsx3Synthesizer().synthesize(REPLY)
    assert 1.0 < len(pcm) / 32000 < 5.0


def test_piper_speech_is_recognizable(piper: PiperSynthesizer) -> None:
    from assistant.asr.pocketsphinx_engine import PocketsphinxRecognizer

    pcm = piper.synthesize(REPLY)
    heard = PocketsphinxRecognizer().transcribe(pcm).text
    assert word_error_rate("the timer is set for ten minutes", heard) <= 0.3


def test_pyttsx3_is_the_default_and_auto_prefers_piper_when_installed() -> None:
    assert create_synthesizer(Settings()).engine == "pyttsx3"
    assert create_synthesizer(Settings(tts_engine="auto")).engine == "piper"
    assert create_synthesizer(Settings(tts_engine="pyttsx3")).engine == "pyttsx3"
    with pytest.raises(TTSUnavailable, match="Unknown speech engine"):
        create_synthesizer(Settings(tts_engine="festival"))


def test_missing_espeak_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import pyttsx3

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("libespeak-ng.so.1: cannot open shared object file")

    monkeypatch.setattr(pyttsx3, "init", broken)
    with pytest.raises(TTSUnavailable, match="apt-get install espeak-ng"):
        Pyttsx3Synthesizer()


def test_speaking_into_a_file_writes_all_of_it(tmp_path: Path, piper: PiperSynthesizer) -> None:
    sink = WavFileSink(tmp_path / "reply.wav")
    assert piper.speak(REPLY, sink) is True
    sink.close()
    # Piper varies durations a little from call to call, so compare lengths roughly
    assert len(read_wav(tmp_path / "reply.wav")) == pytest.approx(len(piper.synthesize(REPLY)), rel=0.15)


def test_stop_interrupts_speech_at_once(tmp_path: Path, piper: PiperSynthesizer) -> None:
    long_reply = "Here is a long answer. " * 6
    sink = WavFileSink(tmp_path / "cut.wav", realtime=True)  # plays at speaker speed
    outcome: list[bool] = []
    speaker = threading.Thread(target=lambda: outcome.append(piper.speak(long_reply, sink)))
    speaker.start()
    time.sleep(0.8)
    stopped_at = time.monotonic()
    piper.stop()
    speaker.join(5)
    assert time.monotonic() - stopped_at < 0.2
    assert outcome == [False]
    assert sink.written_seconds < 1.5  # far less than the ~10 s reply


def test_clauses_are_split_for_a_quick_first_sound() -> None:
    assert split_clauses("Okay. The timer is set, starting now!") == [
        "Okay. The timer is set,",
        "starting now!",
    ]
