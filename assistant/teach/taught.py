"""Custom commands as a skill: one intent per command, whose handler runs the steps.

The skill has the source ``taught``; its handlers run in the caller's thread
(a step runs other skills through ``SkillContext.runner``, which must not wait
for the lock the turn already holds).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from assistant.json_values import jsonable_slots
from assistant.memory.teaching_records import CommandStep, CustomCommand
from assistant.skills.base import (
    ActionRequest,
    ActionResult,
    IntentSpec,
    Skill,
    SkillContext,
    SkillError,
    SlotSpec,
)
from assistant.teach.phrasing import fill
from assistant.teach.step_words import describe_steps

SOURCE = "taught"
MAX_DEPTH = 3
"""A command may run another command, but not in an endless loop."""

_running = threading.local()

Understand = Callable[[str], Any]


def build_taught_skill(commands: list[CustomCommand]) -> Skill:
    """A skill with one intent per custom command."""
    return Skill(
        name="taught",
        sentences_file=None,
        intents=[command_spec(command) for command in commands],
        description="Commands you taught me.",
        source=SOURCE,
    )


def command_spec(command: CustomCommand) -> IntentSpec:
    return IntentSpec(
        name=command.intent,
        handler=lambda request, ctx: run_command(command, request, ctx),
        slots=[
            SlotSpec(name, f"What should {name.upper() if len(name) == 1 else name} be?")
            for name in command.parameters
        ],
        description=f"Your command \u201c{command.name}\u201d: {describe_steps(command)}.",
        examples=[trigger for trigger in command.triggers if "{" not in trigger][:2] or command.triggers[:1],
        undo=undo_command_run,
    )


def undo_command_run(data: dict[str, Any], ctx: SkillContext) -> str:
    """Take back what one run of a command did, newest step first ("cancel that")."""
    replies: list[str] = []
    for record in reversed(data.get("step_results") or []):
        spec = ctx.runner.spec(str(record.get("name") or "")) if ctx.runner else None
        if spec is None or spec.undo is None or not record.get("ok"):
            continue
        replies.append(spec.undo(dict(record.get("data") or {}), ctx))
    name = data.get("command") or "that"
    if not replies:
        return f"There's nothing of \u201c{name}\u201d to take back."
    return " ".join(replies)


def run_command(command: CustomCommand, request: ActionRequest, ctx: SkillContext) -> ActionResult:
    """Run each step in order; one failed step does not stop the others."""
    runner = ctx.runner
    if runner is None:
        raise SkillError("Custom commands need the whole assistant to run their steps.")
    depth = getattr(_running, "depth", 0)
    if depth >= MAX_DEPTH:
        return ActionResult(
            speech=f"\u201c{command.name}\u201d runs itself over and over, so I stopped.",
            ok=False,
            error="command nesting too deep",
        )
    values = {name: _spoken(request.slots.get(name)) for name in command.parameters}
    records: list[dict[str, Any]] = []
    """Each step as the turn's actions show it (``ActionRecord`` fields only)."""
    results: list[dict[str, Any]] = []
    """Each step that ran, with its result's data: what "cancel that" takes back."""
    speeches: list[str] = []
    failures: list[str] = []
    _running.depth = depth + 1
    try:
        for step in command.steps:
            intent, slots, text, problem = resolve_step(step, values, runner.understand)
            if problem is not None:
                records.append({"name": step.intent, "args": slots, "ok": False, "error": problem})
                failures.append(f"\u201c{text}\u201d: {problem}")
                continue
            result = runner.execute(intent, slots, text)
            records.append(
                {"name": intent, "args": jsonable_slots(slots), "ok": result.ok, "error": result.error}
            )
            results.append({"name": intent, "ok": result.ok, "data": result.data})
            if result.ok:
                speeches.append(result.speech)
            else:
                failures.append(f"\u201c{text}\u201d: {result.error or result.speech}")
    finally:
        _running.depth = depth
    speech = " ".join(s for s in speeches if s) or "Done."
    data = {"command": command.name, "steps": records, "step_results": results}
    if failures:
        done = len(command.steps) - len(failures)
        speech = (
            f"I did {done} of {len(command.steps)} steps of \u201c{command.name}\u201d. "
            f"These failed: {'; '.join(failures)}."
        )
        return ActionResult(speech=speech, ok=False, error="; ".join(failures), data=data)
    return ActionResult(speech=speech, data=data)


def resolve_step(
    step: CommandStep, values: dict[str, str], understand: Understand
) -> tuple[str, dict[str, Any], str, str | None]:
    """Intent, slots and words of a step with the parameters put in (and a problem, if any)."""
    if not step.parameters:
        # Read again now: "set an alarm for 7 am" taught last week means tomorrow's 7 AM
        # from today, not the morning after the day it was taught.
        fresh = understand(step.text)
        if fresh is not None and fresh.intent == step.intent and not fresh.unresolved:
            return step.intent, dict(fresh.slots), step.text, None
        return step.intent, dict(step.slots), step.text, None
    text = fill(step.text, values)
    missing = [name for name in step.parameters if not values.get(name)]
    if missing:
        return step.intent, {}, text, f"no value for {', '.join(missing)}"
    candidate = understand(text)
    if candidate is None or candidate.intent is None:
        return step.intent, {}, text, "I didn't understand this step with that value"
    if candidate.intent != step.intent:
        return (
            step.intent,
            dict(candidate.slots),
            text,
            (f"with that value it means {candidate.intent}, not {step.intent}"),
        )
    return candidate.intent, dict(candidate.slots), text, None


def _spoken(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
