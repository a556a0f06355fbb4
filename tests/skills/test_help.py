"""Help and "what can I say" come from what is registered now."""

from __future__ import annotations

from typing import Any

from assistant.skills.base import IntentSpec, Skill
from assistant.skills.registry import SkillRegistry


def test_what_can_i_say_gives_an_example_per_skill(run: Any) -> None:
    result = run("help.what_can_i_say")
    assert '"set a timer for ten minutes"' in result.speech
    assert '"convert 5 miles to kilometers"' in result.speech
    intents = {entry["intent"] for entry in result.data["intents"]}
    assert "list.add" in intents and "help.help" not in intents


def test_a_plugin_appears_as_soon_as_it_is_added(run: Any, registry: SkillRegistry) -> None:
    registry.add(
        Skill(
            name="lamp",
            sentences_file=None,
            source="lamp",
            intents=[IntentSpec("lamp.on", lambda r, c: "on", examples=["turn on the lamp"])],
        )
    )  # type: ignore[arg-type,return-value]
    assert '"turn on the lamp"' in run("help.what_can_i_say").speech


def test_help_with_a_topic(run: Any) -> None:
    result = run("help.help", topic="timers")
    assert result.speech.startswith('For timers, try "set a timer for ten minutes"')


def test_help_with_an_unknown_topic(run: Any) -> None:
    assert "don't know anything about knitting" in run("help.help", topic="knitting").speech


def test_plain_help(run: Any) -> None:
    assert "what can I say" in run("help.help").speech
