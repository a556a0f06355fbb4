"""Everything the user taught and the assistant learned, as readable JSON, and back.

``export_all`` gives one dict (preferences, commands, aliases, lists with their
items, timers still running, learned rewrites, offers). ``import_all`` checks
the whole document first, reports conflicts with what is already stored, and
then writes everything in one transaction, or nothing at all.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from assistant.memory.aliases import AliasRepository
from assistant.memory.commands import CommandRepository, command_from_dict
from assistant.memory.preferences import PreferenceRepository
from assistant.memory.schema import SCHEMA_VERSION
from assistant.memory.store import Store
from assistant.teach.models import CommandStep, TeachingError

FORMAT = "desk-assistant-export"
FORMAT_VERSION = 1
SECTIONS = ("preferences", "commands", "aliases", "lists", "timers", "rewrites", "offers")
ACTIVE_TIMER = "active"


@dataclass
class ImportReport:
    """What an import did, or why it did nothing."""

    ok: bool = True
    added: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    """Things already stored exactly as in the file."""
    replaced: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    """Things left out on purpose (timers already due)."""
    conflicts: list[str] = field(default_factory=list)
    """Things stored differently; nothing is written unless ``replace`` was asked."""
    errors: list[str] = field(default_factory=list)
    """Problems with the file itself; nothing is written."""

    def count(self, bucket: dict[str, int], section: str) -> None:
        bucket[section] = bucket.get(section, 0) + 1

    def summary(self) -> str:
        if self.errors:
            return "Nothing imported: the file has problems:\n  " + "\n  ".join(self.errors)
        if not self.ok:
            return (
                "Nothing imported: these differ from what is stored (use --replace to take the "
                "file's version):\n  " + "\n  ".join(self.conflicts)
            )
        parts = [f"{n} {section}" for section, n in self.added.items() if n]
        replaced = [f"{n} {section}" for section, n in self.replaced.items() if n]
        text = "Imported " + (", ".join(parts) if parts else "nothing new")
        if replaced:
            text += "; replaced " + ", ".join(replaced)
        same = sum(self.unchanged.values())
        if same:
            text += f"; {same} already there"
        return text + "."

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "added": self.added,
            "unchanged": self.unchanged,
            "replaced": self.replaced,
            "skipped": self.skipped,
            "conflicts": self.conflicts,
            "errors": self.errors,
        }


# --- export ---------------------------------------------------------------------------


def export_all(store: Store, *, now: float | None = None) -> dict[str, Any]:
    """The whole of what was taught and learned, as a JSON-ready dict."""
    at = time.time() if now is None else now
    db = store.db
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema_version": SCHEMA_VERSION,
        "exported_at": datetime.fromtimestamp(at, timezone.utc).isoformat(timespec="seconds"),
        "preferences": [
            {k: p.to_dict()[k] for k in ("category", "key", "value", "source", "created_at", "updated_at")}
            for p in PreferenceRepository(store).all()
        ],
        "commands": [
            {
                "name": c.name,
                "triggers": c.triggers,
                "steps": [{"text": s.text, "intent": s.intent, "slots": s.slots} for s in c.steps],
                "source": c.source,
                "created_at": c.created_at,
            }
            for c in CommandRepository(store).all()
        ],
        "aliases": [
            {"phrase": a.phrase, "target": a.target, "source": a.source, "created_at": a.created_at}
            for a in AliasRepository(store).all()
        ],
        "lists": [
            {
                "name": row["name"],
                "created_at": row["created_at"],
                "items": [
                    {"text": item["text"], "created_at": item["created_at"]}
                    for item in db.query(
                        "select text, created_at from list_items where list_id = ? order by id", [row["id"]]
                    )
                ],
            }
            for row in db.query("select id, name, created_at from lists order by name")
        ],
        "timers": [
            {k: row[k] for k in ("kind", "label", "message", "duration_seconds", "due_at", "created_at")}
            for row in db.query(
                "select * from timers where state = ? and due_at > ? order by due_at", [ACTIVE_TIMER, at]
            )
        ],
        "rewrites": [
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
            for row in db.query("select * from rewrites order by id")
        ],
        "offers": [
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
            for row in db.query("select * from offers order by id")
        ],
    }


# --- import ---------------------------------------------------------------------------


def import_all(
    store: Store,
    data: Any,
    *,
    replace: bool = False,
    known_intents: Collection[str] | None = None,
    now: float | None = None,
) -> ImportReport:
    """Check ``data`` (an export), then write all of it in one transaction, or none of it.

    ``replace`` lets the file win where it differs from what is stored;
    ``known_intents``, when given, rejects command steps nobody can run.
    """
    at = time.time() if now is None else now
    report = ImportReport()
    sections = _check_document(data, report)
    if report.errors:
        report.ok = False
        return report
    plan = _Plan(store, report, replace, known_intents, at)
    for section in SECTIONS:
        for item in sections[section]:
            try:
                getattr(plan, f"check_{section}")(item)
            except (ValueError, TypeError, KeyError) as error:
                report.errors.append(f"{section}: {error}")
    if report.errors or (report.conflicts and not replace):
        report.ok = False
        report.added.clear()
        report.replaced.clear()
        return report
    with store.transaction():
        for write in plan.writes:
            write()
    return report


def _check_document(data: Any, report: ImportReport) -> dict[str, list[dict[str, Any]]]:
    sections: dict[str, list[dict[str, Any]]] = {section: [] for section in SECTIONS}
    if not isinstance(data, dict):
        report.errors.append("the file is not a JSON object")
        return sections
    if data.get("format") not in (None, FORMAT):
        report.errors.append(f"unknown format {data.get('format')!r}, expected {FORMAT!r}")
    version = data.get("format_version", FORMAT_VERSION)
    if not isinstance(version, int) or version > FORMAT_VERSION:
        report.errors.append(f"format version {version!r} is newer than this assistant ({FORMAT_VERSION})")
    for section in SECTIONS:
        items = data.get(section, [])
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            report.errors.append(f"{section}: expected a list of objects")
            continue
        sections[section] = items
    return sections


def _text(item: dict[str, Any], key: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{key!r} must be a non-empty text in {json.dumps(item)[:120]}")
    return value.strip()


def _number(item: dict[str, Any], key: str, default: float | None = None) -> float:
    value = item.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{key!r} must be a number in {json.dumps(item)[:120]}")
    return float(value)


class _Plan:
    """Checks each imported thing against the store and queues its write."""

    def __init__(
        self,
        store: Store,
        report: ImportReport,
        replace: bool,
        known_intents: Collection[str] | None,
        now: float,
    ) -> None:
        self.store, self.report, self.replace, self.known, self.now = (
            store,
            report,
            replace,
            known_intents,
            now,
        )
        self.writes: list[Callable[[], object]] = []
        self.preferences = PreferenceRepository(store)
        self.commands = CommandRepository(store)
        self.aliases = AliasRepository(store)
        self._seen: dict[str, set[str]] = {section: set() for section in SECTIONS}
        self._triggers: dict[str, str] = {}

    def _once(self, section: str, key: str) -> None:
        if key in self._seen[section]:
            raise ValueError(f"{key!r} appears twice")
        self._seen[section].add(key)

    def _differs(self, section: str, key: str, stored: str, incoming: str) -> bool:
        """Count an existing thing; True when the file's version must be written."""
        if stored == incoming:
            self.report.count(self.report.unchanged, section)
            return False
        self.report.conflicts.append(f"{section} {key!r}: stored {stored!r}, file has {incoming!r}")
        self.report.count(self.report.replaced, section)
        return True

    def check_preferences(self, item: dict[str, Any]) -> None:
        key, value = _text(item, "key"), _text(item, "value")
        category = item.get("category") if isinstance(item.get("category"), str) else "general"
        source = item.get("source") if isinstance(item.get("source"), str) else "import"
        self._once("preferences", key)
        stored = self.preferences.get(key)
        if stored is not None and not self._differs("preferences", key, stored.value, value):
            return
        if stored is None:
            self.report.count(self.report.added, "preferences")
        self.writes.append(lambda: self.preferences.set(key, value, str(category), str(source), now=self.now))

    def check_commands(self, item: dict[str, Any]) -> None:
        name, triggers, steps, source = command_from_dict(item)
        self._once("commands", name)
        for trigger in triggers:
            other = self._triggers.setdefault(trigger, name)
            if other != name:
                raise ValueError(f"the phrase {trigger!r} runs both {other!r} and {name!r}")
            owner = self.commands.owner_of_trigger(trigger)
            if owner is not None and owner != name:
                self.report.conflicts.append(
                    f"commands {name!r}: the phrase {trigger!r} already runs the command {owner!r}"
                )
        if self.known is not None:
            for step in steps:
                if step.intent not in self.known:
                    raise ValueError(f"command {name!r}: no skill can do {step.intent!r} ({step.text!r})")
        stored = self.commands.get(name)
        if stored is not None:
            if not self._differs(
                "commands", name, _command_text(stored.triggers, stored.steps), _command_text(triggers, steps)
            ):
                return
        else:
            self.report.count(self.report.added, "commands")
        self.writes.append(lambda: self._write_command(name, triggers, steps, source))

    def _write_command(self, name: str, triggers: list[str], steps: list[CommandStep], source: str) -> None:
        if self.replace:
            for trigger in triggers:
                if self.commands.owner_of_trigger(trigger) not in (None, name):
                    self.commands.release_trigger(trigger)
        try:
            self.commands.save(name, triggers, steps, source, now=self.now)
        except TeachingError as error:
            raise ValueError(str(error)) from error

    def check_aliases(self, item: dict[str, Any]) -> None:
        phrase, target = _text(item, "phrase"), _text(item, "target")
        source = item.get("source") if isinstance(item.get("source"), str) else "import"
        self._once("aliases", phrase)
        stored = self.aliases.get(phrase)
        if stored is not None and not self._differs("aliases", phrase, stored.target, target):
            return
        if stored is None:
            self.report.count(self.report.added, "aliases")
        self.writes.append(lambda: self.aliases.save(phrase, target, str(source), now=self.now))

    def check_lists(self, item: dict[str, Any]) -> None:
        name = _text(item, "name")
        self._once("lists", name)
        items = item.get("items", [])
        if not isinstance(items, list):
            raise ValueError(f"list {name!r}: items must be a list")
        entries = [
            (_text(entry, "text"), _number(entry, "created_at", self.now))
            if isinstance(entry, dict)
            else (str(entry), self.now)
            for entry in items
        ]
        row = self.store.db.execute("select id from lists where name = ?", [name]).fetchone()
        present = set()
        if row is not None:
            present = {
                r[0] for r in self.store.db.execute("select text from list_items where list_id = ?", [row[0]])
            }
        new = [(text, at) for text, at in entries if text not in present]
        if row is not None and not new:
            self.report.count(self.report.unchanged, "lists")
            return
        self.report.count(self.report.added, "lists")
        created = _number(item, "created_at", self.now)

        def write() -> None:
            with self.store.transaction() as db:
                found = db.execute("select id from lists where name = ?", [name]).fetchone()
                list_id = (
                    found[0]
                    if found
                    else db.table("lists").insert({"name": name, "created_at": created}).last_pk
                )
                for text, at in new:
                    db.table("list_items").insert({"list_id": list_id, "text": text, "created_at": at})

        self.writes.append(write)

    def check_timers(self, item: dict[str, Any]) -> None:
        kind = _text(item, "kind")
        due_at = _number(item, "due_at")
        row = {
            "kind": kind,
            "label": str(item.get("label") or ""),
            "message": str(item.get("message") or ""),
            "duration_seconds": item.get("duration_seconds"),
            "due_at": due_at,
            "created_at": _number(item, "created_at", self.now),
            "state": ACTIVE_TIMER,
            "fired_at": None,
        }
        if due_at <= self.now:
            self.report.count(self.report.skipped, "timers")
            return
        same = self.store.db.execute(
            "select 1 from timers where state = ? and kind = ? and label = ? and due_at = ?",
            [ACTIVE_TIMER, kind, row["label"], due_at],
        ).fetchone()
        if same:
            self.report.count(self.report.unchanged, "timers")
            return
        self.report.count(self.report.added, "timers")
        self.writes.append(lambda: self._insert("timers", row))

    def check_rewrites(self, item: dict[str, Any]) -> None:
        source_text, target_text = _text(item, "source_text"), _text(item, "target_text")
        self._once("rewrites", f"{source_text} -> {target_text}")
        if self.store.db.execute(
            "select 1 from rewrites where source_text = ? and target_text = ?", [source_text, target_text]
        ).fetchone():
            self.report.count(self.report.unchanged, "rewrites")
            return
        row = {
            "source_text": source_text,
            "target_text": target_text,
            "status": str(item.get("status") or "candidate"),
            "successes": int(_number(item, "successes", 0)),
            "failures": int(_number(item, "failures", 0)),
            "probability": _number(item, "probability", 0.0),
            "evidence_json": json.dumps(item.get("evidence")),
            "created_at": _number(item, "created_at", self.now),
            "updated_at": _number(item, "updated_at", self.now),
        }
        self.report.count(self.report.added, "rewrites")
        self.writes.append(lambda: self._insert("rewrites", row))

    def check_offers(self, item: dict[str, Any]) -> None:
        kind, key = _text(item, "kind"), _text(item, "key")
        self._once("offers", f"{kind}/{key}")
        if self.store.db.execute("select 1 from offers where kind = ? and key = ?", [kind, key]).fetchone():
            self.report.count(self.report.unchanged, "offers")
            return
        row = {
            "kind": kind,
            "key": key,
            "status": str(item.get("status") or "offered"),
            "offered": int(_number(item, "offered", 0)),
            "accepted": int(_number(item, "accepted", 0)),
            "declined": int(_number(item, "declined", 0)),
            "last_at": _number(item, "last_at", self.now),
            "data_json": json.dumps(item.get("data") or {}),
        }
        self.report.count(self.report.added, "offers")
        self.writes.append(lambda: self._insert("offers", row))

    def _insert(self, table: str, row: dict[str, Any]) -> None:
        with self.store.transaction() as db:
            db.table(table).insert(row)


def _command_text(triggers: list[str], steps: list[CommandStep]) -> str:
    return json.dumps({"triggers": sorted(triggers), "steps": [s.text for s in steps]})
