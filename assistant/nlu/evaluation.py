"""Measuring the learned model on labelled sentences (JSON lines).

Each line is ``{"text": ..., "intent": ... | null, "slots": {...}}``; a null
intent means out of scope. Used by ``assistant nlu evaluate`` and the benchmark.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from assistant.nlu.model import IntentModel
from assistant.nlu.tagger import SlotTagger


class DataError(ValueError):
    """A labelled-data file that cannot be read; the message names file and line."""


@dataclass
class Example:
    """One labelled sentence."""

    text: str
    intent: str | None
    """None: out of scope."""
    slots: dict[str, Any] = field(default_factory=dict)


def load_examples(path: str | Path) -> list[Example]:
    """Read JSON lines; raises DataError naming the first bad line."""
    examples: list[Example] = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise DataError(f"{path}: cannot read: {error.strerror}") from error
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise DataError(f"{path}:{number}: not valid JSON ({error.msg})") from error
        if not isinstance(record, dict) or not isinstance(record.get("text"), str) or "intent" not in record:
            raise DataError(f'{path}:{number}: expected {{"text": "...", "intent": "..." or null}}')
        intent = record["intent"]
        if intent is not None and not isinstance(intent, str):
            raise DataError(f"{path}:{number}: intent must be a string or null")
        slots = record.get("slots") or {}
        if not isinstance(slots, dict):
            raise DataError(f"{path}:{number}: slots must be an object")
        examples.append(Example(record["text"], intent, slots))
    if not examples:
        raise DataError(f"{path}: no examples")
    return examples


@dataclass
class IntentScore:
    precision: float
    recall: float
    f1: float
    support: int


@dataclass
class SlotScore:
    """Slot filling over (slot, value) pairs, micro-averaged; values compared ignoring case."""

    precision: float
    recall: float
    f1: float
    support: int
    """Slot values in the test sentences."""
    training_seconds: float
    skipped: int
    """Training sentences left out because a slot value was not found in their text."""


@dataclass
class Report:
    """What ``assistant nlu evaluate`` prints."""

    examples: int
    in_scope_accuracy: float
    oos_recall: float | None
    oos_precision: float | None
    macro_f1: float
    latency_p50_ms: float
    latency_p99_ms: float
    training_seconds: float
    threshold: float
    per_intent: dict[str, IntentScore]
    slots: SlotScore | None = None
    """None when neither file has slot values."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def predict(model: IntentModel, text: str, threshold: float) -> tuple[str | None, float]:
    """The model's answer with the out-of-scope threshold applied."""
    ranked = model.rank(text, 1)
    intent, confidence = ranked[0] if ranked else (None, 0.0)
    return (intent if confidence >= threshold else None), confidence


def precision_recall_f1(hits: int, found: int, wanted: int) -> tuple[float, float, float]:
    """From correct answers, answers given and answers expected (0 where undefined)."""
    precision = hits / found if found else 0.0
    recall = hits / wanted if wanted else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def score(
    truth: Sequence[str | None], predicted: Sequence[str | None], latencies: Sequence[float]
) -> dict[str, Any]:
    """Accuracy, out-of-scope recall/precision, macro F1 and per-intent scores."""
    pairs = list(zip(truth, predicted, strict=True))
    in_scope = [(t, p) for t, p in pairs if t is not None]
    oos_true = sum(1 for t, _ in pairs if t is None)
    oos_predicted = sum(1 for _, p in pairs if p is None)
    oos_hits = sum(1 for t, p in pairs if t is None and p is None)
    per_intent: dict[str, IntentScore] = {}
    for intent in sorted({t for t in truth if t is not None}):
        tp = sum(1 for t, p in pairs if t == intent and p == intent)
        fp = sum(1 for t, p in pairs if t != intent and p == intent)
        fn = sum(1 for t, p in pairs if t == intent and p != intent)
        per_intent[intent] = IntentScore(*precision_recall_f1(tp, tp + fp, tp + fn), tp + fn)
    return {
        "in_scope_accuracy": sum(1 for t, p in in_scope if t == p) / len(in_scope) if in_scope else 0.0,
        "oos_recall": oos_hits / oos_true if oos_true else None,
        "oos_precision": oos_hits / oos_predicted if oos_predicted and oos_true else None,
        "macro_f1": float(np.mean([s.f1 for s in per_intent.values()])) if per_intent else 0.0,
        "latency_p50_ms": float(np.percentile(latencies, 50) * 1000) if latencies else 0.0,
        "latency_p99_ms": float(np.percentile(latencies, 99) * 1000) if latencies else 0.0,
        "per_intent": per_intent,
    }


def slot_pairs(slots: dict[str, Any]) -> set[tuple[str, str]]:
    return {(name, " ".join(str(value).lower().split())) for name, value in slots.items()}


def score_slots(
    tagger: SlotTagger, test: Sequence[Example], predicted: Sequence[str | None]
) -> tuple[float, float, float, int]:
    """Precision, recall, F1 and support of the tagger's slots, tagging with the predicted intents
    (what the assistant would do); a sentence judged out of scope gets no slots."""
    hits = found = wanted = 0
    for example, intent in zip(test, predicted, strict=True):
        guess = slot_pairs(tagger.tag(example.text, intent)) if intent is not None else set()
        truth = slot_pairs(example.slots) if example.intent is not None else set()
        hits += len(guess & truth)
        found += len(guess)
        wanted += len(truth)
    return (*precision_recall_f1(hits, found, wanted), wanted)


def evaluate(
    train: Sequence[Example],
    test: Sequence[Example],
    threshold: float,
    model: IntentModel | None = None,
    slots: bool = True,
) -> Report:
    """Train a fresh model on ``train`` and score it on ``test``; slot filling too when the
    training sentences carry slot values (``slots=False`` skips it: the CRF takes a while)."""
    model = model or IntentModel()
    model.fit([e.text for e in train], [e.intent for e in train])
    predicted: list[str | None] = []
    latencies: list[float] = []
    for example in test:
        started = time.perf_counter()
        intent, _ = predict(model, example.text, threshold)
        latencies.append(time.perf_counter() - started)
        predicted.append(intent)
    figures = score([e.intent for e in test], predicted, latencies)
    report = Report(
        examples=len(test), training_seconds=model.training_seconds, threshold=threshold, **figures
    )
    if slots and any(e.slots for e in train):
        started = time.perf_counter()
        tagger = SlotTagger().fit([(e.text, e.intent, e.slots) for e in train if e.intent is not None])
        seconds = time.perf_counter() - started
        precision, recall, f1, support = score_slots(tagger, test, predicted)
        report.slots = SlotScore(precision, recall, f1, support, seconds, tagger.skipped)
    return report
