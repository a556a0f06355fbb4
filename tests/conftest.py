"""Fixtures shared by every test: a fresh assistant home in a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.config import Home

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Home:
    """A new, empty assistant home; ASSISTANT_HOME points at it for subprocesses."""
    folder = tmp_path / "home"
    monkeypatch.setenv("ASSISTANT_HOME", str(folder))
    return Home.locate(folder).ensure()
