"""Data passed into and out of the understanding stage."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assistant.turn import TurnSource


@dataclass
class IntentCandidate:
    """One reading of a request: which intent, with which slots, how sure."""

    intent: str | None
    """None means out of scope ("I don't know")."""
    slots: dict[str, Any] = field(default_factory=dict)
    """Resolved slot values: catalogue names resolved to canonical values,
    durations in seconds (int), times as ISO strings, numbers as int/float."""
    confidence: float = 0.0
    """Calibrated 0..1."""
    source: TurnSource = TurnSource.MODEL
    """RULES (exact template match), MODEL (learned) or FUZZY (a template, a name close to a known one)."""
    raw_slots: dict[str, str] = field(default_factory=dict)
    """The words each slot came from, before resolution."""
    unresolved: list[str] = field(default_factory=list)
    """Slots whose words matched nothing in their catalogue."""


@dataclass
class UnderstandingContext:
    """What the ranking may use besides the words."""

    previous_intents: list[str] = field(default_factory=list)
    """Most recent first."""
    device_states: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Device id -> state."""
    hour: int | None = None
    """Local hour of day, 0..23."""
    preferences: dict[str, str] = field(default_factory=dict)
    expected_intents: list[str] = field(default_factory=list)
    """Intents the dialogue expects next (boosted)."""
