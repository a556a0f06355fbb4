"""Help and "what can I say", generated from the intents that are registered now.

Slots:
  ``topic`` (optional): a skill or thing to get help with ("timers", "lists").
Plug-ins appear here as soon as they are loaded, with their own examples.
"""

from __future__ import annotations

from typing import Any

from assistant.skills.base import ActionRequest, ActionResult, IntentSpec, Skill, SkillContext, SlotSpec
from assistant.skills.registry import LoadContext, SkillRegistry

OWN_INTENTS = ("help.what_can_i_say", "help.help")


def catalogue(registry: SkillRegistry) -> list[dict[str, Any]]:
    """Every intent with its skill, description and examples (for the UI and --json)."""
    entries = []
    disabled = registry.disabled()
    for skill in registry.skills():
        for spec in skill.intents:
            if spec.name in OWN_INTENTS:
                continue
            entries.append(
                {
                    "intent": spec.name,
                    "skill": skill.name,
                    "source": skill.source,
                    "description": spec.description,
                    "examples": registry.examples(spec.name),
                    "disabled": skill.source in disabled,
                }
            )
    return entries


def _first_example(registry: SkillRegistry, skill: Skill) -> str | None:
    for spec in skill.intents:
        examples = registry.examples(spec.name, limit=1)
        if examples:
            return examples[0]
    return None


def load(context: LoadContext) -> Skill:
    registry = context.registry

    def what_can_i_say(request: ActionRequest, ctx: SkillContext) -> ActionResult:
        disabled = registry.disabled()
        parts = []
        for skill in registry.skills():
            if skill.source in disabled or all(spec.name in OWN_INTENTS for spec in skill.intents):
                continue
            example = _first_example(registry, skill)
            if example:
                parts.append(f'"{example}"')
        joined = ", ".join(parts[:-1]) + " or " + parts[-1] if len(parts) > 1 else "".join(parts)
        return ActionResult(
            speech=f"You can say things like {joined}. You can also teach me new commands.",
            data={"intents": catalogue(registry)},
        )

    def help_with(request: ActionRequest, ctx: SkillContext) -> ActionResult:
        topic = str(request.slots.get("topic") or "").strip().lower()
        if topic:
            matches = [
                entry
                for entry in catalogue(registry)
                if topic.rstrip("s") in f"{entry['skill']} {entry['intent']} {entry['description']}".lower()
            ]
            if matches:
                examples = [f'"{e["examples"][0]}"' for e in matches if e["examples"]][:4]
                return ActionResult(
                    speech=f"For {topic}, try {', '.join(examples[:-1]) + ' or ' + examples[-1]}."
                    if len(examples) > 1
                    else f"For {topic}, try {''.join(examples)}.",
                    data={"intents": matches},
                )
            return ActionResult(
                speech=f"I don't know anything about {topic} yet. "
                'Ask "what can I say" to hear what I can do.',
                ok=True,
                data={"intents": []},
            )
        return ActionResult(
            speech='I\'m your desk assistant. Ask me things like "set a timer for ten minutes" or '
            '"what\'s on my shopping list". Say "what can I say" to hear more, or teach me new '
            "commands of your own.",
        )

    return Skill(
        name="help",
        sentences_file=None,
        description="Says what the assistant can do.",
        intents=[
            IntentSpec(
                "help.what_can_i_say",
                what_can_i_say,
                description="List what you can say.",
                examples=["what can I say"],
            ),
            IntentSpec(
                "help.help",
                help_with,
                slots=[SlotSpec("topic", "", required=False)],
                description="Get help, or help with one thing.",
                examples=["help", "help with timers"],
            ),
        ],
    )
