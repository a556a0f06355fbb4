"""The user's actions as a time line, for routines and follow-up suggestions.

An action is a successful turn that did something. Two actions are "the
same" when they have the same intent and the same slot values, so "set the
lamp to full" and "desk lamp 100 percent" count together.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from assistant.turn import TurnSource

IGNORED_PREFIXES = ("dialogue.", "learning.", "teach.", "teaching.", "help.", "preferences.", "prefs.")
"""Conversation, teaching and help are not things one does as a habit."""
SPOKEN_SOURCES = frozenset(TurnSource) - {TurnSource.DIALOGUE, TurnSource.SUGGESTION}
"""Turns whose words stand on their own (an answer to a question does not)."""


def step_key(intent: str, slots: dict[str, Any]) -> str:
    """One key per (intent, slot values)."""
    return intent + json.dumps(slots, sort_keys=True, default=str)


@dataclass(frozen=True)
class ActionEvent:
    """One action the user had done."""

    at: float
    key: str
    intent: str
    slots_json: str
    text: str
    spoken: bool
    """The text is a whole request (not the answer to a slot question)."""

    @property
    def slots(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads(self.slots_json)
        return loaded


def action_events(rows: Iterable[dict[str, Any]]) -> list[ActionEvent]:
    """Action events from ``learned.action_rows``, oldest first."""
    events = []
    for row in rows:
        intent = row["intent"] or ""
        if not intent or intent.startswith(IGNORED_PREFIXES):
            continue
        events.append(
            ActionEvent(
                at=row["started_at"],
                key=step_key(intent, row["slots"]),
                intent=intent,
                slots_json=json.dumps(row["slots"], sort_keys=True, default=str),
                text=row["text"] or "",
                spoken=(row["source"] or "") in SPOKEN_SOURCES,
            )
        )
    events.sort(key=lambda event: event.at)
    return events


def consecutive_pairs(
    events: list[ActionEvent], window_seconds: float
) -> list[tuple[ActionEvent, ActionEvent]]:
    """Each action with the next one when it followed within the window (and differs)."""
    pairs = []
    for first, second in zip(events, events[1:], strict=False):
        if second.at - first.at <= window_seconds and first.key != second.key:
            pairs.append((first, second))
    return pairs


def usual_text(events: Iterable[ActionEvent], key: str) -> str | None:
    """The words the user most often used for ``key`` (whole requests only)."""
    texts = Counter(event.text for event in events if event.key == key and event.spoken and event.text)
    return texts.most_common(1)[0][0] if texts else None


def day_of(timestamp: float) -> tuple[int, int]:
    """Local (year, day of year)."""
    local = time.localtime(timestamp)
    return local.tm_year, local.tm_yday
