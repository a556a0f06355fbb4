"""``assistant nlu evaluate`` and ``assistant test``: measure and check understanding."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any

from assistant.cli import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, CommandError


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

    test = subparsers.add_parser(
        "test",
        help="run conversation tests and sentence tests (corpus YAML, docs/conversation-tests.md)",
    )
    test.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="corpus YAML ('conversations:' and/or Home Assistant's 'tests:'), or a folder of them",
    )
    test.add_argument(
        "--sentences",
        action="append",
        default=[],
        metavar="PATH",
        help="read 'tests:' sentences against these intent YAML files only (repeatable; "
        "default: a fresh assistant with the built-in skills)",
    )
    test.add_argument("--json", action="store_true", help="print the whole report as JSON")
    test.add_argument(
        "--min-pass",
        type=_fraction,
        default=1.0,
        metavar="SHARE",
        help="exit 0 when at least this share of turns is right: 0.97 or 97%% (default: 1, all)",
    )
    test.add_argument("--failures", action="store_true", help="print only the turns that fail")
    test.add_argument(
        "-k",
        dest="only",
        metavar="WORDS",
        help="play only the conversations (and sentences) whose name contains these words",
    )
    test.set_defaults(func=run_test)


def _fraction(text: str) -> float:
    """'0.97', '97%' or '97' -> 0.97."""
    try:
        value = float(text.strip().rstrip("%"))
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{text!r} is not a share like 0.97 or 97%") from error
    if text.strip().endswith("%") or value > 1:
        value /= 100
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not between 0 and 1 (or 0% and 100%)")
    return value


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


def run_test(args: argparse.Namespace) -> int:
    from assistant.corpus.loader import CorpusError, load_paths
    from assistant.corpus.runner import run_corpus

    try:
        files = load_paths(args.paths)
    except CorpusError as error:
        raise CommandError(str(error), EXIT_BAD_INPUT) from error
    if args.only:
        wanted = args.only.lower()
        for corpus in files:
            corpus.conversations = [c for c in corpus.conversations if wanted in c.name.lower()]
            corpus.sentence_tests = [t for t in corpus.sentence_tests if wanted in t.sentence.lower()]
    if not any(f.conversations or f.sentence_tests for f in files):
        where = ", ".join(args.paths) + (f" matching {args.only!r}" if args.only else "")
        raise CommandError(f"nothing to test in {where}", EXIT_BAD_INPUT)
    reader = _sentence_reader([Path(p) for p in args.sentences]) if args.sentences else None
    # Strict, as in the test suite: a bug in a turn fails it with the exception instead of
    # hiding behind a polite reply (ASSISTANT_STRICT=0 plays it as production would).
    os.environ.setdefault("ASSISTANT_STRICT", "1")
    report = run_corpus(files, reader=reader)
    overall = report.overall()
    passed = overall.fraction >= args.min_pass
    if args.json:
        print(json.dumps({**report.to_dict(), "min_pass": args.min_pass, "passed": passed}, indent=2))
    else:
        for verdict in report.verdicts:
            if not (args.failures and verdict.passed):
                print(verdict.line())
        print()
        print(report.summary())
        if args.min_pass < 1:
            print(f"{'enough' if passed else 'not enough'}: at least {args.min_pass:.1%} had to pass")
    return EXIT_OK if passed else EXIT_FAILED


def _sentence_reader(sentence_files: list[Path]) -> Any:
    """Sentences read as the given intent YAML alone would read them (no skills, no dialogue)."""
    from assistant.nlu.engine import Understanding
    from assistant.nlu.templates import TemplateError

    understanding = Understanding()
    for file in sentence_files:
        if not file.exists():
            raise CommandError(f"{file}: no such file", EXIT_BAD_INPUT)
        try:
            understanding.add_sentences(file, source=str(file))
        except TemplateError as error:
            raise CommandError(str(error), EXIT_BAD_INPUT) from error
    return lambda sentence: understanding.parse(sentence)[0]
