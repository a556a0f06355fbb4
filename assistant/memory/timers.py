"""Timers, alarms and reminders in the ``timers`` table.

A row is ``active`` until it fires (``fired``) or is cancelled
(``cancelled``). :meth:`TimerRepository.claim_due` marks everything due as fired
in one write transaction and returns what it marked, so however many processes
share the database (the UI, ``assistant serve``, a script's ``ask``), each timer
is announced by exactly one of them, once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from assistant.memory import import_fields as fields
from assistant.memory.store import Store

ACTIVE = "active"
FIRED = "fired"
CANCELLED = "cancelled"
KINDS = ("timer", "alarm", "reminder")
STATES = (ACTIVE, FIRED, CANCELLED)
MAX_AHEAD_SECONDS = 10 * 366 * 86400
"""Nothing is due more than ten years ahead: a later time is a misreading or a damaged file."""
MAX_TEXT = 500
"""Longest label or message kept."""
EXPORTED = ("kind", "label", "message", "duration_seconds", "due_at", "created_at")


class TimerError(ValueError):
    """A timer that cannot be stored as given; the message says which part is wrong."""


def check_timer(
    kind: str,
    due_at: float,
    *,
    now: float,
    label: str = "",
    message: str = "",
    duration_seconds: float | None = None,
) -> None:
    """Raise TimerError unless these make a timer the assistant can keep and announce."""
    if kind not in KINDS:
        raise TimerError(f"unknown timer kind {kind!r} (expected one of {', '.join(KINDS)})")
    if isinstance(due_at, bool) or not isinstance(due_at, (int, float)) or not math.isfinite(due_at):
        raise TimerError(f"the due time {due_at!r} is not a time")
    if not 0 < due_at <= now + MAX_AHEAD_SECONDS:
        raise TimerError(f"the due time {due_at!r} is not within the next ten years")
    if duration_seconds is not None and (
        isinstance(duration_seconds, bool)
        or not isinstance(duration_seconds, (int, float))
        or not math.isfinite(duration_seconds)
        or not 0 < duration_seconds <= MAX_AHEAD_SECONDS
    ):
        raise TimerError(f"the length {duration_seconds!r} is not a number of seconds")
    for name, text in (("label", label), ("message", message)):
        if not isinstance(text, str) or len(text) > MAX_TEXT:
            raise TimerError(f"the {name} must be a text of at most {MAX_TEXT} characters")


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
    room: str = ""
    """The satellite (its address in the settings) it was set through, where it rings; empty:
    the assistant's own speaker."""

    def remaining(self, now: float) -> float:
        return max(0.0, self.due_at - now)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Timer:
        return cls(
            id=int(row["id"]),
            kind=row["kind"],
            label=row["label"] or "",
            message=row["message"] or "",
            duration_seconds=row["duration_seconds"],
            due_at=float(row["due_at"]),
            created_at=float(row["created_at"] or 0.0),
            state=row["state"],
            fired_at=row["fired_at"],
            room=row.get("room") or "",
        )


class TimerRepository:
    """Create, find, change and fire timers; every SQL statement about timers is here."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def create(
        self,
        kind: str,
        due_at: float,
        *,
        now: float,
        label: str = "",
        message: str = "",
        duration_seconds: float | None = None,
    ) -> Timer:
        check_timer(kind, due_at, now=now, label=label, message=message, duration_seconds=duration_seconds)
        row = {
            "kind": kind,
            "label": label.strip(),
            "message": message.strip(),
            "duration_seconds": duration_seconds,
            "due_at": due_at,
            "created_at": now,
            "state": ACTIVE,
            "fired_at": None,
        }
        with self.store.transaction() as db:
            table = db.table("timers")
            table.insert(row)
            row_id = table.last_pk
        return self.get(int(row_id))  # type: ignore[arg-type]

    def set_room(self, timer_id: int, room: str) -> None:
        """The timer rings in ``room`` (a satellite's address), even after a restart."""
        with self.store.transaction() as db:
            db.execute("update timers set room = ? where id = ?", [room, timer_id])

    def room_of(self, timer_id: int) -> str:
        """Where the timer rings: a satellite's address, or empty (here, or no such timer)."""
        row = self.store.db.execute("select room from timers where id = ?", [timer_id]).fetchone()
        return str(row[0] or "") if row is not None else ""

    def get(self, timer_id: int) -> Timer:
        """Raises KeyError when there is no such timer."""
        rows = list(self.store.db.query("select * from timers where id = ?", [timer_id]))
        if not rows:
            raise KeyError(timer_id)
        return Timer.from_row(rows[0])

    def active(self, kind: str | None = None, *, after: float | None = None) -> list[Timer]:
        """Active timers, soonest first; with ``after``, only those still to go off then
        (a timer already due is done, even before someone has announced it)."""
        sql = "select * from timers where state = ?"
        params: list[Any] = [ACTIVE]
        if kind is not None:
            sql += " and kind = ?"
            params.append(kind)
        if after is not None:
            sql += " and due_at > ?"
            params.append(after)
        sql += " order by due_at, id"
        return [Timer.from_row(row) for row in self.store.db.query(sql, params)]

    def find(self, label: str, kind: str | None = None, *, after: float | None = None) -> list[Timer]:
        """Active timers whose label matches (case-insensitive, ignoring a trailing 'timer')."""
        wanted = normalise_label(label)
        return [timer for timer in self.active(kind, after=after) if normalise_label(timer.label) == wanted]

    def due(self, now: float) -> list[Timer]:
        rows = self.store.db.query(
            "select * from timers where state = ? and due_at <= ? order by due_at, id", [ACTIVE, now]
        )
        return [Timer.from_row(row) for row in rows]

    def next_due_at(self) -> float | None:
        row = self.store.db.execute("select min(due_at) from timers where state = ?", [ACTIVE]).fetchone()
        return None if row is None or row[0] is None else float(row[0])

    def claim_due(self, now: float) -> list[Timer]:
        """Mark every timer due by ``now`` fired and return them, soonest first.

        One write transaction (``BEGIN IMMEDIATE``) reads and marks, so when several
        processes claim at once each timer goes to exactly one of them. The cheap read
        first keeps the usual case (nothing due) free of a write lock.
        """
        if (
            self.store.db.execute(
                "select 1 from timers where state = ? and due_at <= ? limit 1", [ACTIVE, now]
            ).fetchone()
            is None
        ):
            return []
        with self.store.transaction() as db:
            rows = list(
                db.query(
                    "select * from timers where state = ? and due_at <= ? order by due_at, id", [ACTIVE, now]
                )
            )
            db.execute(
                "update timers set state = ?, fired_at = ? where state = ? and due_at <= ?",
                [FIRED, now, ACTIVE, now],
            )
        claimed = [Timer.from_row(row) for row in rows]
        for timer in claimed:
            timer.state, timer.fired_at = FIRED, now
        return claimed

    def cancel(self, timer_id: int) -> bool:
        with self.store.transaction() as db:
            cursor = db.execute(
                "update timers set state = ? where id = ? and state = ?", [CANCELLED, timer_id, ACTIVE]
            )
            return cursor.rowcount == 1

    def cancel_all(self, kind: str | None = None, *, after: float | None = None) -> int:
        """Cancel active timers (with ``after``: only those still to go off); returns how many."""
        sql = "update timers set state = ? where state = ?"
        params: list[Any] = [CANCELLED, ACTIVE]
        if kind is not None:
            sql += " and kind = ?"
            params.append(kind)
        if after is not None:
            sql += " and due_at > ?"
            params.append(after)
        with self.store.transaction() as db:
            return int(db.execute(sql, params).rowcount)

    def export_rows(self, now: float) -> list[dict[str, Any]]:
        """The timers still to go off after ``now``, soonest first."""
        rows = self.store.db.query(
            "select * from timers where state = ? and due_at > ? order by due_at", [ACTIVE, now]
        )
        return [{k: row[k] for k in EXPORTED} for row in rows]

    def check_import(self, item: dict[str, Any], *, now: float, with_timers: bool) -> fields.Planned:
        """One running timer of an export (raises ValueError). One already over is skipped,
        and without ``with_timers`` it is left out: it belongs to the home that set it."""
        kind = fields.text(item, "kind", longest=20)
        due_at = fields.number(item, "due_at")
        duration = item.get("duration_seconds")
        label = fields.optional_text(item, "label", longest=MAX_TEXT)
        message = fields.optional_text(item, "message", longest=MAX_TEXT)
        try:
            check_timer(kind, due_at, now=now, label=label, message=message, duration_seconds=duration)
        except TimerError as error:
            raise ValueError(f"{error} in {fields.shown(item)}") from None
        row = {
            "kind": kind,
            "label": label,
            "message": message,
            "duration_seconds": None if duration is None else float(duration),
            "due_at": due_at,
            "created_at": fields.moment(item, "created_at", now),
            "state": ACTIVE,
            "fired_at": None,
        }
        if due_at <= now:
            return fields.Planned("skipped")
        if not with_timers:
            return fields.Planned("left_out")
        same = self.store.db.execute(
            "select 1 from timers where state = ? and kind = ? and label = ? and due_at = ?",
            [ACTIVE, kind, label, due_at],
        ).fetchone()
        if same:
            return fields.Planned("unchanged")

        def write() -> None:
            with self.store.transaction() as db:
                db.table("timers").insert(row)

        return fields.Planned("added", write)

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
