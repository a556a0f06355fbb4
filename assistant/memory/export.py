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

Each section's repository gives its rows (``export_rows``) and checks one imported
item against what it stores (``check_import``, with ``import_fields``): the SQL of a
table stays in its module. This module drives them and owns the file's header, the
report and the one transaction.
"""

from __future__ import annotations

import functools
import json
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
from assistant.memory.commands import CommandRepository
from assistant.memory.import_fields import Planned, Standing
from assistant.memory.learned import check_rewrite_import, export_rewrites
from assistant.memory.lists import NOTES, ListRepository
from assistant.memory.offers import OfferRepository
from assistant.memory.preferences import PreferenceRepository
from assistant.memory.schema import SCHEMA_VERSION
from assistant.memory.store import Store
from assistant.memory.timers import TimerRepository

FORMAT = "desk-assistant-export"
FORMAT_VERSION = 1
SECTIONS = ("preferences", "commands", "aliases", "lists", "timers", "rewrites", "offers")
MAX_DEPTH = 32
"""An export nests about six deep; anything much deeper is not one."""
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

    def count(self, bucket: dict[str, int], section: str, amount: int = 1) -> None:
        bucket[section] = bucket.get(section, 0) + amount

    def bucket(self, standing: Standing) -> dict[str, int]:
        """The counts a checked item of this standing goes into."""
        buckets = {
            "added": self.added,
            "unchanged": self.unchanged,
            "replaced": self.replaced,
            "skipped": self.skipped,
            "left_out": self.left_out,
        }
        return buckets[standing]

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
    data = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema_version": SCHEMA_VERSION,
        "exported_at": datetime.fromtimestamp(at, timezone.utc).isoformat(timespec="seconds"),
        "preferences": PreferenceRepository(store).export_rows(),
        "commands": CommandRepository(store).export_rows(),
        "aliases": AliasRepository(store).export_rows(),
        "lists": ListRepository(store).export_rows(),
        "timers": TimerRepository(store).export_rows(at),
        "rewrites": export_rewrites(store),
        "offers": OfferRepository(store).export_rows(),
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
    writes = _plan(store, sections, report, replace, known_intents, at, with_timers)
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
        for write in writes:
            write()
    return report


def _plan(
    store: Store,
    sections: dict[str, list[dict[str, Any]]],
    report: ImportReport,
    replace: bool,
    known_intents: Collection[str] | None,
    now: float,
    with_timers: bool,
) -> list[Callable[[], object]]:
    """Have each section's repository check its items, count the answers into ``report``
    and return the writes, in the order of the file."""
    seen: dict[str, set[str]] = {section: set() for section in SECTIONS}
    phrases: dict[str, str] = {}  # each command phrase met in the file -> its command
    checks: dict[str, Callable[[dict[str, Any]], Planned]] = {
        "preferences": functools.partial(
            PreferenceRepository(store).check_import, now=now, seen=seen["preferences"]
        ),
        "commands": functools.partial(
            CommandRepository(store).check_import,
            now=now,
            seen=seen["commands"],
            phrases=phrases,
            known_intents=known_intents,
            replace=replace,
        ),
        "aliases": functools.partial(AliasRepository(store).check_import, now=now, seen=seen["aliases"]),
        "lists": functools.partial(ListRepository(store).check_import, now=now, seen=seen["lists"]),
        "timers": functools.partial(TimerRepository(store).check_import, now=now, with_timers=with_timers),
        "rewrites": functools.partial(check_rewrite_import, store, now=now, seen=seen["rewrites"]),
        "offers": functools.partial(OfferRepository(store).check_import, now=now, seen=seen["offers"]),
    }
    writes = []
    for section in SECTIONS:
        for item in sections[section]:
            try:
                planned = checks[section](item)
            except (ValueError, TypeError, KeyError) as error:
                report.errors.append(f"{section}: {error}")
                continue
            report.conflicts.extend(planned.conflicts)
            report.count(report.bucket(planned.standing), planned.counted or section, planned.amount)
            if planned.write is not None:
                writes.append(planned.write)
    return writes


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
