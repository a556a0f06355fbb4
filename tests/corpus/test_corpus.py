"""The conversation corpus as a test: every file in tests/corpus played through a real assistant.

This measures how many everyday requests come out right, whole conversations included
("cancel that", answers to questions, corrections), not how one function behaves: it fails
when fewer than MIN_PASS of all requests get the expected intent, slots, reply and effect,
or when any reply reads wrong (doubled words, raw templates, "1 minutes"...). The same run
as a command: ``assistant test tests/corpus``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.corpus.loader import load_paths
from assistant.corpus.report import Report
from assistant.corpus.runner import run_corpus

CORPUS = Path(__file__).resolve().parent
MIN_PASS = 0.97
"""The share of all scored requests that must come out right."""

pytestmark = pytest.mark.corpus


@pytest.fixture(scope="module")
def report() -> Report:
    files = load_paths([CORPUS])
    return run_corpus(files)


def test_at_least_97_percent_of_the_corpus_comes_out_right(report: Report) -> None:
    overall = report.overall()
    assert overall.total > 0, "the corpus is empty"
    failing = "\n".join(verdict.line() for verdict in report.failures())
    assert overall.fraction >= MIN_PASS, (
        f"{overall.right}/{overall.total} right ({overall.fraction:.1%}, need {MIN_PASS:.0%}):\n"
        f"{failing}\n\n{report.summary()}"
    )


def test_no_reply_in_the_corpus_reads_wrong(report: Report) -> None:
    bad = [
        f"{verdict.file.name}: {verdict.conversation} #{verdict.number}: \u201c{verdict.said}\u201d -> "
        f"\u201c{verdict.reply}\u201d: "
        + "; ".join(r for r in verdict.reasons if r.startswith("reply check:"))
        for verdict in report.verdicts
        if any(reason.startswith("reply check:") for reason in verdict.reasons)
    ]
    assert not bad, f"{len(bad)} replies read wrong:\n" + "\n".join(bad)
