"""Custom commands in ``commands``, ``command_triggers`` and ``command_steps``.

A command is one row plus its trigger phrases and its ordered steps; it is
always written, logged and undone as one thing.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Collection
from typing import Any

import sqlite_utils

from assistant.memory import import_fields as fields
from assistant.memory.changes import Snapshot, record_change
from assistant.memory.store import Store
from assistant.memory.teaching_records import CommandStep, CustomCommand, TeachingError


def command_snapshot(db: sqlite_utils.Database, command_id: int) -> Snapshot:
    """The command's rows in all three tables (empty if it does not exist)."""
    commands = [dict(row) for row in db.table("commands").rows_where("id = ?", [command_id])]
    if not commands:
        return {}
    return {
        "commands": commands,
        "command_triggers": [
            dict(row)
            for row in db.table("command_triggers").rows_where("command_id = ?", [command_id], order_by="id")
        ],
        "command_steps": [
            dict(row)
            for row in db.table("command_steps").rows_where(
                "command_id = ?", [command_id], order_by="position"
            )
        ],
    }


def _from_snapshot(rows: Snapshot) -> CustomCommand:
    command = rows["commands"][0]
    return CustomCommand(
        id=int(command["id"]),
        name=command["name"],
        triggers=[row["phrase"] for row in rows.get("command_triggers", [])],
        steps=[
            CommandStep(
                text=row["text"], intent=row["intent"] or "", slots=json.loads(row["slots_json"] or "{}")
            )
            for row in rows.get("command_steps", [])
        ],
        source=command["source"] or "ui",
        created_at=float(command["created_at"] or 0.0),
        updated_at=float(command["updated_at"] or 0.0),
    )


class CommandRepository:
    """Read and change custom commands; every SQL statement about them is here."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def _id_of(self, name: str) -> int | None:
        row = self.store.db.execute("select id from commands where name = ?", [name]).fetchone()
        return None if row is None else int(row[0])

    def all(self) -> list[CustomCommand]:
        ids = [int(row[0]) for row in self.store.db.execute("select id from commands order by name")]
        return [_from_snapshot(command_snapshot(self.store.db, command_id)) for command_id in ids]

    def get(self, name: str) -> CustomCommand | None:
        command_id = self._id_of(name)
        if command_id is None:
            return None
        return _from_snapshot(command_snapshot(self.store.db, command_id))

    def export_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "name": c.name,
                "triggers": c.triggers,
                "steps": [{"text": s.text, "intent": s.intent, "slots": s.slots} for s in c.steps],
                "source": c.source,
                "created_at": c.created_at,
            }
            for c in self.all()
        ]

    def check_import(
        self,
        item: dict[str, Any],
        *,
        now: float,
        seen: set[str],
        phrases: dict[str, str],
        known_intents: Collection[str] | None,
        replace: bool,
    ) -> fields.Planned:
        """One command of an export, checked against the stored ones (raises ValueError).

        ``phrases`` maps each trigger met so far in the file to its command, so two
        commands of one file never share a phrase; ``known_intents``, when given,
        refuses steps nobody can run; with ``replace`` the write takes a phrase from
        the stored command that has it.
        """
        name, triggers, steps, source = command_from_dict(item)
        for text in [name, *triggers, *(step.text for step in steps)]:
            if len(text) > fields.MAX_TEXT:
                raise ValueError(f"command {name[:40]!r}: a text is longer than {fields.MAX_TEXT} characters")
        fields.moment(item, "created_at", now)
        fields.once(seen, name)
        conflicts = []
        for trigger in triggers:
            other = phrases.setdefault(trigger, name)
            if other != name:
                raise ValueError(f"the phrase {trigger!r} runs both {other!r} and {name!r}")
            owner = self.owner_of_trigger(trigger)
            if owner is not None and owner != name:
                conflicts.append(
                    f"commands {name!r}: the phrase {trigger!r} already runs the command {owner!r}"
                )
        if known_intents is not None:
            for step in steps:
                if step.intent not in known_intents:
                    raise ValueError(f"command {name!r}: no skill can do {step.intent!r} ({step.text!r})")
        stored = self.get(name)

        def write() -> None:
            if replace:
                for trigger in triggers:
                    if self.owner_of_trigger(trigger) not in (None, name):
                        self.release_trigger(trigger)
            try:
                self.save(name, triggers, steps, source, now=now)
            except TeachingError as error:
                raise ValueError(str(error)) from error

        return fields.against(
            "commands",
            name,
            None if stored is None else _compared(stored.triggers, stored.steps),
            _compared(triggers, steps),
            write,
            conflicts,
        )

    def owner_of_trigger(self, phrase: str) -> str | None:
        """The name of the command that has the trigger ``phrase``, if any."""
        row = self.store.db.execute(
            "select c.name from command_triggers t join commands c on c.id = t.command_id where t.phrase = ?",
            [phrase],
        ).fetchone()
        return None if row is None else str(row[0])

    def save(
        self,
        name: str,
        triggers: list[str],
        steps: list[CommandStep],
        source: str = "ui",
        *,
        now: float | None = None,
    ) -> CustomCommand:
        """Create the command ``name``, or replace its triggers and steps if it exists."""
        if not name.strip():
            raise TeachingError("A command needs a name.")
        if not triggers:
            raise TeachingError(f"The command \u201c{name}\u201d needs at least one phrase that runs it.")
        if not steps:
            raise TeachingError(f"The command \u201c{name}\u201d needs at least one step.")
        at = time.time() if now is None else now
        with self.store.transaction() as db:
            command_id = self._id_of(name)
            before = command_snapshot(db, command_id) if command_id is not None else {}
            if command_id is None:
                command_id = int(
                    db.table("commands")
                    .insert({"name": name, "source": source, "created_at": at, "updated_at": at})
                    .last_pk
                    or 0
                )
            else:
                db.table("commands").update(command_id, {"source": source, "updated_at": at})
                db.execute("DELETE FROM command_triggers WHERE command_id = ?", [command_id])
                db.execute("DELETE FROM command_steps WHERE command_id = ?", [command_id])
            self._write_parts(db, command_id, triggers, steps)
            after = command_snapshot(db, command_id)
            action = "update" if before else "create"
            record_change(
                db,
                "commands",
                name,
                action,
                before,
                after,
                f"{'Changed' if before else 'Taught'} the command \u201c{name}\u201d",
                at=at,
            )
        return _from_snapshot(after)

    def _write_parts(
        self, db: sqlite_utils.Database, command_id: int, triggers: list[str], steps: list[CommandStep]
    ) -> None:
        seen: set[str] = set()
        for phrase in triggers:
            if phrase in seen:
                continue
            seen.add(phrase)
            try:
                db.table("command_triggers").insert({"command_id": command_id, "phrase": phrase})
            except sqlite3.IntegrityError as error:
                owner = self.owner_of_trigger(phrase)
                raise TeachingError(
                    f"\u201c{phrase}\u201d already runs the command \u201c{owner}\u201d."
                ) from error
        for position, step in enumerate(steps):
            db.table("command_steps").insert(
                {
                    "command_id": command_id,
                    "position": position,
                    "text": step.text,
                    "intent": step.intent,
                    "slots_json": json.dumps(step.slots, sort_keys=True, default=str),
                }
            )

    def rename(self, old: str, new: str, *, now: float | None = None) -> CustomCommand:
        """Rename a command; a trigger that was its old name becomes the new name."""
        at = time.time() if now is None else now
        with self.store.transaction() as db:
            command_id = self._id_of(old)
            if command_id is None:
                raise TeachingError(f"I don't know a command called \u201c{old}\u201d.")
            if self._id_of(new) is not None:
                raise TeachingError(f"There is already a command called \u201c{new}\u201d.")
            owner = self.owner_of_trigger(new)
            if owner is not None and owner != old:
                raise TeachingError(f"\u201c{new}\u201d already runs the command \u201c{owner}\u201d.")
            before = command_snapshot(db, command_id)
            db.table("commands").update(command_id, {"name": new, "updated_at": at})
            db.execute(
                "UPDATE command_triggers SET phrase = ? WHERE command_id = ? AND phrase = ?",
                [new, command_id, old],
            )
            after = command_snapshot(db, command_id)
            record_change(
                db,
                "commands",
                new,
                "update",
                before,
                after,
                f"Renamed the command \u201c{old}\u201d to \u201c{new}\u201d",
                at=at,
            )
        return _from_snapshot(after)

    def release_trigger(self, phrase: str) -> str | None:
        """Take ``phrase`` from the command that has it (forgetting that command if it
        was its only phrase); returns the command's name."""
        owner = self.owner_of_trigger(phrase)
        if owner is None:
            return None
        command = self.get(owner)
        if command is None:
            return None
        remaining = [trigger for trigger in command.triggers if trigger != phrase]
        if remaining:
            self.save(command.name, remaining, command.steps, command.source)
        else:
            self.delete(command.name)
        return owner

    def delete(self, name: str) -> CustomCommand | None:
        """Forget a command; returns what was forgotten (None if there was none)."""
        with self.store.transaction() as db:
            command_id = self._id_of(name)
            if command_id is None:
                return None
            before = command_snapshot(db, command_id)
            db.execute("DELETE FROM command_steps WHERE command_id = ?", [command_id])
            db.execute("DELETE FROM command_triggers WHERE command_id = ?", [command_id])
            db.execute("DELETE FROM commands WHERE id = ?", [command_id])
            record_change(
                db, "commands", name, "delete", before, None, f"Forgot the command \u201c{name}\u201d"
            )
        return _from_snapshot(before)


def _compared(triggers: list[str], steps: list[CommandStep]) -> str:
    """What an import compares of a command: its phrases (in any order) and its steps' texts."""
    return json.dumps({"triggers": sorted(triggers), "steps": [s.text for s in steps]})


def command_from_dict(data: dict[str, Any]) -> tuple[str, list[str], list[CommandStep], str]:
    """Name, triggers, steps and source from the export format (raises ValueError)."""
    name = data.get("name")
    triggers = data.get("triggers")
    steps = data.get("steps")
    if not isinstance(name, str) or not name.strip():
        raise ValueError("a command without a name")
    if not isinstance(triggers, list) or not triggers or not all(isinstance(t, str) and t for t in triggers):
        raise ValueError(f"command {name!r}: triggers must be a non-empty list of phrases")
    if not isinstance(steps, list) or not steps:
        raise ValueError(f"command {name!r}: steps must be a non-empty list")
    parsed: list[CommandStep] = []
    for step in steps:
        if (
            not isinstance(step, dict)
            or not isinstance(step.get("text"), str)
            or not isinstance(step.get("intent"), str)
            or not isinstance(step.get("slots", {}), dict)
        ):
            raise ValueError(f"command {name!r}: each step needs text, intent and slots")
        parsed.append(
            CommandStep(text=step["text"], intent=step["intent"], slots=dict(step.get("slots", {})))
        )
    source = data.get("source") if isinstance(data.get("source"), str) else "import"
    return name, list(triggers), parsed, str(source)
