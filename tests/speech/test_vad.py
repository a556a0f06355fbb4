"""End-of-speech detection after the wake word."""

from __future__ import annotations

import numpy as np

from assistant.audio.convert import to_pcm16
from assistant.events import AudioChunk, SpeechEnded, SpeechStarted
from assistant.vad import EndpointDetector, VadSettings
from tests.speechgen import concat, mix_noise, speech


def events_for(samples: np.ndarray, settings: VadSettings | None = None) -> list[SpeechStarted | SpeechEnded]:
    detector = EndpointDetector(settings)
    pcm = to_pcm16(samples)
    found: list[SpeechStarted | SpeechEnded] = []
    for offset in range(0, len(pcm), 3200):
        found += detector.process(AudioChunk(audio=pcm[offset : offset + 3200], timestamp=offset / 32000))
    final = detector.finish()
    return found + ([final] if final else [])


def test_speech_start_and_end_are_found_after_the_silence_window() -> None:
    words = speech("set a timer for ten minutes")
    found = events_for(concat([1.0, words, 2.0]))
    assert isinstance(found[0], SpeechStarted) and 0.9 < found[0].at < 1.3
    assert isinstance(found[1], SpeechEnded) and found[1].reason == "silence"
    spoken_end = 1.0 + len(words) / 16000
    assert spoken_end + 0.3 < found[1].at < spoken_end + 0.9  # default window 0.6 s


def test_pauses_between_words_do_not_end_the_request() -> None:
    found = events_for(concat([0.5, speech("set a timer"), 0.35, speech("for ten minutes"), 1.5]))
    assert [type(event) for event in found] == [SpeechStarted, SpeechEnded]


def test_no_speech_times_out() -> None:
    found = events_for(np.zeros(16000 * 3, dtype=np.float32), VadSettings(no_speech_timeout=2.0))
    assert len(found) == 1 and isinstance(found[0], SpeechEnded)
    assert found[0].reason == "timeout" and found[0].at == 2.0


def test_endless_speech_is_cut_at_the_maximum_length() -> None:
    long_talk = concat([speech("please send me the report before lunch")] * 4)
    found = events_for(long_talk, VadSettings(max_utterance=3.0))
    assert isinstance(found[-1], SpeechEnded)
    assert found[-1].reason == "max-length" and found[-1].at <= 3.5


def test_steady_background_noise_is_not_speech() -> None:
    noisy = mix_noise(concat([2.0, speech("what time is it"), 2.0]), level=0.02, kind="fan")
    found = events_for(noisy)
    assert isinstance(found[0], SpeechStarted) and 1.8 < found[0].at < 2.5
    assert isinstance(found[1], SpeechEnded) and found[1].reason == "silence"


def test_input_ending_mid_speech_closes_the_request() -> None:
    found = events_for(concat([0.3, speech("turn on the desk lamp")]))
    assert isinstance(found[-1], SpeechEnded) and found[-1].reason == "end-of-input"
