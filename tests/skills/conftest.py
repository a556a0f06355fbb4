"""Fixtures for skill tests: a real store in the temporary home, a clock the test moves."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest

from assistant.config import Home, Settings
from assistant.devices import DeviceRegistry
from assistant.memory.store import Store
from assistant.skills.base import ActionRequest, ActionResult, SkillContext
from assistant.skills.registry import SkillRegistry

MONDAY_10AM = datetime(2025, 3, 3, 10, 0)


class FakeClock:
    """A clock that only moves when the test says so."""

    def __init__(self, start: datetime = MONDAY_10AM) -> None:
        self.time = start.timestamp()

    def now(self) -> float:
        return self.time

    def advance(self, seconds: float) -> None:
        self.time += seconds

    def local(self) -> datetime:
        return datetime.fromtimestamp(self.time)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(home: Home) -> Iterator[Store]:
    opened = Store(home.database_file)
    yield opened
    opened.close()


@pytest.fixture
def context(store: Store, clock: FakeClock) -> SkillContext:
    return SkillContext(store=store, devices=DeviceRegistry(), clock=clock, settings=Settings())


@pytest.fixture
def registry() -> SkillRegistry:
    loaded = SkillRegistry()
    loaded.load_builtin()
    return loaded


@pytest.fixture
def run(registry: SkillRegistry, context: SkillContext) -> Any:
    """run("timer.set", duration=600) -> ActionResult, through the registry like the assistant does."""

    def call(intent: str, text: str = "", **slots: Any) -> ActionResult:
        return registry.dispatch(ActionRequest(intent=intent, slots=slots, text=text), context, 2.0)

    return call
