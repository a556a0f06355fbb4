"""Everything the user taught and the assistant learned, as readable JSON, and back.

``export_all`` gives one dict (preferences, commands, aliases, lists with their
items, timers still running, learned rewrites, offers, and the settings when
given). ``import_all`` checks every field of the whole document first (types,
ranges, text that is valid Unicode, nesting), reports conflicts with what is
already stored, and then writes everything in one transaction, or nothing at all.

Running timers and the settings belong to the home that exported them: an import
leaves them out unless asked (``with_timers``, ``with_settings``), and its report
says so. ``describe_contents`` and ``ImportReport.summary`` say what a file carries
and what an import kept, in counts.
"""

from __future__ import annotations

import json
import math
import os
import time
from collections.abc import Callable, Collection
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from assistant.config import ConfigError, Settings
from assistant.json_values import json_problem
from assistant.memory.aliases import AliasRepository
from assistant.memory.commands import CommandRepository, command_from_dict
from assistant.memory.learned import REWRITE_STATUSES
from assistant.memory.lists import NOTES
from assistant.memory.offers import ACCEPTED, DECLINED, OFFERED
from assistant.memory.preferences import PreferenceRepository
from assistant.memory.schema import SCHEMA_VERSION
from assistant.memory.store import Store
from assistant.memory.teaching_records import CommandStep, TeachingError
from assistant.memory.timers import TimerError, check_timer

FORMAT = "desk-assistant-export"
FORMAT_VERSION = 1
SECTIONS = ("preferences", "commands", "aliases", "lists", "timers", "rewrites", "offers")
ACTIVE_TIMER = "active"
MAX_DEPTH = 32
"""An export nests about six deep; anything much deeper is not one."""
MAX_TEXT = 10_000
"""Longest single text accepted (a preference value, a step, a list item)."""
LATEST_TIME = 32_503_680_000.0
"""1 January 3000: later "times" are damage, not dates."""
TOO_DEEP = f"the file nests deeper than an export ever does (over {MAX_DEPTH} levels)"

NOUNS: dict[str, tuple[str, str]] = {
    "commands": ("command", "commands"),
    "aliases": ("alias", "aliases"),
    "preferences": ("preference", "preferences"),
    "lists": ("list", "lists"),
    "notes": ("note", "notes"),
    "learned": ("learned thing", "learned things"),
    "timers": ("running timer", "running timers"),
}
"""How counts are said, in the order they are said."""


class ExportError(ValueError):
    """A file that is not a usable export; the message is one line saying why."""


def parse_export(text: str) -> Any:
    """The JSON in ``text``, refusing NaN/Infinity and nesting too deep; raises ExportError."""

    def refuse_constant(name: str) -> Any:
        raise ExportError(f"the file holds {name}, which is not a number an export can hold")

    try:
        return json.loads(text, parse_constant=refuse_constant)
    except RecursionError:
        raise ExportError(TOO_DEEP) from None
    except json.JSONDecodeError as error:
        raise ExportError(f"the file is not JSON ({error.msg}, line {error.lineno})") from None


def say_counts(counts: dict[str, int]) -> str:
    """{"commands": 2, "aliases": 1} -> '2 commands and 1 alias'; '' when all are 0."""
    parts = []
    for key, (one, many) in NOUNS.items():
        number = counts.get(key, 0)
        if number:
            parts.append(f"{number} {one if number == 1 else many}")
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def content_counts(data: dict[str, Any]) -> dict[str, int]:
    """How many of each thing an export holds (notes counted one by one, lists as lists)."""
    lists = [item for item in data.get("lists", []) if isinstance(item, dict)]
    notes = sum(len(item.get("items") or []) for item in lists if item.get("name") == NOTES)
    return {
        "commands": len(data.get("commands", [])),
        "aliases": len(data.get("aliases", [])),
        "preferences": len(data.get("preferences", [])),
        "lists": sum(1 for item in lists if item.get("name") != NOTES),
        "notes": notes,
        "learned": len(data.get("rewrites", [])) + len(data.get("offers", [])),
        "timers": len(data.get("timers", [])),
    }


def describe_contents(data: dict[str, Any]) -> str:
    """'3 commands, 2 aliases, 5 notes and 1 running timer, and the settings'."""
    said = say_counts(content_counts(data)) or "nothing taught or learned yet"
    return said + (", and the settings" if isinstance(data.get("settings"), dict) else "")


@dataclass
class ImportReport:
    """What an import did, or why it did nothing."""

    ok: bool = True
    added: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    """Things already stored exactly as in the file."""
    replaced: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    """Things left out because they are over (timers already due)."""
    left_out: dict[str, int] = field(default_factory=dict)
    """Things left out because they were not asked for (running timers, the settings)."""
    settings: Settings | None = None
    """The file's settings, checked, when ``with_settings`` was asked; the caller saves them."""
    kept_note: str = ""
    """Set by the caller when a later step (saving the settings) failed after the commit."""
    conflicts: list[str] = field(default_factory=list)
    """Things stored differently; nothing is written unless ``replace`` was asked."""
    errors: list[str] = field(default_factory=list)
    """Problems with the file itself; nothing is written."""

    def count(self, bucket: dict[str, int], section: str) -> None:
        bucket[section] = bucket.get(section, 0) + 1

    def summary(self, *, flags: bool = True) -> str:
        """One paragraph: what was imported, what was already there, what was left out
        (``flags``: name the command-line options that would bring the rest)."""
        if self.errors:
            shown = "; ".join(self.errors[:3])
            more = f" (and {len(self.errors) - 3} more)" if len(self.errors) > 3 else ""
            return f"Nothing imported: {shown}{more}."
        if not self.ok:
            return (
                "Nothing imported: these differ from what is stored (use --replace to take the "
                "file's version):\n  " + "\n  ".join(self.conflicts)
            )
        added = say_counts(_spoken(self.added))
        if self.settings is not None:
            added = f"{added}, and the settings" if added else "the settings"
        text = "Imported " + (added or "nothing new")
        replaced = say_counts(_spoken(self.replaced))
        if replaced:
            text += "; replaced " + replaced
        same = sum(self.unchanged.values())
        if same:
            text += f" ({same} already there)"
        text += "."
        if self.left_out.get("timers"):
            number = self.left_out["timers"]
            text += (
                f" Left out {say_counts({'timers': number})}: "
                f"{'it belongs' if number == 1 else 'they belong'} to the home that set "
                f"{'it' if number == 1 else 'them'}" + (" (--with-timers brings them)." if flags else ".")
            )
        if self.left_out.get("settings"):
            text += " Left out the file's settings" + (" (--with-settings brings them)." if flags else ".")
        if self.skipped.get("timers"):
            text += f" {say_counts({'timers': self.skipped['timers']}).replace('running ', '')} already over."
        if self.kept_note:
            text += " " + self.kept_note
        return text

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "added": self.added,
            "unchanged": self.unchanged,
            "replaced": self.replaced,
            "skipped": self.skipped,
            "left_out": self.left_out,
            "settings": self.settings is not None,
            "conflicts": self.conflicts,
            "errors": self.errors,
        }


# --- export ---------------------------------------------------------------------------


def write_export(path: Path, data: dict[str, Any]) -> None:
    """Write an export as JSON, readable by the user only, through a temporary file renamed
    into place (an existing file keeps no old mode and is never left half written).
    Raises OSError."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
    os.replace(partial, path)


def export_all(store: Store, *, now: float | None = None, settings: Settings | None = None) -> dict[str, Any]:
    """The whole of what was taught and learned, as a JSON-ready dict (with ``settings``
    when given)."""
    at = time.time() if now is None else now
    db = store.db
    data = {
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
    if settings is not None:
        data["settings"] = asdict(settings)
    return data


# --- import ---------------------------------------------------------------------------


def import_all(
    store: Store,
    data: Any,
    *,
    replace: bool = False,
    known_intents: Collection[str] | None = None,
    now: float | None = None,
    with_timers: bool = False,
    with_settings: bool = False,
) -> ImportReport:
    """Check ``data`` (an export), then write all of it in one transaction, or none of it.

    ``replace`` lets the file win where it differs from what is stored;
    ``known_intents``, when given, rejects command steps nobody can run. Running
    timers are written only ``with_timers``; the settings are checked always and
    returned in the report (for the caller to save) only ``with_settings``. Every
    section is checked even when it is left out: a damaged file is refused whole.
    """
    at = time.time() if now is None else now
    report = ImportReport()
    sections = _check_document(data, report)
    if report.errors:
        report.ok = False
        return report
    plan = _Plan(store, report, replace, known_intents, at, with_timers)
    for section in SECTIONS:
        for item in sections[section]:
            try:
                getattr(plan, f"check_{section}")(item)
            except (ValueError, TypeError, KeyError) as error:
                report.errors.append(f"{section}: {error}")
    settings = _check_settings(data, report)
    if report.errors or (report.conflicts and not replace):
        report.ok = False
        report.added.clear()
        report.replaced.clear()
        return report
    if settings is not None:
        if with_settings:
            report.settings = settings
        else:
            report.left_out["settings"] = 1
    with store.transaction():
        for write in plan.writes:
            write()
    return report


def _check_document(data: Any, report: ImportReport) -> dict[str, list[dict[str, Any]]]:
    sections: dict[str, list[dict[str, Any]]] = {section: [] for section in SECTIONS}
    if not isinstance(data, dict):
        report.errors.append("the file is not a JSON object")
        return sections
    problem = _scan(data)
    if problem is not None:
        report.errors.append(problem)
        return sections
    if data.get("format") not in (None, FORMAT):
        report.errors.append(f"unknown format {data.get('format')!r}, expected {FORMAT!r}")
    version = data.get("format_version", FORMAT_VERSION)
    if isinstance(version, bool) or not isinstance(version, int) or version > FORMAT_VERSION:
        report.errors.append(f"format version {version!r} is newer than this assistant ({FORMAT_VERSION})")
    for section in SECTIONS:
        items = data.get(section, [])
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            report.errors.append(f"{section}: expected a list of objects")
            continue
        sections[section] = items
    return sections


def _scan(data: Any) -> str | None:
    """The first thing in the document no export can hold, or None."""
    problem = json_problem(data, MAX_DEPTH)
    return None if problem is None else "the file " + problem.removeprefix("it ")


def _check_settings(data: dict[str, Any], report: ImportReport) -> Settings | None:
    """The file's settings through the one settings schema; None when it has none."""
    if "settings" not in data:
        return None
    try:
        return Settings.from_dict(data["settings"], "the file")
    except ConfigError as error:
        message = str(error).rstrip(".")
        report.errors.append(message[:1].lower() + message[1:])
        return None


def _spoken(counts: dict[str, int]) -> dict[str, int]:
    """Report buckets (one per section, notes apart) -> the words ``say_counts`` knows."""
    spoken = {key: n for key, n in counts.items() if key in NOUNS}
    spoken["learned"] = counts.get("rewrites", 0) + counts.get("offers", 0)
    return spoken


def _shown(item: dict[str, Any]) -> str:
    text = json.dumps(item, ensure_ascii=False)
    return text if len(text) <= 80 else text[:79] + "…"


def _text(item: dict[str, Any], key: str, *, longest: int = MAX_TEXT) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{key!r} must be a non-empty text in {_shown(item)}")
    if len(value) > longest:
        raise ValueError(f"{key!r} is longer than {longest} characters in {_shown(item)}")
    return value.strip()


def _optional_text(item: dict[str, Any], key: str, default: str = "", *, longest: int = MAX_TEXT) -> str:
    value = item.get(key)
    if value is None:
        return default
    if not isinstance(value, str) or len(value) > longest:
        raise ValueError(f"{key!r} must be a text of at most {longest} characters in {_shown(item)}")
    return value


def _number(item: dict[str, Any], key: str, default: float | None = None) -> float:
    value = item.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{key!r} must be a number in {_shown(item)}")
    return float(value)


def _moment(item: dict[str, Any], key: str, default: float) -> float:
    """A Unix time between 1970 and the year 3000."""
    value = _number(item, key, default)
    if not 0 <= value <= LATEST_TIME:
        raise ValueError(f"{key!r} is not a time: {value!r} in {_shown(item)}")
    return value


def _count(item: dict[str, Any], key: str) -> int:
    value = item.get(key, 0)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 1_000_000_000:
        raise ValueError(f"{key!r} must be a count (a whole number, 0 or more) in {_shown(item)}")
    return value


def _choice(item: dict[str, Any], key: str, choices: Collection[str], default: str) -> str:
    value = item.get(key)
    if value is None or value == "":
        return default
    if value not in choices:
        raise ValueError(f"{key!r} must be one of {', '.join(choices)}, not {value!r}")
    return str(value)


class _Plan:
    """Checks each imported thing against the store and queues its write."""

    def __init__(
        self,
        store: Store,
        report: ImportReport,
        replace: bool,
        known_intents: Collection[str] | None,
        now: float,
        with_timers: bool,
    ) -> None:
        self.store, self.report, self.replace, self.known, self.now = (
            store,
            report,
            replace,
            known_intents,
            now,
        )
        self.with_timers = with_timers
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
        key, value = _text(item, "key", longest=200), _text(item, "value")
        category = _optional_text(item, "category", "general", longest=100) or "general"
        source = _optional_text(item, "source", "import", longest=100) or "import"
        _moment(item, "created_at", self.now)
        _moment(item, "updated_at", self.now)
        self._once("preferences", key)
        stored = self.preferences.get(key)
        if stored is not None and not self._differs("preferences", key, stored.value, value):
            return
        if stored is None:
            self.report.count(self.report.added, "preferences")
        self.writes.append(lambda: self.preferences.set(key, value, category, source, now=self.now))

    def check_commands(self, item: dict[str, Any]) -> None:
        name, triggers, steps, source = command_from_dict(item)
        for text in [name, *triggers, *(step.text for step in steps)]:
            if len(text) > MAX_TEXT:
                raise ValueError(f"command {name[:40]!r}: a text is longer than {MAX_TEXT} characters")
        _moment(item, "created_at", self.now)
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
        phrase, target = _text(item, "phrase", longest=1000), _text(item, "target", longest=1000)
        source = _optional_text(item, "source", "import", longest=100) or "import"
        _moment(item, "created_at", self.now)
        self._once("aliases", phrase)
        stored = self.aliases.get(phrase)
        if stored is not None and not self._differs("aliases", phrase, stored.target, target):
            return
        if stored is None:
            self.report.count(self.report.added, "aliases")
        self.writes.append(lambda: self.aliases.save(phrase, target, source, now=self.now))

    def check_lists(self, item: dict[str, Any]) -> None:
        name = _text(item, "name", longest=200)
        self._once("lists", name)
        items = item.get("items", [])
        if not isinstance(items, list):
            raise ValueError(f"list {name!r}: items must be a list")
        entries: list[tuple[str, float]] = []
        for entry in items:
            if isinstance(entry, str):
                entry = {"text": entry}
            if not isinstance(entry, dict):
                raise ValueError(f"list {name!r}: each item must be a text, not {entry!r}")
            entries.append((_text(entry, "text"), _moment(entry, "created_at", self.now)))
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
        if name == NOTES:
            self.report.added["notes"] = self.report.added.get("notes", 0) + len(new)
        else:
            self.report.count(self.report.added, "lists")
        created = _moment(item, "created_at", self.now)

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
        kind = _text(item, "kind", longest=20)
        due_at = _number(item, "due_at")
        duration = item.get("duration_seconds")
        label = _optional_text(item, "label", longest=500)
        message = _optional_text(item, "message", longest=500)
        try:
            check_timer(kind, due_at, now=self.now, label=label, message=message, duration_seconds=duration)
        except TimerError as error:
            raise ValueError(f"{error} in {_shown(item)}") from None
        row = {
            "kind": kind,
            "label": label,
            "message": message,
            "duration_seconds": None if duration is None else float(duration),
            "due_at": due_at,
            "created_at": _moment(item, "created_at", self.now),
            "state": ACTIVE_TIMER,
            "fired_at": None,
        }
        if due_at <= self.now:
            self.report.count(self.report.skipped, "timers")
            return
        if not self.with_timers:
            self.report.count(self.report.left_out, "timers")
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
        source_text = _text(item, "source_text", longest=1000)
        target_text = _text(item, "target_text", longest=1000)
        self._once("rewrites", f"{source_text} -> {target_text}")
        probability = _number(item, "probability", 0.0)
        if not 0.0 <= probability <= 1.0:
            raise ValueError(f"'probability' must be from 0 to 1 in {_shown(item)}")
        row = {
            "source_text": source_text,
            "target_text": target_text,
            "status": _choice(item, "status", REWRITE_STATUSES, "candidate"),
            "successes": _count(item, "successes"),
            "failures": _count(item, "failures"),
            "probability": probability,
            "evidence_json": json.dumps(item.get("evidence")),
            "created_at": _moment(item, "created_at", self.now),
            "updated_at": _moment(item, "updated_at", self.now),
        }
        if self.store.db.execute(
            "select 1 from rewrites where source_text = ? and target_text = ?", [source_text, target_text]
        ).fetchone():
            self.report.count(self.report.unchanged, "rewrites")
            return
        self.report.count(self.report.added, "rewrites")
        self.writes.append(lambda: self._insert("rewrites", row))

    def check_offers(self, item: dict[str, Any]) -> None:
        kind, key = _text(item, "kind", longest=100), _text(item, "key", longest=1000)
        self._once("offers", f"{kind}/{key}")
        data = item.get("data") or {}
        if not isinstance(data, dict):
            raise ValueError(f"'data' must be an object in {_shown(item)}")
        row = {
            "kind": kind,
            "key": key,
            "status": _choice(item, "status", (OFFERED, ACCEPTED, DECLINED), OFFERED),
            "offered": _count(item, "offered"),
            "accepted": _count(item, "accepted"),
            "declined": _count(item, "declined"),
            "last_at": _moment(item, "last_at", self.now),
            "data_json": json.dumps(data),
        }
        if self.store.db.execute("select 1 from offers where kind = ? and key = ?", [kind, key]).fetchone():
            self.report.count(self.report.unchanged, "offers")
            return
        self.report.count(self.report.added, "offers")
        self.writes.append(lambda: self._insert("offers", row))

    def _insert(self, table: str, row: dict[str, Any]) -> None:
        with self.store.transaction() as db:
            db.table(table).insert(row)


def _command_text(triggers: list[str], steps: list[CommandStep]) -> str:
    return json.dumps({"triggers": sorted(triggers), "steps": [s.text for s in steps]})
