"""An assistant in a fresh home, and a helper to talk to it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.config import Home
from assistant.core import Assistant, open_assistant
from assistant.turn import TurnResult


@pytest.fixture
def assistant(home: Home) -> Iterator[Assistant]:
    opened = open_assistant(home, plugins=False)
    yield opened
    opened.close()


def say(assistant: Assistant, text: str, session: str = "test") -> TurnResult:
    return assistant.handle_text(text, session)


def timers(assistant: Assistant) -> list[tuple[str, float]]:
    rows = assistant.store.db.query("select label, duration_seconds from timers where state = 'active'")
    return [(row["label"], row["duration_seconds"]) for row in rows]
