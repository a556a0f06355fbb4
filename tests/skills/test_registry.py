"""The skill registry: discovery, conflicts, and handlers that fail or hang."""

from __future__ import annotations

import threading
import time

import pytest

from assistant.skills.base import ActionRequest, ActionResult, IntentSpec, Skill, SkillContext, SkillError
from assistant.skills.registry import SkillConflict, SkillRegistry, speakable

BUILTIN_INTENTS = {
    "time.now",
    "date.day",
    "date.until",
    "timer.set",
    "timer.list",
    "timer.cancel",
    "timer.cancel_all",
    "timer.extend",
    "timer.reduce",
    "alarm.set",
    "reminder.set",
    "list.add",
    "list.read",
    "list.remove",
    "list.contains",
    "list.clear",
    "list.all",
    "note.add",
    "note.read",
    "note.clear",
    "calculator.evaluate",
    "calculator.square_root",
    "units.convert",
    "help.what_can_i_say",
    "help.help",
}


def _plugin_skill(source: str, handler: object, intent: str = "demo.run") -> Skill:
    return Skill(name=source, sentences_file=None, source=source, intents=[IntentSpec(intent, handler)])  # type: ignore[arg-type]


def test_every_builtin_skill_is_discovered(registry: SkillRegistry) -> None:
    assert BUILTIN_INTENTS <= {spec.name for spec in registry.intents()}
    assert all(skill.sentences_file is not None and skill.source == "built-in" for skill in registry.skills())


def test_an_intent_cannot_be_taken_twice(registry: SkillRegistry) -> None:
    with pytest.raises(SkillConflict, match="already belongs to the built-in skill timers"):
        registry.add(_plugin_skill("copycat", lambda r, c: "hi", intent="timer.set"))


def test_remove_source(registry: SkillRegistry) -> None:
    registry.add(_plugin_skill("demo", lambda r, c: "hi"))
    registry.add_list("colour", ["red"], "demo")
    assert registry.get("demo.run") is not None
    registry.remove_source("demo")
    assert registry.get("demo.run") is None
    assert "colour" not in registry.lists()


def test_unknown_intent(registry: SkillRegistry, context: SkillContext) -> None:
    result = registry.dispatch(ActionRequest("nothing.here"), context)
    assert not result.ok
    assert "don't know how" in result.speech


def test_a_plugin_may_return_plain_text(registry: SkillRegistry, context: SkillContext) -> None:
    registry.add(_plugin_skill("demo", lambda r, c: "Done."))
    assert registry.dispatch(ActionRequest("demo.run"), context).speech == "Done."


def test_a_raising_plugin_handler_becomes_a_failed_result(
    registry: SkillRegistry, context: SkillContext
) -> None:
    def broken(request: ActionRequest, ctx: SkillContext) -> ActionResult:
        raise ZeroDivisionError("division by zero")

    registry.add(_plugin_skill("demo", broken))
    result = registry.dispatch(ActionRequest("demo.run"), context)
    assert not result.ok
    assert result.speech == "The demo plug-in failed: ZeroDivisionError: division by zero."
    assert "demo" not in registry.disabled()  # one bug does not turn it off


def test_a_skill_error_is_said_as_it_is(registry: SkillRegistry, context: SkillContext) -> None:
    def refuses(request: ActionRequest, ctx: SkillContext) -> ActionResult:
        raise SkillError("The lamp is unplugged.")

    registry.add(_plugin_skill("demo", refuses))
    assert registry.dispatch(ActionRequest("demo.run"), context).speech == "The lamp is unplugged."


def test_a_hanging_plugin_is_disabled_until_restart(registry: SkillRegistry, context: SkillContext) -> None:
    release = threading.Event()
    registry.add(_plugin_skill("sleepy", lambda r, c: release.wait(10) and "late"))
    started = time.monotonic()
    result = registry.dispatch(ActionRequest("demo.run"), context, timeout=0.2)
    assert time.monotonic() - started < 2
    assert not result.ok
    assert "did not answer in time" in result.speech
    assert "did not finish within 0.2 seconds" in registry.disabled()["sleepy"]
    again = registry.dispatch(ActionRequest("demo.run"), context, timeout=0.2)
    assert again.speech == "The sleepy plug-in is turned off until I restart."
    release.set()


def test_a_wrong_return_type_is_reported(registry: SkillRegistry, context: SkillContext) -> None:
    registry.add(_plugin_skill("demo", lambda r, c: 42))
    result = registry.dispatch(ActionRequest("demo.run"), context)
    assert not result.ok
    assert "returned int" in result.error  # type: ignore[operator]


def test_a_broken_builtin_handler_is_contained(context: SkillContext, lenient: None) -> None:
    registry = SkillRegistry()

    def broken(request: ActionRequest, ctx: SkillContext) -> ActionResult:
        raise KeyError("x")

    registry.add(Skill(name="clock", sentences_file=None, intents=[IntentSpec("clock.tick", broken)]))
    result = registry.dispatch(ActionRequest("clock.tick"), context)
    assert not result.ok
    assert result.speech.startswith("Sorry, something went wrong with clock")


def test_speakable_examples_from_templates() -> None:
    assert speakable("(set|start) [a|an] timer (for|of) {duration}") == "set a timer for 10 minutes"
    assert speakable("add {item} to [my|the] {list_name} list") == "add milk to my shopping list"
    assert speakable("convert {measure_unit:from_unit} to x") == "convert miles to x"


def test_taught_templates_become_readable_examples() -> None:
    assert speakable("break for {n} minutes") == "break for 5 minutes"
    assert speakable("play {whatever}") == "play something"
    assert "{" not in speakable("remind me about {thing} at {time}")


def test_examples_with_slots_are_said_readably(registry: SkillRegistry) -> None:
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
    assert registry.examples("custom.break") == ["break for 5 minutes"]
