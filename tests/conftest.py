"""Fixtures shared by every test: a fresh assistant home in a temporary folder."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from assistant.config import Home

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"

# Strict mode: what production logs and survives (a failing turn, hook or subscriber of our own)
# raises in tests, here and in every assistant process a test starts, so no bug hides behind a
# polite reply. Tests of that polite reply use the ``lenient`` fixture.
os.environ["ASSISTANT_STRICT"] = "1"
# Every assistant process a test starts appends any traceback that reaches its top here; the
# session fails if one did (a person must never see one: one line on the console, details in
# the log).
TRACEBACKS = Path(tempfile.gettempdir()) / f"assistant-test-tracebacks-{os.getpid()}.txt"
os.environ["ASSISTANT_TRACEBACKS"] = str(TRACEBACKS)
TRACEBACKS.unlink(missing_ok=True)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if not TRACEBACKS.exists():
        return
    shown = TRACEBACKS.read_text(encoding="utf-8", errors="replace")
    TRACEBACKS.unlink()
    if shown.strip():
        print(f"\nA command started by the tests printed a Python traceback:\n{shown[-6000:]}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture
def lenient(monkeypatch: pytest.MonkeyPatch) -> None:
    """Production behaviour: failures inside a turn are logged and become polite replies."""
    monkeypatch.delenv("ASSISTANT_STRICT", raising=False)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Home:
    """A new, empty assistant home; ASSISTANT_HOME points at it for subprocesses."""
    folder = tmp_path / "home"
    monkeypatch.setenv("ASSISTANT_HOME", str(folder))
    return Home.locate(folder).ensure()
