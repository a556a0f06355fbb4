"""Against a real Home Assistant: an alarm with a code (the demo's Security, code 1234).

After "yes" the assistant asks for the code, or takes one said with the request, passes it as
the service's ``code`` and keeps it nowhere: not in the history, the log, the trace or the
screen's events.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from assistant.core import Assistant
from assistant.dialogue.codes import MASK
from assistant.events import Event
from tests.homeassistant.conftest import ALARM, ALARM_CODE, Owner

CODE = ALARM_CODE
SAID = ("1234", "1 2 3 4", "one two three four", "12 34")
"""Every way the code could have been written down."""


def assert_kept_nowhere(folder: Path, events: list[Event], log_text: str) -> None:
    kept = b"".join(path.read_bytes() for path in folder.rglob("*") if path.is_file())
    for said in SAID:
        assert said.encode() not in kept, f"{said!r} is in a file of the assistant's home"
        assert said not in log_text
        assert not any(said in repr(event) for event in events), f"{said!r} was published"


def test_arming_asks_for_the_code_after_yes_and_the_code_arms_it(
    disarmed_alarm_home: tuple[Path, Assistant, list[Event]],
    owner: Owner,
    caplog: pytest.LogCaptureFixture,
) -> None:
    folder, assistant, events = disarmed_alarm_home
    caplog.set_level(logging.DEBUG)
    assert assistant.handle_text("arm the security", "a").reply == (
        "Are you sure you want me to arm the security?"
    )
    asked = assistant.handle_text("yes", "a")
    assert asked.reply == "What's the code for the Security?"
    assert asked.expects_answer and asked.expects_code
    assert owner.state(ALARM)["state"] == "disarmed"  # nothing without the code
    armed = assistant.handle_text("1 2 3 4", "a")
    assert armed.reply.startswith("Done.")
    assert armed.text == MASK and not armed.expects_answer
    assert owner.wait_for(ALARM, lambda s: s["state"] == "armed_away", timeout=20)["state"] == "armed_away"
    texts = [row[0] for row in assistant.store.db.execute("SELECT text FROM turns").fetchall()]
    assert texts == ["arm the security", "yes", MASK]  # the history shows the turn, masked
    assert_kept_nowhere(folder, events, caplog.text)


def test_a_code_said_with_the_request_disarms_without_a_question(
    disarmed_alarm_home: tuple[Path, Assistant, list[Event]],
    owner: Owner,
    caplog: pytest.LogCaptureFixture,
) -> None:
    folder, assistant, events = disarmed_alarm_home
    owner.service("alarm_control_panel", "alarm_arm_home", entity_id=ALARM, code=CODE)
    owner.wait_for(ALARM, lambda s: s["state"] == "armed_home", timeout=20)
    caplog.set_level(logging.DEBUG)  # from here on: the test's own calls above carry the code
    asked = assistant.handle_text("disarm the security, code one two three four", "d")
    assert asked.reply == "Are you sure you want me to disarm the security?"
    assert asked.text == f"disarm the security, code {MASK}"
    assert assistant.handle_text("yes", "d").reply.startswith("Done.")
    assert owner.wait_for(ALARM, lambda s: s["state"] == "disarmed")["state"] == "disarmed"
    assert_kept_nowhere(folder, events, caplog.text)


def test_a_wrong_code_is_refused_with_home_assistant_s_reason_and_not_asked_again(
    disarmed_alarm_home: tuple[Path, Assistant, list[Event]], owner: Owner
) -> None:
    _folder, assistant, _events = disarmed_alarm_home
    assistant.handle_text("arm the security", "w")
    assistant.handle_text("yes", "w")
    refused = assistant.handle_text("nine nine nine nine", "w")
    assert "refused" in refused.reply and "Invalid alarm code" in refused.reply
    assert "try again" in refused.reply
    assert not refused.expects_answer  # no loop of questions
    assert owner.state(ALARM)["state"] == "disarmed"


def test_an_answer_that_is_no_code_leaves_the_alarm(
    disarmed_alarm_home: tuple[Path, Assistant, list[Event]], owner: Owner
) -> None:
    _folder, assistant, _events = disarmed_alarm_home
    assistant.handle_text("arm the security", "n")
    assistant.handle_text("yes", "n")
    reply = assistant.handle_text("banana", "n")
    assert reply.reply == "That didn't sound like a code, so I left it as it is."
    assert not reply.expects_answer
    assert owner.state(ALARM)["state"] == "disarmed"
