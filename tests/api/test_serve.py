"""``ask`` and ``chat`` against a real ``assistant serve``, and what happens when none runs.

One ``assistant serve`` process runs for the module on a real home. A test proves a turn
went through it by listening to its event stream: only that process publishes there.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils

from assistant.api.client import ApiClient, ApiUnavailable, connect_running
from assistant.config import Home
from tests.commands import HANG_GUARD_SECONDS, run_assistant

pytestmark = pytest.mark.slow


@dataclass
class Served:
    home: Home
    process: subprocess.Popen[bytes]
    env: dict[str, str]

    @property
    def folder(self) -> str:
        return str(self.home.config_dir)


def _environment_without_a_home() -> dict[str, str]:
    """Every command gets ``--home``; nothing falls back on a home from the environment."""
    return {name: value for name, value in os.environ.items() if name != "ASSISTANT_HOME"}


def _wait_until_serving(home: Home, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + HANG_GUARD_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"assistant serve ended with {process.returncode}:\n{log.read_text()}")
        try:
            connect_running(home).close()
            return
        except ApiUnavailable:
            time.sleep(0.2)
    pytest.fail(f"assistant serve did not answer within {HANG_GUARD_SECONDS:g} s:\n{log.read_text()}")


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    folder = tempfile.mkdtemp(prefix="serve-", dir="/tmp")  # a socket path must stay short
    home = Home.locate(folder).ensure()
    env = _environment_without_a_home()
    log = Path(folder) / "serve-output.txt"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "assistant", "serve", "--no-voice", "--home", folder],
            stdout=output,
            stderr=subprocess.STDOUT,
            env=env,
        )
    try:
        _wait_until_serving(home, process, log)
        yield Served(home, process, env)
    finally:
        process.terminate()
        try:
            process.wait(HANG_GUARD_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(folder, ignore_errors=True)


class EventListener:
    """Subscribed to the running assistant's events; yields what it understood, in order."""

    def __init__(self, home: Home) -> None:
        self.client = ApiClient(home.socket_path, timeout=HANG_GUARD_SECONDS)
        self.events = self.client.connect().events()

    def next_understood(self) -> str:
        for event in self.events:
            if event["type"] == "intent":
                text: str = event["data"]["text"]
                return text
        raise AssertionError("the event stream ended")

    def close(self) -> None:
        self.client.close()


@pytest.fixture
def listener(served: Served) -> Iterator[EventListener]:
    listening = EventListener(served.home)
    yield listening
    listening.close()


def _active_timers(home: Home) -> list[dict[str, Any]]:
    return list(sqlite_utils.Database(home.database_file)["timers"].rows_where("state = 'active'"))


def test_ask_goes_through_the_running_assistant(served: Served, listener: EventListener) -> None:
    done = run_assistant("ask", "what is 6 times 7", "--home", served.folder, env=served.env)
    assert done.returncode == 0, done.stderr
    assert "42" in done.stdout
    assert listener.next_understood() == "what is 6 times 7"


def test_chat_goes_through_it_and_keeps_the_conversation(served: Served, listener: EventListener) -> None:
    done = run_assistant(
        "chat", "--json", "--home", served.folder, input="set a timer\nfive minutes\n", env=served.env
    )
    assert done.returncode == 0, done.stderr
    assert [listener.next_understood(), listener.next_understood()] == ["set a timer", "five minutes"]
    assert [round(timer["duration_seconds"]) for timer in _active_timers(served.home)] == [300]


def test_local_answers_in_its_own_process(served: Served, listener: EventListener) -> None:
    done = run_assistant("ask", "--local", "what is 3 plus 3", "--home", served.folder, env=served.env)
    assert done.returncode == 0, done.stderr
    assert "6" in done.stdout
    with ApiClient(served.home.socket_path, timeout=HANG_GUARD_SECONDS) as client:
        client.ask("what is 4 plus 4")  # a marker: the first turn the running one saw since
    assert listener.next_understood() == "what is 4 plus 4"


@pytest.fixture
def stale_home() -> Iterator[Home]:
    """A home whose socket file was left behind by an assistant that crashed."""
    folder = tempfile.mkdtemp(prefix="stale-", dir="/tmp")
    home = Home.locate(folder).ensure()
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(home.socket_path))
    stale.close()
    yield home
    shutil.rmtree(folder, ignore_errors=True)


def test_a_socket_left_by_a_crash_is_ignored_and_ask_answers_itself(stale_home: Home) -> None:
    done = run_assistant(
        "ask", "what is 2 plus 2", "--home", str(stale_home.config_dir), env=_environment_without_a_home()
    )
    assert done.returncode == 0, done.stderr
    assert "4" in done.stdout


def test_remote_refuses_a_socket_left_by_a_crash(stale_home: Home) -> None:
    done = run_assistant(
        "ask", "--remote", "hi", "--home", str(stale_home.config_dir), env=_environment_without_a_home()
    )
    assert done.returncode == 3
    assert "No assistant is serving" in done.stderr
