"""Help and "what can I say" come from what is registered now."""

from __future__ import annotations

from typing import Any

from assistant.skills.base import ActionResult, IntentSpec, Skill
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
            intents=[IntentSpec("lamp.on", lambda r, c: ActionResult("on"), examples=["turn on the lamp"])],
        )
    )
    assert '"turn on the lamp"' in run("help.what_can_i_say").speech


def test_help_with_a_topic(run: Any) -> None:
    result = run("help.help", topic="timers")
    assert result.speech.startswith('For timers, try "set a timer for ten minutes"')


def test_help_with_an_unknown_topic(run: Any) -> None:
    assert "don't know anything about knitting" in run("help.help", topic="knitting").speech


def test_plain_help(run: Any) -> None:
    assert "what can I say" in run("help.help").speech


def test_help_with_a_topic_in_other_words(run: Any) -> None:
    assert '"what is 12 times 7"' in run("help.help", topic="maths").speech
    assert run("help.help", topic="calculator").speech.startswith(
        'For the calculator, try "what is 12 times 7"'
    )
    assert run("help.help", topic="alarms").speech.startswith('For alarms, try "set an alarm for 7 am"')


def test_help_with_an_action(run: Any) -> None:
    assert run("help.help", topic="set a timer").speech.startswith('Try saying "set a timer for ten minutes"')


def test_what_can_i_say_shows_no_raw_template(run: Any, registry: SkillRegistry) -> None:
    registry.add(
        Skill(
            name="taught",
            sentences_file=None,
            source="taught",
            intents=[
                IntentSpec(
                    "custom.break", lambda r, c: ActionResult("ok"), examples=["break for {n} minutes"]
                )
            ],
        )
    )
    speech = run("help.what_can_i_say").speech
    assert '"break for 5 minutes"' in speech
    assert "{" not in speech and "<" not in speech


def test_what_commands_do_you_know_is_not_general_help() -> None:
    import yaml

    from assistant.skills.registry import SKILLS_DIR

    document = yaml.safe_load((SKILLS_DIR / "help.yaml").read_text(encoding="utf-8"))
    templates = [
        t for block in document["intents"]["help.what_can_i_say"]["data"] for t in block["sentences"]
    ]
    assert not any("commands" in template and "do you know" in template for template in templates)


def test_help_with_you_is_what_can_i_say(run: Any) -> None:
    assert run("help.help", topic="you").speech.startswith("You can say things like")
