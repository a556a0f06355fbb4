"""The store: crash-safe settings, nested transactions, migrations, clear errors."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from assistant.memory import store as store_module
from assistant.memory.schema import MIGRATIONS, SCHEMA_VERSION
from assistant.memory.store import Store, StoreError

EXPECTED_TABLES = {
    "preferences", "commands", "command_triggers", "command_steps", "aliases", "timers", "lists",
    "list_items", "turns", "kv", "rewrites", "offers", "device_states", "changes",
}  # fmt: skip


def build_database(path: Path, version: int) -> None:
    """A database as an older assistant left it: migrations up to ``version`` only."""
    db = sqlite_utils.Database(path)
    for step in range(version):
        MIGRATIONS[step](db)
    db.execute(f"PRAGMA user_version = {version}")
    db.conn.commit()
    db.close()


def test_new_database_has_every_table_and_the_current_version(tmp_path: Path) -> None:
    store = Store(tmp_path / "a.db")
    assert store.version == SCHEMA_VERSION
    assert EXPECTED_TABLES <= set(store.db.table_names())
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.integrity_ok()


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION))
def test_every_earlier_version_migrates_keeping_data_and_a_backup(tmp_path: Path, version: int) -> None:
    path = tmp_path / "old.db"
    build_database(path, version)
    db = sqlite_utils.Database(path)
    db["preferences"].insert(
        {
            "category": "identity",
            "key": "user_name",
            "value": "Sam",
            "source": "said",
            "created_at": 1.0,
            "updated_at": 1.0,
        }
    )
    db["aliases"].insert(
        {"phrase": "lights out", "target": "cancel all timers", "source": "ui", "created_at": 1.0}
    )
    db.conn.commit()
    db.close()

    store = Store(path)

    assert store.version == SCHEMA_VERSION
    assert EXPECTED_TABLES <= set(store.db.table_names())
    assert [r["value"] for r in store.db["preferences"].rows] == ["Sam"]
    assert [r["phrase"] for r in store.db["aliases"].rows] == ["lights out"]
    backup = path.with_name(f"old.db.v{version}.bak")
    assert backup.exists()
    assert sqlite_utils.Database(backup).execute("PRAGMA user_version").fetchone()[0] == version


def test_migration_keeps_one_of_two_identical_triggers(tmp_path: Path) -> None:
    path = tmp_path / "v3.db"
    build_database(path, 3)
    db = sqlite_utils.Database(path)
    db["commands"].insert({"id": 1, "name": "a"})
    db["commands"].insert({"id": 2, "name": "b"})
    db["command_triggers"].insert_all([{"command_id": 1, "phrase": "go"}, {"command_id": 2, "phrase": "go"}])
    db.conn.commit()
    db.close()
    store = Store(path)
    assert [(r["command_id"], r["phrase"]) for r in store.db["command_triggers"].rows] == [(1, "go")]


def test_a_newer_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    build_database(path, SCHEMA_VERSION)
    db = sqlite_utils.Database(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer version"):
        Store(path)
    assert path.read_bytes() == before


def test_a_foreign_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "assistant.db"
    path.write_text("my shopping notes, not a database\n" * 20)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not an SQLite database"):
        Store(path)
    assert path.read_bytes() == before
    assert not Path(str(path) + "-wal").exists()


def test_a_damaged_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "assistant.db"
    store = Store(path)
    with store.transaction() as db:
        db["kv"].insert_all({"key": f"k{i}", "value_json": "x" * 500} for i in range(200))
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.db.execute("PRAGMA journal_mode = DELETE")
    store.close()
    data = bytearray(path.read_bytes())
    page = 4096
    data[page * 2 : page * 6] = b"\xa5" * (page * 4)  # wreck a few pages, keep the header
    path.write_bytes(bytes(data))
    before = path.read_bytes()
    with pytest.raises(StoreError, match="damaged") as raised:
        Store(path)
    assert "left as it is" in str(raised.value)
    assert path.read_bytes() == before


def test_a_lock_held_too_long_gives_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "assistant.db"
    Store(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 200)
        store = Store(path)
        with pytest.raises(StoreError, match="stayed locked"):
            with store.transaction() as db:
                db["kv"].insert({"key": "a", "value_json": "1"})
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_nested_transactions_roll_back_only_the_inner_part(tmp_path: Path) -> None:
    store = Store(tmp_path / "a.db")
    with store.transaction() as db:
        db["kv"].insert({"key": "outer", "value_json": "1"})
        with pytest.raises(ValueError):
            with store.transaction() as inner:
                inner["kv"].insert({"key": "inner", "value_json": "1"})
                raise ValueError("changed my mind")
    assert [row["key"] for row in store.db["kv"].rows] == ["outer"]


def test_a_failed_transaction_writes_nothing(tmp_path: Path) -> None:
    store = Store(tmp_path / "a.db")
    with pytest.raises(RuntimeError):
        with store.transaction() as db:
            db["kv"].insert({"key": "a", "value_json": "1"})
            raise RuntimeError("crash")
    assert store.db["kv"].count == 0
    other = Store(tmp_path / "a.db")
    assert other.db["kv"].count == 0
