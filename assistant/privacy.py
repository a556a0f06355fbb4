"""Keeping the assistant's files to its user: modes, the home check, who may give it code.

Three rules, each in one function here so the CLI, ``Home.ensure()``, the socket server
and the plug-in loader apply the same ones:

- The process creates files 0600 and folders 0700 (``private_umask``).
- At start, a home left too open by an older version is tightened (``make_home_private``),
  but only the entries the assistant itself keeps there: a folder given with ``--home``
  that also holds the user's other files (``$HOME``, ``/tmp``) is never changed.
- Code is run only from files and folders the user owns and no one else may write
  (``unsafe_code_problem``); the socket lives only in a folder the user owns that no one
  else may open (``shared_folder_problem``).
"""

from __future__ import annotations

import logging
import os
import stat
import threading
from pathlib import Path
from typing import Protocol


class Home(Protocol):
    """The folders of an assistant home (``config.Home``), as this module needs them."""

    @property
    def config_dir(self) -> Path: ...

    @property
    def data_dir(self) -> Path: ...

    @property
    def logs_dir(self) -> Path: ...


log = logging.getLogger(__name__)

PRIVATE_UMASK = 0o077
"""Group and others get no bits on anything the assistant creates."""

HOME_ENTRIES = frozenset(
    {
        "settings.json",
        "settings.tmp",
        "assistant.db",
        "assistant.db-wal",
        "assistant.db-shm",
        "assistant.db-journal",
        "assistant.sock",
        "logs",
        "models",
        "cache",
        "plugins",
        "plugin-sentences",
    }
)
"""What the assistant keeps in a home folder; only these are tightened in a folder it shares."""

CODE_ENTRIES = frozenset({"plugins"})
"""Entries holding code: their write bits are left for the plug-in loader to refuse, since
removing them would approve a file someone else may have changed."""

_READ_BITS = 0o055
"""Group and other read and search (execute) bits."""

_checked: set[tuple[Path, ...]] = set()
_checked_lock = threading.Lock()


def private_umask() -> None:
    """Make the process create files 0600 and folders 0700 (stricter bits already set stay)."""
    if os.name != "posix":
        return
    previous = os.umask(PRIVATE_UMASK)
    os.umask(previous | PRIVATE_UMASK)


def notice(count: int) -> str:
    """The one line that tells the user their files were tightened."""
    files = "1 file" if count == 1 else f"{count} files"
    return f"Made your assistant's files private (they were readable by other users of this machine): {files}"


def make_home_private(home: Home) -> int:
    """Tighten a too-open home once per process; log what was done. Returns how many paths changed.

    Never raises: a path that cannot be changed (read-only disk, another owner) is left
    as it is and named in the log.
    """
    roots = _roots(home)
    with _checked_lock:
        if roots in _checked:
            return 0
        if all(root.is_dir() for root in roots):
            _checked.add(roots)
    changed = tighten(home)
    if changed:
        _log_notice(home, notice(len(changed)))
    return len(changed)


def tighten(home: Home) -> list[Path]:
    """Remove group and other bits from the assistant's own entries; the paths changed."""
    if os.name != "posix":
        return []
    changed: list[Path] = []
    for root in _roots(home):
        try:
            names = [entry.name for entry in os.scandir(root)]
        except OSError:
            continue  # not created yet, or not ours to read
        for name in sorted(names):
            if name in HOME_ENTRIES:
                _tighten_tree(root / name, keep_write=name in CODE_ENTRIES, changed=changed)
        if _root_is_ours(root, names):
            _tighten_one(root, keep_write=False, changed=changed)
    return changed


def _roots(home: Home) -> tuple[Path, ...]:
    return tuple(dict.fromkeys((home.config_dir, home.data_dir)))


def _root_is_ours(root: Path, names: list[str]) -> bool:
    """A home folder holding only the assistant's entries, not a folder the user shares with it."""
    if any(name not in HOME_ENTRIES for name in names):
        return False
    try:
        info = root.lstat()
    except OSError:
        return False
    if stat.S_ISLNK(info.st_mode) or info.st_mode & stat.S_ISVTX:
        return False
    try:
        user_home = Path.home()
    except RuntimeError:  # no $HOME and no password entry
        user_home = Path(root.anchor)
    return root not in (Path(root.anchor), user_home)


def _tighten_tree(top: Path, *, keep_write: bool, changed: list[Path]) -> None:
    _tighten_one(top, keep_write=keep_write, changed=changed)
    if not top.is_dir() or top.is_symlink():
        return
    for folder, subfolders, files in os.walk(top, onerror=lambda error: log.debug("%s", error)):
        for name in subfolders + files:
            _tighten_one(Path(folder) / name, keep_write=keep_write, changed=changed)


def _tighten_one(path: Path, *, keep_write: bool, changed: list[Path]) -> None:
    try:
        info = path.lstat()
    except OSError:
        return
    # Symbolic links have no modes of their own; other users' files are not ours to change.
    if stat.S_ISLNK(info.st_mode) or info.st_uid != os.geteuid():
        return
    mode = stat.S_IMODE(info.st_mode)
    unwanted = _READ_BITS if keep_write else 0o077
    if not mode & unwanted:
        return
    try:
        os.chmod(path, mode & ~unwanted, follow_symlinks=False)
    except (OSError, NotImplementedError) as error:
        log.warning("Could not make %s private: %s", path, error)
        return
    changed.append(path)


def _log_notice(home: Home, message: str) -> None:
    """Into the home's log file, also when the file log is not attached yet (the CLI at start)."""
    log.info(message)
    target = home.logs_dir / "assistant.log"
    root = logging.getLogger()
    if any(getattr(handler, "baseFilename", None) == str(target) for handler in root.handlers):
        return  # log.info above already reached it
    try:
        home.logs_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        handler = logging.FileHandler(target, encoding="utf-8")
    except OSError as error:
        log.debug("Privacy notice not logged: %s", error)
        return
    try:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handler.handle(log.makeRecord(log.name, logging.INFO, __file__, 0, message, (), None))
    finally:
        handler.close()


def unsafe_code_problem(info: os.stat_result, path: Path) -> str | None:
    """Why code in ``path`` (a file or folder, as ``info`` describes it) must not run, or None."""
    if os.name != "posix":
        return None
    if info.st_uid != os.geteuid():
        return (
            f"{path} belongs to {_user_name(info.st_uid)}, not to you, so it is not run; "
            f"if you trust it, make it yours: chown {_user_name(os.geteuid())} {path}"
        )
    if stat.S_IMODE(info.st_mode) & 0o022:
        return (
            f"{path} can be changed by other users, so it is not run; "
            f"if you trust its contents: chmod go-w {path}"
        )
    return None


def shared_folder_problem(folder: Path) -> str | None:
    """Why ``folder`` cannot hold something only the user may open (the API socket), or None."""
    try:
        info = folder.stat()
    except OSError as error:
        return f"{folder} cannot be used: {error.strerror}."
    if not stat.S_ISDIR(info.st_mode):
        return f"{folder} is not a folder."
    if os.name != "posix":
        return None
    mode = stat.S_IMODE(info.st_mode)
    if info.st_uid == os.geteuid() and not mode & 0o077:
        return None
    if info.st_uid != os.geteuid():
        why = f"belongs to {_user_name(info.st_uid)}"
    else:
        why = "can be opened by other users"
    remedy = (
        f"give a path in a folder that does not exist yet (it is created private), "
        f"e.g. --socket {folder / 'desk-assistant' / 'assistant.sock'}"
    )
    if info.st_uid == os.geteuid() and not mode & (stat.S_ISVTX | 0o002):
        remedy += f", or make this folder private: chmod 700 {folder}"
    return (
        f"{folder} {why}, so a socket there would not be private, and the assistant never "
        f"changes a folder it did not create: {remedy}."
    )


def _user_name(uid: int) -> str:
    try:
        import pwd

        return pwd.getpwuid(uid).pw_name
    except (ImportError, KeyError):
        return f"user {uid}"
