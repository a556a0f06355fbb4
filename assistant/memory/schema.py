"""The database schema, as a list of forward migrations.

``MIGRATIONS[n]`` takes a database at version ``n`` to version ``n + 1``.
The version lives in ``PRAGMA user_version``. Never edit a released
migration: add a new one.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils


def _v1_teaching(db: sqlite_utils.Database) -> None:
    """Preferences, custom commands, aliases, timers, lists, history."""
    db.table("preferences").create(
        {
            "id": int,
            "category": str,
            "key": str,
            "value": str,
            "source": str,
            "created_at": float,
            "updated_at": float,
        },
        pk="id",
        not_null={"key", "value"},
    )
    db.table("preferences").create_index(["key"], unique=True)
    db.table("commands").create(
        {"id": int, "name": str, "source": str, "created_at": float, "updated_at": float},
        pk="id",
        not_null={"name"},
    )
    db.table("commands").create_index(["name"], unique=True)
    db.table("command_triggers").create(
        {"id": int, "command_id": int, "phrase": str},
        pk="id",
        foreign_keys=[("command_id", "commands", "id")],
        not_null={"phrase"},
    )
    db.table("command_steps").create(
        {"id": int, "command_id": int, "position": int, "text": str, "intent": str, "slots_json": str},
        pk="id",
        foreign_keys=[("command_id", "commands", "id")],
    )
    db.table("aliases").create(
        {"id": int, "phrase": str, "target": str, "source": str, "created_at": float},
        pk="id",
        not_null={"phrase", "target"},
    )
    db.table("aliases").create_index(["phrase"], unique=True)
    db.table("timers").create(
        {
            "id": int,
            "kind": str,
            "label": str,
            "message": str,
            "duration_seconds": float,
            "due_at": float,
            "created_at": float,
            "state": str,
            "fired_at": float,
        },
        pk="id",
        not_null={"kind", "due_at", "state"},
    )
    db.table("lists").create({"id": int, "name": str, "created_at": float}, pk="id", not_null={"name"})
    db.table("lists").create_index(["name"], unique=True)
    db.table("list_items").create(
        {"id": int, "list_id": int, "text": str, "created_at": float},
        pk="id",
        foreign_keys=[("list_id", "lists", "id")],
        not_null={"text"},
    )
    db.table("turns").create(
        {
            "id": int,
            "session_id": str,
            "started_at": float,
            "text": str,
            "rewritten": str,
            "intent": str,
            "slots_json": str,
            "confidence": float,
            "source": str,
            "reply": str,
            "outcome": str,
            "failure_stage": str,
            "actions_json": str,
            "trace_json": str,
            "feedback_json": str,
        },
        pk="id",
    )
    db.table("turns").create_index(["started_at"])
    db.table("kv").create({"key": str, "value_json": str}, pk="key")


def _v2_learning(db: sqlite_utils.Database) -> None:
    """What the assistant learns from use: rewrites, offers, device history."""
    db.table("rewrites").create(
        {
            "id": int,
            "source_text": str,
            "target_text": str,
            "status": str,
            "successes": int,
            "failures": int,
            "probability": float,
            "evidence_json": str,
            "created_at": float,
            "updated_at": float,
        },
        pk="id",
        not_null={"source_text", "target_text", "status"},
    )
    db.table("rewrites").create_index(["source_text", "target_text"], unique=True)
    db.table("offers").create(
        {
            "id": int,
            "kind": str,
            "key": str,
            "status": str,
            "offered": int,
            "accepted": int,
            "declined": int,
            "last_at": float,
            "data_json": str,
        },
        pk="id",
        not_null={"kind", "key"},
    )
    db.table("offers").create_index(["kind", "key"], unique=True)
    db.table("device_states").create(
        {"id": int, "device_id": str, "state_json": str, "at": float},
        pk="id",
        not_null={"device_id", "at"},
    )
    db.table("device_states").create_index(["device_id", "at"])


def _v3_undo_log(db: sqlite_utils.Database) -> None:
    """A log of changes to taught and learned things, so the user can undo."""
    db.table("changes").create(
        {
            "id": int,
            "at": float,
            "table_name": str,
            "row_key": str,
            "action": str,
            "before_json": str,
            "after_json": str,
            "description": str,
            "undone": int,
        },
        pk="id",
    )
    db.table("changes").create_index(["at"])


def _v4_teaching_indexes(db: sqlite_utils.Database) -> None:
    """Look-ups the teaching code does on every change, and one trigger per phrase."""
    # Older databases could hold the same trigger twice; the first one taught wins.
    db.execute(
        "DELETE FROM command_triggers WHERE id NOT IN (SELECT min(id) FROM command_triggers GROUP BY phrase)"
    )
    db.table("command_triggers").create_index(["phrase"], unique=True, if_not_exists=True)
    db.table("command_triggers").create_index(["command_id"], if_not_exists=True)
    db.table("command_steps").create_index(["command_id", "position"], if_not_exists=True)
    db.table("preferences").create_index(["category"], if_not_exists=True)
    db.table("changes").create_index(["table_name", "row_key"], if_not_exists=True)


def _v5_timer_rooms(db: sqlite_utils.Database) -> None:
    """The room a timer was set in (a satellite's address), so it rings there after a restart."""
    db.table("timers").add_column("room", str, not_null_default="")


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [
    _v1_teaching,
    _v2_learning,
    _v3_undo_log,
    _v4_teaching_indexes,
    _v5_timer_rooms,
]

SCHEMA_VERSION = len(MIGRATIONS)
