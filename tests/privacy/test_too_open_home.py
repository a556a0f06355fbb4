"""A home an older version left readable by others is tightened at start, and the user is told once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assistant.config import Home
from assistant.privacy import make_home_private, notice, tighten
from tests.commands import run_assistant
from tests.privacy.conftest import environment_without_a_home, everything_under, mode, open_to_others

NOTICE_START = "Made your assistant's files private"


def _ask(home: Path, text: str = "what time is it") -> str:
    done = run_assistant("--home", str(home), "ask", text, env=environment_without_a_home())
    assert done.returncode == 0, done.stderr
    return done.stderr


def _loosen(paths: list[Path]) -> None:
    """As the first version left them: files 0644, folders 0755."""
    for path in paths:
        path.chmod(0o755 if path.is_dir() else 0o644)


@pytest.fixture
def old_home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    _ask(home, "take a note my bank PIN is 4321")
    (home / "cache").mkdir()
    (home / "cache" / "sentence-vectors.npz").write_bytes(b"stand-in")
    _loosen(everything_under(home))
    return home


def test_a_too_open_home_is_made_private_at_start(old_home: Path) -> None:
    loosened = everything_under(old_home)
    _ask(old_home)
    assert open_to_others(everything_under(old_home)) == {}
    assert mode(old_home) == 0o700
    assert mode(old_home / "assistant.db") == 0o600
    assert len(loosened) > 5


def test_the_user_is_told_once_in_one_line_and_in_the_log(old_home: Path) -> None:
    count = len(everything_under(old_home))
    first = _ask(old_home)
    assert [line for line in first.splitlines() if NOTICE_START in line] == [notice(count)]
    assert notice(count).endswith(f": {count} files")
    assert NOTICE_START not in _ask(old_home)
    logged = (old_home / "logs" / "assistant.log").read_text(encoding="utf-8")
    assert logged.count(NOTICE_START) == 1


def test_a_folder_the_user_shares_with_the_home_is_left_as_it_was(tmp_path: Path) -> None:
    shared = tmp_path / "projects"
    shared.mkdir()
    shared.chmod(0o755)
    notes = shared / "notes.txt"
    notes.write_text("mine\n")
    notes.chmod(0o644)
    _ask(shared, "take a note buy milk")
    _loosen([shared / "assistant.db", shared / "logs"])
    _ask(shared)
    assert mode(shared) == 0o755
    assert mode(notes) == 0o644
    assert mode(shared / "assistant.db") == 0o600
    assert mode(shared / "logs") == 0o700


def test_write_bits_on_plug_ins_are_left_for_the_loader_to_refuse(tmp_path: Path) -> None:
    home = Home.locate(tmp_path / "home").ensure()
    plugin = home.plugins_dir / "shared_tool.py"
    plugin.write_text("x = 1\n")
    plugin.chmod(0o664)
    assert tighten(home) == [plugin]
    assert mode(plugin) == 0o620  # unreadable to others, still refused until the user approves it


def test_home_ensure_creates_private_folders_and_a_private_umask(tmp_path: Path) -> None:
    home = Home.locate(tmp_path / "library" / "home").ensure()
    for folder in (home.data_dir, home.models_dir, home.plugins_dir, home.logs_dir):
        assert mode(folder) == 0o700
    current = os.umask(0o077)
    os.umask(current)
    assert current & 0o077 == 0o077


def test_home_ensure_tightens_an_old_home_for_library_users_and_logs_it(tmp_path: Path) -> None:
    folder = tmp_path / "home"
    (folder / "logs").mkdir(parents=True)
    database = folder / "assistant.db"
    database.write_bytes(b"")
    _loosen([folder, folder / "logs", database])
    Home.locate(folder).ensure()
    assert open_to_others(everything_under(folder)) == {}
    assert NOTICE_START in (folder / "logs" / "assistant.log").read_text(encoding="utf-8")
    assert make_home_private(Home.locate(folder)) == 0  # once per process
