"""The contextual sentence encoder (MiniLM, int8, onnxruntime) and how the model asks it."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from assistant.nlu.encoder import VOCAB_PATH, SentenceEncoder, default_encoder
from assistant.nlu.evaluation import Example, load_examples
from assistant.nlu.model import ENCODER_THRESHOLD, IntentModel
from assistant.nlu.model_file import FittedModel, load_fitted, save_fitted
from assistant.nlu.tagger import SlotTagger
from assistant.nlu.wordpiece import WordPiece, basic_words

HWU64 = Path(__file__).resolve().parents[3] / "shared" / "data" / "nlu" / "hwu64"

# Ids from the model's own tokenizer (the Hugging Face ``tokenizers`` package, tokenizer.json);
# ours matched it on all 25,527 SNIPS and HWU64 sentences when it was written.
REFERENCE_IDS = {
    "Set a timer for ten minutes": [101, 2275, 1037, 25309, 2005, 2702, 2781, 102],
    "Café naïve, please!": [101, 7668, 15743, 1010, 3531, 999, 102],
    "unlockedness of xqzzyv": [101, 14058, 2791, 1997, 1060, 4160, 28753, 2615, 102],
    "what's 12:30?": [101, 2054, 1005, 1055, 2260, 1024, 2382, 1029, 102],
}


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    found = default_encoder()
    assert found is not None, "models/sentence_encoder.onnx or onnxruntime is missing: run ./run-tests"
    return found


def test_wordpiece_matches_the_models_own_tokenizer() -> None:
    tokenizer = WordPiece.load(VOCAB_PATH)
    for text, ids in REFERENCE_IDS.items():
        assert tokenizer.encode(text) == ids, text
    assert len(tokenizer.encode("word " * 500)) == 128


def test_basic_words_split_punctuation_and_drop_accents() -> None:
    assert basic_words("Turn ON the café's lamp, now!") == [
        "turn", "on", "the", "cafe", "'", "s", "lamp", ",", "now", "!",
    ]  # fmt: skip
    assert basic_words("  \t\n ") == []


def test_related_sentences_are_closer_than_unrelated_ones(encoder: SentenceEncoder) -> None:
    lamp, light, weather = (
        encoder.vector(t) for t in ("switch on the desk lamp", "turn the light on", "will it rain tomorrow")
    )
    assert np.isclose(np.linalg.norm(lamp), 1.0, atol=1e-3)
    assert lamp @ light > lamp @ weather + 0.2


def test_many_texts_get_the_same_vectors_as_one_at_a_time(encoder: SentenceEncoder) -> None:
    texts = ["play some jazz", "what time is it", "set an alarm for six thirty in the morning"]
    matrix = encoder.matrix(texts)
    assert matrix.shape == (3, encoder.dimensions)
    for row, text in zip(matrix, texts, strict=True):
        assert np.allclose(row, encoder.vector(text))
    assert encoder.matrix([]).shape == (0, encoder.dimensions)


class CountingEncoder:
    """The real encoder, counting the sentences the model asks it about at run time."""

    def __init__(self, inner: SentenceEncoder) -> None:
        self.inner = inner
        self.dimensions = inner.dimensions
        self.asked: list[str] = []

    def matrix(self, texts: list[str]) -> np.ndarray:
        return self.inner.matrix(texts)

    def vector(self, text: str) -> np.ndarray:
        self.asked.append(text)
        return self.inner.vector(text)


@pytest.fixture(scope="module")
def hwu64() -> tuple[list[Example], list[Example]]:
    """15 training sentences per HWU64 intent, and 300 test sentences."""
    if not HWU64.exists():
        pytest.skip("shared HWU64 data not present")
    by_intent: dict[str | None, list[Example]] = {}
    for example in load_examples(HWU64 / "train.jsonl"):
        by_intent.setdefault(example.intent, []).append(example)
    rng = random.Random(0)
    train = [e for examples in by_intent.values() for e in rng.sample(examples, min(15, len(examples)))]
    test = load_examples(HWU64 / "test.jsonl")
    return train, rng.sample(test, 300)


def fitted(train: list[Example], encoder: SentenceEncoder | CountingEncoder | None) -> IntentModel:
    model = IntentModel(encoder=encoder, use_encoder=encoder is not None)  # type: ignore[arg-type]
    return model.fit([e.text for e in train], [e.intent for e in train])


def accuracy(model: IntentModel, test: list[Example]) -> float:
    return sum(model.rank(e.text, 1)[0][0] == e.intent for e in test) / len(test)


def test_the_contextual_layer_is_asked_only_when_the_fast_layers_are_unsure(
    encoder: SentenceEncoder, hwu64: tuple[list[Example], list[Example]]
) -> None:
    train, test = hwu64
    counting = CountingEncoder(encoder)
    model = fitted(train, counting)
    assert model.uses_encoder
    fast_only = fitted(train, None)
    for example in test:
        unsure = max(fast_only.scores(example.text).values()) < ENCODER_THRESHOLD
        before = len(counting.asked)
        model.rank(example.text, 1)
        assert (len(counting.asked) > before) == unsure, example.text
    assert 0 < len(counting.asked) < len(test)


def test_the_contextual_layer_lifts_accuracy_on_hwu64(
    encoder: SentenceEncoder, hwu64: tuple[list[Example], list[Example]]
) -> None:
    train, test = hwu64
    with_encoder, without = accuracy(fitted(train, encoder), test), accuracy(fitted(train, None), test)
    assert with_encoder >= without + 0.02, (with_encoder, without)


def test_a_model_read_back_from_its_file_ranks_the_same_with_the_shared_encoder(
    tmp_path: Path, hwu64: tuple[list[Example], list[Example]]
) -> None:
    train, test = hwu64
    shared = default_encoder()
    assert shared is not None
    model = fitted(train[:200], shared)
    save_fitted(tmp_path / "model.npz", FittedModel(model, SlotTagger(), "digest"))
    copy = load_fitted(tmp_path / "model.npz").model
    assert copy.uses_encoder and copy.encoder is shared
    for example in test[:20]:
        again, first = copy.rank(example.text, 2), model.rank(example.text, 2)
        assert [label for label, _ in again] == [label for label, _ in first]
        assert [score for _, score in again] == pytest.approx([score for _, score in first])


def test_a_damaged_model_file_is_reported_and_the_model_works_without_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    damaged = tmp_path / "sentence_encoder.onnx"
    damaged.write_bytes(b"version https://git-lfs.github.com/spec/v1\n")  # what a bad checkout leaves
    monkeypatch.setenv("ASSISTANT_ENCODER", str(damaged))
    assert default_encoder() is None
    assert "could not be loaded" in caplog.text and "git checkout" in caplog.text
    model = IntentModel().fit(["turn on the light", "play music"], ["light", "music"])
    assert not model.uses_encoder and model.rank("turn the light on", 1)[0][0] == "light"
