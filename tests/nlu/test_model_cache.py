"""A fitted model is kept between starts, and a damaged cache only costs a retraining."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.nlu.engine import Understanding
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
