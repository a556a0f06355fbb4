"""``assistant nlu evaluate`` and ``assistant test``: measure and check understanding."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from assistant.cli import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, CommandError

SKILLS_DIR = Path(__file__).resolve().parent.parent / "skills"


def register(subparsers: argparse._SubParsersAction) -> None:
    nlu = subparsers.add_parser("nlu", help="measure the understanding stage")
    actions = nlu.add_subparsers(dest="action", metavar="ACTION")
    evaluate = actions.add_parser("evaluate", help="train on TRAIN.jsonl, report scores on TEST.jsonl")
    evaluate.add_argument("train", help="JSON lines: {text, intent (null = out of scope), slots}")
    evaluate.add_argument("test", help="JSON lines in the same format")
    evaluate.add_argument("--json", action="store_true", help="print the report as JSON")
    evaluate.add_argument(
        "--threshold", type=float, default=None, help="out-of-scope threshold (default: built-in)"
    )
    evaluate.set_defaults(func=run_evaluate)

    def need_action(args: argparse.Namespace) -> int:
        raise CommandError("say which: assistant nlu evaluate TRAIN.jsonl TEST.jsonl", EXIT_BAD_INPUT)

    nlu.set_defaults(func=need_action)

    test = subparsers.add_parser("test", help="check sentences against intents (Home Assistant test YAML)")
    test.add_argument("file", help="YAML with 'tests: - sentences: [...] intent: {name, slots}'")
    test.add_argument(
        "--sentences",
        action="append",
        default=[],
        metavar="PATH",
        help="intent YAML to load (repeatable; default: the built-in skills' YAML)",
    )
    test.set_defaults(func=run_test)


def run_evaluate(args: argparse.Namespace) -> int:
    from assistant.nlu.engine import DEFAULT_THRESHOLD
    from assistant.nlu.evaluation import DataError, evaluate, load_examples

    try:
        train = load_examples(args.train)
        test = load_examples(args.test)
    except DataError as error:
        raise CommandError(str(error), EXIT_BAD_INPUT) from error
    if len({e.intent for e in train if e.intent is not None}) < 1:
        raise CommandError(f"{args.train}: needs at least one in-scope intent", EXIT_BAD_INPUT)
    threshold = DEFAULT_THRESHOLD if args.threshold is None else args.threshold
    report = evaluate(train, test, threshold)
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
        return EXIT_OK

    def percent(value: float | None) -> str:
        return "n/a" if value is None else f"{value * 100:.1f} %"

    print(f"examples            {report.examples}")
    print(f"in-scope accuracy   {percent(report.in_scope_accuracy)}")
    print(f"out-of-scope recall {percent(report.oos_recall)}")
    print(f"out-of-scope prec.  {percent(report.oos_precision)}")
    print(f"macro F1            {percent(report.macro_f1)}")
    print(f"latency p50 / p99   {report.latency_p50_ms:.2f} / {report.latency_p99_ms:.2f} ms")
    print(f"training            {report.training_seconds:.2f} s   (threshold {report.threshold})")
    if report.slots is not None:
        slots = report.slots
        print(
            f"slot F1             {percent(slots.f1)}   (P {percent(slots.precision)}, "
            f"R {percent(slots.recall)}, {slots.support} values; "
            f"tagger trained in {slots.training_seconds:.1f} s)"
        )
        if slots.skipped:
            skipped = f"{slots.skipped} training sentences skipped: a slot value is not in their text"
            print(f"                    {skipped}")
    print()
    print(f"{'intent':32} {'P':>6} {'R':>6} {'F1':>6} {'n':>5}")
    for intent, item in report.per_intent.items():
        print(f"{intent:32} {item.precision:6.2f} {item.recall:6.2f} {item.f1:6.2f} {item.support:5d}")
    return EXIT_OK


def _load_tests(path: Path) -> list[dict[str, Any]]:
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise CommandError(f"{path}: cannot read: {error.strerror}", EXIT_BAD_INPUT) from error
    except yaml.YAMLError as error:
        raise CommandError(f"{path}: not valid YAML: {error}", EXIT_BAD_INPUT) from error
    tests = data.get("tests") if isinstance(data, dict) else None
    if not isinstance(tests, list):
        raise CommandError(f"{path}: expected 'tests:' with a list of cases", EXIT_BAD_INPUT)
    for index, case in enumerate(tests, start=1):
        if not isinstance(case, dict) or not isinstance(case.get("sentences"), list):
            raise CommandError(f"{path}: test {index} needs 'sentences: [...]'", EXIT_BAD_INPUT)
    return tests


def _slot_matches(expected: Any, value: Any, raw: str | None) -> bool:
    if isinstance(expected, list):
        return any(_slot_matches(e, value, raw) for e in expected)
    return str(expected).lower() in (str(value).lower(), (raw or "").lower())


def run_test(args: argparse.Namespace) -> int:
    from assistant.nlu.engine import Understanding
    from assistant.nlu.templates import TemplateError

    path = Path(args.file)
    tests = _load_tests(path)
    sentence_files = [Path(p) for p in args.sentences] or sorted(SKILLS_DIR.glob("*.yaml"))
    if not sentence_files:
        raise CommandError("no sentences to test against: give --sentences PATH", EXIT_BAD_INPUT)
    understanding = Understanding()
    for file in sentence_files:
        if not file.exists():
            raise CommandError(f"{file}: no such file", EXIT_BAD_INPUT)
        try:
            understanding.add_sentences(file, source=str(file))
        except TemplateError as error:
            raise CommandError(str(error), EXIT_BAD_INPUT) from error
    failures = 0
    total = 0
    for case in tests:
        expected = case.get("intent") or {}
        name = expected.get("name") if isinstance(expected, dict) else None
        slots = (expected.get("slots") or {}) if isinstance(expected, dict) else {}
        for sentence in case["sentences"]:
            total += 1
            best = understanding.parse(str(sentence))[0]
            problems = []
            if best.intent != name:
                problems.append(f"intent {best.intent!r}, expected {name!r}")
            for slot, value in slots.items():
                if slot not in best.slots or not _slot_matches(
                    value, best.slots[slot], best.raw_slots.get(slot)
                ):
                    problems.append(f"slot {slot}={best.slots.get(slot)!r}, expected {value!r}")
            if problems:
                failures += 1
                print(f"FAIL  {sentence}: " + "; ".join(problems))
            else:
                print(f"pass  {sentence}  ({best.source} {best.confidence:.2f})")
    print(f"{total - failures} passed, {failures} failed")
    return EXIT_FAILED if failures else EXIT_OK
