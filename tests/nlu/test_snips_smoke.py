"""The learned model and slot tagger on a public benchmark: floors that catch regressions."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from assistant.nlu.evaluation import evaluate, load_examples

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "nlu" / "snips"


@pytest.mark.skipif(not DATA.exists(), reason="shared SNIPS data not present")
def test_snips_accuracy_floor_on_a_training_subset() -> None:
    train = load_examples(DATA / "train.jsonl")
    random.Random(0).shuffle(train)
    report = evaluate(train[:3000], load_examples(DATA / "test.jsonl"), threshold=0.0)
    assert report.in_scope_accuracy >= 0.96
    assert report.slots is not None and report.slots.support > 1500
    assert report.slots.f1 >= 0.85
