"""Playing conversations: a real assistant per conversation, a fake clock, one verdict per request.

The sample corpus is written here, so these tests do not depend on the corpus files."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from assistant.core import Assistant
from assistant.corpus.checks import slot_matches
from assistant.corpus.loader import parse_corpus
from assistant.corpus.model import CorpusFile
from assistant.corpus.report import Report
from assistant.corpus.runner import run_corpus

SAMPLE: dict[str, Any] = {
    "language": "en",
    "skill": "sample",
    "conversations": [
        {
            "name": "a timer counts down on the fake clock",
            "turns": [
                {
                    "say": "set a timer for 10 minutes",
                    "intent": "timer.set",
                    "slots": {"duration": "ten minutes"},
                    "reply": ["10 minutes"],
                    "outcome": "success",
                    "asks": False,
                    "effect": {"timers": 1},
                },
                {"wait": "6 minutes"},
                {
                    "say": "how much time is left",
                    "intent": "timer.list",
                    "reply": ["10-minute timer"],
                    "not_in_reply": ["10 minutes left", "9 minutes", "8 minutes", "7 minutes"],
                },
                {"wait": "5 minutes"},
                {"say": "what timers do I have", "effect": {"timers": 0}},
            ],
        },
        {
            "name": "each conversation starts from an empty home",
            "given": ["add milk to my shopping list"],
            "turns": [
                {"say": "add eggs to my shopping list", "effect": {"list": {"shopping": ["eggs", "milk"]}}},
                {"say": "what timers do I have", "effect": {"timers": 0}},
            ],
        },
    ],
    "tests": [{"sentences": ["what time is it"], "intent": {"name": "time.now"}}],
}


def corpus(data: dict[str, Any], tmp_path: Path, name: str = "sample.yaml") -> CorpusFile:
    return parse_corpus(data, tmp_path / name)


def play(data: dict[str, Any], tmp_path: Path) -> Report:
    return run_corpus([corpus(data, tmp_path)])


def one_turn(tmp_path: Path, **turn: Any) -> list[str]:
    """The reasons the single turn of a one-turn conversation failed (empty: it passed)."""
    report = play({"conversations": [{"name": "one", "turns": [turn]}]}, tmp_path)
    (verdict,) = report.verdicts
    return verdict.reasons


def test_the_sample_passes_with_one_verdict_per_request(tmp_path: Path) -> None:
    report = play(SAMPLE, tmp_path)
    assert [v.line() for v in report.failures()] == []
    assert [(v.conversation, v.number) for v in report.verdicts] == [
        ("a timer counts down on the fake clock", 1),
        ("a timer counts down on the fake clock", 3),
        ("a timer counts down on the fake clock", 5),
        ("each conversation starts from an empty home", 1),
        ("each conversation starts from an empty home", 2),
        (None, 1),
    ]
    assert report.conversations == 2
    assert report.by_skill()["sample"].to_dict() == {"right": 6, "total": 6, "percent": 100.0}


def test_what_differs_is_said(tmp_path: Path) -> None:
    reasons = one_turn(
        tmp_path,
        say="set a timer for 10 minutes",
        intent="alarm.set",
        slots={"duration": 300, "name": "pasta"},
        reply=["pasta"],
        not_in_reply=["10 minutes"],
        asks=True,
        outcome="failure",
        effect={"timers": 2, "alarms": 0, "list": {"shopping": ["milk"]}, "preference": {"name": "Sam"}},
    )
    assert reasons == [
        "intent 'timer.set', expected 'alarm.set'",
        "slot duration=600, expected 300",
        "slot name=None, expected 'pasta'",
        "reply lacks 'pasta'",
        "reply has '10 minutes'",
        "the reply asks nothing",
        "outcome success, expected failure",
        "1 active timers, expected 2",
        "shopping list [], expected ['milk']",
        "preference name=None, expected 'Sam'",
    ]


def test_a_request_not_understood_can_be_expected(tmp_path: Path) -> None:
    assert one_turn(tmp_path, say="blorp fizzle wug", intent=None, outcome="failure") == []


def test_a_bad_reply_fails_the_turn_even_when_all_else_is_right(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = Assistant.handle_text

    def doubled(self: Assistant, text: str, **kwargs: Any) -> Any:
        turn = real(self, text, **kwargs)
        turn.reply = "Timer set for for {n} minutes."
        return turn

    monkeypatch.setattr(Assistant, "handle_text", doubled)
    reasons = one_turn(tmp_path, say="set a timer for 10 minutes", intent="timer.set")
    assert reasons == ["reply check: doubled word 'for for'", "reply check: raw template text '{'"]


def test_a_turn_that_raises_fails_and_the_rest_are_not_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = Assistant.handle_text

    def breaks(self: Assistant, text: str, **kwargs: Any) -> Any:
        if text == "break":
            raise RuntimeError("boom")
        return real(self, text, **kwargs)

    monkeypatch.setattr(Assistant, "handle_text", breaks)
    data = {"conversations": [{"name": "c", "turns": ["what time is it", "break", "what time is it"]}]}
    report = play(data, tmp_path)
    assert [v.reasons for v in report.verdicts] == [
        [],
        ["raised RuntimeError: boom"],
        ["not run: turn 2 raised"],
    ]


def test_sentence_tests_read_intents_and_slots(tmp_path: Path) -> None:
    data = {
        "tests": [
            {
                "sentences": ["set a timer for five minutes"],
                "intent": {"name": "timer.set", "slots": {"duration": 300}},
            },
            {"sentences": ["what time is it"], "intent": {"name": "timer.set"}},
        ]
    }
    report = play(data, tmp_path)
    assert [v.reasons for v in report.verdicts] == [[], ["intent 'time.now', expected 'timer.set'"]]
    assert report.verdicts[1].line().startswith("FAIL  what time is it: intent 'time.now'")


def test_a_slot_matches_as_resolved_as_said_or_any_alternative() -> None:
    def minutes(words: str) -> Any:
        return {"ten minutes": 600}.get(words)

    assert slot_matches(600, 600.0)
    assert slot_matches("Pasta", "pasta")
    assert slot_matches("ten minutes", 600, resolved=minutes)
    assert slot_matches("the pasta", "pasta", raw="the pasta")
    assert slot_matches([300, 600], 600)
    assert not slot_matches("five minutes", 600, resolved=minutes)
    # a number in words is that number (a recognizer writes "one hundred" for "100")
    assert slot_matches("100", "one hundred") and slot_matches(7, "seven")
    assert not slot_matches("1", "a") and not slot_matches("12", "twelve minutes")


def test_homes_leave_no_log_files_open(tmp_path: Path) -> None:
    before = len(logging.getLogger().handlers)
    play(SAMPLE, tmp_path)
    assert len(logging.getLogger().handlers) == before


def test_the_summary_groups_by_skill(tmp_path: Path) -> None:
    failing = {"skill": "other", "conversations": [{"name": "x", "turns": [{"say": "hi", "intent": "nope"}]}]}
    report = run_corpus([corpus(SAMPLE, tmp_path), corpus(failing, tmp_path, "other.yaml")])
    lines = report.summary().splitlines()
    assert lines[1].split() == ["other", "0", "1", "0.0%"]
    assert lines[2].split() == ["sample", "6", "6", "100.0%"]
    assert lines[3].split() == ["overall", "6", "7", "85.7%"]
    assert lines[4].startswith("6 passed, 1 failed (3 conversations")


def run_command(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "assistant", "test", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


def test_assistant_test_as_a_real_process(tmp_path: Path) -> None:
    good = tmp_path / "sample.yaml"
    good.write_text(json.dumps(SAMPLE), encoding="utf-8")  # JSON is YAML
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        json.dumps({"conversations": [{"name": "wrong", "turns": [{"say": "hi", "intent": "nope"}]}]})
    )

    passing = run_command(str(good), cwd=tmp_path)
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "pass  sample.yaml: a timer counts down on the fake clock #1" in passing.stdout
    assert "6 passed, 0 failed" in passing.stdout

    failing = run_command(str(good), str(bad), "--failures", cwd=tmp_path)
    assert failing.returncode == 1
    assert failing.stdout.startswith("FAIL  bad.yaml: wrong #1: \u201chi\u201d -> \u201c")
    assert "intent" in failing.stdout and "expected 'nope'" in failing.stdout
    assert "pass " not in failing.stdout

    enough = run_command(str(tmp_path), "--min-pass", "80%", "--json", cwd=tmp_path)
    assert enough.returncode == 0, enough.stdout + enough.stderr
    report = json.loads(enough.stdout)
    assert report["overall"] == {"right": 6, "total": 7, "percent": 85.7} and report["passed"]
    assert report["min_pass"] == 0.8 and report["skills"]["bad"]["total"] == 1

    only = run_command(str(tmp_path), "-k", "EMPTY HOME", cwd=tmp_path)
    assert only.returncode == 0 and "2 passed, 0 failed (1 conversation," in only.stdout

    bad.write_text("conversations: [{name: x, turns: [{say: hi, intnet: a}]}]")
    refused = run_command(str(bad), cwd=tmp_path)
    assert (
        refused.returncode == 2
        and "bad.yaml: conversation 'x', turn 1: unknown key 'intnet'" in refused.stderr
    )
