"""The undo log: every create, update or delete of a taught or learned thing.

A change stores two *snapshots*, the rows before and after, as
``{table name: [row, ...]}`` (parent tables first). A thing that spans several
tables (a custom command with its triggers and steps) is one snapshot. Undo is
generic: delete the rows of ``after``, put back the rows of ``before``.

Writers call :func:`record_change` inside the same ``store.transaction()``
as the change itself, so the log and the data never disagree::

    with store.transaction() as db:
        before = snapshot(db, "aliases", "phrase = ?", [phrase])
        ...change the rows...
        record_change(db, "aliases", phrase, "update", before, after, "Changed alias ...")
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from collections.abc import Sequence
from typing import Any

import sqlite_utils

from assistant.memory.store import Store
from assistant.memory.teaching_records import Change

Snapshot = dict[str, list[dict[str, Any]]]
"""Rows of one thing, by table, parent tables first (the order is kept in the JSON)."""

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


class ChangeConflict(Exception):
    """A change cannot be undone; the message says why."""


def snapshot(db: sqlite_utils.Database, table: str, where: str, params: Sequence[Any]) -> Snapshot:
    """The rows of ``table`` matching ``where``, as a one-table snapshot (empty if none)."""
    _check_identifier(table)
    rows = [dict(row) for row in db.table(table).rows_where(where, list(params), order_by="id")]
    return {table: rows} if rows else {}


def record_change(
    db: sqlite_utils.Database,
    table_name: str,
    row_key: str,
    action: str,
    before: Snapshot | None,
    after: Snapshot | None,
    description: str,
    *,
    at: float | None = None,
) -> int:
    """Write one change row; call inside the transaction that makes the change."""
    if not db.conn.in_transaction:
        raise RuntimeError("record_change must run inside store.transaction()")
    row = {
        "at": time.time() if at is None else at,
        "table_name": table_name,
        "row_key": row_key,
        "action": action,
        "before_json": json.dumps(before or None, default=str),
        "after_json": json.dumps(after or None, default=str),
        "description": description,
        "undone": 0,
    }
    return int(db.table("changes").insert(row).last_pk or 0)


def _to_change(row: dict[str, Any]) -> Change:
    return Change(
        id=int(row["id"]),
        at=float(row["at"] or 0.0),
        table_name=row["table_name"] or "",
        row_key=row["row_key"] or "",
        action=row["action"] or "",
        before=json.loads(row["before_json"] or "null"),
        after=json.loads(row["after_json"] or "null"),
        description=row["description"] or "",
        undone=bool(row["undone"]),
    )


class ChangeLog:
    """Read the undo log and undo changes."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def recent(self, limit: int = 50, table_names: Sequence[str] | None = None) -> list[Change]:
        """Newest first; optionally only changes to some tables."""
        where, params = None, None
        if table_names:
            marks = ", ".join("?" for _ in table_names)
            where, params = f"table_name in ({marks})", list(table_names)
        rows = self.store.db.table("changes").rows_where(where, params, order_by="id desc", limit=limit)
        return [_to_change(row) for row in rows]

    def get(self, change_id: int) -> Change | None:
        rows = list(self.store.db.table("changes").rows_where("id = ?", [change_id]))
        return _to_change(rows[0]) if rows else None

    def latest_undoable(self, table_names: Sequence[str] | None = None) -> Change | None:
        where = "undone = 0 and action != 'undo'"
        params: list[Any] = []
        if table_names:
            where += f" and table_name in ({', '.join('?' for _ in table_names)})"
            params.extend(table_names)
        rows = list(self.store.db.table("changes").rows_where(where, params, order_by="id desc", limit=1))
        return _to_change(rows[0]) if rows else None

    def undo(self, change_id: int | None = None, table_names: Sequence[str] | None = None) -> Change:
        """Put things back as they were before a change (None: the newest one).

        Raises ChangeConflict when there is nothing to undo, the change was
        already undone, or the thing has changed again since.
        """
        with self.store.transaction() as db:
            if change_id is None:
                change = self.latest_undoable(table_names)
                if change is None:
                    raise ChangeConflict("There is nothing to undo.")
            else:
                found = self.get(change_id)
                if found is None:
                    raise ChangeConflict(f"There is no change number {change_id}.")
                change = found
            if change.undone or change.action == "undo":
                raise ChangeConflict(f"Change {change.id} ({change.description}) was already undone.")
            _restore(db, change)
            db.table("changes").update(change.id, {"undone": 1})
            record_change(
                db,
                change.table_name,
                change.row_key,
                "undo",
                change.after,
                change.before,
                f"Undid: {change.description}",
            )
        return change


def _restore(db: sqlite_utils.Database, change: Change) -> None:
    after: Snapshot = change.after or {}
    before: Snapshot = change.before or {}
    for table, rows in after.items():
        _check_identifier(table)
        for row in rows:
            current = list(db.table(table).rows_where("id = ?", [row["id"]]))
            if not current or not _same(current[0], row):
                raise ChangeConflict(
                    f"\u201c{change.row_key}\u201d has changed since ({change.description}); "
                    "undo the later changes first."
                )
    try:
        for table in reversed(list(after)):
            for row in after[table]:
                db.execute(f"DELETE FROM [{table}] WHERE id = ?", [row["id"]])
        for table, rows in before.items():
            _check_identifier(table)
            for row in rows:
                db.table(table).insert(row)
    except sqlite3.IntegrityError as error:
        raise ChangeConflict(
            f"Cannot undo \u201c{change.description}\u201d: something with the same name exists now "
            f"({error}). Remove it first."
        ) from error


def _same(current: dict[str, Any], recorded: dict[str, Any]) -> bool:
    """Equal after a JSON round trip (how the recorded row was stored)."""
    as_stored = json.loads(json.dumps(dict(current), sort_keys=True, default=str))
    return all(as_stored.get(key) == value for key, value in recorded.items())


def _check_identifier(table: str) -> None:
    if not _IDENTIFIER.match(table):
        raise ChangeConflict(f"{table!r} is not a table name.")
