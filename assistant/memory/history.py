"""Past turns: every request with its trace, for History and for learning."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from assistant.memory.store import Store
from assistant.turn import (
    ActionRecord,
    FailureStage,
    TurnFeedback,
    TurnOutcome,
    TurnResult,
    TurnSource,
    TurnTrace,
)


def _dumps(value: Any) -> str:
    return json.dumps(value, default=str)


def record_turn(store: Store, turn: TurnResult) -> int:
    """Store a finished turn; sets and returns ``turn.turn_id``."""
    row = {
        "session_id": turn.session_id,
        "started_at": turn.started_at,
        "text": turn.text,
        "rewritten": turn.rewritten,
        "intent": turn.intent,
        "slots_json": _dumps(turn.slots),
        "confidence": turn.confidence,
        "source": turn.source,
        "reply": turn.reply,
        "outcome": turn.outcome,
        "failure_stage": turn.failure_stage,
        "actions_json": _dumps([asdict(action) for action in turn.actions]),
        "trace_json": _dumps(turn.trace.to_list()),
        "feedback_json": _dumps(turn.feedback.to_json()),
    }
    with store.transaction() as db:
        turn.turn_id = int(db.table("turns").insert(row).last_pk or 0)
    return turn.turn_id


def update_turn(store: Store, turn: TurnResult) -> None:
    """Rewrite a stored turn after later evidence changed its outcome or feedback."""
    if turn.turn_id is None:
        return
    with store.transaction() as db:
        db.table("turns").update(
            turn.turn_id,
            {
                "outcome": turn.outcome,
                "failure_stage": turn.failure_stage,
                "feedback_json": _dumps(turn.feedback.to_json()),
            },
        )


def row_to_turn(row: dict[str, Any]) -> TurnResult:
    turn = TurnResult(
        text=row["text"] or "",
        reply=row["reply"] or "",
        intent=row["intent"],
        slots=json.loads(row["slots_json"] or "{}"),
        confidence=row["confidence"] or 0.0,
        source=TurnSource.read(row["source"]),
        actions=[ActionRecord(**item) for item in json.loads(row["actions_json"] or "[]")],
        trace=TurnTrace.from_list(json.loads(row["trace_json"] or "[]")),
        outcome=TurnOutcome(row["outcome"] or "unknown"),
        failure_stage=FailureStage(row["failure_stage"]) if row["failure_stage"] else None,
        feedback=TurnFeedback.from_json(json.loads(row["feedback_json"] or "{}")),
        turn_id=row["id"],
        rewritten=row["rewritten"],
        started_at=row["started_at"] or 0.0,
        session_id=row["session_id"] or "",
    )
    return turn


def recent_turns(store: Store, limit: int = 200, search: str | None = None) -> list[TurnResult]:
    """Newest first; ``search`` filters on what was said or replied."""
    where, params = None, None
    if search:
        where, params = "text like :q or reply like :q or intent like :q", {"q": f"%{search}%"}
    rows = store.db.table("turns").rows_where(where, params, order_by="id desc", limit=limit)
    return [row_to_turn(row) for row in rows]


def get_turn(store: Store, turn_id: int) -> TurnResult | None:
    rows = list(store.db.table("turns").rows_where("id = ?", [turn_id]))
    return row_to_turn(rows[0]) if rows else None
