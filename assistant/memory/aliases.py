"""Aliases in the ``aliases`` table: a phrase that means another request."""

from __future__ import annotations

import time
from typing import Any

from assistant.memory import import_fields as fields
from assistant.memory.changes import record_change, snapshot
from assistant.memory.store import Store
from assistant.memory.teaching_records import Alias

TABLE = "aliases"


def _to_alias(row: dict[str, Any]) -> Alias:
    return Alias(
        id=int(row["id"]),
        phrase=row["phrase"],
        target=row["target"],
        source=row["source"] or "ui",
        created_at=float(row["created_at"] or 0.0),
    )


class AliasRepository:
    """Read and change aliases; every SQL statement about aliases is here."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def all(self) -> list[Alias]:
        return [_to_alias(row) for row in self.store.db.table(TABLE).rows_where(order_by="phrase")]

    def get(self, phrase: str) -> Alias | None:
        rows = list(self.store.db.table(TABLE).rows_where("phrase = ?", [phrase]))
        return _to_alias(rows[0]) if rows else None

    def export_rows(self) -> list[dict[str, Any]]:
        return [
            {"phrase": a.phrase, "target": a.target, "source": a.source, "created_at": a.created_at}
            for a in self.all()
        ]

    def check_import(self, item: dict[str, Any], *, now: float, seen: set[str]) -> fields.Planned:
        """One alias of an export, checked against the stored one (raises ValueError)."""
        phrase, target = fields.text(item, "phrase", longest=1000), fields.text(item, "target", longest=1000)
        source = fields.optional_text(item, "source", "import", longest=100) or "import"
        fields.moment(item, "created_at", now)
        fields.once(seen, phrase)
        stored = self.get(phrase)
        return fields.against(
            TABLE,
            phrase,
            None if stored is None else stored.target,
            target,
            lambda: self.save(phrase, target, source, now=now),
        )

    def save(self, phrase: str, target: str, source: str = "ui", *, now: float | None = None) -> Alias:
        """Create the alias, or point an existing phrase at a new target."""
        at = time.time() if now is None else now
        with self.store.transaction() as db:
            before = snapshot(db, TABLE, "phrase = ?", [phrase])
            if before:
                db.table(TABLE).update(before[TABLE][0]["id"], {"target": target, "source": source})
            else:
                db.table(TABLE).insert(
                    {"phrase": phrase, "target": target, "source": source, "created_at": at}
                )
            after = snapshot(db, TABLE, "phrase = ?", [phrase])
            record_change(
                db,
                TABLE,
                phrase,
                "update" if before else "create",
                before,
                after,
                f"\u201c{phrase}\u201d means \u201c{target}\u201d",
                at=at,
            )
        return _to_alias(after[TABLE][0])

    def delete(self, phrase: str) -> Alias | None:
        with self.store.transaction() as db:
            before = snapshot(db, TABLE, "phrase = ?", [phrase])
            if not before:
                return None
            db.execute("DELETE FROM aliases WHERE phrase = ?", [phrase])
            record_change(db, TABLE, phrase, "delete", before, None, f"Forgot the alias \u201c{phrase}\u201d")
        return _to_alias(before[TABLE][0])
