"""The teaching commands from the shell, each in its own process like a user would run them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from assistant.config import Home
from assistant.memory.store import Store

ROOT = Path(__file__).resolve().parents[2]


def run(home: Home, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "assistant", "--home", str(home.data_dir), *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def active_timers(home: Home) -> list[float]:
    store = Store(home.database_file)
    try:
        return [
            row["duration_seconds"]
            for row in store.db.query("select duration_seconds from timers where state = 'active'")
        ]
    finally:
        store.close()


def test_taught_in_chat_then_used_in_a_new_process(home: Home) -> None:
    chat = run(home, "chat", "--json", stdin="when I say tea break set a timer for 4 minutes\n")
    assert chat.returncode == 0, chat.stderr
    turn = json.loads(chat.stdout.splitlines()[0])
    assert turn["intent"] == "teach.when_i_say" and turn["outcome"] == "success"
    used = run(home, "ask", "tea break", "--json")
    assert json.loads(used.stdout)["intent"] == "custom.tea_break"
    assert active_timers(home) == [240]


def test_commands_add_list_show_rename_rm_and_undo(home: Home) -> None:
    added = run(
        home,
        "commands",
        "add",
        "focus",
        "--trigger",
        "focus for N minutes",
        "--step",
        "set a timer for N minutes",
        "--json",
    )
    assert added.returncode == 0, added.stderr
    assert json.loads(added.stdout)["triggers"] == ["focus for {n} minutes"]
    listed = json.loads(run(home, "commands", "list", "--json").stdout)
    assert [c["name"] for c in listed] == ["focus"]
    assert "set a timer for N minutes" in run(home, "commands", "show", "focus").stdout
    assert run(home, "commands", "rm", "focus").returncode == 0
    assert json.loads(run(home, "commands", "list", "--json").stdout) == []
    assert "Undone" in run(home, "undo").stdout
    assert [c["name"] for c in json.loads(run(home, "commands", "list", "--json").stdout)] == ["focus"]


def test_errors_have_messages_and_exit_codes(home: Home) -> None:
    unknown = run(home, "commands", "add", "trip", "--step", "fly to the moon")
    assert unknown.returncode == 1 and "fly to the moon" in unknown.stderr
    missing = run(home, "commands", "rm", "nothing")
    assert missing.returncode == 2 and "no command" in missing.stderr
    (home.data_dir / "bad.json").write_text("{not json")
    bad = run(home, "import", str(home.data_dir / "bad.json"))
    assert bad.returncode == 2 and "not JSON" in bad.stderr


def test_prefs_aliases_export_and_import(home: Home, tmp_path: Path) -> None:
    assert run(home, "prefs", "set", "name", "Sam").returncode == 0
    assert json.loads(run(home, "prefs", "list", "--json").stdout)[0]["key"] == "user_name"
    assert run(home, "aliases", "add", "tea please", "set a timer for 4 minutes").returncode == 0
    exported = tmp_path / "export.json"
    assert run(home, "export", str(exported)).returncode == 0
    other = Home.locate(tmp_path / "other").ensure()
    report = run(other, "import", str(exported), "--json")
    assert report.returncode == 0, report.stderr
    assert json.loads(report.stdout)["added"] == {"preferences": 1, "aliases": 1}
    data = json.loads(exported.read_text())
    data["aliases"][0]["target"] = "what time is it"
    exported.write_text(json.dumps(data))
    conflict = run(other, "import", str(exported))
    assert conflict.returncode == 2 and "tea please" in conflict.stderr
    assert (
        json.loads(run(other, "aliases", "list", "--json").stdout)[0]["target"] == "set a timer for 4 minutes"
    )
    assert run(home, "prefs", "rm", "Sam").returncode == 0
    assert json.loads(run(home, "prefs", "list", "--json").stdout) == []


def test_export_and_import_say_what_they_carry_and_timers_stay_home(home: Home, tmp_path: Path) -> None:
    run(home, "ask", "set a pasta timer for 10 minutes")
    run(home, "ask", "take a note buy stamps")
    run(home, "aliases", "add", "tea please", "set a timer for 4 minutes")
    exported = tmp_path / "export.json"
    said = run(home, "export", str(exported))
    assert said.stderr.strip() == (
        f"Exported 1 alias, 1 note and 1 running timer, and the settings to {exported}."
    )
    other = Home.locate(tmp_path / "other").ensure()
    report = run(other, "import", str(exported))
    assert report.stdout.strip() == (
        "Imported 1 alias and 1 note. Left out 1 running timer: it belongs to the home that set it "
        "(--with-timers brings them). Left out the file's settings (--with-settings brings them)."
    )
    assert active_timers(other) == []
    brought = run(other, "import", str(exported), "--with-timers")
    assert brought.stdout.startswith("Imported 1 running timer (2 already there).")
    assert active_timers(other) == [600]


def test_import_refuses_damaged_files_in_one_line(home: Home, tmp_path: Path) -> None:
    run(home, "ask", "set a pasta timer for 10 minutes")
    run(home, "aliases", "add", "tea please", "set a timer for 4 minutes")
    exported = tmp_path / "export.json"
    run(home, "export", str(exported))
    good = json.loads(exported.read_text())
    other = Home.locate(tmp_path / "other").ensure()

    def refused(text: str, said: str) -> None:
        bad = tmp_path / "bad.json"
        bad.write_text(text, encoding="utf-8")
        done = run(other, "import", str(bad), "--with-timers")
        assert done.returncode == 2 and "Traceback" not in done.stderr
        [line] = done.stderr.strip().splitlines()
        assert line.startswith(("Nothing imported:", "assistant: Nothing imported:")) and said in line, line
        assert json.loads(run(other, "aliases", "list", "--json").stdout) == []

    nuke = json.loads(json.dumps(good))
    nuke["timers"][0]["kind"] = "nuke"
    refused(json.dumps(nuke), "unknown timer kind 'nuke'")
    far = json.loads(json.dumps(good))
    far["timers"][0]["due_at"] = 1e308
    refused(json.dumps(far), "not within the next ten years")
    refused(json.dumps(good).replace('"due_at": ', '"due_at": NaN, "was": '), "NaN")
    refused(json.dumps(good).replace('"tea please"', '"tea \\ud800please"'), "not valid Unicode")
    refused("[" * 200_000 + "]" * 200_000, "nests deeper")
    wrong = json.loads(json.dumps(good))
    wrong["settings"]["quiet_hours"] = 5
    refused(json.dumps(wrong), "quiet_hours must be a time window")
