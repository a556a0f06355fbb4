"""Checking one item of an imported export, shared by the repositories that own the rows.

Each repository checks its own section's items with these validators (one message
per problem, naming the field and showing the item) and answers with a ``Planned``:
where the item stands against the store and the write that would bring it in.
``assistant.memory.export`` drives them and counts the answers into its report.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any, Literal

MAX_TEXT = 10_000
"""Longest single text accepted (a preference value, a step, a list item)."""
LATEST_TIME = 32_503_680_000.0
"""1 January 3000: later "times" are damage, not dates."""

Standing = Literal["added", "unchanged", "replaced", "skipped", "left_out"]
"""The report bucket an item is counted in (see ``ImportReport``)."""


@dataclass(frozen=True)
class Planned:
    """One checked item: where it stands against the store, and how to write it."""

    standing: Standing
    write: Callable[[], object] | None = None
    """None when nothing is to be written (already stored, over, or left out)."""
    conflicts: tuple[str, ...] = ()
    """How it differs from what is stored; the import stops unless the file may win."""
    counted: str = ""
    """The report's word for it when not its section's own (list items are "notes")."""
    amount: int = 1


def against(
    section: str,
    key: str,
    stored: str | None,
    incoming: str,
    write: Callable[[], object],
    conflicts: Sequence[str] = (),
) -> Planned:
    """A thing with a key: new, stored the same (``stored == incoming``), or different."""
    if stored is None:
        return Planned("added", write, tuple(conflicts))
    if stored == incoming:
        return Planned("unchanged", None, tuple(conflicts))
    differs = f"{section} {key!r}: stored {stored!r}, file has {incoming!r}"
    return Planned("replaced", write, (*conflicts, differs))


def once(seen: set[str], key: str) -> None:
    """Refuse a key the file already had in the same section."""
    if key in seen:
        raise ValueError(f"{key!r} appears twice")
    seen.add(key)


def shown(item: dict[str, Any]) -> str:
    text = json.dumps(item, ensure_ascii=False)
    return text if len(text) <= 80 else text[:79] + "…"


def text(item: dict[str, Any], key: str, *, longest: int = MAX_TEXT) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{key!r} must be a non-empty text in {shown(item)}")
    if len(value) > longest:
        raise ValueError(f"{key!r} is longer than {longest} characters in {shown(item)}")
    return value.strip()


def optional_text(item: dict[str, Any], key: str, default: str = "", *, longest: int = MAX_TEXT) -> str:
    value = item.get(key)
    if value is None:
        return default
    if not isinstance(value, str) or len(value) > longest:
        raise ValueError(f"{key!r} must be a text of at most {longest} characters in {shown(item)}")
    return value


def number(item: dict[str, Any], key: str, default: float | None = None) -> float:
    value = item.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{key!r} must be a number in {shown(item)}")
    return float(value)


def moment(item: dict[str, Any], key: str, default: float) -> float:
    """A Unix time between 1970 and the year 3000; ``default`` when missing or null (rows
    written before the column was filled export their time as null)."""
    value = default if item.get(key) is None else number(item, key)
    if not 0 <= value <= LATEST_TIME:
        raise ValueError(f"{key!r} is not a time: {value!r} in {shown(item)}")
    return value


def count(item: dict[str, Any], key: str) -> int:
    value = item.get(key, 0)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 1_000_000_000:
        raise ValueError(f"{key!r} must be a count (a whole number, 0 or more) in {shown(item)}")
    return value


def choice(item: dict[str, Any], key: str, choices: Collection[str], default: str) -> str:
    value = item.get(key)
    if value is None or value == "":
        return default
    if value not in choices:
        raise ValueError(f"{key!r} must be one of {', '.join(choices)}, not {value!r}")
    return str(value)
