"""No request ends the assistant: fuzzed text through real turns, with strict mode on (a
crash anywhere in a turn fails the test instead of becoming a polite reply)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from assistant.config import Home
from assistant.core import MAX_SESSIONS, open_assistant
from assistant.request_text import MAX_REQUEST_CHARACTERS, TOO_LONG_REPLY, clean_request
from tests.commands import HANG_GUARD_SECONDS
from tests.fuzzing import fuzzed_requests

TURNS = 2000


def test_thousands_of_fuzzed_requests_all_get_a_reply(home: Home) -> None:
    assistant = open_assistant(home)
    try:
        for number, text in enumerate(fuzzed_requests(TURNS, seed=7)):
            turn = assistant.handle_text(text, session_id=f"fuzz-{number // 5}")
            assert turn.reply.strip(), f"no reply to request {number}: {text[:120]!r}"
            json.dumps(turn.to_json(), ensure_ascii=False, default=str)  # what chat --json prints
    finally:
        assistant.close()


def test_a_request_too_long_is_refused_before_any_work(home: Home) -> None:
    assistant = open_assistant(home)
    try:
        turn = assistant.handle_text("set a timer for five minutes and " * 2000)
        assert turn.reply == TOO_LONG_REPLY and turn.outcome == "failure"
        assert not turn.actions and len(turn.text) <= MAX_REQUEST_CHARACTERS + 1
        assert assistant.handle_text("what time is it").outcome == "success"
    finally:
        assistant.close()


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("what\x00 time\x1b[2J is it\n", "what time [2J is it"),
        ("set a timer\u200b for five minutes", "set a timer for five minutes"),
        ("caf\udce9 please", "caf? please"),
        ("  many    spaces\t", "many spaces"),
    ],
)
def test_request_text_is_cleaned_to_plain_text(raw: str, clean: str) -> None:
    assert clean_request(raw) == clean


def test_a_failing_turn_becomes_a_polite_reply_and_the_session_goes_on(
    home: Home, lenient: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    assistant = open_assistant(home)
    try:

        def explode(*args: object, **kwargs: object) -> None:
            raise OverflowError("cannot convert float infinity to integer")

        with monkeypatch.context() as patch:
            patch.setattr(assistant.dialogue, "handle", explode)
            failed = assistant.handle_text("set a timer for 1e309 minutes")
        assert failed.outcome == "failure" and "Sorry, something went wrong" in failed.reply
        assert "Traceback" not in failed.reply and "OverflowError" not in failed.reply
        assert assistant.handle_text("what time is it").outcome == "success"
        log = (home.logs_dir / "assistant.log").read_text(encoding="utf-8")
        assert "OverflowError: cannot convert float infinity to integer" in log  # the details stay in the log
    finally:
        assistant.close()


def test_chat_survives_fuzzed_lines_in_one_process(home: Home) -> None:
    """Fuzzed lines, some of them not valid UTF-8 (lone surrogates written as raw bytes)."""
    lines = [" ".join(text.split()) or "." for text in fuzzed_requests(300, seed=11)] + ["what time is it"]
    raw = ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass")
    done = subprocess.run(
        [sys.executable, "-m", "assistant", "chat", "--json", "--local"],
        input=raw,
        capture_output=True,
        timeout=HANG_GUARD_SECONDS,
        check=False,
    )
    stderr = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 0, stderr[-2000:]
    assert "Traceback" not in stderr
    turns = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert len(turns) == len(lines)
    assert turns and turns[-1]["intent"] == "time.now"
    assert all(turn["reply"].strip() for turn in turns)


def test_sessions_nobody_ends_do_not_pile_up(home: Home) -> None:
    assistant = open_assistant(home)
    try:
        for number in range(MAX_SESSIONS + 40):
            assistant.handle_text("what time is it", session_id=f"client-{number}")
        assert len(assistant.sessions) == MAX_SESSIONS
        assert f"client-{MAX_SESSIONS + 39}" in assistant.sessions and "client-0" not in assistant.sessions
    finally:
        assistant.close()
