"""Multi-turn conversations through `assistant chat --json`, in a real process on a real database."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import sqlite_utils

from assistant.config import Home
from tests.commands import run_assistant
from tests.conftest import ROOT


def chat(home: Home, *lines: str) -> list[dict[str, Any]]:
    completed = run_assistant("--home", str(home.config_dir), "chat", "--json", input="\n".join(lines) + "\n")
    assert completed.returncode == 0, completed.stderr
    turns = [json.loads(line) for line in completed.stdout.splitlines() if line.strip()]
    assert len(turns) == len(lines), completed.stdout
    return turns


def active_timers(home: Home) -> list[dict[str, Any]]:
    db = sqlite_utils.Database(home.database_file)
    return list(db["timers"].rows_where("state = 'active'"))


def with_desk_lamp(home: Home) -> Home:
    shutil.copy(ROOT / "examples" / "desk_lamp_plugin.py", home.plugins_dir / "desk_lamp_plugin.py")
    return home


def test_missing_slot_is_asked_for_and_the_answer_completes_the_request(home: Home) -> None:
    asked, answered = chat(home, "set a timer", "five minutes")
    assert asked["expects_answer"] is True
    assert "long" in asked["reply"].lower()
    assert answered["intent"] == asked["intent"]
    assert answered["outcome"] == "success"
    assert [round(t["duration_seconds"]) for t in active_timers(home)] == [300]


def test_a_correction_replaces_the_previous_request(home: Home) -> None:
    first, corrected = chat(home, "set a timer for five minutes", "no, ten minutes")
    assert first["outcome"] == corrected["outcome"] == "success"
    assert [round(t["duration_seconds"]) for t in active_timers(home)] == [600]


def test_cancel_drops_the_pending_question(home: Home) -> None:
    _, cancelled, after = chat(home, "set a timer", "never mind", "what time is it")
    assert "cancel" in cancelled["reply"].lower()
    assert active_timers(home) == []
    assert after["outcome"] == "success"


def test_and_one_more_carries_the_intent_over(home: Home) -> None:
    first, second = chat(home, "set a timer for five minutes", "and one for twenty minutes")
    assert second["intent"] == first["intent"]
    assert sorted(round(t["duration_seconds"]) for t in active_timers(home)) == [300, 1200]


def test_say_that_again_repeats_the_last_reply(home: Home) -> None:
    first, repeated = chat(home, "what is 6 times 7", "say that again")
    assert "42" in first["reply"]
    assert repeated["reply"] == first["reply"]


def test_it_refers_to_the_last_device(home: Home) -> None:
    with_desk_lamp(home)
    on, off = chat(home, "turn on the desk lamp", "turn it off")
    assert on["outcome"] == "success", on
    assert off["outcome"] == "success", off
    assert off["slots"] == {**off["slots"], **{k: v for k, v in on["slots"].items() if k != "state"}}
    assert "off" in off["reply"].lower()


def test_nonsense_is_rejected_not_guessed(home: Home) -> None:
    (turn,) = chat(home, "purple elephants negotiate the tax of moonlight")
    assert turn["intent"] is None
    assert turn["outcome"] == "failure"
    assert turn["failure_stage"] == "understanding"


def test_json_turn_has_the_documented_fields(home: Home) -> None:
    (turn,) = chat(home, "what time is it")
    for key in ("text", "intent", "slots", "confidence", "reply", "actions", "trace", "timings"):
        assert key in turn
    assert turn["actions"] and set(turn["actions"][0]) >= {"name", "args", "ok", "error"}


def test_a_new_session_starts_clean(home: Home) -> None:
    chat(home, "set a timer")
    (fresh,) = chat(home, "five minutes")
    assert fresh["intent"] != "timer.set" or fresh["expects_answer"]
    assert active_timers(home) == []


def test_ask_exit_code_reports_failure(home: Home) -> None:
    ok = run_assistant("ask", "what time is it")
    failed = run_assistant("ask", "blorp the flibbertigibbet")
    assert ok.returncode == 0 and ok.stdout.strip()
    assert failed.returncode == 1
    assert Path(home.database_file).exists()
