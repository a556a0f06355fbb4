"""Fixtures for the API tests: a home with a short path, a stand-in assistant, its server."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator

import pytest

from assistant.api.server import ApiServer
from assistant.config import Home
from assistant.memory.store import Store
from tests.api.helpers import StandInAssistant


@pytest.fixture
def short_home(monkeypatch: pytest.MonkeyPatch) -> Iterator[Home]:
    """A home with a short path: Unix socket paths are limited to about 100 characters."""
    folder = tempfile.mkdtemp(prefix="api-", dir="/tmp")
    monkeypatch.setenv("ASSISTANT_HOME", folder)
    yield Home.locate(folder).ensure()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def stand_in(short_home: Home) -> Iterator[StandInAssistant]:
    store = Store(short_home.database_file)
    yield StandInAssistant(store)
    store.close()


@pytest.fixture
def server(short_home: Home, stand_in: StandInAssistant) -> Iterator[ApiServer]:
    with ApiServer(stand_in, short_home.socket_path, status=lambda: {"voice": "off"}) as running:
        yield running
