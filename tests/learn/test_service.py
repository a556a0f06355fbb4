"""Learning from use inside the real assistant, with a fake clock and the example lamp plug-in."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.config import Home
from assistant.core import Assistant, open_assistant
from assistant.events import Event, Notice, SpeakingStopped
from assistant.memory.history import get_turn
from assistant.turn import DefectSignal, TurnResult

ROOT = Path(__file__).resolve().parents[2]
LAMP = "light.desk_lamp"
MONDAY_9AM = time.mktime((2024, 1, 1, 9, 0, 0, 0, 0, -1))


class FakeClock:
    def __init__(self, at: float) -> None:
        self.at = at

    def now(self) -> float:
        return self.at

    def advance(self, seconds: float) -> None:
        self.at += seconds


@pytest.fixture
def lamp_home(home: Home) -> Home:
    shutil.copy(ROOT / "examples" / "desk_lamp_plugin.py", home.plugins_dir / "desk_lamp_plugin.py")
    return home


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(MONDAY_9AM)


@pytest.fixture
def assistant(lamp_home: Home, clock: FakeClock) -> Iterator[Assistant]:
    opened = open_assistant(lamp_home, clock=clock)
    yield opened
    opened.close()


def say(assistant: Assistant, clock: FakeClock, text: str, session: str, after: float = 5.0) -> TurnResult:
    clock.advance(after)
    return assistant.handle_text(text, session)


def rephrase_twice(assistant: Assistant, clock: FakeClock, start: int = 0) -> None:
    """ "lamp please" fails, "turn on the lamp" works; twice is the default evidence needed."""
    for index in range(start, start + assistant.learning.policy.min_support):
        session = f"rephrase-{index}"
        assert say(assistant, clock, "lamp please", session, after=600).outcome == "failure"
        assert say(assistant, clock, "turn on the lamp", session).outcome == "success"
        say(assistant, clock, "turn off the lamp", session, after=60)


# --- rewrites ----------------------------------------------------------------


def test_rephrased_request_is_labelled_and_linked(assistant: Assistant, clock: FakeClock) -> None:
    failed = say(assistant, clock, "lamp please", "s")
    retry = say(assistant, clock, "turn on the lamp", "s")
    assert retry.feedback.rephrase_of == failed.turn_id
    stored = get_turn(assistant.store, failed.turn_id or 0)
    assert stored is not None and DefectSignal.REPHRASED in stored.feedback.signals
    assert (stored.outcome, stored.failure_stage) == ("failure", "understanding")


def test_repeated_rephrase_teaches_a_rewrite_used_after_restart(
    assistant: Assistant, lamp_home: Home, clock: FakeClock
) -> None:
    rephrase_twice(assistant, clock)
    trusted = assistant.learning.rewrites("trusted")
    assert [(r.source_text, r.target_text) for r in trusted] == [("lamp please", "turn on the lamp")]
    assistant.close()

    again = open_assistant(lamp_home, clock=clock)
    try:
        turn = say(again, clock, "lamp please", "new", after=3600)
        assert (turn.intent, turn.outcome) == ("lamp.turn_on", "success")
        assert turn.feedback.rewrite_id == again.learning.rewrites()[0].id
        assert turn.rewritten == "turn on the lamp"
        assert again.learning.rewrites()[0].successes == 1
        why = say(again, clock, "why did you do that", "new")
        assert "turn on the lamp" in why.reply and "rephrased" in why.reply
    finally:
        again.close()


def test_rejected_rewrite_stays_rejected(assistant: Assistant, clock: FakeClock) -> None:
    rephrase_twice(assistant, clock)
    rewrite = assistant.learning.rewrites("trusted")[0]
    assistant.learning.reject_rewrite(rewrite.id)
    rephrase_twice(assistant, clock, start=3)
    rephrase_twice(assistant, clock, start=6)
    assert [r.status for r in assistant.learning.rewrites()] == ["rejected"]
    assert say(assistant, clock, "lamp please", "later", after=600).outcome == "failure"


def test_undo_and_confirm(assistant: Assistant, clock: FakeClock) -> None:
    rephrase_twice(assistant, clock)
    rewrite = assistant.learning.rewrites("trusted")[0]
    assert assistant.learning.undo_rewrite(rewrite.id).status == "candidate"
    assert say(assistant, clock, "lamp please", "later", after=600).feedback.rewrite_id is None
    assert assistant.learning.confirm_rewrite(rewrite.id).status == "confirmed"
    assert say(assistant, clock, "lamp please", "later2", after=600).feedback.rewrite_id is not None


def test_voice_lists_and_forgets_what_was_learned(assistant: Assistant, clock: FakeClock) -> None:
    rephrase_twice(assistant, clock)
    listed = say(assistant, clock, "what have you learned", "v")
    assert "lamp please" in listed.reply
    forgot = say(assistant, clock, "forget what you learned about lamp please", "v")
    assert forgot.intent == "learning.forget" and "forgot" in forgot.reply
    assert [r.status for r in assistant.learning.rewrites()] == ["rejected"]


# --- implicit feedback ---------------------------------------------------------


def test_barge_in_is_recorded_on_the_last_turn(assistant: Assistant, clock: FakeClock) -> None:
    turn = say(assistant, clock, "what time is it", "s")
    assistant.bus.publish(SpeakingStopped(interrupted=True))
    stored = get_turn(assistant.store, turn.turn_id or 0)
    assert stored is not None and DefectSignal.BARGE_IN in stored.feedback.signals


# --- routines -------------------------------------------------------------------


def focus_morning(assistant: Assistant, clock: FakeClock, day: int) -> tuple[TurnResult, str]:
    clock.at = MONDAY_9AM + day * 86400
    session = f"day-{day}"
    say(assistant, clock, "set the desk lamp to 100 percent", session)
    return say(assistant, clock, "set a timer for 25 minutes", session, after=60), session


def test_routine_offered_after_three_days_and_created_on_acceptance(
    assistant: Assistant, clock: FakeClock
) -> None:
    for day in range(2):
        turn, _ = focus_morning(assistant, clock, day)
        assert not turn.notices
    turn, session = focus_morning(assistant, clock, 2)
    assert turn.notices and turn.notices[0].startswith(
        "You often set the desk lamp to 100 percent and set a timer for 25 minutes together."
    )
    answer = say(assistant, clock, "call it focus time", session)
    assert answer.intent == "learning.routine_created", answer.reply
    assistant.devices.change(LAMP, {"on": False, "brightness": 10})
    ran = say(assistant, clock, "focus time", "after", after=3600)
    assert ran.outcome == "success", ran.reply
    lamp = assistant.devices.get(LAMP)
    assert lamp is not None and lamp.state["brightness"] == 100


def test_declined_routine_is_never_offered_again(assistant: Assistant, clock: FakeClock) -> None:
    for day in range(2):
        focus_morning(assistant, clock, day)
    turn, session = focus_morning(assistant, clock, 2)
    assert turn.notices
    assert say(assistant, clock, "no thanks", session).intent == "learning.offer_declined"
    for day in range(3, 6):
        turn, _ = focus_morning(assistant, clock, day)
        assert not any(notice.startswith("You often") for notice in turn.notices)


# --- follow-up suggestions --------------------------------------------------------


def test_suggestions_stop_after_declines(assistant: Assistant, clock: FakeClock) -> None:
    assistant.learning.offer_routines = False
    for index in range(3):
        say(assistant, clock, "set the desk lamp to 100 percent", f"habit-{index}", after=3600)
        say(assistant, clock, "set a timer for 25 minutes", f"habit-{index}", after=30)
    offered = []
    for index in range(4):
        session = f"try-{index}"
        turn = say(assistant, clock, "set the desk lamp to 100 percent", session, after=3600)
        offered.append(bool(turn.notices))
        if turn.notices:
            assert turn.notices[0] == "Want me to set a timer for 25 minutes too?"
            assert say(assistant, clock, "no", session).intent == "learning.offer_declined"
    assert offered == [True, True, False, False]


def test_accepted_suggestion_runs_the_action(assistant: Assistant, clock: FakeClock) -> None:
    assistant.learning.offer_routines = False
    for index in range(3):
        say(assistant, clock, "set the desk lamp to 100 percent", f"habit-{index}", after=3600)
        say(assistant, clock, "set a timer for 25 minutes", f"habit-{index}", after=30)
    turn = say(assistant, clock, "set the desk lamp to 100 percent", "yes", after=3600)
    assert turn.notices
    accepted = say(assistant, clock, "yes please", "yes")
    assert (accepted.intent, accepted.outcome) == ("timer.set", "success")
    again = say(assistant, clock, "set the desk lamp to 100 percent", "yes", after=30)
    assert not again.notices  # at most one suggestion per session


# --- hunches ----------------------------------------------------------------------


def evenings_with_the_lamp(assistant: Assistant, clock: FakeClock, days: int = 10) -> None:
    """The lamp goes on at 18:00 and off at 22:30 every day."""
    for day in range(days):
        clock.at = MONDAY_9AM + day * 86400 + 9 * 3600
        assistant.devices.change(LAMP, {"on": True})
        clock.advance(4.5 * 3600)
        assistant.devices.change(LAMP, {"on": False})


def test_hunch_for_a_lamp_left_on_at_one_in_the_morning(assistant: Assistant, clock: FakeClock) -> None:
    evenings_with_the_lamp(assistant, clock)
    notices: list[Event] = []
    assistant.bus.subscribe(lambda event: notices.append(event) if isinstance(event, Notice) else None)
    clock.at = MONDAY_9AM + 10 * 86400 + 15 * 3600  # 00:00 after ten evenings
    assistant.devices.change(LAMP, {"on": True})
    clock.advance(3600)

    assert assistant.learning.check_hunches() == []  # quiet hours: no unprompted remark
    assert notices == []
    turn = say(assistant, clock, "what time is it", "night")
    assert "The desk lamp is still on. It's usually off by 10:30 p.m." in turn.notices
    answer = say(assistant, clock, "yes", "night")
    assert answer.intent == "learning.hunch_fixed"
    lamp = assistant.devices.get(LAMP)
    assert lamp is not None and lamp.state["on"] is False


def test_hunch_outside_quiet_hours_is_a_notice_and_fixed_when_allowed(
    assistant: Assistant, clock: FakeClock
) -> None:
    assistant.settings.quiet_hours = ""
    evenings_with_the_lamp(assistant, clock)
    notices: list[Event] = []
    assistant.bus.subscribe(lambda event: notices.append(event) if isinstance(event, Notice) else None)
    clock.at = MONDAY_9AM + 10 * 86400 + 16 * 3600
    assistant.devices.change(LAMP, {"on": True})
    assistant.learning.allow_fixes(LAMP)
    hunches = assistant.learning.check_hunches()
    assert [h.fixed for h in hunches] == [True]
    assert [getattr(n, "text", "") for n in notices] == [hunches[0].message]
    assert hunches[0].message.startswith("I turned the desk lamp off")
    assert assistant.learning.check_hunches() == []  # said once per state


def test_usual_state_gives_no_hunch(assistant: Assistant, clock: FakeClock) -> None:
    evenings_with_the_lamp(assistant, clock)
    clock.at = MONDAY_9AM + 10 * 86400 + 10 * 3600  # 19:00
    assistant.devices.change(LAMP, {"on": True})
    assert assistant.learning.check_hunches(prompted=True) == []


# --- failures ----------------------------------------------------------------------


def test_failure_summary_counts_labelled_failures(assistant: Assistant, clock: FakeClock) -> None:
    say(assistant, clock, "lamp please", "s")
    say(assistant, clock, "turn on the lamp", "s")
    say(assistant, clock, "frobnicate the wibble", "s", after=120)
    summary = assistant.learning.failure_summary(days=7)
    assert summary.failures == 2 and summary.by_stage["understanding"] == 2
    assert summary.advice.startswith("Most of your failures this week were understanding errors")


def test_why_after_a_taught_command_says_it_was_taught(assistant: Assistant, clock: FakeClock) -> None:
    assistant.teaching.save_command("lights up", ["lights up"], ["turn on the lamp"], source="test")
    done = say(assistant, clock, "lights up", "taught")
    assert (done.intent or "").startswith("custom.")
    why = say(assistant, clock, "why did you do that", "taught")
    assert "a command you taught me" in why.reply


def test_why_after_conversation_words_quotes_the_reply_not_an_intent_name(
    assistant: Assistant, clock: FakeClock
) -> None:
    say(assistant, clock, "set a timer for 5 minutes", "undo")
    say(assistant, clock, "scratch that", "undo")
    why = say(assistant, clock, "why did you do that", "undo").reply
    assert "dialogue." not in why and "question" not in why  # nothing had been asked
    assert "\u201cOK, I cancelled the 5-minute timer\u201d" in why
