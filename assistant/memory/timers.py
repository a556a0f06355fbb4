"""Timers, alarms and reminders in the ``timers`` table.

A row is ``active`` until it fires (``fired``) or is cancelled
(``cancelled``). Marking a row fired is a conditional update, so two
processes sharing the database (the UI and ``assistant serve``) never
announce the same timer twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assistant.memory.store import Store

ACTIVE = "active"
FIRED = "fired"
CANCELLED = "cancelled"
KINDS = ("timer", "alarm", "reminder")


@dataclass
class Timer:
    """One timer, alarm or reminder."""

    id: int
    kind: str
    """timer, alarm or reminder."""
    label: str
    """The name the user gave ("pasta"), or empty."""
    message: str
    """What a reminder reminds of; empty for timers and alarms."""
    duration_seconds: float | None
    """Length asked for (timers); None for alarms set to a time."""
    due_at: float
    """Unix time when it goes off."""
    created_at: float
    state: str
    fired_at: float | None = None

    def remaining(self, now: float) -> float:
        return max(0.0, self.due_at - now)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Timer:
        return cls(
            id=int(row["id"]), kind=row["kind"], label=row["label"] or "", message=row["message"] or "",
            duration_seconds=row["duration_seconds"], due_at=float(row["due_at"]),
            created_at=float(row["created_at"] or 0.0), state=row["state"], fired_at=row["fired_at"],
        )


class TimerRepository:
    """Create, find, change and fire timers; every SQL statement about timers is here."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def create(
        self, kind: str, due_at: float, *, now: float, label: str = "", message: str = "",
        duration_seconds: float | None = None,
    ) -> Timer:
        if kind not in KINDS:
            raise ValueError(f"Unknown timer kind {kind!r}; expected one of {', '.join(KINDS)}.")
        row = {
            "kind": kind, "label": label.strip(), "message": message.strip(),
            "duration_seconds": duration_seconds, "due_at": due_at, "created_at": now,
            "state": ACTIVE, "fired_at": None,
        }
        with self.store.transaction() as db:
            table = db.table("timers")
            table.insert(row)
            row_id = table.last_pk
        return self.get(int(row_id))  # type: ignore[arg-type]

    def get(self, timer_id: int) -> Timer:
        """Raises KeyError when there is no such timer."""
        rows = list(self.store.db.query("select * from timers where id = ?", [timer_id]))
        if not rows:
            raise KeyError(timer_id)
        return Timer.from_row(rows[0])

    def active(self, kind: str | None = None) -> list[Timer]:
        """Active timers, soonest first."""
        sql = "select * from timers where state = ?"
        params: list[Any] = [ACTIVE]
        if kind is not None:
            sql += " and kind = ?"
            params.append(kind)
        sql += " order by due_at, id"
        return [Timer.from_row(row) for row in self.store.db.query(sql, params)]

    def find(self, label: str, kind: str | None = None) -> list[Timer]:
        """Active timers whose label matches (case-insensitive, ignoring a trailing 'timer')."""
        wanted = normalise_label(label)
        return [timer for timer in self.active(kind) if normalise_label(timer.label) == wanted]

    def due(self, now: float) -> list[Timer]:
        rows = self.store.db.query(
            "select * from timers where state = ? and due_at <= ? order by due_at, id", [ACTIVE, now]
        )
        return [Timer.from_row(row) for row in rows]

    def next_due_at(self) -> float | None:
        row = self.store.db.execute(
            "select min(due_at) from timers where state = ?", [ACTIVE]
        ).fetchone()
        return None if row is None or row[0] is None else float(row[0])

    def mark_fired(self, timer_id: int, at: float) -> bool:
        """True when this call fired it; False when someone else already had."""
        with self.store.transaction() as db:
            cursor = db.execute(
                "update timers set state = ?, fired_at = ? where id = ? and state = ?",
                [FIRED, at, timer_id, ACTIVE],
            )
            return cursor.rowcount == 1

    def cancel(self, timer_id: int) -> bool:
        with self.store.transaction() as db:
            cursor = db.execute(
                "update timers set state = ? where id = ? and state = ?", [CANCELLED, timer_id, ACTIVE]
            )
            return cursor.rowcount == 1

    def cancel_all(self, kind: str | None = None) -> int:
        sql = "update timers set state = ? where state = ?"
        params: list[Any] = [CANCELLED, ACTIVE]
        if kind is not None:
            sql += " and kind = ?"
            params.append(kind)
        with self.store.transaction() as db:
            return int(db.execute(sql, params).rowcount)

    def extend(self, timer_id: int, seconds: float) -> Timer:
        """Move the due time later (or earlier, with negative seconds); raises KeyError."""
        with self.store.transaction() as db:
            cursor = db.execute(
                "update timers set due_at = due_at + ?, duration_seconds = "
                "coalesce(duration_seconds, 0) + ? where id = ? and state = ?",
                [seconds, seconds, timer_id, ACTIVE],
            )
            if cursor.rowcount != 1:
                raise KeyError(timer_id)
        return self.get(timer_id)


def normalise_label(label: str) -> str:
    """'The Pasta timer' -> 'pasta', so names match however they are said."""
    words = label.lower().strip().split()
    while words and words[0] in ("the", "my", "a", "an"):
        words = words[1:]
    while words and words[-1] in ("timer", "alarm", "reminder", "one"):
        words = words[:-1]
    return " ".join(words)
