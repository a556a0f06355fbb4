"""microWakeWord and openWakeWord: their bundled phrases found where they were said, nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.asr.pocketsphinx_engine import PocketsphinxRecognizer
from assistant.audio import WavFileSource
from assistant.config import Settings
from assistant.pipeline import VoiceLoop, read_back
from assistant.wake import WakeError, bundled_phrases, create_wake_detector
from assistant.wake.base import WakeWordDetector
from assistant.wake.bundled import MICRO, OPEN
from assistant.wake.either import EitherWakeDetector
from assistant.wake.micro_wakeword import MicroWakeWordDetector
from assistant.wake.open_wakeword import OpenWakeWordDetector
from assistant.wake.pocketsphinx_kws import PocketsphinxWakeDetector
from assistant.wake.trained import check_model_file, threshold_for
from tests.speech.conftest import DISTRACTORS, distractor_stream
from tests.speechgen import StreamBuilder

ENGINES = [(MicroWakeWordDetector, "okay nabu"), (OpenWakeWordDetector, "hey rhasspy")]


def wakes_in(detector: WakeWordDetector, path: Path) -> list[float]:
    return [found.at for chunk in WavFileSource(path).chunks() if (found := detector.process(chunk))]


def phrase_stream(phrase: str) -> StreamBuilder:
    builder = StreamBuilder().say(DISTRACTORS[0]).pause(0.8).say(phrase, label="wake").pause(0.4)
    return builder.say("set a timer for ten minutes").pause(1.0).say(DISTRACTORS[3]).pause(0.5)


@pytest.mark.parametrize(("engine", "phrase"), ENGINES)
@pytest.mark.parametrize("noise", [0.0, 0.02])
def test_bundled_phrase_is_found_once_where_it_ended(
    engine: type[WakeWordDetector], phrase: str, noise: float, speech_dir: Path
) -> None:
    builder = phrase_stream(phrase)
    path = builder.save(speech_dir / f"{engine.engine}-{noise}.wav", noise=noise, kind="fan")
    found = wakes_in(engine(phrase), path)  # type: ignore[call-arg]
    assert len(found) == 1, found
    assert abs(found[0] - builder.marks["wake"][1]) < 0.35


@pytest.mark.parametrize(("engine", "phrase"), ENGINES)
def test_distractor_speech_and_other_phrases_never_wake(
    engine: type[WakeWordDetector], phrase: str, speech_dir: Path
) -> None:
    builder = distractor_stream()
    for other in ("hey computer", "okay google", "hey jarvis" if phrase != "hey jarvis" else "alexa"):
        builder.say(other).pause(0.6)
    path = builder.save(speech_dir / f"{engine.engine}-distractors.wav", noise=0.005)
    assert wakes_in(engine(phrase), path) == []  # type: ignore[call-arg]


@pytest.mark.parametrize(("engine", "phrase"), ENGINES)
def test_a_repeat_within_the_refractory_period_is_one_wake(
    engine: type[WakeWordDetector], phrase: str, speech_dir: Path
) -> None:
    builder = StreamBuilder().pause(0.5).say(phrase).pause(0.3).say(phrase).pause(0.8)
    path = builder.save(speech_dir / f"{engine.engine}-twice.wav")
    assert len(wakes_in(engine(phrase, refractory_seconds=5.0), path)) == 1  # type: ignore[call-arg]
    assert len(wakes_in(engine(phrase, refractory_seconds=0.0), path)) == 2  # type: ignore[call-arg]


def test_auto_takes_the_trained_models_for_a_bundled_phrase() -> None:
    def inner(phrase: str, engine: str = "auto") -> WakeWordDetector:
        return create_wake_detector(Settings(wake_phrase=phrase, wake_engine=engine), gated=False)

    both = inner("OK, Nabu!")
    assert isinstance(both, EitherWakeDetector) and both.engine == "microwakeword+openwakeword"
    assert isinstance(inner("hey mycroft"), MicroWakeWordDetector)
    assert isinstance(inner("hey rhasspy"), OpenWakeWordDetector)
    assert isinstance(inner("hey computer"), PocketsphinxWakeDetector)
    assert isinstance(inner("alexa", "openwakeword"), OpenWakeWordDetector)
    assert create_wake_detector(Settings(wake_phrase="alexa")).engine == MICRO


def test_both_engines_together_report_one_wake_per_phrase(speech_dir: Path) -> None:
    builder = phrase_stream("hey jarvis")
    path = builder.save(speech_dir / "either.wav", noise=0.01, kind="fan")
    both = EitherWakeDetector([MicroWakeWordDetector("hey jarvis"), OpenWakeWordDetector("hey jarvis")])
    found = wakes_in(both, path)
    assert len(found) == 1 and abs(found[0] - builder.marks["wake"][1]) < 0.35


def test_an_unknown_phrase_for_a_bundled_only_engine_names_the_choices() -> None:
    with pytest.raises(WakeError, match='no model for "hey computer".*"okay nabu".*pocketsphinx'):
        create_wake_detector(Settings(wake_phrase="hey computer", wake_engine="microwakeword"))
    with pytest.raises(WakeError, match='"hey rhasspy"'):
        create_wake_detector(Settings(wake_phrase="hey desk", wake_engine="openwakeword"))


def test_a_damaged_model_is_a_clear_error_not_a_crash(tmp_path: Path) -> None:
    import pymicro_wakeword

    library = next((Path(pymicro_wakeword.__file__).parent / "lib").glob("*tensorflowlite_c.*"))
    broken = tmp_path / "okay_nabu.tflite"
    broken.write_bytes(b"not a model" * 100)
    with pytest.raises(WakeError, match="damaged.*--force-reinstall pymicro-wakeword"):
        check_model_file(library, broken, "pymicro-wakeword")
    with pytest.raises(WakeError, match="missing"):
        check_model_file(library, tmp_path / "gone.tflite", "pymicro-wakeword")


def test_sensitivity_moves_the_threshold_around_the_models_cutoff() -> None:
    assert threshold_for(0.85, 0.5) == pytest.approx(0.85)
    assert threshold_for(0.85, 0.0) > 0.98
    assert threshold_for(0.85, 1.0) == pytest.approx(0.425)
    assert (
        MicroWakeWordDetector("alexa", sensitivity=0.0).threshold > MicroWakeWordDetector("alexa").threshold
    )


def test_every_bundled_phrase_is_offered() -> None:
    assert bundled_phrases() == ["okay nabu", "hey jarvis", "hey mycroft", "alexa", "hey rhasspy"]


def test_the_voice_loop_hears_the_request_after_a_trained_wake_word(speech_dir: Path) -> None:
    builder = StreamBuilder().say(DISTRACTORS[1]).pause(0.6).say("okay nabu").pause(0.3)
    builder.say("what time is it", label="request").pause(1.5)
    path = builder.save(speech_dir / "loop-micro.wav", noise=0.003)
    settings = Settings(wake_phrase="okay nabu", follow_up_seconds=0.0)
    loop = VoiceLoop(
        WavFileSource(path),
        PocketsphinxRecognizer(),
        read_back,
        settings=settings,
        wake=create_wake_detector(settings),
        phrases_provider=lambda: ["what time is it", "set a timer for ten minutes"],
    )
    turns = loop.run()
    assert [turn.text for turn in turns] == ["what time is it"]
    wake = turns[0].trace.find("wake")
    assert wake is not None and isinstance(wake.output, dict)
    assert wake.output["engine"] == f"{MICRO}+{OPEN}"
