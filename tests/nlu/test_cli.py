from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

from tests.nlu.conftest import SENTENCES


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args], capture_output=True, text=True, cwd=cwd, timeout=120
    )


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    return path


def test_nlu_evaluate_reports_scores_as_json(tmp_path: Path) -> None:
    lines = {
        "lights_on": ["turn on the lights", "lights on please", "switch the lamp on", "make it bright"],
        "weather": ["what's the weather", "is it going to rain", "weather forecast please", "how hot is it"],
    }
    train = [{"text": t, "intent": i} for i, texts in lines.items() for t in texts]
    train.append({"text": "tell me a story about dragons", "intent": None})
    test = [
        {"text": "turn the lights on", "intent": "lights_on"},
        {"text": "will it rain today", "intent": "weather"},
        {"text": "who won the football game", "intent": None},
    ]
    result = run("nlu", "evaluate", str(write_jsonl(tmp_path / "train.jsonl", train)),
                 str(write_jsonl(tmp_path / "test.jsonl", test)), "--json", cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["examples"] == 3 and set(report["per_intent"]) == {"lights_on", "weather"}
    assert 0 <= report["in_scope_accuracy"] <= 1 and report["latency_p99_ms"] > 0
    assert report["slots"] is None  # no slot values in the data


def test_nlu_evaluate_scores_slots_when_the_data_has_them(tmp_path: Path) -> None:
    cities = ["Paris", "Tokyo", "Lima", "Oslo", "New York", "Cape Town", "Berlin", "Rome"]
    phrasings = ["weather in {}", "is it raining in {}", "{} forecast", "how cold is it in {}"]
    train = [
        {"text": p.format(c), "intent": "weather", "slots": {"city": c}} for p in phrasings for c in cities
    ] + [{"text": t, "intent": "greet", "slots": {}} for t in ("hello there", "hi", "good morning")]
    test = [
        {"text": "weather in Buenos Aires", "intent": "weather", "slots": {"city": "Buenos Aires"}},
        {"text": "is it raining in Madrid", "intent": "weather", "slots": {"city": "Madrid"}},
    ]
    files = [str(write_jsonl(tmp_path / "train.jsonl", train)), str(write_jsonl(tmp_path / "t.jsonl", test))]
    result = run("nlu", "evaluate", *files, "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    slots = json.loads(result.stdout)["slots"]
    assert slots["support"] == 2 and slots["f1"] == 1.0 and slots["skipped"] == 0
    printed = run("nlu", "evaluate", *files, cwd=tmp_path)
    assert "slot F1             100.0 %" in printed.stdout


def test_nlu_evaluate_names_the_malformed_line(tmp_path: Path) -> None:
    good = write_jsonl(tmp_path / "good.jsonl", [{"text": "hi", "intent": "greet"}])
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "hi", "intent": "greet"}\n{not json\n')
    result = run("nlu", "evaluate", str(bad), str(good), cwd=tmp_path)
    assert result.returncode == 2
    assert "bad.jsonl:2" in result.stderr


def test_assistant_test_passes_and_fails_per_sentence(tmp_path: Path) -> None:
    sentences = tmp_path / "sentences.yaml"
    sentences.write_text(
        yaml.safe_dump({**SENTENCES, "lists": {**SENTENCES["lists"], "name": {"values": ["desk lamp"]}}})
    )
    cases = {
        "language": "en",
        "tests": [
            {
                "sentences": ["turn on the desk lamp"],
                "intent": {"name": "HassTurnOn", "slots": {"name": "desk lamp"}},
            },
            {"sentences": ["play jazz"], "intent": {"name": "PlayMusic", "slots": {"genre": "jazz"}}},
        ],
    }
    tests = tmp_path / "tests.yaml"
    tests.write_text(yaml.safe_dump(cases))
    ok = run("test", str(tests), "--sentences", str(sentences), cwd=tmp_path)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "2 passed, 0 failed" in ok.stdout
    cases["tests"].append({"sentences": ["play jazz"], "intent": {"name": "HassTurnOn"}})
    tests.write_text(yaml.safe_dump(cases))
    failing = run("test", str(tests), "--sentences", str(sentences), cwd=tmp_path)
    assert failing.returncode == 1 and "FAIL  play jazz" in failing.stdout
