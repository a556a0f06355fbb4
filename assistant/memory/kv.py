"""Small named values in the ``kv`` table (JSON), e.g. where a guided session stopped."""

from __future__ import annotations

import json
from typing import Any

from assistant.memory.store import Store


def get_value(store: Store, key: str, default: Any = None) -> Any:
    row = store.db.execute("select value_json from kv where key = ?", [key]).fetchone()
    return default if row is None else json.loads(row[0] or "null")


def set_value(store: Store, key: str, value: Any) -> None:
    with store.transaction() as db:
        db.execute(
            "INSERT INTO kv (key, value_json) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json",
            [key, json.dumps(value, default=str)],
        )


def delete_value(store: Store, key: str) -> bool:
    with store.transaction() as db:
        return db.execute("DELETE FROM kv WHERE key = ?", [key]).rowcount > 0
