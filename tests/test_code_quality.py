"""The tooling the style guide asks for runs with the tests: ruff (lint and format) and mypy
with untyped definitions refused. A failure names the files and lines to fix."""

from __future__ import annotations

import subprocess
import sys

from tests.commands import HANG_GUARD_SECONDS
from tests.conftest import ROOT


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True,
        timeout=HANG_GUARD_SECONDS, check=False,
    )  # fmt: skip


def test_ruff_finds_nothing_to_fix() -> None:
    done = run("ruff", "check", ".")
    assert done.returncode == 0, done.stdout[-4000:]


def test_the_code_is_formatted() -> None:
    done = run("ruff", "format", "--check", ".")
    assert done.returncode == 0, f"run `.venv/bin/ruff format .`:\n{done.stdout[-4000:]}"


def test_mypy_finds_no_type_errors_and_no_untyped_definitions() -> None:
    done = run("mypy", "assistant", "tui", "plugins/homeassistant/assistant_homeassistant")
    assert done.returncode == 0, done.stdout[-4000:]
