"""``serve --socket PATH`` never changes a folder it did not create."""

from __future__ import annotations

import os
from pathlib import Path

from tests.commands import run_assistant
from tests.privacy.conftest import Serving, environment_without_a_home, mode


def _serve(home: Path, socket: Path) -> tuple[int, str]:
    done = run_assistant(
        "--home", str(home), "serve", "--no-voice", "--socket", str(socket), env=environment_without_a_home()
    )
    return done.returncode, done.stderr


def test_a_socket_in_a_shared_folder_is_refused_and_the_folder_keeps_its_mode(
    shared_folder: Path, tmp_path: Path
) -> None:
    code, stderr = _serve(tmp_path / "home", shared_folder / "assistant.sock")
    assert code == 3
    assert f"{shared_folder} can be opened by other users" in stderr
    assert f"--socket {shared_folder / 'desk-assistant' / 'assistant.sock'}" in stderr
    assert "Traceback" not in stderr
    assert mode(shared_folder) == 0o755
    assert not (shared_folder / "assistant.sock").exists()


def test_a_world_writable_sticky_folder_like_tmp_is_refused_without_advice_to_chmod_it(
    shared_folder: Path, tmp_path: Path
) -> None:
    os.chmod(shared_folder, 0o1777)
    code, stderr = _serve(tmp_path / "home", shared_folder / "assistant.sock")
    assert code == 3
    assert "chmod" not in stderr
    assert mode(shared_folder) == 0o1777


def test_a_socket_in_a_new_folder_gets_a_private_folder_of_its_own(
    shared_folder: Path, tmp_path: Path
) -> None:
    socket = shared_folder / "desk-assistant" / "assistant.sock"
    serving = Serving(tmp_path / "home", socket)
    try:
        serving.wait_until_answering()
        assert mode(socket.parent) == 0o700
        assert mode(socket) == 0o600
    finally:
        assert serving.stop() == 0, serving.output()
    assert not socket.parent.exists()  # created for the socket, removed with it
    assert mode(shared_folder) == 0o755
