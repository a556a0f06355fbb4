"""Codes said aloud: read in words or figures, taken out of the words that are kept."""

from __future__ import annotations

import pytest

from assistant.dialogue.codes import MASK, masked, spoken_code, take_code


@pytest.mark.parametrize(
    ("said", "code"),
    [
        ("1 2 3 4", "1234"),
        ("1234", "1234"),
        ("one two three four", "1234"),
        ("1, 2, 3, 4.", "1234"),
        ("the code is 12 34", "1234"),
        ("it's oh nine eight seven", "0987"),
        ("one to three for please", "1234"),
    ],
)
def test_a_code_in_words_or_figures(said: str, code: str) -> None:
    assert spoken_code(said) == code


@pytest.mark.parametrize("said", ["banana", "what time is it", "12", "turn on the lamp 1234", ""])
def test_anything_else_is_no_code(said: str) -> None:
    assert spoken_code(said) is None


def test_the_answer_to_the_code_question_is_all_code() -> None:
    said = take_code("1 2 3 4", expecting_code=True)
    assert (said.shown, said.code, said.answer) == (MASK, "1234", True)
    assert take_code("1 2 3 4", expecting_code=False).code is None  # not asked: just words


@pytest.mark.parametrize(
    ("words", "understood", "shown"),
    [
        ("disarm the security, code 1 2 3 4", "disarm the security", f"disarm the security, code {MASK}"),
        (
            "disarm the security with code 1234",
            "disarm the security",
            f"disarm the security with code {MASK}",
        ),
        (
            "unlock the front door my pin is 4 4 5 5",
            "unlock the front door",
            f"unlock the front door my pin is {MASK}",
        ),
    ],
)
def test_a_code_at_the_end_of_a_request_is_taken_out(words: str, understood: str, shown: str) -> None:
    said = take_code(words, expecting_code=False)
    assert (said.text, said.shown, said.answer) == (understood, shown, False)
    assert said.code is not None and said.code not in repr(said)


def test_words_without_a_code_are_unchanged() -> None:
    for words in ("set the barcode scanner to 1234", "what's the code word", "turn on the lamp"):
        assert masked(words) == words
