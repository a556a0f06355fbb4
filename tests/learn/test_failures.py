"""Failure-point labels on constructed traces, and the weekly summary."""

from __future__ import annotations

from pathlib import Path

from assistant.learn.failures import apply_label, failure_summary, label_failure
from assistant.memory.history import record_turn
from assistant.memory.store import Store
from assistant.turn import TurnResult
from tests.learn.helpers import make_turn


def cancel(at: float) -> TurnResult:
    return make_turn("cancel", at=at, intent="dialogue.cancel", source="dialogue")


def test_success_has_no_label() -> None:
    assert label_failure(make_turn("what time is it", intent="time.now")) is None


def test_empty_transcript_then_cancel_is_a_false_wake() -> None:
    turn = make_turn("", at=0, outcome="failure", wake=0.9, asr=0.2)
    assert label_failure(turn, cancel(3)) == "false_wake"


def test_low_wake_score_with_nonsense_and_no_retry_is_a_false_wake() -> None:
    turn = make_turn("so i told him", at=0, outcome="failure", wake=0.3, asr=0.7)
    assert label_failure(turn, None) == "false_wake"


def test_empty_transcript_then_a_retry_is_a_recognition_error() -> None:
    turn = make_turn("", at=0, outcome="failure", wake=0.9)
    retry = make_turn("what time is it", at=4, intent="time.now")
    assert label_failure(turn, retry) == "recognition"


def test_sound_alike_retry_is_a_recognition_error() -> None:
    turn = make_turn(
        "turn on the lump", at=0, intent="light.on", outcome="failure", failure_stage="resolution", asr=0.8
    )
    retry = make_turn("turn on the lamp", at=5, intent="light.on", slots={"device": "desk lamp"})
    assert label_failure(turn, retry) == "recognition"


def test_low_recognition_confidence_is_a_recognition_error() -> None:
    turn = make_turn("sat a tamer", at=0, outcome="failure", asr=0.3, wake=0.9)
    retry = make_turn("set a timer for 5 minutes", at=6, intent="timer.set")
    assert label_failure(turn, retry) == "recognition"


def test_confident_words_not_understood_is_an_understanding_error() -> None:
    turn = make_turn("lamp please", at=0, outcome="failure", asr=0.95, wake=0.9)
    retry = make_turn("turn on the desk lamp", at=5, intent="light.on")
    assert label_failure(turn, retry) == "understanding"


def test_wrong_intent_contradicted_is_an_understanding_error() -> None:
    turn = make_turn("play some light music", at=0, intent="light.on", feedback={"negated": True})
    retry = make_turn("play relaxing music", at=8, intent="media.play")
    assert label_failure(turn, retry) == "understanding"


def test_unresolved_slot_is_a_resolution_error() -> None:
    turn = make_turn(
        "turn on the studio light",
        at=0,
        intent="light.on",
        outcome="failure",
        failure_stage="resolution",
        asr=0.95,
    )
    assert label_failure(turn, None) == "resolution"


def test_same_intent_other_thing_after_no_is_a_resolution_error() -> None:
    turn = make_turn(
        "turn on the light",
        at=0,
        intent="light.on",
        slots={"device": "ceiling light"},
        feedback={"negated": True},
    )
    retry = make_turn("turn on the desk lamp", at=6, intent="light.on", slots={"device": "desk lamp"})
    assert label_failure(turn, retry) == "resolution"


def test_failed_action_is_a_result_error() -> None:
    turn = make_turn(
        "turn on the lamp",
        at=0,
        intent="light.on",
        outcome="failure",
        failure_stage="result",
        action_ok=False,
    )
    assert label_failure(turn, None) == "result"


def test_immediate_cancel_of_a_done_action_is_a_result_error() -> None:
    turn = make_turn("set a timer for 5 minutes", at=0, intent="timer.set", feedback={"cancelled": True})
    assert label_failure(turn, cancel(2)) == "result"


def test_apply_label_marks_contradicted_turn_failed() -> None:
    turn = make_turn("play some light music", at=0, intent="light.on", feedback={"negated": True})
    assert apply_label(turn, make_turn("play relaxing music", at=8, intent="media.play"))
    assert (turn.outcome, turn.failure_stage) == ("failure", "understanding")


def test_summary_gives_advice_for_the_main_stage(tmp_path: Path) -> None:
    store = Store(tmp_path / "assistant.db")
    now = 10 * 86400.0
    for index in range(5):
        failed = make_turn("x", at=now - 3600 * index, outcome="failure", failure_stage="recognition")
        record_turn(store, failed)
    record_turn(store, make_turn("y", at=now - 100, outcome="failure", failure_stage="understanding"))
    record_turn(store, make_turn("z", at=now - 50, intent="time.now"))
    record_turn(store, make_turn("old", at=now - 30 * 86400, outcome="failure", failure_stage="result"))
    summary = failure_summary(store, days=7, now=now)
    assert summary.turns == 7 and summary.failures == 6
    assert summary.by_stage["recognition"] == 5 and summary.by_stage["result"] == 0
    assert summary.advice.startswith("Most of your failures this week were recognition errors")
    assert "vosk-small-en" in summary.advice


def test_retry_with_a_lost_word_put_back_is_a_recognition_error() -> None:
    turn = make_turn("set a for 4 minutes", at=0, outcome="failure", asr=0.8)
    retry = make_turn("set a timer for 4 minutes", at=5, intent="timer.set")
    assert label_failure(turn, retry) == "recognition"
