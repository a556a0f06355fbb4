"""Named lists (shopping, to-do, notes) in the ``lists`` and ``list_items`` tables.

List names are kept in a normal form ("my Shopping List" -> "shopping") so
the same list is found however it is said. Notes are the list ``notes``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process

from assistant.memory import import_fields as fields
from assistant.memory.store import Store

NOTES = "notes"
# Below this similarity, "remove bread" does not remove "butter".
MATCH_THRESHOLD = 80


@dataclass
class ListItem:
    """One entry of a list."""

    id: int
    text: str
    created_at: float


def normalise_list_name(name: str) -> str:
    """'my Shopping List' -> 'shopping'; 'to-do' -> 'to do'; 'notes'/'note' -> 'notes'."""
    # "to-do", "todo" and "to do" are one list however the recognizer spells it.
    words = name.lower().replace("'s", "").replace("-", " ").replace("todo", "to do").split()
    while words and words[0] in ("my", "the", "a", "our"):
        words = words[1:]
    if words and words[-1] == "list" and len(words) > 1:
        words = words[:-1]
    cleaned = " ".join(words).strip()
    if cleaned in ("note", "notes"):
        return NOTES
    return cleaned


class ListRepository:
    """Read and change lists; every SQL statement about lists is here."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def names(self) -> list[str]:
        return [row["name"] for row in self.store.db.query("select name from lists order by name")]

    def _list_id(self, name: str) -> int | None:
        row = self.store.db.execute("select id from lists where name = ?", [name]).fetchone()
        return None if row is None else int(row[0])

    def add(self, list_name: str, text: str, *, now: float) -> ListItem:
        """Add an item, creating the list if needed."""
        name = normalise_list_name(list_name)
        text = text.strip()
        if not name:
            raise ValueError("A list needs a name.")
        if not text:
            raise ValueError("There is nothing to add.")
        with self.store.transaction() as db:
            list_id = self._list_id(name)
            if list_id is None:
                table = db.table("lists")
                table.insert({"name": name, "created_at": now})
                list_id = int(table.last_pk)  # type: ignore[arg-type]
            items = db.table("list_items")
            items.insert({"list_id": list_id, "text": text, "created_at": now})
            item_id = int(items.last_pk)  # type: ignore[arg-type]
        return ListItem(id=item_id, text=text, created_at=now)

    def create(self, list_name: str, *, now: float) -> bool:
        """Make an empty list; False when one of that name exists already."""
        name = normalise_list_name(list_name)
        if not name:
            raise ValueError("A list needs a name.")
        with self.store.transaction() as db:
            if self._list_id(name) is not None:
                return False
            db.table("lists").insert({"name": name, "created_at": now})
        return True

    def items(self, list_name: str) -> list[ListItem]:
        """Items in the order they were added; empty when the list does not exist."""
        list_id = self._list_id(normalise_list_name(list_name))
        if list_id is None:
            return []
        rows = self.store.db.query(
            "select id, text, created_at from list_items where list_id = ? order by id", [list_id]
        )
        return [ListItem(id=row["id"], text=row["text"], created_at=row["created_at"] or 0.0) for row in rows]

    def exists(self, list_name: str) -> bool:
        return self._list_id(normalise_list_name(list_name)) is not None

    def find(self, list_name: str, text: str) -> ListItem | None:
        """The item closest to ``text`` ("the oat milk" finds "oat milk"); None when nothing
        is close enough."""
        items = self.items(list_name)
        if not items:
            return None
        wanted = text.lower().strip()
        exact = next((item for item in items if item.text.lower() == wanted), None)
        if exact is not None:
            return exact
        choices = {item.id: item.text.lower() for item in items}
        best = process.extractOne(wanted, choices, scorer=fuzz.WRatio)
        if best is None or best[1] < MATCH_THRESHOLD:
            return None
        return next(item for item in items if item.id == best[2])

    def remove(self, list_name: str, text: str) -> ListItem | None:
        """Remove the item closest to ``text``; None when nothing is close enough."""
        item = self.find(list_name, text)
        if item is None:
            return None
        with self.store.transaction() as db:
            db.execute("delete from list_items where id = ?", [item.id])
        return item

    def remove_ids(self, item_ids: list[int]) -> list[str]:
        """Remove exactly these items (taking back an addition); returns the texts removed."""
        removed = []
        with self.store.transaction() as db:
            for item_id in item_ids:
                row = db.execute("select text from list_items where id = ?", [item_id]).fetchone()
                if row is not None:
                    db.execute("delete from list_items where id = ?", [item_id])
                    removed.append(str(row[0]))
        return removed

    def clear(self, list_name: str) -> int:
        """Remove every item; returns how many there were. The list itself stays."""
        list_id = self._list_id(normalise_list_name(list_name))
        if list_id is None:
            return 0
        with self.store.transaction() as db:
            return int(db.execute("delete from list_items where list_id = ?", [list_id]).rowcount)

    def export_rows(self) -> list[dict[str, Any]]:
        """Every list by name, with its items in the order they were added."""
        return [
            {
                "name": row["name"],
                "created_at": row["created_at"],
                "items": [
                    {"text": item["text"], "created_at": item["created_at"]}
                    for item in self.store.db.query(
                        "select text, created_at from list_items where list_id = ? order by id", [row["id"]]
                    )
                ],
            }
            for row in self.store.db.query("select id, name, created_at from lists order by name")
        ]

    def check_import(self, item: dict[str, Any], *, now: float, seen: set[str]) -> fields.Planned:
        """One list of an export: its items not stored yet are added, none is ever taken
        away, so a list never conflicts (raises ValueError). The name is taken as written."""
        name = fields.text(item, "name", longest=200)
        fields.once(seen, name)
        items = item.get("items", [])
        if not isinstance(items, list):
            raise ValueError(f"list {name!r}: items must be a list")
        entries: list[tuple[str, float]] = []
        for entry in items:
            if isinstance(entry, str):
                entry = {"text": entry}
            if not isinstance(entry, dict):
                raise ValueError(f"list {name!r}: each item must be a text, not {entry!r}")
            entries.append((fields.text(entry, "text"), fields.moment(entry, "created_at", now)))
        list_id = self._list_id(name)
        present = set()
        if list_id is not None:
            present = {
                row[0]
                for row in self.store.db.execute("select text from list_items where list_id = ?", [list_id])
            }
        new = [(text, at) for text, at in entries if text not in present]
        if list_id is not None and not new:
            return fields.Planned("unchanged")
        created = fields.moment(item, "created_at", now)

        def write() -> None:
            with self.store.transaction() as db:
                into = self._list_id(name)
                if into is None:
                    into = int(db.table("lists").insert({"name": name, "created_at": created}).last_pk or 0)
                for text, at in new:
                    db.table("list_items").insert({"list_id": into, "text": text, "created_at": at})

        if name == NOTES:
            return fields.Planned("added", write, counted="notes", amount=len(new))
        return fields.Planned("added", write)

    def delete(self, list_name: str) -> bool:
        list_id = self._list_id(normalise_list_name(list_name))
        if list_id is None:
            return False
        with self.store.transaction() as db:
            db.execute("delete from list_items where list_id = ?", [list_id])
            db.execute("delete from lists where id = ?", [list_id])
        return True
