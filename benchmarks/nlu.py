# ruff: noqa: E501  (figure-printing lines are kept whole)
"""Figures for the understanding stage. Run: ``.venv/bin/python benchmarks/nlu.py``.

Prints SNIPS and HWU64 test accuracy and slot F1, a few-shot curve, out-of-scope recall at
95 % in-scope precision (held-out HWU64 intents as unknown), calibration error,
latency with 100 intents + 500 taught commands, training and teach times, memory,
model size, and the same sentences through hassil alone.
"""

from __future__ import annotations

import random
import re
import resource
import sys
import time
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.nlu.engine import DEFAULT_THRESHOLD, Understanding  # noqa: E402
from assistant.nlu.evaluation import Example, evaluate, load_examples  # noqa: E402
from assistant.nlu.model import IntentModel  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "nlu"


def accuracy(name: str) -> tuple[list[Example], list[Example]]:
    train, test = load_examples(DATA / name / "train.jsonl"), load_examples(DATA / name / "test.jsonl")
    report = evaluate(train, test, threshold=0.0)
    print(f"{name:6} accuracy {report.in_scope_accuracy * 100:5.1f} %  macro F1 {report.macro_f1 * 100:5.1f} %  "
          f"train {report.training_seconds:.2f} s  p50 {report.latency_p50_ms:.2f} ms  p99 {report.latency_p99_ms:.2f} ms")  # fmt: skip
    if report.slots is not None:
        slots = report.slots
        print(f"{name:6} slot F1 {slots.f1 * 100:5.1f} %  (P {slots.precision * 100:.1f} %, R {slots.recall * 100:.1f} %, {slots.support} values, "
              f"tagged with the predicted intent; CRF trained in {slots.training_seconds:.0f} s, {slots.skipped} training sentences skipped)")  # fmt: skip
    return train, test


def calibration(train: list[Example], test: list[Example]) -> None:
    model = IntentModel().fit([e.text for e in train], [e.intent for e in train])
    confidences, correct, asked = [], [], []
    if model.encoder is not None:  # count the sentences the contextual layer is asked about
        encode = model.encoder.vector

        def counted(text: str) -> np.ndarray:
            asked.append(text)
            return encode(text)

        model.encoder.vector = counted  # type: ignore[method-assign]
    for example in test:
        intent, confidence = model.rank(example.text, 1)[0]
        confidences.append(confidence)
        correct.append(intent == example.intent)
    if model.encoder is not None:
        del model.encoder.vector  # the shared encoder again
    print(f"HWU64 contextual layer asked for {len(asked)} of {len(test)} test sentences ({len(asked) / len(test) * 100:.1f} %)")  # fmt: skip
    conf, hit = np.array(confidences), np.array(correct, dtype=float)
    bins = np.linspace(0, 1, 11)
    ece = sum(
        abs(conf[m].mean() - hit[m].mean()) * m.mean()
        for lo, hi in zip(bins[:-1], bins[1:], strict=False)
        if (m := (conf > lo) & (conf <= hi)).any()
    )
    print(f"HWU64 expected calibration error (10 bins): {ece * 100:.1f} %  (mean confidence {conf.mean():.2f}, accuracy {hit.mean():.2f})")  # fmt: skip


def few_shot(train: list[Example], test: list[Example]) -> None:
    by_intent: dict[str, list[Example]] = {}
    for example in train:
        by_intent.setdefault(example.intent or "", []).append(example)
    figures = []
    for shots in (1, 2, 5, 10):
        rng = random.Random(shots)
        subset = [e for items in by_intent.values() for e in rng.sample(items, min(shots, len(items)))]
        report = evaluate(subset, test, threshold=0.0, slots=False)
        figures.append(f"{shots}: {report.in_scope_accuracy * 100:.1f} %")
    print("HWU64 few-shot (examples per intent -> accuracy): " + ", ".join(figures))


def auroc(in_scope: np.ndarray, unknown: np.ndarray) -> float:
    """Probability that an in-scope sentence scores above an unknown one (ties count half)."""
    ordered = np.sort(in_scope)
    below = np.searchsorted(ordered, unknown, side="left")
    ties = np.searchsorted(ordered, unknown, side="right") - below
    return float(np.mean((len(ordered) - below - ties + 0.5 * ties) / len(ordered)))


def out_of_scope(train: list[Example], test: list[Example]) -> None:
    """Held-out intents as "unknown": is a sentence accepted (confidence >= threshold) or rejected?

    Precision is that of the accepted set: of the sentences accepted as in scope, the share
    that truly are in scope. The figure is the out-of-scope recall (unknown sentences
    rejected) at the lowest threshold whose accepted set reaches 95 % precision.
    """
    intents = sorted({e.intent for e in train if e.intent})
    unknown = set(intents[::6])  # every sixth intent is held out as "unknown"
    model = IntentModel().fit([e.text for e in train if e.intent not in unknown], [e.intent for e in train if e.intent not in unknown])  # fmt: skip
    confidence, known, correct = [], [], []
    for example in test:
        intent, score = model.rank(example.text, 1)[0]
        confidence.append(score if intent is not None else 0.0)
        known.append(example.intent not in unknown)
        correct.append(intent == example.intent)
    conf, inside, right = np.array(confidence), np.array(known), np.array(correct)

    def at(threshold: float) -> tuple[float, float, float, float]:
        accepted = conf >= threshold
        precision = (accepted & inside).sum() / max(1, accepted.sum())
        recall = (~accepted & ~inside).sum() / (~inside).sum()
        kept = (accepted & inside).sum() / inside.sum()
        kept_correct = (accepted & inside & right).sum() / inside.sum()
        return float(precision), float(recall), float(kept), float(kept_correct)

    print(f"HWU64 OOS ({len(unknown)} held-out intents, {(~inside).sum()} sentences): AUROC {auroc(conf[inside], conf[~inside]):.3f}")  # fmt: skip
    default = DEFAULT_THRESHOLD
    precision, recall, kept, kept_correct = at(default)
    print(f"  at the default threshold {default}: OOS recall {recall * 100:.1f} %, accepted-set precision {precision * 100:.1f} %, "
          f"in-scope accepted {kept * 100:.1f} % (accepted and correct {kept_correct * 100:.1f} %)")  # fmt: skip
    for threshold in np.linspace(0.0, 1.0, 201):
        precision, recall, kept, kept_correct = at(float(threshold))
        if precision >= 0.95:
            print(f"  OOS recall {recall * 100:.1f} % at 95 % accepted-set precision (threshold {threshold:.3f}; "
                  f"in-scope accepted {kept * 100:.1f} %, accepted and correct {kept_correct * 100:.1f} %)")  # fmt: skip
            break
    else:
        print("  95 % accepted-set precision is not reached at any threshold")


def _template(text: str) -> str:
    return " ".join(re.sub(r"[^\w' ]", " ", text.lower()).split())


def assistant_scale(train: list[Example], test: list[Example]) -> None:
    """100 intents (skills + HWU64 as templates + filler) and 500 taught commands."""
    understanding = Understanding()
    for path in sorted((ROOT / "assistant" / "skills").glob("*.yaml")):
        understanding.add_sentences(path, source=path.stem)
    by_intent: dict[str, list[str]] = {}
    for example in train:
        by_intent.setdefault(f"hwu.{example.intent}", []).append(_template(example.text))
    intents = {name: {"data": [{"sentences": sorted(set(texts))[:40]}]} for name, texts in by_intent.items()}
    missing = 100 - len(understanding.intents()) - len(intents)
    for index in range(max(0, missing)):
        intents[f"filler.{index}"] = {"data": [{"sentences": [f"(run|start) routine number {index} [now]"]}]}
    understanding.add_sentences({"language": "en", "intents": intents}, source="hwu64")
    started = time.perf_counter()
    training = understanding.train()
    print(f"scale: {len(understanding.intents())} intents; training {training:.2f} s")
    rng = random.Random(1)
    syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "zen", "dor", "pel", "bru"]
    words = sorted({"".join(rng.sample(syllables, 3)) for _ in range(400)})
    teach_times = []
    for index in range(500):
        a, b, c = rng.sample(words, 3)
        started = time.perf_counter()
        understanding.teach(
            f"custom.{index}", [f"{a} {b} {c}", f"start {a} {b} mode", f"do the {c} {a} thing"]
        )
        teach_times.append(time.perf_counter() - started)
    print(
        f"teach -> usable: median {np.median(teach_times) * 1000:.1f} ms, max {max(teach_times) * 1000:.1f} ms"
    )
    paraphrased = 0
    for index in range(450, 500):
        phrase = understanding.taught()[f"custom.{index}"][1]  # "start A B mode"
        paraphrased += (
            understanding.parse("please " + phrase.replace("start", "start the") + " now")[0].intent
            == f"custom.{index}"
        )
    print(f"taught commands recognised in paraphrase ('please start the A B mode now'): {paraphrased}/50")
    understanding.warm_up()  # as the assistant does at start
    sentences = [e.text for e in test[:500]] + [
        understanding.examples(n, 1)[0] for n in understanding.intents()[:100]
    ]
    latencies, cpu, hits, rule_hits = [], [], 0, 0
    for text in sentences:
        began, began_cpu = time.perf_counter(), time.process_time()
        top = understanding.parse(text)[0]
        latencies.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
        rule_hits += top.source == "rules"
    top_any = 0
    for example in test:
        readings = understanding.parse(example.text)
        hits += readings[0].intent == f"hwu.{example.intent}"
        top_any += next((c.intent for c in readings if c.intent), None) == f"hwu.{example.intent}"
    print(f"scale latency: p50 {np.percentile(latencies, 50) * 1000:.2f} ms, p99 {np.percentile(latencies, 99) * 1000:.2f} ms "
          f"over {len(sentences)} sentences ({rule_hits} exact rule matches); {_cpu(cpu)}")  # fmt: skip
    print(
        f"scale HWU64 accuracy through Understanding (40 templates per intent): {hits / len(test) * 100:.1f} %"
    )
    everyday = corpus_texts()
    latencies, cpu = [], []
    for text in everyday:
        began, began_cpu = time.perf_counter(), time.process_time()
        understanding.parse(text)
        latencies.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
    print(f"everyday requests (the conversation corpus' {len(everyday)} typed texts), same scale: "
          f"p50 {np.percentile(latencies, 50) * 1000:.2f} ms, p99 {np.percentile(latencies, 99) * 1000:.2f} ms; {_cpu(cpu)}")  # fmt: skip
    retrain = understanding.train()
    print(f"full retrain with 600 intents: {retrain:.2f} s")
    _, arrays = understanding.model.state()
    size = sum(array.nbytes for array in arrays.values())
    print(f"model size (its arrays, as saved): {size / 1e6:.1f} MB; peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")  # fmt: skip
    hassil_alone(understanding, test)


def _cpu(seconds: list[float]) -> str:
    """CPU-time percentiles: wall-clock time counts the other programs sharing the machine too."""
    return f"CPU time p50 {np.percentile(seconds, 50) * 1000:.2f} ms, p99 {np.percentile(seconds, 99) * 1000:.2f} ms"


def corpus_texts() -> list[str]:
    """Every request said in tests/corpus (the built-in skills' templates match most of them)."""
    texts: list[str] = []
    for path in sorted((ROOT / "tests" / "corpus").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for conversation in data.get("conversations") or []:
            texts += [str(turn["say"]) for turn in conversation.get("turns") or [] if "say" in turn]
        for test in data.get("tests") or []:
            texts += [str(sentence) for sentence in test.get("sentences") or []]
    return texts


def hassil_alone(understanding: Understanding, test: list[Example]) -> None:
    matched = correct = 0
    began = time.perf_counter()
    for example in test:
        results = understanding.rules.match(_template(example.text))
        if results:
            matched += 1
            correct += results[0].intent.name == f"hwu.{example.intent}"
    elapsed = (time.perf_counter() - began) / len(test)
    print(f"hassil alone on HWU64 test (same templates): matched {matched / len(test) * 100:.1f} %, "
          f"correct {correct / len(test) * 100:.1f} %, {elapsed * 1000:.2f} ms/sentence over all 600 intents")  # fmt: skip


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(
        description="Understanding benchmarks on SNIPS and HWU64 (about five minutes); prints figures."
    )
    parser.add_argument(
        "--scale-only",
        action="store_true",
        help="only the assistant at scale (latency, its HWU64 accuracy, teaching; about three minutes)",
    )
    if parser.parse_args().scale_only:
        assistant_scale(
            load_examples(DATA / "hwu64" / "train.jsonl"), load_examples(DATA / "hwu64" / "test.jsonl")
        )
        return
    accuracy("snips")
    train, test = accuracy("hwu64")
    calibration(train, test)
    few_shot(train, test)
    out_of_scope(train, test)
    assistant_scale(train, test)


if __name__ == "__main__":
    main()
