"""The one SQLite database: opening, checking, migrating, transactions.

Every part of the assistant reaches SQLite through a ``Store``. It uses WAL
so the voice loop, the UI and scripts can share the file, foreign keys, and
a busy timeout so a short lock waits instead of failing.

Crash safety: every write goes through :meth:`Store.transaction`, which is
``BEGIN IMMEDIATE`` ... ``COMMIT`` (nested calls become savepoints), and
``synchronous = FULL`` makes a commit durable before it returns, so a change
whose confirmation was shown survives a killed process or a power cut.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from assistant.memory.schema import MIGRATIONS, SCHEMA_VERSION

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000


class StoreError(Exception):
    """The database cannot be used; the message says what to do."""


WRITE_FAILURES: tuple[type[Exception], ...] = (StoreError, sqlite3.OperationalError)
"""What a write can raise when the disk is full, the file is read-only or stays locked
(inside a transaction SQLite's own error comes through; at BEGIN/COMMIT a StoreError)."""


class Store:
    """Open (creating or migrating) the database at ``path``.

    Nothing is written to an existing file before it has been checked: a
    foreign or damaged file is left exactly as it was.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        _refuse_foreign_file(self.path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        """Serialises this process's writers (other processes wait on SQLite's busy timeout)."""
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        try:
            _check_readable(self.db)
            self._refuse_newer()
            self.db.execute("PRAGMA journal_mode = WAL")
            self._migrate()
        except StoreError:
            self.close()
            raise
        except sqlite3.DatabaseError as error:
            self.close()
            raise _explain(self.path, error) from error

    @property
    def db(self) -> sqlite_utils.Database:
        """This thread's connection: the voice loop, timers and UI workers each read and write
        through their own, so one thread's read never lands inside another's transaction."""
        database: sqlite_utils.Database | None = getattr(self._local, "db", None)
        if database is None:
            try:
                connection = sqlite3.connect(
                    str(self.path),
                    check_same_thread=False,
                    timeout=BUSY_TIMEOUT_MS / 1000,
                    isolation_level=None,
                )
                connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                connection.execute("PRAGMA foreign_keys = ON")
                connection.execute("PRAGMA synchronous = FULL")
            except sqlite3.Error as error:
                raise StoreError(f"Cannot open the database {self.path}: {error}.") from error
            with self._lock:
                self._connections.append(connection)
            database = sqlite_utils.Database(connection)
            self._local.db = database
            self._local.depth = 0
        return database

    @property
    def _depth(self) -> int:
        return int(getattr(self._local, "depth", 0))

    @_depth.setter
    def _depth(self, value: int) -> None:
        self._local.depth = value

    @property
    def version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def _refuse_newer(self) -> None:
        version = self.version
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"The database {self.path} was written by a newer version of the assistant "
                f"(schema {version}, this one knows {SCHEMA_VERSION}). Upgrade the assistant, "
                "or point --home at another folder."
            )

    def _migrate(self) -> None:
        version = self.version
        self._refuse_newer()
        if version == SCHEMA_VERSION:
            return
        if version > 0:
            self.backup(self.path.with_name(f"{self.path.name}.v{version}.bak"))
        with self.transaction():
            # Re-read inside the write lock: another process may have migrated meanwhile.
            for step in range(self.version, SCHEMA_VERSION):
                MIGRATIONS[step](self.db)
                self.db.execute(f"PRAGMA user_version = {step + 1}")

    def backup(self, target: Path) -> Path:
        """A consistent copy of the whole database (WAL included) at ``target``."""
        target = Path(target)
        partial = target.with_name(target.name + ".partial")
        destination = sqlite3.connect(str(partial))
        try:
            with self._lock:
                self.db.conn.backup(destination)
        finally:
            destination.close()
        partial.replace(target)
        return target

    @contextmanager
    def transaction(self) -> Iterator[sqlite_utils.Database]:
        """All writes inside happen together or not at all.

        Nested calls (in the same thread) become savepoints of the outer
        transaction, so repositories can be combined into one atomic change.
        """
        with self._lock:
            if self._depth:
                name = f"nested_{self._depth}"
                self.db.execute(f"SAVEPOINT {name}")
                self._depth += 1
                try:
                    yield self.db
                except BaseException:
                    self.db.execute(f"ROLLBACK TO SAVEPOINT {name}")
                    self.db.execute(f"RELEASE SAVEPOINT {name}")
                    raise
                else:
                    self.db.execute(f"RELEASE SAVEPOINT {name}")
                finally:
                    self._depth -= 1
                return
            try:
                self.db.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as error:
                raise _explain(self.path, error) from error
            self._depth = 1
            try:
                yield self.db
            except BaseException:
                if self.db.conn.in_transaction:
                    self.db.execute("ROLLBACK")
                raise
            else:
                try:
                    self.db.execute("COMMIT")
                except sqlite3.OperationalError as error:
                    if self.db.conn.in_transaction:
                        self.db.execute("ROLLBACK")
                    raise _explain(self.path, error) from error
            finally:
                self._depth = 0

    def integrity_ok(self) -> bool:
        return self.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    def close(self) -> None:
        with self._lock:
            for connection in self._connections:
                connection.close()
            self._connections.clear()
        self._local = threading.local()

    def now(self) -> float:
        return time.time()


def _refuse_foreign_file(path: Path) -> None:
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not a database file. Point --home at another folder.")
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb") as handle:
        header = handle.read(16)
    if header != SQLITE_HEADER:
        raise StoreError(
            f"{path} is not an SQLite database, so the assistant will not touch it. "
            "Move it away (or use --home with another folder) and start again."
        )


def _check_readable(db: sqlite_utils.Database) -> None:
    """Read the schema and check the pages before anything is written.

    ``quick_check`` takes milliseconds on a desk assistant's database and turns
    "damaged somewhere" into a clear message now instead of a failure later.
    """
    db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    result = db.execute("PRAGMA quick_check(1)").fetchone()
    if result is None or result[0] != "ok":
        raise sqlite3.DatabaseError(f"database disk image is malformed: {result[0] if result else '?'}")


def _explain(path: Path, error: sqlite3.DatabaseError) -> StoreError:
    message = str(error)
    if "locked" in message or "busy" in message:
        return StoreError(
            f"The database {path} stayed locked for more than {BUSY_TIMEOUT_MS // 1000} s. "
            "Another program is holding it: close it and try again."
        )
    if "unable to open" in message or "readonly" in message or "read-only" in message:
        return StoreError(
            f"Cannot write the database {path} ({message}). Check that the folder exists "
            "and that you may write to it."
        )
    if not any(sign in message for sign in ("malformed", "not a database", "encrypted", "corrupt")):
        return StoreError(f"The database {path} could not do that ({message}). Nothing was changed.")
    return StoreError(
        f"The database {path} is damaged ({message}). It was left as it is. "
        f"Restore a backup (files named {path.name}.v*.bak beside it, or an export), "
        "or move it away to start afresh."
    )
