"""The public command line over simulated time: ``chat --json`` with ASSISTANT_CLOCK_FILE,
then ``learned report --json`` (real processes, a real home)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DAY_ONE = time.mktime((2024, 1, 1, 9, 0, 0, 0, 0, -1))


def assistant(home: Path, clock: Path, *args: str, stdin: str = "") -> str:
    env = {**os.environ, "ASSISTANT_CLOCK_FILE": str(clock), "PYTHONPATH": str(ROOT)}
    env.pop("ASSISTANT_HOME", None)
    done = subprocess.run(
        [sys.executable, "-m", "assistant", "--home", str(home), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    return done.stdout


def test_the_report_counts_what_learning_did_on_the_simulated_day(tmp_path: Path) -> None:
    clock = tmp_path / "clock"
    clock.write_text(str(DAY_ONE), encoding="utf-8")
    home = tmp_path / "home"
    lines = ["give me a shout in ten", "set a timer for ten minutes", "give me a shout in 3", "yes"]
    turns = [
        json.loads(line)
        for line in assistant(home, clock, "chat", "--json", stdin="\n".join(lines)).splitlines()
    ]
    assert turns[2]["reply"] == "Did you mean \u201cset a timer for 3 minutes\u201d?"
    assert turns[3]["learned_rewrite"] == "set a timer for 3 minutes"
    clock.write_text(str(DAY_ONE + 2 * 86400), encoding="utf-8")  # two days later
    report = json.loads(assistant(home, clock, "learned", "report", "--days", "3", "--json"))
    first_day = report["days"][0]
    assert first_day["day"] == "2024-01-01"
    assert first_day["failures_by_stage"]["understanding"] == 2
    assert first_day["defect_rate_without_learning"] > first_day["defect_rate"]
    assert [r["source"] for r in report["rewrites"]] == ["give me a shout in {minutes}"]
    assert report["rewrites"][0]["intent"] == "timer.set"
    assert report["rewrites"][0]["wins"] == 1
