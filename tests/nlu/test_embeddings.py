"""Static embeddings (numpy only) and the polite-word stripping in front of the model."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.nlu.embeddings import DEFAULT_PATH, StaticEmbeddings, default_embeddings, words_of
from assistant.nlu.engine import strip_polite


def tiny() -> StaticEmbeddings:
    tokens = ["lamp", "desk", "un", "##lock", "##ed"]
    vectors = np.eye(5, dtype=np.float16)
    return StaticEmbeddings(tokens, vectors)


def test_unknown_words_fall_back_to_wordpiece_pieces() -> None:
    table = tiny()
    assert table.word("lamp") is not None
    unlocked = table.word("unlocked")
    assert unlocked is not None and np.allclose(unlocked, [0, 0, 1 / 3, 1 / 3, 1 / 3])
    assert table.word("zzz") is None


def test_sentence_vector_is_unit_length_and_weighted() -> None:
    table = tiny()
    vector = table.sentence("the Desk lamp!", weights={"desk": 3.0, "lamp": 1.0})
    assert np.isclose(np.linalg.norm(vector), 1.0)
    assert vector[1] > vector[0] > 0
    assert not table.sentence("qqq").any()
    assert words_of("What's the 'time'") == ["what's", "the", "time"]


@pytest.mark.skipif(not DEFAULT_PATH.exists(), reason="models/static_embeddings.npz not built")
def test_shipped_table_puts_related_words_close() -> None:
    table = default_embeddings()
    assert table is not None

    def cosine(a: str, b: str) -> float:
        return float(table.sentence(a) @ table.sentence(b))

    assert cosine("switch on the lamp", "turn the light on") > cosine(
        "switch on the lamp", "what is the weather"
    )


def test_strip_polite_keeps_the_command() -> None:
    assert strip_polite("please start the focus mode now") == "start the focus mode"
    assert strip_polite("could you turn off the fan please") == "turn off the fan"
    assert strip_polite("please") == "please"
