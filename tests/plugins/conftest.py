"""Fixtures for plug-in tests: a home with a plug-ins folder, registries to load into."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.config import Home, Settings
from assistant.devices import DeviceRegistry
from assistant.memory.store import Store
from assistant.plugins.loader import PluginStatus, load_plugins
from assistant.skills.base import SkillContext, SystemClock
from assistant.skills.registry import SkillRegistry

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


class Loaded:
    """What one load_plugins() call produced."""

    def __init__(self, home: Home, settings: Settings | None = None, timeout: float = 5.0) -> None:
        self.registry = SkillRegistry()
        self.registry.load_builtin()
        self.devices = DeviceRegistry()
        self.statuses = load_plugins(
            home, self.registry, self.devices, settings or Settings(), entry_points=[], timeout=timeout
        )

    def status(self, name: str) -> PluginStatus:
        return next(status for status in self.statuses if status.name == name)


@pytest.fixture
def write_plugin(home: Home) -> Callable[[str, str], Path]:
    """write_plugin("name", source) puts a plug-in file in the home's plug-ins folder."""

    def write(name: str, source: str) -> Path:
        path = home.plugins_dir / f"{name}.py"
        path.write_text(textwrap.dedent(source), encoding="utf-8")
        return path

    return write


@pytest.fixture
def load(home: Home) -> Callable[..., Loaded]:
    return lambda settings=None, timeout=5.0: Loaded(home, settings, timeout)


@pytest.fixture
def context(home: Home) -> SkillContext:
    store = Store(home.database_file)
    return SkillContext(store=store, devices=DeviceRegistry(), clock=SystemClock(), settings=Settings())
