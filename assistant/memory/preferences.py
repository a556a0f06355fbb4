"""What the user told about themselves, in the ``preferences`` table.

One row per key (``name``, ``home_city``, ``music_genre``, ``sister``...), with
its category, where it came from and when. Every change is logged for undo.
"""

from __future__ import annotations

import time
from typing import Any

from assistant.memory import import_fields as fields
from assistant.memory.changes import record_change, snapshot
from assistant.memory.store import Store
from assistant.memory.teaching_records import Preference

TABLE = "preferences"
EXPORTED = ("category", "key", "value", "source", "created_at", "updated_at")


def _to_preference(row: dict[str, Any]) -> Preference:
    return Preference(
        id=int(row["id"]),
        category=row["category"] or "general",
        key=row["key"],
        value=row["value"],
        source=row["source"] or "said",
        created_at=float(row["created_at"] or 0.0),
        updated_at=float(row["updated_at"] or 0.0),
    )


class PreferenceRepository:
    """Read and change preferences; every SQL statement about preferences is here."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def all(self) -> list[Preference]:
        rows = self.store.db.table(TABLE).rows_where(order_by="category, key")
        return [_to_preference(row) for row in rows]

    def export_rows(self) -> list[dict[str, Any]]:
        return [{k: p.to_dict()[k] for k in EXPORTED} for p in self.all()]

    def check_import(self, item: dict[str, Any], *, now: float, seen: set[str]) -> fields.Planned:
        """One preference of an export, checked against the stored one (raises ValueError)."""
        key, value = fields.text(item, "key", longest=200), fields.text(item, "value")
        category = fields.optional_text(item, "category", "general", longest=100) or "general"
        source = fields.optional_text(item, "source", "import", longest=100) or "import"
        fields.moment(item, "created_at", now)
        fields.moment(item, "updated_at", now)
        fields.once(seen, key)
        stored = self.get(key)
        return fields.against(
            TABLE,
            key,
            None if stored is None else stored.value,
            value,
            lambda: self.set(key, value, category, source, now=now),
        )

    def as_dict(self) -> dict[str, str]:
        return {row["key"]: row["value"] for row in self.store.db.query("select key, value from preferences")}

    def get(self, key: str) -> Preference | None:
        rows = list(self.store.db.table(TABLE).rows_where("key = ?", [key]))
        return _to_preference(rows[0]) if rows else None

    def find(self, key_or_value: str) -> list[Preference]:
        """Rows whose key or value is ``key_or_value`` (case-insensitive)."""
        wanted = key_or_value.strip().lower()
        rows = self.store.db.table(TABLE).rows_where(
            "lower(key) = ? or lower(value) = ? or lower(replace(key, '_', ' ')) = ?",
            [wanted, wanted, wanted],
            order_by="id",
        )
        return [_to_preference(row) for row in rows]

    def set(
        self,
        key: str,
        value: str,
        category: str = "general",
        source: str = "said",
        *,
        now: float | None = None,
    ) -> Preference:
        """Create or replace the preference ``key``."""
        key, value = key.strip(), value.strip()
        if not key or not value:
            raise ValueError("A preference needs a key and a value.")
        at = time.time() if now is None else now
        with self.store.transaction() as db:
            before = snapshot(db, TABLE, "key = ?", [key])
            if before:
                row_id = before[TABLE][0]["id"]
                created = before[TABLE][0]["created_at"]
                db.table(TABLE).update(
                    row_id, {"category": category, "value": value, "source": source, "updated_at": at}
                )
            else:
                created = at
                db.table(TABLE).insert(
                    {
                        "category": category,
                        "key": key,
                        "value": value,
                        "source": source,
                        "created_at": at,
                        "updated_at": at,
                    }
                )
            after = snapshot(db, TABLE, "key = ?", [key])
            if before and before[TABLE][0]["value"] == value and before[TABLE][0]["category"] == category:
                pass  # the same thing said again: refreshed, nothing worth undoing
            else:
                action = "update" if before else "create"
                record_change(
                    db,
                    TABLE,
                    key,
                    action,
                    before,
                    after,
                    f"{'Changed' if before else 'Remembered'} {key.replace('_', ' ')}: {value}",
                    at=at,
                )
        return Preference(
            id=int(after[TABLE][0]["id"]),
            category=category,
            key=key,
            value=value,
            source=source,
            created_at=float(created),
            updated_at=at,
        )

    def delete(self, key: str) -> Preference | None:
        """Forget one preference; returns what was forgotten."""
        with self.store.transaction() as db:
            before = snapshot(db, TABLE, "key = ?", [key])
            if not before:
                return None
            db.execute("DELETE FROM preferences WHERE key = ?", [key])
            row = before[TABLE][0]
            record_change(
                db, TABLE, key, "delete", before, None, f"Forgot {key.replace('_', ' ')}: {row['value']}"
            )
        return _to_preference(row)

    def delete_all(self) -> int:
        """Forget every preference in one undoable change; returns how many."""
        with self.store.transaction() as db:
            before = snapshot(db, TABLE, "1 = 1", [])
            if not before:
                return 0
            db.execute("DELETE FROM preferences")
            count = len(before[TABLE])
            record_change(db, TABLE, "*", "delete", before, None, f"Forgot everything about you ({count})")
        return count
