"""A full disk in the middle of a turn: what committed stays, and the turn says exactly that.

The database is made "full" with SQLite's ``max_page_count`` on the assistant's own
connection (no tmpfs or root needed): the history table is filled to the last page,
so the action's small write still fits and the turn's history row does not.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest

from assistant.config import Home
from assistant.core import Assistant, open_assistant


@pytest.fixture
def nearly_full(home: Home) -> Iterator[Assistant]:
    assistant = open_assistant(home, plugins=False)
    assistant.handle_text("what time is it")  # every table has its first page
    db = assistant.store.db
    pages = db.execute("pragma page_count").fetchone()[0]
    db.execute(f"pragma max_page_count = {pages + 2}")
    with pytest.raises(sqlite3.OperationalError, match="full"):
        while True:
            db.execute("insert into turns (text) values (?)", ["x" * 200])
    yield assistant
    assistant.close()


def test_an_action_kept_before_the_disk_filled_is_said_to_be_kept(nearly_full: Assistant) -> None:
    turn = nearly_full.handle_text("set a pasta timer for 10 minutes")
    assert turn.reply == "Pasta timer set for 10 minutes."
    assert turn.outcome == "success"
    assert turn.notices == [
        "That was done and stays done, but I couldn't write it in the history (database or disk is full)."
    ]
    assert [row["label"] for row in nearly_full.store.db["timers"].rows] == ["pasta"]


def test_the_conversation_goes_on_after_a_failed_write(nearly_full: Assistant) -> None:
    nearly_full.handle_text("set a pasta timer for 10 minutes")
    turn = nearly_full.handle_text("how much time is left")
    assert turn.reply == "The pasta timer has 10 minutes left."
    assert "history" in turn.notices[0]
