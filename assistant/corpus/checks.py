"""Does a turn meet its expectations? Pure comparisons of what came back with what was
expected; reading the database is the runner's job (``observe``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from assistant.corpus.model import Effect, Expectation
from assistant.memory.lists import ListRepository
from assistant.memory.preferences import PreferenceRepository
from assistant.memory.store import Store
from assistant.memory.timers import TimerRepository
from assistant.nlu import numbers
from assistant.turn import TurnResult

SlotResolver = Callable[[str, str, str], Any]
"""(intent, slot, words) -> the value those words resolve to for that slot, or None."""


def same_value(expected: Any, value: Any) -> bool:
    """Equal as numbers when both are numbers, else as text, ignoring case."""
    if _number(expected) is not None and _number(value) is not None:
        return _number(expected) == _number(value)
    return str(expected).strip().lower() == str(value).strip().lower()


def slot_matches(
    expected: Any,
    value: Any,
    raw: str | None = None,
    resolved: Callable[[str], Any] | None = None,
) -> bool:
    """``expected`` is the value as resolved, or as said (its words resolve to the same value,
    or are the words the slot came from); a list gives alternatives."""
    if isinstance(expected, list):
        return any(slot_matches(e, value, raw, resolved) for e in expected)
    if same_value(expected, value) or (raw is not None and same_value(expected, raw)):
        return True
    if resolved is not None and isinstance(expected, str):
        reading = resolved(expected)
        return reading is not None and same_value(reading, value)
    return False


def turn_differences(
    expect: Expectation,
    turn: TurnResult,
    observed: Effect,
    *,
    raw_slots: dict[str, str] | None = None,
    resolve: SlotResolver | None = None,
) -> list[str]:
    """What differs from ``expect``, each in a few words; empty when the turn is right."""
    differences: list[str] = []
    if expect.check_intent and turn.intent != expect.intent:
        differences.append(f"intent {turn.intent!r}, expected {expect.intent!r}")
    raw = raw_slots or {}
    intent = turn.intent or ""
    for slot, wanted in expect.slots.items():

        def resolved(words: str, slot: str = slot) -> Any:
            return resolve(intent, slot, words) if resolve is not None and intent else None

        if slot not in turn.slots or not slot_matches(wanted, turn.slots[slot], raw.get(slot), resolved):
            differences.append(f"slot {slot}={turn.slots.get(slot)!r}, expected {wanted!r}")
    reply = turn.reply.lower()
    for words in expect.reply:
        if words.lower() not in reply:
            differences.append(f"reply lacks {words!r}")
    for words in expect.not_in_reply:
        if words.lower() in reply:
            differences.append(f"reply has {words!r}")
    if expect.asks is not None and turn.expects_answer != expect.asks:
        differences.append("the reply asks a question" if turn.expects_answer else "the reply asks nothing")
    if expect.outcome is not None and turn.outcome != expect.outcome:
        differences.append(f"outcome {turn.outcome}, expected {expect.outcome}")
    return differences + effect_differences(expect.effect, observed)


def effect_differences(expected: Effect, observed: Effect) -> list[str]:
    differences = []
    for kind in ("timers", "alarms", "reminders"):
        wanted = getattr(expected, kind)
        if wanted is not None and getattr(observed, kind) != wanted:
            differences.append(f"{getattr(observed, kind)} active {kind}, expected {wanted}")
    for name, items in expected.lists.items():
        found = observed.lists.get(name, [])
        if Counter(i.strip().lower() for i in found) != Counter(i.strip().lower() for i in items):
            differences.append(f"{name} list {found}, expected {items}")
    for key, value in expected.preferences.items():
        have = observed.preferences.get(key)
        if (have is None) != (value is None) or (value is not None and not same_value(value, have)):
            differences.append(f"preference {key}={have!r}, expected {value!r}")
    return differences


def observe(store: Store, now: float, wanted: Effect) -> Effect:
    """The database's side of what ``wanted`` asks about (and only that)."""
    seen = Effect()
    timers = TimerRepository(store)
    for kind in ("timers", "alarms", "reminders"):
        if getattr(wanted, kind) is not None:
            setattr(seen, kind, len(timers.active(kind[:-1], after=now)))
    lists = ListRepository(store)
    seen.lists = {name: [item.text for item in lists.items(name)] for name in wanted.lists}
    preferences = PreferenceRepository(store)
    for key in wanted.preferences:
        found = preferences.get(key)
        seen.preferences[key] = None if found is None else found.value
    return seen


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            pass
        if value.strip().lower() in ("a", "an"):
            return None  # an article, not "one"
        try:  # a number said in words is the same number: "one hundred" for 100
            spoken = numbers.parse_number(value)
        except numbers.RefusedReading:
            return None
        return None if spoken is None else float(spoken)
    return None
