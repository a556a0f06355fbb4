"""Help and "what can I say", generated from the intents that are registered now.

Slots:
  ``topic`` (optional): a skill or thing to get help with ("timers", "lists").
Plug-ins appear here as soon as they are loaded, with their own examples.
"""

from __future__ import annotations

import re
from typing import Any

from assistant.skills.base import ActionRequest, ActionResult, IntentSpec, Skill, SkillContext, SlotSpec
from assistant.skills.registry import LoadContext, SkillRegistry
from assistant.wording import join

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


_VERBS = {
    "set", "add", "make", "use", "convert", "cancel", "take", "get", "do", "check", "start",
    "teach", "create", "remove", "read", "tell", "work", "count", "find", "stop", "change",
}  # fmt: skip
"""A topic starting with one of these is an action ("set a timer"), not a subject."""
_EVERYTHING = {"you", "me", "it", "this", "that", "everything", "anything", "stuff", "things", "all"}
_MASS_NOUNS = {"math", "maths", "shopping", "arithmetic", "teaching", "help", "time", "everything"}
_TOPIC_WORDS = {
    "math": "calculator sum",
    "maths": "calculator sum",
    "sums": "calculator sum",
    "arithmetic": "calculator sum",
    "calculations": "calculator sum",
    "calculating": "calculator sum",
    "conversions": "unit convert",
    "converting": "unit convert",
    "measurements": "unit convert",
    "shopping": "list",
    "groceries": "list",
    "notes": "note",
    "clock": "time",
    "calendar": "date",
    "dates": "date day",
    "holidays": "date day",
    "teaching": "teach command",
    "custom": "teach command",
    "commands": "command teach",
    "countdown": "timer",
    "wake": "alarm",
}
_STOP_WORDS = {
    "a",
    "an",
    "the",
    "my",
    "to",
    "of",
    "for",
    "with",
    "and",
    "how",
    "do",
    "i",
    "me",
    "you",
    "it",
    "on",
    "like",
}


def _stems(text: str) -> set[str]:
    words = re.findall(r"[a-z]+", text.lower())
    return {word[:-1] if word.endswith("s") and len(word) > 3 else word for word in words} - _STOP_WORDS


def topic_matches(topic: str, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The intents a help topic is about ("timers", "set a timer", "maths"), best first."""
    wanted = _stems(topic)
    for word in topic.lower().split():
        wanted |= _stems(_TOPIC_WORDS.get(word, ""))
    if not wanted:
        return []
    scored = []
    for position, entry in enumerate(entries):
        text = " ".join([entry["skill"], entry["intent"].replace(".", " "), entry["description"]])
        score = (
            len(wanted & _stems(entry["intent"].replace(".", " "))) * 3
            + len(wanted & _stems(text)) * 2
            + len(wanted & _stems(" ".join(entry["examples"])))
        )
        if score:
            scored.append((-score, position, entry))
    return [entry for _, _, entry in sorted(scored, key=lambda item: item[:2])]


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
        return ActionResult(
            speech=f"You can say things like {join(parts, 'or')}. You can also teach me new "
            'commands, and say "help with" a topic, like "help with timers", for more.',
            data={"intents": catalogue(registry)},
        )

    def help_with(request: ActionRequest, ctx: SkillContext) -> ActionResult:
        topic = " ".join(str(request.slots.get("topic") or "").strip(" ?.!").lower().split())
        if topic in _EVERYTHING:
            return what_can_i_say(request, ctx)  # "what can I say to you", "help with everything"
        if topic:
            matches = topic_matches(topic, catalogue(registry))
            if matches:
                examples = [f'"{e["examples"][0]}"' for e in matches if e["examples"]][:4]
                if topic.split()[0] in _VERBS:
                    lead = "Try saying"
                elif " " in topic or topic.endswith("s") or topic in _MASS_NOUNS:
                    lead = f"For {topic}, try"
                else:
                    lead = f"For the {topic}, try"  # "the calculator"
                return ActionResult(speech=f"{lead} {join(examples, 'or')}.", data={"intents": matches})
            return ActionResult(
                speech=f"I don't know anything about {topic} yet. "
                'Ask "what can I say" to hear what I can do.',
                ok=True,
                data={"intents": []},
            )
        return ActionResult(
            speech='I\'m your desk assistant. Ask me things like "set a timer for ten minutes" or '
            '"what\'s on my shopping list". Say "what can I say" to hear more, "help with timers" '
            "for one thing, or teach me new commands of your own.",
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
