"""Fixtures for the privacy tests: a folder other users can enter, a second user, running serve."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from assistant.api.client import ApiClient, ApiUnavailable
from assistant.config import Home
from tests.commands import HANG_GUARD_SECONDS

# What the second user runs: it tries to read every path and connect to every socket it is
# given, and reports what worked. Standard library only, for a Python that user can run.
PROBE = """
import json, os, socket, sys
request = json.loads(sys.argv[1])
opened = []
for path in request["paths"]:
    try:
        if os.path.isdir(path):
            os.listdir(path)
        else:
            with open(path, "rb") as handle:
                handle.read(1)
        opened.append(path)
    except OSError:
        pass
connected = []
for path in request["sockets"]:
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.connect(path)
        connected.append(path)
    except OSError:
        pass
    finally:
        connection.close()
print(json.dumps({"uid": os.geteuid(), "opened": opened, "connected": connected}))
"""


def environment_without_a_home() -> dict[str, str]:
    """Every command gets ``--home``; nothing falls back on a home from the environment."""
    return {name: value for name, value in os.environ.items() if name != "ASSISTANT_HOME"}


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def everything_under(folder: Path) -> list[Path]:
    """``folder`` and every path below it, without following links."""
    found = [folder]
    for parent, folders, files in os.walk(folder):
        found += [Path(parent) / name for name in folders + files]
    return found


def open_to_others(paths: list[Path]) -> dict[str, str]:
    """The paths group or others have any bit on, with their modes (empty when all are private)."""
    return {str(path): oct(mode(path)) for path in paths if not path.is_symlink() and mode(path) & 0o077}


@contextmanager
def a_shared_folder() -> Iterator[Path]:
    """A folder everyone may enter and list (0755), under /tmp so socket paths stay short."""
    folder = Path(tempfile.mkdtemp(prefix="privacy-", dir="/tmp"))
    os.chmod(folder, 0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    with a_shared_folder() as folder:
        yield folder


@dataclass
class OtherUser:
    """A second account on this machine, created for the test and removed after it."""

    name: str
    uid: int
    gid: int
    python: str

    def probe(self, paths: list[Path], sockets: Sequence[Path] = ()) -> dict[str, object]:
        """What this user can open of ``paths`` and connect to of ``sockets``."""
        request = json.dumps({"paths": [str(p) for p in paths], "sockets": [str(s) for s in sockets]})
        done = subprocess.run(
            [self.python, "-c", PROBE, request],
            user=self.uid,
            group=self.gid,
            extra_groups=[],
            cwd="/",
            env={"PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            timeout=HANG_GUARD_SECONDS,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        result: dict[str, object] = json.loads(done.stdout)
        assert result["uid"] == self.uid, "the probe must run as the other user, not as root"
        return result


@pytest.fixture(scope="module")
def other_user() -> Iterator[OtherUser]:
    if os.name != "posix" or os.geteuid() != 0:
        pytest.skip("creating a second user needs root (these tests run as root in CI)")
    if shutil.which("useradd") is None or shutil.which("userdel") is None:
        pytest.skip("useradd/userdel are not installed here")
    python = _python_everyone_can_run()
    if python is None:
        pytest.skip("no Python outside the test's own (private) install for the second user to run")
    name = f"asstprobe{os.getpid() % 100000}"
    created = subprocess.run(
        ["useradd", "--create-home", "--user-group", "--shell", "/usr/sbin/nologin", name],
        capture_output=True,
        text=True,
        timeout=HANG_GUARD_SECONDS,
        check=False,
    )
    if created.returncode != 0:
        pytest.skip(f"useradd failed: {created.stderr.strip()}")
    try:
        import pwd

        entry = pwd.getpwnam(name)
        yield OtherUser(name, entry.pw_uid, entry.pw_gid, python)
    finally:
        subprocess.run(
            ["userdel", "--remove", name], capture_output=True, timeout=HANG_GUARD_SECONDS, check=False
        )


def _python_everyone_can_run() -> str | None:
    for candidate in ("/usr/bin/python3", "/usr/local/bin/python3", sys.executable):
        real = os.path.realpath(candidate)
        if (
            os.path.isfile(real)
            and all(os.stat(parent).st_mode & 0o001 for parent in Path(real).parents)
            and os.stat(real).st_mode & 0o001
        ):
            return candidate
    return None


class Serving:
    """``assistant serve --no-voice`` running on a home (on ``socket`` if given), until ``stop()``."""

    def __init__(self, home: Path, socket: Path | None = None) -> None:
        self.socket = socket or Home.locate(home).socket_path
        extra = ["--socket", str(socket)] if socket else []
        self._output = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "assistant", "--home", str(home), "serve", "--no-voice", *extra],
            stdout=self._output,
            stderr=subprocess.STDOUT,
            env=environment_without_a_home(),
        )

    def output(self) -> str:
        self._output.seek(0)
        return self._output.read().decode("utf-8", "replace")

    def wait_until_answering(self) -> None:
        deadline = time.monotonic() + HANG_GUARD_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"assistant serve ended with {self.process.returncode}:\n{self.output()}")
            try:
                with ApiClient(self.socket, timeout=HANG_GUARD_SECONDS) as client:
                    client.ping()
                return
            except ApiUnavailable:
                time.sleep(0.2)
        pytest.fail(f"assistant serve did not answer within {HANG_GUARD_SECONDS:g} s:\n{self.output()}")

    def stop(self) -> int:
        self.process.terminate()
        try:
            return self.process.wait(HANG_GUARD_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()
        finally:
            self._output.close()
