"""A home made by real commands is the user's alone: modes, and what a second user can reach.

The home is built in a folder everyone may enter, so the second user's failures come from
the home's own modes, not from a private folder above it (pytest's tmp_path is 0700).
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.commands import run_assistant
from tests.privacy.conftest import (
    OtherUser,
    Serving,
    a_shared_folder,
    environment_without_a_home,
    everything_under,
    mode,
    open_to_others,
)


@dataclass
class BuiltHome:
    shared: Path
    """The folder everyone may enter; the home and the export are in it."""
    home: Path
    export: Path


@pytest.fixture(scope="module")
def built_home() -> Iterator[BuiltHome]:
    with a_shared_folder() as shared:
        home, export = shared / "home", shared / "export.json"
        env = environment_without_a_home()
        noted = run_assistant("--home", str(home), "ask", "take a note my bank PIN is 4321", env=env)
        assert noted.returncode == 0, noted.stderr
        exported = run_assistant("--home", str(home), "export", str(export), env=env)
        assert exported.returncode == 0, exported.stderr
        serving = Serving(home)
        try:
            serving.wait_until_answering()
        finally:
            assert serving.stop() == 0, serving.output()
        yield BuiltHome(shared, home, export)


def test_every_path_in_a_home_made_by_commands_is_user_only(built_home: BuiltHome) -> None:
    paths = everything_under(built_home.home)
    assert built_home.home / "assistant.db" in paths
    assert built_home.home / "logs" / "assistant.log" in paths
    assert open_to_others(paths) == {}
    assert mode(built_home.home) == 0o700


def test_an_export_file_is_user_only(built_home: BuiltHome) -> None:
    assert mode(built_home.export) == 0o600


def test_nothing_is_told_about_privacy_in_a_home_that_was_always_private(built_home: BuiltHome) -> None:
    done = run_assistant(
        "--home", str(built_home.home), "ask", "what time is it", env=environment_without_a_home()
    )
    assert done.returncode == 0, done.stderr
    assert "private" not in done.stderr


@pytest.fixture
def serving(built_home: BuiltHome) -> Iterator[Serving]:
    running = Serving(built_home.home)
    try:
        running.wait_until_answering()
        yield running
    finally:
        running.stop()


@pytest.fixture
def readable_by_anyone(built_home: BuiltHome) -> Iterator[tuple[Path, Path]]:
    """A file and a socket everyone may use, beside the home: proof the probe can reach things."""
    readable = built_home.shared / "anyone-may-read.txt"
    readable.write_text("hello\n")
    readable.chmod(0o644)
    listening = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    public_socket = built_home.shared / "public.sock"
    listening.bind(str(public_socket))
    public_socket.chmod(0o777)
    listening.listen(1)
    try:
        yield readable, public_socket
    finally:
        listening.close()
        public_socket.unlink()
        readable.unlink()


def test_a_second_user_can_read_nothing_in_the_home_nor_the_export(
    built_home: BuiltHome, other_user: OtherUser, readable_by_anyone: tuple[Path, Path]
) -> None:
    readable, _ = readable_by_anyone
    paths = everything_under(built_home.home) + [built_home.export]
    result = other_user.probe([readable, *paths])
    assert result["opened"] == [str(readable)]


def test_a_second_user_cannot_connect_to_a_running_serve(
    serving: Serving, other_user: OtherUser, readable_by_anyone: tuple[Path, Path]
) -> None:
    _, public_socket = readable_by_anyone
    assert serving.socket.is_socket()
    result = other_user.probe([], sockets=[public_socket, serving.socket])
    assert result["connected"] == [str(public_socket)]
