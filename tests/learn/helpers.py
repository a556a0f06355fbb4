"""Build turns and history rows the way the dialogue manager would."""

from __future__ import annotations

from typing import Any

from assistant.turn import ActionRecord, StageRecord, TurnFeedback, TurnResult, TurnTrace


def make_turn(
    text: str,
    *,
    at: float = 0.0,
    intent: str | None = None,
    outcome: str = "success",
    slots: dict[str, Any] | None = None,
    source: str = "rules",
    failure_stage: str | None = None,
    feedback: dict[str, Any] | None = None,
    wake: float | None = None,
    asr: float | None = None,
    action_ok: bool | None = None,
    nlu: list[dict[str, Any]] | None = None,
    turn_id: int | None = None,
) -> TurnResult:
    stages = []
    if wake is not None:
        stages.append(StageRecord("wake", confidence=wake))
    if asr is not None:
        stages.append(StageRecord("asr", output=text, confidence=asr))
    if nlu is not None:
        stages.append(StageRecord("nlu", input=text, output=nlu, ok=intent is not None))
    actions = []
    if action_ok is not None and intent:
        stages.append(StageRecord("action", ok=action_ok, error=None if action_ok else "broken"))
        actions.append(ActionRecord(intent, slots or {}, ok=action_ok))
    return TurnResult(
        text=text,
        intent=intent,
        slots=slots or {},
        outcome=outcome,
        source=source,
        failure_stage=failure_stage,
        feedback=TurnFeedback.from_json(feedback or {}),  # given as stored
        trace=TurnTrace(stages),
        actions=actions,
        started_at=at,
        turn_id=turn_id,
    )


def row(
    text: str,
    outcome: str,
    *,
    rephrase_of: str | None = None,
    rephrased: bool = False,
    source: str = "rules",
    rewritten: str | None = None,
    **feedback: Any,
) -> dict[str, Any]:
    """A light history row as ``learned.utterance_rows`` returns it."""
    extra = dict(feedback)
    if rephrase_of:
        extra["rephrase_of_text"] = rephrase_of
    if rephrased:
        extra["rephrased"] = True
    return {
        "id": None,
        "started_at": 0.0,
        "session_id": "s",
        "text": text,
        "rewritten": rewritten,
        "source": source,
        "intent": None,
        "outcome": outcome,
        "failure_stage": None,
        "feedback": TurnFeedback.from_json(extra),
    }
