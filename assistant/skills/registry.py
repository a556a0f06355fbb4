"""Every skill the assistant has, and running their handlers safely.

Built-in skills are discovered: each ``assistant/skills/<name>.yaml`` has a
module ``assistant.skills.<name>`` that exposes ``SKILL`` or
``load(context) -> Skill``. Plug-ins add theirs with ``add``. Handlers from
plug-ins run in a worker thread with a time limit, so a raising or hanging
plug-in becomes a failed result instead of taking the assistant down.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from assistant.errors import reraise_if_strict
from assistant.skills.base import (
    ActionRequest,
    ActionResult,
    IntentSpec,
    MissingSlot,
    Skill,
    SkillContext,
    SkillError,
)

log = logging.getLogger(__name__)

BUILTIN = "built-in"
SKILLS_DIR = Path(__file__).resolve().parent


class SkillConflict(ValueError):
    """A skill declares an intent that another skill already has."""


@dataclass
class LoadContext:
    """What ``load(context)`` in a skill module is given."""

    registry: SkillRegistry
    settings: Any = None


@dataclass
class _Entry:
    spec: IntentSpec
    skill: Skill


class SkillRegistry:
    """Skills by intent name; thread-safe."""

    def __init__(self, settings: Any = None) -> None:
        self.settings = settings
        self._skills: list[Skill] = []
        self._intents: dict[str, _Entry] = {}
        self._lists: dict[str, dict[str, list[str]]] = {}
        self._lists_listeners: list[Callable[[], None]] = []
        self._phrases: dict[str, list[str]] = {}
        self._disabled: dict[str, str] = {}
        self._sentences: dict[Path, dict[str, Any]] = {}
        self._lock = threading.RLock()
        self.inline_sources: set[str] = {BUILTIN}
        """Sources whose handlers run in the caller's thread (trusted, fast)."""

    # --- loading -------------------------------------------------------

    def load_builtin(self) -> list[Skill]:
        """Discover and add every built-in skill (one module + one YAML each)."""
        loaded = []
        for yaml_file in sorted(SKILLS_DIR.glob("*.yaml")):
            module = importlib.import_module(f"assistant.skills.{yaml_file.stem}")
            skill = skill_from_module(module, LoadContext(self, self.settings))
            if skill is None:
                raise SkillConflict(f"{yaml_file.name} has no skill module exposing SKILL or load().")
            if skill.sentences_file is None:
                skill.sentences_file = yaml_file
            skill.source = BUILTIN
            self.add(skill)
            loaded.append(skill)
        return loaded

    def add(self, skill: Skill) -> None:
        """Add a skill; raises SkillConflict when one of its intents is taken."""
        with self._lock:
            for spec in skill.intents:
                taken = self._intents.get(spec.name)
                if taken is not None:
                    raise SkillConflict(
                        f"The intent {spec.name} already belongs to {describe_source(taken.skill)}."
                    )
            names = [spec.name for spec in skill.intents]
            if len(set(names)) != len(names):
                raise SkillConflict(f"The skill {skill.name} declares an intent twice.")
            self._skills.append(skill)
            for spec in skill.intents:
                self._intents[spec.name] = _Entry(spec, skill)

    def add_list(self, name: str, values: list[str], source: str) -> None:
        """A slot list (catalogue) a plug-in offers, e.g. playlists."""
        with self._lock:
            self._lists.setdefault(source, {})[name] = list(values)

    def update_list(self, name: str, values: list[str], source: str) -> None:
        """A plug-in's slot list changed while running (a live home's names): the listeners of
        ``on_lists_change`` are told, so understanding and the recognizer follow at once."""
        with self._lock:
            changed = self._lists.get(source, {}).get(name) != list(values)
            self._lists.setdefault(source, {})[name] = list(values)
        if changed:
            for listener in self._lists_listeners:
                listener()

    def update_phrases(self, phrases: list[str], source: str) -> None:
        """A plug-in's requests in the user's words, for the recognizer (read per request)."""
        with self._lock:
            self._phrases[source] = list(phrases)

    def phrases(self) -> list[str]:
        """Every plug-in's recognizer phrases, each once."""
        with self._lock:
            return list(dict.fromkeys(p for phrases in self._phrases.values() for p in phrases))

    def on_lists_change(self, listener: Callable[[], None]) -> None:
        self._lists_listeners.append(listener)

    def remove_source(self, source: str) -> list[Skill]:
        """Remove every skill and list from one source (a plug-in being unloaded)."""
        with self._lock:
            removed = [skill for skill in self._skills if skill.source == source]
            self._skills = [skill for skill in self._skills if skill.source != source]
            self._intents = {k: v for k, v in self._intents.items() if v.skill.source != source}
            self._lists.pop(source, None)
            self._phrases.pop(source, None)
            self._disabled.pop(source, None)
            return removed

    # --- reading -------------------------------------------------------

    def get(self, intent: str) -> IntentSpec | None:
        with self._lock:
            entry = self._intents.get(intent)
            return entry.spec if entry else None

    def skill_for(self, intent: str) -> Skill | None:
        with self._lock:
            entry = self._intents.get(intent)
            return entry.skill if entry else None

    def skills(self) -> list[Skill]:
        with self._lock:
            return list(self._skills)

    def intents(self) -> list[IntentSpec]:
        with self._lock:
            return [entry.spec for entry in self._intents.values()]

    def lists(self) -> dict[str, list[str]]:
        """Slot lists from plug-ins, merged by name."""
        merged: dict[str, list[str]] = {}
        with self._lock:
            for lists in self._lists.values():
                for name, values in lists.items():
                    merged.setdefault(name, [])
                    merged[name].extend(v for v in values if v not in merged[name])
        return merged

    def disabled(self) -> dict[str, str]:
        """Sources turned off until restart, with the reason."""
        with self._lock:
            return dict(self._disabled)

    def disable(self, source: str, reason: str) -> None:
        with self._lock:
            self._disabled[source] = reason
        log.error("Plug-in %s disabled until restart: %s", source, reason)

    def sentences(self, skill: Skill) -> dict[str, Any]:
        """The skill's sentences YAML as a dict (empty when it has none)."""
        path = skill.sentences_file
        if path is None:
            return {}
        path = Path(path)
        with self._lock:
            if path not in self._sentences:
                with path.open(encoding="utf-8") as handle:
                    self._sentences[path] = yaml.safe_load(handle) or {}
            return self._sentences[path]

    def examples(self, intent: str, limit: int = 2) -> list[str]:
        """Example phrases: the intent's own, else its first sentences made speakable."""
        spec = self.get(intent)
        skill = self.skill_for(intent)
        if spec is None or skill is None:
            return []
        if spec.examples:
            # Taught commands keep their trigger as said ("break for {n} minutes").
            return [speakable(example) if "{" in example else example for example in spec.examples[:limit]]
        document = self.sentences(skill)
        data = (document.get("intents") or {}).get(intent, {}).get("data") or []
        templates = [s for block in data for s in block.get("sentences") or []]
        return [speakable(template) for template in templates[:limit]]

    # --- running -------------------------------------------------------

    def dispatch(self, request: ActionRequest, ctx: SkillContext, timeout: float = 5.0) -> ActionResult:
        """Run the handler for ``request.intent``; never raises."""
        with self._lock:
            entry = self._intents.get(request.intent)
            disabled_reason = self._disabled.get(entry.skill.source) if entry else None
        if entry is None:
            return ActionResult(
                speech="Sorry, I don't know how to do that yet.",
                ok=False,
                error=f"No skill handles the intent {request.intent}.",
            )
        skill = entry.skill
        if disabled_reason is not None:
            return ActionResult(
                speech=f"The {skill.source} plug-in is turned off until I restart.",
                ok=False,
                error=disabled_reason,
            )
        if skill.source in self.inline_sources:
            return _call(entry.spec, request, ctx, skill)
        return self._call_isolated(entry.spec, request, ctx, skill, timeout)

    def _call_isolated(
        self, spec: IntentSpec, request: ActionRequest, ctx: SkillContext, skill: Skill, timeout: float
    ) -> ActionResult:
        outcome: list[ActionResult] = []

        def run() -> None:
            outcome.append(_call(spec, request, ctx, skill))

        # A daemon thread, because a hung handler cannot be killed and must not
        # keep the process alive at exit.
        worker = threading.Thread(target=run, name=f"handler-{spec.name}", daemon=True)
        worker.start()
        worker.join(timeout)
        if worker.is_alive() or not outcome:
            reason = f"the handler for {spec.name} did not finish within {timeout:g} seconds"
            self.disable(skill.source, reason)
            return ActionResult(
                speech=f"The {skill.source} plug-in did not answer in time, so I turned it off "
                "until I restart.",
                ok=False,
                error=reason,
            )
        return outcome[0]


def _call(spec: IntentSpec, request: ActionRequest, ctx: SkillContext, skill: Skill) -> ActionResult:
    """Run one handler, turning every failure into a result."""
    try:
        result: Any = spec.handler(request, ctx)
    except MissingSlot as error:
        return ActionResult(speech=str(error), ok=False, asks_for=error.slot)
    except SkillError as error:
        return ActionResult(speech=str(error), ok=False, error=str(error))
    except Exception as error:  # a handler bug must become a reply, not a crash
        log.exception("Handler for %s (%s) failed", spec.name, describe_source(skill))
        if skill.source == BUILTIN:
            reraise_if_strict()  # our own bug: tests must see it (a plug-in's stays isolated)
        detail = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        if skill.source == BUILTIN:
            speech = f"Sorry, something went wrong with {skill.name}: {detail}."
        else:
            speech = f"The {skill.source} plug-in failed: {detail}."
        return ActionResult(speech=speech, ok=False, error=detail)
    if isinstance(result, str):
        return ActionResult(speech=result)
    if isinstance(result, ActionResult):
        return result
    detail = f"the handler for {spec.name} returned {type(result).__name__}, not a reply"
    log.error("%s (%s)", detail, describe_source(skill))
    return ActionResult(speech=f"The {skill.source} plug-in failed: {detail}.", ok=False, error=detail)


def skill_from_module(module: Any, context: LoadContext) -> Skill | None:
    """The Skill a module exposes through ``SKILL`` or ``load(context)``."""
    skill = getattr(module, "SKILL", None)
    if skill is None and callable(getattr(module, "load", None)):
        skill = module.load(context)
    if skill is not None and not isinstance(skill, Skill):
        raise TypeError(f"{module.__name__} exposes {type(skill).__name__}, not a Skill.")
    return skill


def describe_source(skill: Skill) -> str:
    if skill.source == BUILTIN:
        return f"the built-in skill {skill.name}"
    return f"the plug-in {skill.source}"


EXAMPLE_VALUES = {
    "duration": "10 minutes",
    "time": "7 am",
    "when": "7 am",
    "day": "tomorrow",
    "occasion": "christmas",
    "item": "milk",
    "list_name": "shopping",
    "list_title": "shopping",
    "note": "buy stamps",
    "name": "pasta",
    "message": "call mom",
    "topic": "timers",
    "value": "5",
    "from_unit": "miles",
    "to_unit": "kilometers",
    "left": "12",
    "right": "7",
    "operator": "times",
    "expression": "12 times 7",
    "number": "81",
    "place": "Tokyo",
    "phrase": "reading mode",
    "genre": "jazz",
    "person": "Sam",
    "who": "Sam",
}
"""What a slot is filled with when a template is said as an example."""
_EXAMPLE_BY_KIND = {"number": "5", "duration": "10 minutes", "time": "7 am"}


def example_value(slot: str) -> str:
    """A plausible value for a slot in a spoken example: 'duration' -> '10 minutes', 'n' -> '5'."""
    from assistant.nlu.slots import slot_kind

    if slot in EXAMPLE_VALUES:
        return EXAMPLE_VALUES[slot]
    if len(slot) == 1 or slot.endswith(("minutes", "count", "number", "percent", "level")):
        return "5"
    return _EXAMPLE_BY_KIND.get(slot_kind(slot), "something")


def speakable(template: str) -> str:
    """A template said as an example: '(set|start) a timer [for] {duration}' -> 'set a timer for
    10 minutes', 'break for {n} minutes' -> 'break for 5 minutes'. Slots get a plausible
    value (:func:`example_value`), so no raw template reaches a reply."""
    out: list[str] = []
    index = 0
    while index < len(template):
        char = template[index]
        if char == "(":
            # Keep the first alternative of a group.
            end, first = _group(template, index, ")")
            out.append(speakable(first))
            index = end + 1
            continue
        if char == "[":
            end, first = _group(template, index, "]")
            out.append(speakable(first))
            index = end + 1
            continue
        if char == "{":
            end = template.index("}", index)
            name = template[index + 1 : end].split(":")[-1].strip()
            out.append(example_value(name))
            index = end + 1
            continue
        if char == "<":
            end = template.index(">", index)
            index = end + 1
            continue
        out.append(char)
        index += 1
    return " ".join("".join(out).split())


def _group(template: str, start: int, closing: str) -> tuple[int, str]:
    """Index of the matching bracket and the group's first alternative."""
    depth = 0
    alternatives_start = start + 1
    first_end = None
    for index in range(start, len(template)):
        char = template[index]
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
            if depth == 0:
                end = first_end if first_end is not None else index
                return index, template[alternatives_start:end]
        elif char == "|" and depth == 1 and first_end is None:
            first_end = index
    raise ValueError(f"Unbalanced brackets in {template!r}.")
