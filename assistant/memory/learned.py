"""Storage for what the assistant learns from use.

Rewrites, device state history and the reads of stored turns the learning
code needs. Offers (routines and follow-up suggestions the user accepted or
declined) live in ``assistant.memory.offers``, small learning settings in
``assistant.memory.kv``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from assistant.memory import import_fields as fields
from assistant.memory.history import row_to_turn
from assistant.memory.store import Store
from assistant.turn import TurnFeedback, TurnResult

REWRITE_STATUSES = ("candidate", "trusted", "confirmed", "rejected")
"""candidate: seen, not used yet; trusted: learned and applied; confirmed: the
user said keep it; rejected: the user said never (it is never learned again)."""


@dataclass
class Rewrite:
    """A learned rewording: when the user says ``source_text``, understand ``target_text``."""

    id: int
    source_text: str
    target_text: str
    status: str = "candidate"
    successes: int = 0
    """Times the rewrite was applied and the turn went well."""
    failures: int = 0
    """Times the rewrite was applied and the user cancelled, said no or rephrased."""
    probability: float = 0.0
    """P(success | the user goes on to say ``target_text``), from the Markov chain."""
    evidence: dict[str, Any] = field(default_factory=dict)
    """Support counts and the numbers behind the last decision."""
    created_at: float = 0.0
    updated_at: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source_text,
            "target": self.target_text,
            "status": self.status,
            "successes": self.successes,
            "failures": self.failures,
            "probability": round(self.probability, 4),
            "evidence": self.evidence,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }


def _rewrite(row: dict[str, Any]) -> Rewrite:
    return Rewrite(
        id=row["id"],
        source_text=row["source_text"],
        target_text=row["target_text"],
        status=row["status"],
        successes=row["successes"] or 0,
        failures=row["failures"] or 0,
        probability=row["probability"] or 0.0,
        evidence=json.loads(row["evidence_json"] or "{}"),
        created_at=row["created_at"] or 0.0,
        updated_at=row["updated_at"] or 0.0,
    )


def list_rewrites(store: Store, status: str | None = None) -> list[Rewrite]:
    """All rewrites (or those with ``status``), oldest first."""
    where, params = (None, None) if status is None else ("status = ?", [status])
    return [_rewrite(row) for row in store.db["rewrites"].rows_where(where, params, order_by="id")]


def get_rewrite(store: Store, rewrite_id: int) -> Rewrite | None:
    rows = list(store.db["rewrites"].rows_where("id = ?", [rewrite_id]))
    return _rewrite(rows[0]) if rows else None


def find_rewrite(store: Store, source_text: str, target_text: str) -> Rewrite | None:
    rows = list(
        store.db["rewrites"].rows_where("source_text = ? and target_text = ?", [source_text, target_text])
    )
    return _rewrite(rows[0]) if rows else None


def active_rewrite(store: Store, source_text: str) -> Rewrite | None:
    """The rewrite to apply to ``source_text``: confirmed before trusted, best first."""
    rows = store.db["rewrites"].rows_where(
        "source_text = ? and status in ('trusted', 'confirmed')",
        [source_text],
        order_by="status = 'confirmed' desc, probability desc",
        limit=1,
    )
    found = [_rewrite(row) for row in rows]
    return found[0] if found else None


def save_rewrite(store: Store, rewrite: Rewrite) -> Rewrite:
    """Insert or update by (source, target); sets ``rewrite.id``."""
    row = {
        "source_text": rewrite.source_text,
        "target_text": rewrite.target_text,
        "status": rewrite.status,
        "successes": rewrite.successes,
        "failures": rewrite.failures,
        "probability": rewrite.probability,
        "evidence_json": json.dumps(rewrite.evidence),
        "created_at": rewrite.created_at,
        "updated_at": rewrite.updated_at,
    }
    with store.transaction() as db:
        existing = find_rewrite(store, rewrite.source_text, rewrite.target_text)
        if existing is None:
            rewrite.id = int(db.table("rewrites").insert(row).last_pk or 0)
        else:
            row["created_at"] = existing.created_at
            db.table("rewrites").update(existing.id, row)
            rewrite.id = existing.id
    return rewrite


def delete_rewrite(store: Store, rewrite_id: int) -> None:
    with store.transaction() as db:
        db.table("rewrites").delete_where("id = ?", [rewrite_id])


def export_rewrites(store: Store) -> list[dict[str, Any]]:
    """Every rewrite as the export writes it, oldest first (the evidence as stored)."""
    return [
        {
            "source_text": row["source_text"],
            "target_text": row["target_text"],
            "status": row["status"],
            "successes": row["successes"],
            "failures": row["failures"],
            "probability": row["probability"],
            "evidence": json.loads(row["evidence_json"] or "null"),
            "created_at": row["created_at"],
            "updated_at": row["updated_at"],
        }
        for row in store.db.query("select * from rewrites order by id")
    ]


def check_rewrite_import(store: Store, item: dict[str, Any], *, now: float, seen: set[str]) -> fields.Planned:
    """One rewrite of an export (raises ValueError); one already learned stays as it is."""
    source_text = fields.text(item, "source_text", longest=1000)
    target_text = fields.text(item, "target_text", longest=1000)
    fields.once(seen, f"{source_text} -> {target_text}")
    probability = fields.number(item, "probability", 0.0)
    if not 0.0 <= probability <= 1.0:
        raise ValueError(f"'probability' must be from 0 to 1 in {fields.shown(item)}")
    row = {
        "source_text": source_text,
        "target_text": target_text,
        "status": fields.choice(item, "status", REWRITE_STATUSES, "candidate"),
        "successes": fields.count(item, "successes"),
        "failures": fields.count(item, "failures"),
        "probability": probability,
        "evidence_json": json.dumps(item.get("evidence")),
        "created_at": fields.moment(item, "created_at", now),
        "updated_at": fields.moment(item, "updated_at", now),
    }
    if store.db.execute(
        "select 1 from rewrites where source_text = ? and target_text = ?", [source_text, target_text]
    ).fetchone():
        return fields.Planned("unchanged")

    def write() -> None:
        with store.transaction() as db:
            db.table("rewrites").insert(row)

    return fields.Planned("added", write)


# --- device states -----------------------------------------------------


def record_device_state(store: Store, device_id: str, state: dict[str, Any], at: float) -> None:
    with store.transaction() as db:
        row = {"device_id": device_id, "state_json": json.dumps(state, default=str), "at": at}
        db.table("device_states").insert(row)


def device_history(store: Store, device_id: str, since: float) -> list[tuple[float, dict[str, Any]]]:
    """(time, state) from ``since`` on, oldest first, plus the last state before ``since``."""
    before = list(
        store.db["device_states"].rows_where(
            "device_id = ? and at < ?", [device_id, since], order_by="at desc", limit=1
        )
    )
    after = store.db["device_states"].rows_where(
        "device_id = ? and at >= ?", [device_id, since], order_by="at"
    )
    return [(row["at"], json.loads(row["state_json"] or "{}")) for row in [*before, *after]]


def last_device_state(store: Store, device_id: str) -> tuple[float, dict[str, Any]] | None:
    rows = list(
        store.db["device_states"].rows_where("device_id = ?", [device_id], order_by="at desc", limit=1)
    )
    return (rows[0]["at"], json.loads(rows[0]["state_json"] or "{}")) if rows else None


# --- turns, as the learning code reads them ----------------------------


def turns_since(store: Store, since: float, limit: int = 20_000) -> list[TurnResult]:
    """Stored turns from ``since`` on, oldest first (at most ``limit``, the newest)."""
    rows = list(
        store.db["turns"].rows_where(
            "started_at >= ?", [since], order_by="started_at desc, id desc", limit=limit
        )
    )
    rows.reverse()
    return [row_to_turn(row) for row in rows]


def turns_by_text(store: Store, texts: list[str], since: float) -> list[TurnResult]:
    """Stored turns whose said text is one of ``texts``, oldest first."""
    if not texts:
        return []
    marks = ", ".join("?" for _ in texts)
    rows = store.db["turns"].rows_where(
        f"started_at >= ? and lower(text) in ({marks})", [since, *texts], order_by="started_at, id"
    )
    return [row_to_turn(row) for row in rows]


def utterance_rows(store: Store, since: float, limit: int | None = None) -> list[dict[str, Any]]:
    """Light rows (no trace) of turns from ``since`` on, oldest first, for the chain and summaries;
    with ``limit``, only the newest that many."""
    rows = store.db.execute(
        "select id, started_at, session_id, text, rewritten, source, intent, outcome, failure_stage, "
        "feedback_json "
        "from turns where started_at >= ? order by started_at desc, id desc limit ?",
        [since, -1 if limit is None else limit],
    ).fetchall()
    rows.reverse()
    names = (
        "id",
        "started_at",
        "session_id",
        "text",
        "rewritten",
        "source",
        "intent",
        "outcome",
        "failure_stage",
    )
    result = []
    for row in rows:
        item = dict(zip(names, row[:9], strict=False))
        item["feedback"] = TurnFeedback.from_json(json.loads(row[9] or "{}"))
        result.append(item)
    return result


def action_rows(store: Store, since: float) -> list[dict[str, Any]]:
    """Successful turns that did something, oldest first: (id, started_at, text, intent, slots, source)."""
    rows = store.db.execute(
        "select id, started_at, session_id, coalesce(rewritten, text), intent, slots_json, source "
        "from turns where started_at >= ? and outcome = 'success' and intent is not null "
        "order by started_at, id",
        [since],
    ).fetchall()
    return [
        {
            "id": row[0],
            "started_at": row[1],
            "session_id": row[2],
            "text": row[3],
            "intent": row[4],
            "slots": json.loads(row[5] or "{}"),
            "source": row[6],
        }
        for row in rows
    ]
