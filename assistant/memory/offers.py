"""Offers the assistant made, and what the user answered, in the ``offers`` table.

Generic memory for "I offered X about Y": teachable moments use the kind
``teach`` with the phrase as key; the learning code uses its own kinds
(suggestions, routines, hunches). An offer declined is never made again
unless the caller asks for it.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

from assistant.memory import import_fields as fields
from assistant.memory.store import Store

OFFERED = "offered"
ACCEPTED = "accepted"
DECLINED = "declined"


@dataclass
class Offer:
    """One thing offered, how often, and the last answer."""

    id: int
    kind: str
    key: str
    status: str
    """offered (no answer yet), accepted or declined: the last answer."""
    offered: int = 0
    accepted: int = 0
    declined: int = 0
    last_at: float = 0.0
    data: dict[str, Any] = field(default_factory=dict)


def _to_offer(row: dict[str, Any]) -> Offer:
    return Offer(
        id=int(row["id"]),
        kind=row["kind"],
        key=row["key"],
        status=row["status"] or OFFERED,
        offered=int(row["offered"] or 0),
        accepted=int(row["accepted"] or 0),
        declined=int(row["declined"] or 0),
        last_at=float(row["last_at"] or 0.0),
        data=json.loads(row["data_json"] or "{}"),
    )


class OfferRepository:
    """Remember offers and answers; every SQL statement about offers is here."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def get(self, kind: str, key: str) -> Offer | None:
        rows = list(self.store.db.table("offers").rows_where("kind = ? and key = ?", [kind, key]))
        return _to_offer(rows[0]) if rows else None

    def all(self, kind: str | None = None) -> list[Offer]:
        where, params = ("kind = ?", [kind]) if kind else (None, None)
        return [
            _to_offer(row) for row in self.store.db.table("offers").rows_where(where, params, order_by="id")
        ]

    def export_rows(self) -> list[dict[str, Any]]:
        """Every offer as the export writes it, oldest first (the columns as stored)."""
        return [
            {
                "kind": row["kind"],
                "key": row["key"],
                "status": row["status"],
                "offered": row["offered"],
                "accepted": row["accepted"],
                "declined": row["declined"],
                "last_at": row["last_at"],
                "data": json.loads(row["data_json"] or "{}"),
            }
            for row in self.store.db.query("select * from offers order by id")
        ]

    def check_import(self, item: dict[str, Any], *, now: float, seen: set[str]) -> fields.Planned:
        """One offer of an export (raises ValueError); one already stored keeps its answers."""
        kind, key = fields.text(item, "kind", longest=100), fields.text(item, "key", longest=1000)
        fields.once(seen, f"{kind}/{key}")
        data = item.get("data") or {}
        if not isinstance(data, dict):
            raise ValueError(f"'data' must be an object in {fields.shown(item)}")
        row = {
            "kind": kind,
            "key": key,
            "status": fields.choice(item, "status", (OFFERED, ACCEPTED, DECLINED), OFFERED),
            "offered": fields.count(item, "offered"),
            "accepted": fields.count(item, "accepted"),
            "declined": fields.count(item, "declined"),
            "last_at": fields.moment(item, "last_at", now),
            "data_json": json.dumps(data),
        }
        if self.store.db.execute("select 1 from offers where kind = ? and key = ?", [kind, key]).fetchone():
            return fields.Planned("unchanged")

        def write() -> None:
            with self.store.transaction() as db:
                db.table("offers").insert(row)

        return fields.Planned("added", write)

    def may_offer(self, kind: str, key: str, max_times: int = 1) -> bool:
        """True unless it was declined, or already offered ``max_times`` times."""
        offer = self.get(kind, key)
        if offer is None:
            return True
        return offer.status != DECLINED and offer.offered < max_times

    def was_declined(self, kind: str, key: str) -> bool:
        offer = self.get(kind, key)
        return offer is not None and offer.status == DECLINED

    def offered(
        self,
        kind: str,
        key: str,
        data: dict[str, Any] | None = None,
        *,
        now: float | None = None,
        keep_answer: bool = False,
    ) -> Offer:
        """Note that the offer was made (again).

        With ``keep_answer`` (the learning code) the last answer stays the
        status and ``data`` is merged into what was stored; otherwise the
        status goes back to offered and ``data`` replaces the stored data.
        """
        status = None if keep_answer else OFFERED
        return self._bump(kind, key, "offered", status, data, now, merge_data=keep_answer)

    def accepted(self, kind: str, key: str, *, now: float | None = None) -> Offer:
        return self._bump(kind, key, "accepted", ACCEPTED, None, now)

    def declined(self, kind: str, key: str, *, now: float | None = None) -> Offer:
        return self._bump(kind, key, "declined", DECLINED, None, now)

    def answered(self, kind: str, key: str, accepted: bool, *, now: float | None = None) -> Offer | None:
        """Record the answer to an offer made earlier; None (and nothing stored) if it never was."""
        with self.store.transaction():
            if self.get(kind, key) is None:
                return None
            return self.accepted(kind, key, now=now) if accepted else self.declined(kind, key, now=now)

    def forget(self, kind: str, key: str) -> bool:
        with self.store.transaction() as db:
            cursor = db.execute("DELETE FROM offers WHERE kind = ? AND key = ?", [kind, key])
            return cursor.rowcount > 0

    def _bump(
        self,
        kind: str,
        key: str,
        column: str,
        status: str | None,
        data: dict[str, Any] | None,
        now: float | None,
        *,
        merge_data: bool = False,
    ) -> Offer:
        """Count one more ``column``; ``status`` None keeps the stored one (offered for a new row)."""
        at = time.time() if now is None else now
        with self.store.transaction() as db:
            existing = self.get(kind, key)
            if existing is None:
                db.table("offers").insert(
                    {
                        "kind": kind,
                        "key": key,
                        "status": status or OFFERED,
                        "offered": 0,
                        "accepted": 0,
                        "declined": 0,
                        "last_at": at,
                        "data_json": json.dumps(data or {}, default=str),
                    }
                )
            elif merge_data and data is not None:
                data = {**existing.data, **data}
            assignments = f"{column} = coalesce({column}, 0) + 1, last_at = ?"
            params: list[Any] = [at]
            if status is not None:
                assignments += ", status = ?"
                params.append(status)
            if data is not None:
                assignments += ", data_json = ?"
                params.append(json.dumps(data, default=str))
            db.execute(f"UPDATE offers SET {assignments} WHERE kind = ? AND key = ?", params + [kind, key])
            found = self.get(kind, key)
        if found is None:
            raise RuntimeError(f"the offer {kind}/{key} vanished while it was written")
        return found
