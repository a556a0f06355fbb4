"""Context re-ranking: one small, documented scoring function.

``score = confidence + boosts`` where the boosts are

* ``EXPECTED_BOOST`` when the dialogue expects the intent next;
* ``PREVIOUS_BOOST`` when it was the previous turn's intent (``RECENT_BOOST`` if
  it was among the three before);
* ``DEVICE_BOOST`` when a slot names a device whose state is on/active;
* ``HOUR_BOOST`` when the intent's metadata ``hours: [from, to]`` contains the hour.

Preferences fill missing slots: a preference named ``"<Intent>.<slot>"`` or
``"<slot>"`` ("genre": "jazz") becomes that slot's value, marked in
``raw_slots`` as ``"(preference)"``. Exact rule matches (confidence 1.0) stay first
whatever the boosts; rule matches that needed a wildcard compete on confidence.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from assistant.nlu.types import IntentCandidate, UnderstandingContext

EXPECTED_BOOST = 0.15
PREVIOUS_BOOST = 0.05
RECENT_BOOST = 0.02
DEVICE_BOOST = 0.05
HOUR_BOOST = 0.03
_ACTIVE = {"on", "open", "playing", "active", "heating", "running", "true"}


def _device_active(state: Mapping[str, Any]) -> bool:
    for key in ("state", "on", "power", "status"):
        value = state.get(key)
        if value is True or str(value).lower() in _ACTIVE:
            return True
    return False


def context_boost(
    candidate: IntentCandidate,
    context: UnderstandingContext,
    intent_hours: Mapping[str, tuple[int, int]] | None = None,
) -> float:
    """How much the context raises one candidate (0 for out-of-scope)."""
    intent = candidate.intent
    if intent is None:
        return 0.0
    boost = 0.0
    if intent in context.expected_intents:
        boost += EXPECTED_BOOST
    if context.previous_intents[:1] == [intent]:
        boost += PREVIOUS_BOOST
    elif intent in context.previous_intents[:3]:
        boost += RECENT_BOOST
    if context.device_states and any(
        isinstance(value, str)
        and value in context.device_states
        and _device_active(context.device_states[value])
        for value in candidate.slots.values()
    ):
        boost += DEVICE_BOOST
    hours = (intent_hours or {}).get(intent)
    if hours is not None and context.hour is not None:
        start, end = hours
        inside = (
            start <= context.hour <= end if start <= end else (context.hour >= start or context.hour <= end)
        )
        if inside:
            boost += HOUR_BOOST
    return boost


def fill_from_preferences(
    candidate: IntentCandidate, slot_names: Sequence[str], preferences: Mapping[str, str]
) -> None:
    """Fill the candidate's missing slots from the user's preferences."""
    if candidate.intent is None:
        return
    for slot in slot_names:
        if slot in candidate.slots:
            continue
        for key in (f"{candidate.intent}.{slot}", slot):
            if key in preferences:
                candidate.slots[slot] = preferences[key]
                candidate.raw_slots[slot] = "(preference)"
                break


def rerank(
    candidates: list[IntentCandidate],
    context: UnderstandingContext | None,
    intent_hours: Mapping[str, tuple[int, int]] | None = None,
) -> list[IntentCandidate]:
    """Apply the context boosts and sort: template matches first (exact ones first), then by confidence."""
    if context is not None:
        for candidate in candidates:
            if candidate.source != "rules":
                candidate.confidence = min(
                    1.0, candidate.confidence + context_boost(candidate, context, intent_hours)
                )
    # Every template match (wildcards included) outranks model guesses: "when I say X, set a
    # timer" is a teaching sentence even though the model reads a timer in its words.
    return sorted(candidates, key=lambda c: (c.source != "rules", c.confidence < 1.0, -c.confidence))
