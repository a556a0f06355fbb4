"""Failure-point isolation: which stage of a failed turn went wrong first.

Stages, in pipeline order: ``false_wake`` (nobody was talking to it),
``recognition`` (the words were misheard), ``understanding`` (the words were
right, the meaning was not found or was wrong), ``resolution`` (the right
intent, but a slot named nothing known or the wrong thing) and ``result``
(it did what was asked and that still was not what the user wanted, or the
action failed). The signals come from the turn's trace and from what the
user did next, which is often the clearest evidence.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from assistant.learn.rewrites import is_defect
from assistant.learn.similarity import likeness, utterance_key
from assistant.memory import learned
from assistant.memory.store import Store
from assistant.turn import FailureStage, TurnOutcome, TurnResult

STAGES = ("false_wake", "recognition", "understanding", "resolution", "result")

LOW_WAKE_SCORE = 0.5
"""Below this detector score a wake is doubtful."""
LOW_RECOGNITION_CONFIDENCE = 0.55
"""Below this mean word confidence the transcript is doubtful (as the dialogue uses)."""
FOLLOW_UP_SECONDS = 30.0
"""A next request later than this is a new request, not a reaction."""
IMMEDIATE_SECONDS = 10.0

ADVICE = {
    "false_wake": "it often woke up when nobody was talking to it: lower the wake sensitivity "
    "(assistant config set wake_sensitivity 0.4) or choose a longer wake phrase",
    "recognition": "try the Vosk model (assistant models install vosk-small-en), and speak "
    "closer to the microphone",
    "understanding": "teach it the words you use (\u201cwhen I say \u2026, do \u2026\u201d) and review "
    "what it learned (assistant learned list)",
    "resolution": "give your devices and lists the names you say, or add aliases "
    "(\u201clamp means desk lamp\u201d)",
    "result": "an action or plug-in often failed or did the wrong thing: check assistant plugins list "
    "and the log",
}
STAGE_NAMES = {
    "false_wake": "false wakes",
    "recognition": "recognition errors",
    "understanding": "understanding errors",
    "resolution": "name resolution errors",
    "result": "action errors",
}


def _stage_confidence(turn: TurnResult, stage: str, fallback: float | None) -> float | None:
    """A stage's confidence from the trace, else the one the turn's feedback kept (text turns)."""
    record = turn.trace.find(stage)
    if record is not None and record.confidence is not None:
        return float(record.confidence)
    return fallback


def wake_score(turn: TurnResult) -> float | None:
    return _stage_confidence(turn, "wake", turn.feedback.wake_score)


def recognition_confidence(turn: TurnResult) -> float | None:
    asr = turn.feedback.asr
    return _stage_confidence(turn, "asr", asr.confidence if asr is not None else None)


def _action_failed(turn: TurnResult) -> bool:
    record = turn.trace.find("action")
    return (record is not None and not record.ok) or any(not action.ok for action in turn.actions)


def _is_cancel(turn: TurnResult | None) -> bool:
    return turn is not None and turn.intent == "dialogue.cancel"


def _next_request(turn: TurnResult, next_turn: TurnResult | None) -> TurnResult | None:
    """The next turn if it came soon enough to be a reaction to this one."""
    if next_turn is None or next_turn.started_at - turn.started_at > FOLLOW_UP_SECONDS:
        return None
    return next_turn


def _one_word_dropped(heard: str, retry: str) -> bool:
    """The retry is what was heard with one word put back: the recogniser lost a word."""
    short, long = heard.split(), retry.split()
    if len(long) != len(short) + 1:
        return False
    return any(long[:index] + long[index + 1 :] == short for index in range(len(long)))


def label_failure(turn: TurnResult, next_turn: TurnResult | None = None) -> str | None:
    """The first stage that failed in ``turn``, or None when it did not fail.

    ``next_turn`` is what the user did next (if known): an immediate cancel,
    a sound-alike repeat or a differently worded request each point at a
    different stage.
    """
    if not is_defect(turn):
        return None
    reaction = _next_request(turn, next_turn)
    heard = utterance_key(turn.text)
    understood = turn.intent is not None and not turn.intent.startswith("dialogue.")
    wake = wake_score(turn)
    confidence = recognition_confidence(turn)
    cancelled_at_once = (
        _is_cancel(reaction)
        and reaction is not None
        and (reaction.started_at - turn.started_at <= IMMEDIATE_SECONDS)
    )
    tried_again = (
        reaction is not None
        and not (reaction.intent or "").startswith("dialogue.")
        and bool(utterance_key(reaction.text))
    )

    # 1. Nobody was talking to it: nothing (or nonsense) heard, and no retry.
    if not heard and not tried_again:
        return "false_wake"
    doubtful_wake = wake is not None and wake < LOW_WAKE_SCORE
    doubtful_words = confidence is not None and confidence < LOW_RECOGNITION_CONFIDENCE
    if not understood and doubtful_wake and (cancelled_at_once or not tried_again):
        return "false_wake"
    if not understood and cancelled_at_once and doubtful_words:
        return "false_wake"

    # 2. Misheard: nothing heard but the user retried, a doubtful transcript,
    #    or a retry that sounds like the transcript.
    if not heard:
        return "recognition"
    similar = (
        likeness(turn.text, reaction.text, turn.feedback.alternatives)
        if (tried_again and reaction is not None)
        else None
    )
    if similar is not None and similar.sounds_alike:
        return "recognition"
    if tried_again and reaction is not None and _one_word_dropped(heard, utterance_key(reaction.text)):
        return "recognition"
    if doubtful_words:
        return "recognition"

    # 3. Heard right, meaning not found, or the retry meant another intent.
    if not understood:
        return "understanding"
    if turn.failure_stage == "resolution":
        return "resolution"
    if reaction is not None and tried_again and reaction.intent and reaction.intent != turn.intent:
        return "understanding"

    # 4. Right intent, wrong or unknown thing.
    same_intent = reaction is not None and reaction.intent == turn.intent
    if tried_again and same_intent and reaction is not None and reaction.slots != turn.slots:
        return "resolution"

    # 5. The action failed, or did what was asked and that was not it.
    return "result"


def apply_label(turn: TurnResult, next_turn: TurnResult | None = None) -> bool:
    """Write the label into ``turn.failure_stage`` (and mark it failed); True if anything changed."""
    label = label_failure(turn, next_turn)
    before = (turn.failure_stage, turn.outcome)
    if label is not None:
        turn.failure_stage = FailureStage(label)
        if turn.feedback.says_defect or turn.outcome == "failure":
            turn.outcome = TurnOutcome.FAILURE
    return before != (turn.failure_stage, turn.outcome)


# --- the summary ---------------------------------------------------------


@dataclass
class FailureSummary:
    """Failures over a period, per stage, with one piece of advice."""

    days: float
    turns: int
    failures: int
    by_stage: dict[str, int] = field(default_factory=dict)
    main_stage: str | None = None
    advice: str = ""

    @property
    def failure_rate(self) -> float:
        return self.failures / self.turns if self.turns else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "days": self.days,
            "turns": self.turns,
            "failures": self.failures,
            "failure_rate": round(self.failure_rate, 4),
            "by_stage": self.by_stage,
            "main_stage": self.main_stage,
            "advice": self.advice,
        }


def summarize(rows: list[dict[str, Any]], days: float) -> FailureSummary:
    """Count failed turns per stage in light history rows (see ``learned.utterance_rows``)."""
    counts = {stage: 0 for stage in STAGES}
    turns = failures = 0
    for row in rows:
        if (row.get("intent") or "").startswith("dialogue."):
            continue  # "cancel" and "no" are reactions, not requests
        turns += 1
        if row.get("outcome") != "failure":
            continue
        failures += 1
        stage = row.get("failure_stage") or "understanding"
        stage = "false_wake" if stage == "wake" else stage
        counts[stage] = counts.get(stage, 0) + 1
    summary = FailureSummary(days=days, turns=turns, failures=failures, by_stage=counts)
    if failures:
        main = max(STAGES, key=lambda stage: counts.get(stage, 0))
        summary.main_stage = main
        share = counts[main] / failures
        period = "this week" if days == 7 else f"in the last {days:g} days"
        most = "Most" if share > 0.5 else "Many"
        summary.advice = (
            f"{most} of your failures {period} were {STAGE_NAMES[main]} "
            f"({counts[main]} of {failures}): {ADVICE[main]}."
        )
    else:
        summary.advice = "No failures in this period."
    return summary


def failure_summary(store: Store, days: float = 7, now: float | None = None) -> FailureSummary:
    """Failures of the last ``days`` days, per stage, with advice."""
    now = time.time() if now is None else now
    return summarize(learned.utterance_rows(store, now - days * 86400), days)
