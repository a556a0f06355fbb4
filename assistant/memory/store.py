"""The one SQLite database: opening, checking, migrating, transactions.

Every part of the assistant reaches SQLite through a ``Store``. It uses WAL
so the voice loop, the UI and scripts can share the file, foreign keys, and
a busy timeout so a short lock waits instead of failing.
"""

from __future__ import annotations

import shutil
import sqlite3
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import sqlite_utils

from assistant.memory.schema import MIGRATIONS, SCHEMA_VERSION

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000


class StoreError(Exception):
    """The database cannot be used; the message says what to do."""


class Store:
    """Open (creating or migrating) the database at ``path``."""

    def __init__(self, path: Path | str, *, check_same_thread: bool = False) -> None:
        self.path = Path(path)
        _refuse_foreign_file(self.path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            connection = sqlite3.connect(
                str(self.path), check_same_thread=check_same_thread, timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,
            )
        except sqlite3.Error as error:
            raise StoreError(f"Cannot open the database {self.path}: {error}.") from error
        self.db = sqlite_utils.Database(connection)
        self._lock = threading.RLock()
        try:
            self.db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("PRAGMA journal_mode = WAL")
            self.db.execute("PRAGMA synchronous = NORMAL")
            self._migrate()
        except sqlite3.DatabaseError as error:
            connection.close()
            raise _explain(self.path, error) from error

    @property
    def version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        version = self.version
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"The database {self.path} was written by a newer version of the assistant "
                f"(schema {version}, this one knows {SCHEMA_VERSION}). Upgrade the assistant, "
                "or point --home at another folder."
            )
        if version == SCHEMA_VERSION:
            return
        if version > 0:
            backup = self.path.with_name(f"{self.path.name}.v{version}.bak")
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            shutil.copy2(self.path, backup)
        with self.transaction():
            # Re-read inside the write lock: another process may have migrated meanwhile.
            for step in range(self.version, SCHEMA_VERSION):
                MIGRATIONS[step](self.db)
                self.db.execute(f"PRAGMA user_version = {step + 1}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite_utils.Database]:
        """All writes inside happen together or not at all."""
        with self._lock:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            else:
                self.db.execute("COMMIT")

    def integrity_ok(self) -> bool:
        return self.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    def close(self) -> None:
        self.db.conn.close()

    def now(self) -> float:
        return time.time()


def _refuse_foreign_file(path: Path) -> None:
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb") as handle:
        header = handle.read(16)
    if header != SQLITE_HEADER:
        raise StoreError(
            f"{path} is not an SQLite database, so the assistant will not touch it. "
            "Move it away (or use --home with another folder) and start again."
        )


def _explain(path: Path, error: sqlite3.DatabaseError) -> StoreError:
    message = str(error)
    if "locked" in message or "busy" in message:
        return StoreError(
            f"The database {path} stayed locked for more than {BUSY_TIMEOUT_MS // 1000} s. "
            "Another program is holding it: close it and try again."
        )
    if isinstance(error, StoreError):
        return error
    return StoreError(
        f"The database {path} is damaged ({message}). It was left as it is. "
        f"Restore a backup (files named {path.name}.v*.bak beside it, or an export), "
        "or move it away to start afresh."
    )
