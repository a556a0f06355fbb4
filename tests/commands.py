"""Running ``assistant`` commands in real processes, as a user types them."""

from __future__ import annotations

import os
import subprocess
import sys

HEAVY_MODULES = (  # what a command that never answers a request must not import
    "numpy",
    "sklearn",
    "scipy",
    "hassil",
    "sqlite_utils",
    "onnxruntime",
    "yaml",
    "vosk",
    "pocketsphinx",
    "sounddevice",
    "textual",
    "assistant.core",
    "assistant.nlu",
    "assistant.memory",
)


HANG_GUARD_SECONDS = 240.0
"""Limit for one command in a test: only there to end a hang, never a measure of speed
(below pytest-timeout's 300 s, so a hang is reported by what hung)."""


def run_assistant(
    *args: str, input: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``assistant ARGS`` in a real process, as a user would type it."""
    done = subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        input=input,
        capture_output=True,
        text=True,
        timeout=HANG_GUARD_SECONDS,
        env=env if env is not None else dict(os.environ),
        check=False,
    )
    assert_no_traceback(done.stderr)
    return done


def assert_no_traceback(stderr: str) -> None:
    """A command may fail, but a person never sees a Python traceback: one line says what
    failed, and the log file keeps the details (strict mode makes a hidden bug raise, so it
    shows up here)."""
    if "Traceback (most recent call last)" in stderr:
        raise AssertionError(f"the command printed a traceback:\n{stderr[-3000:]}")
