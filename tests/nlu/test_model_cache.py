"""Fitted models are kept between starts as plain arrays, a new home starts from the base
model, and what the base lacks answers at once while training catches up."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pytest

from assistant.core import open_assistant
from assistant.nlu.encoder import DEFAULT_PATH, VOCAB_PATH, SentenceEncoder
from assistant.nlu.engine import Understanding
from assistant.nlu.model import IntentModel
from assistant.nlu.model_file import BASE_MODEL_PATH, ModelFileError, load_fitted, read_digest
from tests.nlu.conftest import DEVICES, SENTENCES

JOKE = {"language": "en", "intents": {"Joke": {"data": [{"sentences": ["tell me a (joke|funny story)"]}]}}}


def started(cache: Path, extra: dict[str, object] | None = None) -> Understanding:
    understanding = Understanding(cache_dir=cache)
    understanding.add_sentences(SENTENCES, source="skill:test")
    if extra:
        understanding.add_sentences(extra, source="extra")
    understanding.set_list("name", DEVICES)
    understanding.train()
    return understanding


def refuse_to_fit(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("no model should have been fitted")

    monkeypatch.setattr(IntentModel, "fit", refuse)


def test_second_start_reuses_the_fitted_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = started(tmp_path)
    (kept,) = tmp_path.glob("intent-model-*.npz")
    refuse_to_fit(monkeypatch)
    second = started(tmp_path)
    assert kept.exists()
    sentence = "could you switch the lamp on"
    assert second.parse(sentence)[0].intent == first.parse(sentence)[0].intent == "HassTurnOn"
    assert second.parse(sentence)[0].confidence == pytest.approx(first.parse(sentence)[0].confidence)


def test_new_sentences_train_a_new_model_and_only_the_newest_is_kept(tmp_path: Path) -> None:
    started(tmp_path)
    understanding = started(tmp_path, JOKE)
    assert understanding.parse("tell me a joke")[0].intent == "Joke"
    assert len(list(tmp_path.glob("intent-model-*.npz"))) == 1


@pytest.mark.parametrize(
    "damage",
    [
        b"not a model",
        b"PK\x03\x04 truncated zip",
        pickle.dumps({"format": "desk-assistant intent model 1"}),
    ],
)
def test_a_damaged_kept_model_only_means_training_again(tmp_path: Path, damage: bytes) -> None:
    started(tmp_path)
    (kept,) = tmp_path.glob("intent-model-*.npz")
    kept.write_bytes(damage)
    with pytest.raises(ModelFileError):
        load_fitted(kept)
    understanding = started(tmp_path)
    assert understanding.parse("set a timer for ten minutes")[0].intent == "StartTimer"


class Planted:
    """Unpickling this would create a file: proof that a pickle was loaded."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (str(self.marker), "w"))


def test_a_pickle_in_the_cache_folder_is_never_loaded(tmp_path: Path) -> None:
    marker = tmp_path / "pickle-ran"
    cache = tmp_path / "cache"
    cache.mkdir()
    payload = pickle.dumps(Planted(marker))
    (cache / "intent-model-0123456789abcdef01234567.pkl").write_bytes(payload)
    (cache / "intent-model-0123456789abcdef01234567.npz").write_bytes(payload)
    understanding = started(cache)
    assert understanding.parse("set a timer for ten minutes")[0].intent == "StartTimer"
    assert not marker.exists()
    assert not list(cache.glob("*.pkl"))  # old pickles are cleared away when a model is kept


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
    understanding = Understanding(cache_dir=cache)
    understanding.model = IntentModel(encoder=encoder)
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
    second = CountingEncoder()  # as in a new process: nothing in memory
    understanding = started_with(tmp_path, second, JOKE)
    assert 0 < second.encoded < 40  # the joke's sentences and their variants, not everything again
    assert understanding.parse("tell me a joke")[0].intent == "Joke"


@pytest.mark.parametrize("damage", [b"\x00garbage", b"PK\x03\x04 a truncated zip"])
def test_a_damaged_or_foreign_vector_cache_is_ignored(tmp_path: Path, damage: bytes) -> None:
    started_with(tmp_path, CountingEncoder())
    vectors = tmp_path / "sentence-vectors.npz"
    other = CountingEncoder()
    other.model_id = "another-model"
    assert other.load_vectors(vectors) == 0
    vectors.write_bytes(damage)
    for kept in tmp_path.glob("intent-model-*.npz"):
        kept.unlink()
    fresh = CountingEncoder()
    understanding = started_with(tmp_path, fresh)
    assert fresh.encoded > 100
    assert understanding.parse("set a timer for ten minutes")[0].intent == "StartTimer"


def test_the_base_model_fits_the_built_in_skills(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``scripts/setup.sh`` builds it; a new home without plug-ins uses it exactly, fitting nothing."""
    assert BASE_MODEL_PATH.exists(), "models/intent-base.npz is missing: run scripts/setup.sh"
    refuse_to_fit(monkeypatch)
    assistant = open_assistant(tmp_path / "home", plugins=False)
    try:
        assert read_digest(BASE_MODEL_PATH) == assistant.nlu.training_digest(), (
            "models/intent-base.npz is stale: run python -m assistant.cli.base_model"
        )
        assert not assistant.nlu.needs_training
        assert assistant.handle_text("could you start a timer for five minutes").intent == "timer.set"
    finally:
        assistant.close()


def test_a_taught_command_works_at_the_next_start_without_training_then_training_catches_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    assistant = open_assistant(home, plugins=False)
    assistant.handle_text("when I say reading mode, set a timer for 5 minutes")
    assistant.close()

    with monkeypatch.context() as patch:
        refuse_to_fit(patch)
        again = open_assistant(home, plugins=False)
        assert again.handle_text("reading mode").reply.startswith("Timer set for 5 minutes")
        assert again.handle_text("what time is it").intent == "time.now"
        assert again.nlu.needs_training

    training = again.nlu.train_in_background()
    assert training is not None
    training.join(timeout=600)
    assert not training.is_alive() and not again.nlu.needs_training
    assert again.handle_text("reading mode").intent is not None
    again.close()

    refuse_to_fit(monkeypatch)  # the home keeps what was trained
    third = open_assistant(home, plugins=False)
    try:
        assert not third.nlu.needs_training
        assert third.handle_text("reading mode").reply.startswith("Timer set for 5 minutes")
    finally:
        third.close()


def test_a_new_plug_in_intent_is_understood_before_any_training(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    understanding = started(tmp_path)
    refuse_to_fit(monkeypatch)
    later = Understanding(cache_dir=tmp_path)
    later.add_sentences(SENTENCES, source="skill:test")
    later.add_sentences(JOKE, source="extra")
    later.set_list("name", DEVICES)
    assert later.prepare() is False  # the kept model stands in, with the joke in its memory
    assert later.parse("tell me a funny story")[0].intent == "Joke"
    assert later.parse("could you switch the lamp on")[0].intent == "HassTurnOn"
    assert later.model.memory.similarities(*later.model.features.vector("tell me a joke"))["Joke"] > 0.9
    assert later.needs_training and not understanding.needs_training


def test_renaming_a_device_needs_no_retraining(tmp_path: Path) -> None:
    understanding = started(tmp_path)
    understanding.set_list("name", [*DEVICES, "reading lamp"])
    assert not understanding.needs_training
    assert understanding.parse("turn on the reading lamp")[0].slots.get("name") == "reading lamp"
    understanding.set_list("name", [])
    assert understanding.needs_training  # a list going empty changes what was learned
