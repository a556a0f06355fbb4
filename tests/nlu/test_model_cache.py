"""A fitted model is kept between starts, and a damaged cache only costs a retraining."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.core import open_assistant
from assistant.nlu.encoder import DEFAULT_PATH, VOCAB_PATH, SentenceEncoder
from assistant.nlu.engine import Understanding
from assistant.nlu.model import IntentModel
from tests.nlu.conftest import DEVICES, SENTENCES


def started(cache: Path) -> Understanding:
    understanding = Understanding()
    understanding.cache_dir = cache
    understanding.add_sentences(SENTENCES, source="skill:test")
    understanding.set_list("name", DEVICES)
    understanding.train()
    return understanding


def test_second_start_reuses_the_fitted_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = started(tmp_path)
    (cached,) = tmp_path.glob("intent-model-*.pkl")

    def refuse_to_fit(*args: object, **kwargs: object) -> None:
        raise AssertionError("the cached model should have been used")

    monkeypatch.setattr("assistant.nlu.model.IntentModel.fit", refuse_to_fit)
    second = started(tmp_path)
    assert cached.exists()
    sentence = "could you switch the lamp on"
    assert second.parse(sentence)[0].intent == first.parse(sentence)[0].intent == "HassTurnOn"


def test_new_sentences_train_a_new_model(tmp_path: Path) -> None:
    started(tmp_path)
    understanding = Understanding()
    understanding.cache_dir = tmp_path
    understanding.add_sentences(SENTENCES, source="skill:test")
    understanding.set_list("name", DEVICES)
    understanding.add_sentences(
        {"language": "en", "intents": {"Joke": {"data": [{"sentences": ["tell me a joke"]}]}}}, source="x"
    )
    understanding.train()
    assert understanding.parse("tell me a joke")[0].intent == "Joke"
    assert len(list(tmp_path.glob("intent-model-*.pkl"))) == 1


def test_a_damaged_cache_is_ignored(tmp_path: Path) -> None:
    started(tmp_path)
    (cached,) = tmp_path.glob("intent-model-*.pkl")
    cached.write_bytes(b"not a pickle")
    understanding = started(tmp_path)
    assert understanding.parse("set a timer for ten minutes")[0].intent == "StartTimer"


class CountingEncoder(SentenceEncoder):
    """A second, real encoder that counts the sentences it had to run the network for."""

    def __init__(self) -> None:
        super().__init__(DEFAULT_PATH, VOCAB_PATH)
        self.encoded = 0

    def _encode(self, text: str) -> np.ndarray:
        self.encoded += 1
        return super()._encode(text)


def started_with(
    cache: Path, encoder: SentenceEncoder, extra: dict[str, object] | None = None
) -> Understanding:
    understanding = Understanding()
    understanding.model = IntentModel(encoder=encoder)
    understanding.cache_dir = cache
    understanding.add_sentences(SENTENCES, source="skill:test")
    if extra:
        understanding.add_sentences(extra, source="extra")
    understanding.set_list("name", DEVICES)
    understanding.train()
    return understanding


def test_a_retrain_in_a_new_process_encodes_only_new_sentences(tmp_path: Path) -> None:
    first = CountingEncoder()
    started_with(tmp_path, first)
    assert (tmp_path / "sentence-vectors.npz").exists()
    assert first.encoded > 100
    joke = {
        "language": "en",
        "intents": {"Joke": {"data": [{"sentences": ["tell me a (joke|funny story)"]}]}},
    }
    second = CountingEncoder()  # as in a new process: nothing in memory
    understanding = started_with(tmp_path, second, joke)
    assert 0 < second.encoded < 40  # the joke's sentences and their variants, not everything again
    assert understanding.parse("tell me a joke")[0].intent == "Joke"


def test_a_damaged_or_foreign_vector_cache_is_ignored(tmp_path: Path) -> None:
    started_with(tmp_path, CountingEncoder())
    vectors = tmp_path / "sentence-vectors.npz"
    other = CountingEncoder()
    other.model_id = "another-model"
    assert other.load_vectors(vectors) == 0
    vectors.write_bytes(b"\x00garbage")
    for cached in tmp_path.glob("intent-model-*.pkl"):
        cached.unlink()
    fresh = CountingEncoder()
    understanding = started_with(tmp_path, fresh)
    assert fresh.encoded > 100
    assert understanding.parse("set a timer for ten minutes")[0].intent == "StartTimer"


def test_a_start_after_teaching_trains_once_then_reuses_the_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    assistant = open_assistant(home, plugins=False)
    assistant.handle_text("when I say reading mode, set a timer for 5 minutes")
    assistant.close()
    fits: list[int] = []
    real_fit = IntentModel.fit

    def counted_fit(self: IntentModel, texts: list[str], *args: object, **kwargs: object) -> IntentModel:
        fits.append(len(texts))
        return real_fit(self, texts, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(IntentModel, "fit", counted_fit)
    for _ in range(2):
        again = open_assistant(home, plugins=False)
        assert again.handle_text("reading mode").intent is not None
        again.close()
    # Once, with everything: loading the taught command must not fit (and cache) a tiny model first.
    assert len(fits) == 1 and fits[0] > 100
