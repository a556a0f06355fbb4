"""Every built-in sentences YAML loads in hassil and understands its own examples.

The templates overlap on purpose (wildcards); like the understanding stage, the
tests take the match whose template matched the most literal words: the fewest words in
its slots ("add {item}" also matches "add milk to my shopping list", with four more words
in its slot).
"""

from __future__ import annotations

from typing import Any

import pytest
from hassil import Intents, RecognizeResult, recognize_all
from hassil.util import merge_dict

from assistant.skills.registry import SkillRegistry

PHRASES = {
    "what time is it": ("time.now", {}),
    "what's the date": ("date.day", {}),
    "what day is it tomorrow": ("date.day", {}),
    "set a timer for ten minutes": ("timer.set", {"duration": "ten minutes"}),
    "set a pasta timer for 8 minutes": ("timer.set", {"name": "pasta", "duration": "8 minutes"}),
    "add five minutes to the pasta timer": ("timer.extend", {"duration": "five minutes", "name": "pasta"}),
    "cancel the pasta timer": ("timer.cancel", {"name": "pasta", "kind": "timer"}),
    "what alarms do I have": ("timer.list", {"kind": "alarm"}),
    # The message wildcard may swallow "in 20 minutes"; the handler splits it off (test_timers).
    "remind me to call mom in 20 minutes": ("reminder.set", {}),
    "add milk to my shopping list": ("list.add", {"item": "milk", "list_name": "shopping"}),
    "what's on my shopping list": ("list.read", {"list_name": "shopping"}),
    "take a note buy stamps": ("note.add", {"note": "buy stamps"}),
    "what is 12 times 7": ("calculator.evaluate", {"left": "12", "operator": "times", "right": "7"}),
    "square root of 81": ("calculator.square_root", {"number": "81"}),
    "convert 5 miles to kilometers": (
        "units.convert",
        {"value": "5", "from_unit": "mile", "to_unit": "kilometer"},
    ),
    "72 fahrenheit in celsius": (
        "units.convert",
        {"value": "72", "from_unit": "fahrenheit", "to_unit": "celsius"},
    ),
    "what can I say": ("help.what_can_i_say", {}),
    "help": ("help.help", {}),
}


def recognize_best(text: str, intents: Intents) -> RecognizeResult | None:
    results = list(recognize_all(text, intents))
    if not results:
        return None
    return min(results, key=lambda r: sum(len(str(e.text).split()) for e in r.entities_list))


@pytest.fixture(scope="module")
def intents() -> Intents:
    registry = SkillRegistry()
    registry.load_builtin()
    merged: dict[str, Any] = {}
    for skill in registry.skills():
        merge_dict(merged, registry.sentences(skill))
    return Intents.from_dict(merged)


@pytest.mark.parametrize("phrase", sorted(PHRASES))
def test_phrase_is_understood(intents: Intents, phrase: str) -> None:
    intent, slots = PHRASES[phrase]
    result = recognize_best(phrase, intents)
    assert result is not None, phrase
    found = {name: entity.value for name, entity in result.entities.items()}
    # hassil may pick another template of the same intent; the slots asked for must be there.
    assert result.intent.name == intent
    for name, value in slots.items():
        assert found.get(name) == value, (phrase, found)


def test_every_example_is_understood_as_its_intent(intents: Intents) -> None:
    registry = SkillRegistry()
    registry.load_builtin()
    for spec in registry.intents():
        for example in spec.examples:
            result = recognize_best(example, intents)
            found = result.intent.name if result else None
            assert found == spec.name, (example, found)
