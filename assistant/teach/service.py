"""``TeachingService``: custom commands, aliases, preferences and undo, for every client.

The CLI, the UI and the voice skill all call these methods; each change is
stored (with its undo record) and made usable at once: commands become the
``taught`` skill and taught intents of the understanding stage, aliases and
preferences are read through small caches that notice any change, also one
made by another process (the newest ``changes`` row is the revision).

The service is also the teaching turn hook: aliases before understanding,
teachable moments when nothing was understood, the user's name in replies.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz, process

from assistant.json_values import jsonable_slots
from assistant.learn.templates import TemplatePair, derive, fill, literal_words
from assistant.learn.templates import match as match_template
from assistant.memory.aliases import AliasRepository
from assistant.memory.changes import ChangeConflict, ChangeLog
from assistant.memory.commands import CommandRepository
from assistant.memory.export import ImportReport, export_all, import_all
from assistant.memory.offers import OfferRepository
from assistant.memory.preferences import PreferenceRepository
from assistant.memory.teaching_records import (
    Alias,
    Change,
    CommandStep,
    CustomCommand,
    NameClash,
    Preference,
    TeachingError,
    UnknownStep,
    slug,
)
from assistant.nlu.types import IntentCandidate
from assistant.teach.phrasing import (
    clean,
    is_thing,
    parameters,
    replace_things,
    templatize,
    with_samples,
)
from assistant.teach.statements import describe
from assistant.teach.step_words import (
    describe_steps,
    intent_action,
    spoken_template,
    step_action,
    to_second_person,
)
from assistant.teach.taught import SOURCE, build_taught_skill
from assistant.turn import TurnSource
from assistant.wording import sentence

if TYPE_CHECKING:
    from assistant.teach.ports import TeachingParts

log = logging.getLogger(__name__)

KEY_SYNONYMS = {
    "name": "user_name",
    "my name": "user_name",
    "city": "home_city",
    "home": "home_city",
    "genre": "music_genre",
    "music": "music_genre",
    "team": "favourite_team",
    "unit": "temperature_unit",
    "temperature": "temperature_unit",
    "news": "news_topics",
}
"""What people type for a preference key -> the key it is stored under."""
KEY_CATEGORIES = {
    "user_name": "identity",
    "home_city": "location",
    "temperature_unit": "units",
    "units": "units",
    "clock": "units",
    "music_genre": "music",
    "favourite_team": "sports",
    "news_topics": "news",
    "wake_phrase": "assistant",
}
SLOT_DEFAULTS = {
    "genre": "music_genre",
    "music_genre": "music_genre",
    "city": "home_city",
    "location": "home_city",
    "temperature_unit": "temperature_unit",
    "team": "favourite_team",
}
"""Slot name -> preference key that fills it when the user did not say it. Deliberately
short: a generic slot such as a timer's ``name`` must never be filled with the user's name."""
ALIAS_FUZZY_SCORE = 90
POLITE = re.compile(
    r"^(?:please |could you |can you |would you |just )+|(?: please| now| thanks| thank you)+$"
)
DEVICE_WORDS = re.compile(
    r"^(?:please )?(?:turn|switch|dim|brighten|set the (?:lamp|lights?|light)|open|close|lock|unlock)\b"
)
"""Steps that control a device (which only plug-ins provide)."""
NOT_STEPS = ("teach.", "dialogue.")
TAUGHT_TABLES = ("commands", "aliases", "preferences")
"""Tables of the changes teaching makes (and undoes)."""
TEACHING_WORDS = re.compile(r"\b(?:forget|means?|alias|when i say|what does|stands for|another word)\b")
"""Words of teaching sentences, where an alias phrase is talked about rather than used."""
"""Intents a custom command may not run as a step."""


class TeachingService:
    """Everything the user teaches, and the teaching side of each turn."""

    name = "teaching"

    def __init__(self, parts: TeachingParts) -> None:
        self.parts = parts
        self.store = parts.store
        self.command_store = CommandRepository(self.store)
        self.alias_store = AliasRepository(self.store)
        self.preference_store = PreferenceRepository(self.store)
        self.change_log = ChangeLog(self.store)
        self.offers = OfferRepository(self.store)
        self._lock = threading.RLock()
        self._revision: int | None = None
        self._preferences: dict[str, str] = {}
        self._aliases: dict[str, str] = {}
        self._things: dict[str, str] = {}
        """Aliases that stand for a thing ("groceries" -> "my shopping list"), used inside requests."""
        self._commands: dict[str, CustomCommand] = {}
        """Installed commands by intent."""
        self._installed: dict[str, str] = {}
        """Intent -> signature of what the understanding stage was taught."""
        self.last_teach_ms = 0.0
        """How long the last change took from call to usable (stored, skill and phrases updated)."""
        parts.skills.inline_sources.add(SOURCE)
        self.refresh(force=True)

    # --- freshness ------------------------------------------------------------------

    def refresh(self, force: bool = False) -> None:
        """Reload caches and taught commands when anything changed (here or in another process)."""
        row = self.store.db.execute("select max(id) from changes").fetchone()
        revision = int(row[0] or 0)
        with self._lock:
            if not force and revision == self._revision:
                return
            self._preferences = self.preference_store.as_dict()
            self._aliases = {alias.phrase: alias.target for alias in self.alias_store.all()}
            self._things = {phrase: target for phrase, target in self._aliases.items() if is_thing(target)}
            self._install(self.command_store.all())
            self._revision = revision

    def _install(self, commands: list[CustomCommand]) -> None:
        """Teach the understanding stage what changed and replace the taught skill."""
        nlu = self.parts.understanding
        wanted = {command.intent: command for command in commands}
        for intent in [i for i in self._installed if i not in wanted]:
            nlu.forget(intent)
            del self._installed[intent]
        for intent, command in wanted.items():
            signature = repr((command.triggers, [(s.text, s.intent, s.slots) for s in command.steps]))
            if self._installed.get(intent) == signature:
                continue
            if intent in self._installed:
                nlu.forget(intent)
            kinds = {name: "number" if name == "n" else "text" for name in command.parameters}
            nlu.teach(intent, command.triggers, slots=kinds)
            self._installed[intent] = signature
        self.parts.skills.remove_source(SOURCE)
        self.parts.skills.add(build_taught_skill(commands))
        self._commands = wanted

    def _changed(self, started: float) -> None:
        self.refresh()
        self.last_teach_ms = (time.perf_counter() - started) * 1000
        log.info("teaching change usable after %.1f ms", self.last_teach_ms)

    # --- understanding helpers --------------------------------------------------------

    def understand(self, text: str) -> IntentCandidate | None:
        """The assistant's confident, complete reading of ``text`` (aliases applied), or None.

        A reading that misses a required slot ("add ... to my log" read as
        ``list.add`` without an item) does not count: as a step it would fail.
        """
        candidate = self.parts.understand(text)
        if candidate is None or candidate.intent is None or candidate.unresolved:
            return None
        spec = self.parts.skills.get(candidate.intent)
        if spec is not None and any(candidate.slots.get(s.name) in (None, "") for s in spec.required_slots):
            return None
        return candidate

    def understand_step(self, text: str) -> IntentCandidate | None:
        """``understand``, stricter for a step a command will run unattended.

        A reading only the learned model made, that also took words as slot values, is
        a guess ("turn off the desk lamp" as cancelling a timer called "the desk lamp"):
        it does not count, so the user is asked to say the step another way.
        """
        candidate = self.understand(text)
        if candidate is None or (candidate.intent or "").startswith(NOT_STEPS):
            return None
        if candidate.source == "model" and any(str(v).strip() for v in candidate.raw_slots.values()):
            return None
        return candidate

    def step_reading(self, text: str) -> str | None:
        """What ``text`` means as a step, to compare readings when splitting a teaching
        sentence: the intent and the resolved slots ("list.add item=milk and eggs ..."), or None.

        Two readings with the same intent but other slots differ: "add milk and eggs to my
        shopping list" says more than "add milk", so the longer one is not glued nonsense.
        """
        candidate = self.understand_step(text)
        if candidate is None:
            return None
        said = " ".join(f"{k}={v}" for k, v in sorted(candidate.slots.items()))
        return f"{candidate.intent} {said}".strip()

    def understands(self, text: str) -> str | None:
        """The intent when ``text`` is a request a command may run as a step, else None."""
        candidate = self.understand_step(text)
        return candidate.intent if candidate is not None else None

    def surely_understands(self, text: str) -> bool:
        """Like ``understands``, but only for an exact template match."""
        candidate = self.understand(text)
        return (
            candidate is not None
            and candidate.source in ("rules", "alias")
            and not (candidate.intent or "").startswith(NOT_STEPS)
        )

    def cannot_do(self, step: str) -> str:
        """Why a step cannot be taught, in one sentence: 'I don't know how to do "..."'."""
        spoken = spoken_template(step)
        if DEVICE_WORDS.match(step) and not self.parts.devices.all():
            return (
                f"I can't {to_second_person(spoken)}: I don't control any devices yet (a plug-in adds them)."
            )
        return f"I don't know how to do \u201c{spoken}\u201d."

    def command_for_intent(self, intent: str) -> CustomCommand | None:
        return self._commands.get(intent)

    # --- custom commands --------------------------------------------------------------

    def commands(self) -> list[CustomCommand]:
        return self.command_store.all()

    def get_command(self, name: str) -> CustomCommand | None:
        return self.command_store.get(clean(name))

    def build_steps(self, command_name: str, steps: list[str]) -> list[CommandStep]:
        """Understand each step (templates with ``{parameters}``); raises UnknownStep."""
        own_intent = f"custom.{slug(command_name)}"
        built: list[CommandStep] = []
        for text in steps:
            candidate = next(
                (c for c in map(self.understand_step, with_samples(text)) if c is not None), None
            )
            if candidate is None:
                raise UnknownStep(f"{self.cannot_do(text)} Teach me that first, or say it another way.", text)
            if candidate.intent == own_intent:
                raise TeachingError(
                    f"\u201c{spoken_template(text)}\u201d would run \u201c{command_name}\u201d "
                    "itself, over and over."
                )
            slots = {} if parameters(text) else jsonable_slots(candidate.slots)
            built.append(CommandStep(text=text, intent=candidate.intent or "", slots=slots))
        return built

    def prepare_command(
        self, name: str, triggers: list[str], steps: list[str]
    ) -> tuple[str, list[str], list[str]]:
        """Cleaned name, trigger templates and step templates (placeholders -> parameters)."""
        name = clean(name)
        if not name:
            raise TeachingError("A command needs a name.")
        trigger_texts = [clean(t) for t in triggers if clean(t)] or [name]
        step_texts = [clean(s) for s in steps if clean(s)]
        if not step_texts:
            raise TeachingError(f"The command \u201c{name}\u201d needs at least one step.")
        templated: list[str] = []
        for trigger in trigger_texts:
            trigger, step_texts = templatize(trigger, step_texts)
            templated.append(trigger)
        for trigger in templated:
            for step in step_texts:
                for parameter in parameters(step):
                    if parameter not in parameters(trigger):
                        spoken = spoken_template("{" + parameter + "}")
                        raise TeachingError(
                            f"The step \u201c{spoken_template(step)}\u201d uses {spoken}, "
                            f"but the phrase \u201c{spoken_template(trigger)}\u201d doesn't say it."
                        )
        return name, templated, step_texts

    def check_command_clashes(self, name: str, triggers: list[str], replace: bool = True) -> None:
        """Raise NameClash when the name or a phrase already means something else."""
        intent = f"custom.{slug(name)}"
        existing = self.command_store.get(name)
        if existing is not None and not replace:
            raise NameClash(
                f"There is already a command called \u201c{name}\u201d. Replace it, or pick another name?",
                name,
                f"the command \u201c{name}\u201d",
                "exists",
            )
        for other in self._commands.values():
            if other.name != name and other.intent == intent:
                raise NameClash(
                    f"\u201c{name}\u201d is too close to the command \u201c{other.name}\u201d. "
                    "Pick another name?",
                    name,
                    f"the command \u201c{other.name}\u201d",
                    "command",
                )
        for trigger in triggers:
            owner = self.command_store.owner_of_trigger(trigger)
            if owner is not None and owner != name:
                raise NameClash(
                    f"\u201c{spoken_template(trigger)}\u201d already runs the command \u201c{owner}\u201d. "
                    "Pick another phrase?",
                    trigger,
                    f"the command \u201c{owner}\u201d",
                    "command",
                )
            if trigger in self._aliases:
                raise NameClash(
                    f"\u201c{trigger}\u201d already means \u201c{self._aliases[trigger]}\u201d. Pick another "
                    "phrase, or forget that first?",
                    trigger,
                    f"\u201c{self._aliases[trigger]}\u201d",
                    "alias",
                )
            for sample in with_samples(trigger):
                candidate = self.understand(sample)
                if candidate is None or candidate.source != "rules" or candidate.intent == intent:
                    continue
                meaning = self.describe_intent(candidate.intent or "")
                kind = "command" if (candidate.intent or "").startswith("custom.") else "built-in"
                raise NameClash(
                    f"\u201c{spoken_template(trigger)}\u201d already means {meaning}. Pick another name?",
                    trigger,
                    meaning,
                    kind,
                )

    def save_command(
        self,
        name: str,
        triggers: list[str],
        steps: list[str],
        source: str = "ui",
        *,
        replace: bool = True,
    ) -> CustomCommand:
        """Teach (or change) a command; usable as soon as this returns.

        Each step is understood first: an unknown step raises UnknownStep and
        nothing is stored. A phrase that already means something else raises
        NameClash. With ``replace=False`` an existing command of that name is a clash.
        """
        started = time.perf_counter()
        name, trigger_texts, step_texts = self.prepare_command(name, triggers, steps)
        built = self.build_steps(name, step_texts)
        self.check_command_clashes(name, trigger_texts, replace)
        command = self.command_store.save(name, trigger_texts, built, source)
        self._changed(started)
        return command

    def save_built_command(
        self, name: str, triggers: list[str], steps: list[CommandStep], source: str = "voice"
    ) -> CustomCommand:
        """Store steps already understood (the step-by-step flow); clashes checked again."""
        started = time.perf_counter()
        self.check_command_clashes(name, triggers, replace=True)
        command = self.command_store.save(name, triggers, steps, source)
        self._changed(started)
        return command

    def rename_command(self, old: str, new: str) -> CustomCommand:
        started = time.perf_counter()
        old, new = clean(old), clean(new)
        command = self.command_store.get(old)
        if command is None:
            raise TeachingError(f"I don't know a command called \u201c{old}\u201d.")
        if not new:
            raise TeachingError("The new name is empty.")
        new_triggers = [new if trigger == old else trigger for trigger in command.triggers]
        self.check_command_clashes(new, [t for t in new_triggers if t not in command.triggers], replace=False)
        renamed = self.command_store.rename(old, new)
        self._changed(started)
        return renamed

    def delete_command(self, name: str) -> CustomCommand:
        started = time.perf_counter()
        forgotten = self.command_store.delete(clean(name))
        if forgotten is None:
            raise TeachingError(f"I don't know a command called \u201c{clean(name)}\u201d.")
        self._changed(started)
        return forgotten

    def preview(self, text: str) -> str:
        """What saying ``text`` would do, without doing it."""
        words = clean(text)
        candidate = self.understand(words)
        if candidate is None:
            return f"I wouldn't understand \u201c{words}\u201d."
        prefix = ""
        target = self.match_alias(words)
        if target is not None:
            prefix = f"\u201c{words}\u201d means \u201c{target[0]}\u201d. "
        command = self._commands.get(candidate.intent or "")
        if command is not None:
            steps = describe_steps(command, candidate.raw_slots or candidate.slots)
            return f"{prefix}It runs your command \u201c{spoken_template(command.name)}\u201d: I'd {steps}."
        step = CommandStep(text=words, intent=candidate.intent or "", slots=jsonable_slots(candidate.slots))
        return f"{prefix}I'd {step_action(step)}."

    def describe_intent(self, intent: str) -> str:
        """What an intent means, for "... already means ...": 'your command "X"', 'something
        to me (I'd tell you the time)', 'something to me (like "set a timer for 10 minutes")'."""
        command = self._commands.get(intent)
        if command is not None:
            return f"your command \u201c{command.name}\u201d"
        action = intent_action(intent)
        if action:
            return f"something to me (I'd {action})"
        examples = self.parts.skills.examples(intent, 1)
        return f"something to me (like \u201c{examples[0]}\u201d)" if examples else "something to me"

    # --- aliases ----------------------------------------------------------------------

    def aliases(self) -> list[Alias]:
        return self.alias_store.all()

    def save_alias_from_example(
        self, phrase: str, target: str, source: str = "ui", *, force: bool = False
    ) -> Alias:
        """Make ``phrase`` mean ``target``, and every phrase like it with other values: from
        "stick sugar on the shopping list" -> "add sugar to the shopping list" the alias is
        "stick {item} on the {list} list" -> "add {item} to the {list} list"."""
        meant = self.understand(clean(target))
        pair = derive(clean(phrase), clean(target), meant.slots if meant is not None else {})
        return self.save_alias(
            phrase, target, source, force=force, template=pair if pair and pair.general else None
        )

    def save_alias(
        self,
        phrase: str,
        target: str,
        source: str = "ui",
        *,
        force: bool = False,
        template: TemplatePair | None = None,
    ) -> Alias:
        """Make ``phrase`` mean ``target`` (which must be understood).

        A phrase that already means something else raises NameClash unless
        ``force`` (the user said so after a wrong answer: aliases win). With a
        ``template``, the checks are made on the example and the template is kept.
        """
        started = time.perf_counter()
        phrase, target = clean(phrase), clean(target)
        if not phrase or not target:
            raise TeachingError("An alias needs a phrase and what it means.")
        if phrase == target:
            raise TeachingError(f"\u201c{phrase}\u201d already means itself.")
        target = self._aliases.get(target, target)
        thing = is_thing(target)
        meant = self.understand(f"read {target}" if thing and target.endswith("list") else target)
        if meant is None and not thing:
            raise UnknownStep(
                f"I don't understand \u201c{target}\u201d myself, so \u201c{phrase}\u201d can't "
                "mean it yet. Say it another way?",
                target,
            )
        owner = self.command_store.owner_of_trigger(phrase)
        if owner is not None:
            raise NameClash(
                f"\u201c{phrase}\u201d already runs the command \u201c{owner}\u201d.",
                phrase,
                f"the command \u201c{owner}\u201d",
                "command",
            )
        if not force and phrase not in self._aliases:
            current = self.parts.understanding.parse(phrase)
            best = current[0] if current else None
            wanted = meant.intent if meant is not None else None
            if best is not None and best.source == "rules" and best.intent not in (None, wanted):
                meaning = self.describe_intent(best.intent or "")
                raise NameClash(
                    f"\u201c{phrase}\u201d already means {meaning}. Should it mean "
                    f"\u201c{target}\u201d instead?",
                    phrase,
                    meaning,
                    "built-in",
                )
        if template is not None:
            phrase, target = template.source, template.target
        alias = self.alias_store.save(phrase, target, source)
        self._changed(started)
        return alias

    def delete_alias(self, phrase: str) -> Alias:
        started = time.perf_counter()
        forgotten = self.alias_store.delete(clean(phrase))
        if forgotten is None:
            raise TeachingError(f"\u201c{clean(phrase)}\u201d isn't an alias.")
        self._changed(started)
        return forgotten

    def match_alias(self, text: str) -> tuple[str, str] | None:
        """(target, the alias phrase) for ``text``: exact, else a close spelling."""
        self.refresh()
        aliases = self._aliases
        if not aliases or not text:
            return None
        if text in aliases:
            return aliases[text], text
        wanted = _strip_polite(text)
        for phrase, target in aliases.items():
            if wanted and _strip_polite(phrase) == wanted:
                return target, phrase
        fitting = [
            (phrase, values) for phrase in aliases if (values := match_template(phrase, text)) is not None
        ]
        if fitting:
            phrase, values = max(fitting, key=lambda found: literal_words(found[0]))
            return fill(aliases[phrase], values), phrase
        if len(text) < 5:
            return None
        found = process.extractOne(text, list(aliases), scorer=fuzz.ratio, score_cutoff=ALIAS_FUZZY_SCORE)
        if found is None:
            return None
        # A near-miss only counts when the words mean nothing else already.
        current = self.parts.understanding.parse(text)
        if current and current[0].source == "rules":
            return None
        return aliases[found[0]], found[0]

    # --- preferences ------------------------------------------------------------------

    def preferences(self) -> dict[str, str]:
        """key -> value, plus the slot names preferences fill (``genre`` for music_genre)."""
        self.refresh()
        values = dict(self._preferences)
        for slot, key in SLOT_DEFAULTS.items():
            if key in values and slot not in values:
                values[slot] = values[key]
        return values

    def preference_rows(self) -> list[Preference]:
        return self.preference_store.all()

    def user_name(self) -> str | None:
        self.refresh()
        return self._preferences.get("user_name")

    def set_preference(
        self, key: str, value: str, category: str | None = None, source: str = "said"
    ) -> Preference:
        started = time.perf_counter()
        key = preference_key(key)
        if not key or not value.strip():
            raise TeachingError("A preference needs a name and a value.")
        category = category or KEY_CATEGORIES.get(key, "general")
        preference = self.preference_store.set(key, value, category, source)
        if key == "wake_phrase":
            # The wake phrase is a setting too: the voice loop reads it when it starts.
            settings = self.parts.settings.update(wake_phrase=value.strip().lower())
            settings.save(self.parts.home)
        self._changed(started)
        return preference

    def forget_preference(self, key_or_value: str) -> list[Preference]:
        """Forget preferences whose key or value is ``key_or_value``; raises if none."""
        started = time.perf_counter()
        wanted = key_or_value.strip()
        found = self.preference_store.find(wanted) or self.preference_store.find(preference_key(wanted))
        if not found:
            raise TeachingError(f"I don't know anything about you called \u201c{wanted}\u201d.")
        forgotten = [p for p in (self.preference_store.delete(row.key) for row in found) if p is not None]
        self._changed(started)
        return forgotten

    def forget_all_preferences(self) -> int:
        started = time.perf_counter()
        count = self.preference_store.delete_all()
        self._changed(started)
        return count

    def default_slot(self, intent: str, slot: str) -> str | None:
        """The user's preferred value for a slot they did not say (music genre, units...)."""
        values = self.preferences()
        for key in (f"{intent}.{slot}", SLOT_DEFAULTS.get(slot, "")):
            if key and key in values:
                return values[key]
        return None

    # --- changes ----------------------------------------------------------------------

    def recent_changes(self, limit: int = 50) -> list[Change]:
        return self.change_log.recent(limit)

    def undo(self, change_id: int | None = None) -> str:
        """Undo one change (None: the newest); returns what was undone, in words."""
        started = time.perf_counter()
        try:
            change = self.change_log.undo(change_id)
        except ChangeConflict as error:
            raise TeachingError(str(error)) from error
        self._changed(started)
        return undone_reply(change)

    def newest_change_id(self) -> int:
        """The id of the newest change (0 when none): what an intent's undo takes back."""
        row = self.store.db.execute("select max(id) from changes").fetchone()
        return int(row[0] or 0)

    def undo_taught(self, data: dict[str, Any]) -> str:
        """Take back the change one teaching run made: "undo that".

        ``data["change_id"]`` when the run made it at once; a run that asked questions
        first ("learn a new command") has ``data["after_change"]``, the newest change before
        it, and the newest teaching change since is what its answers made.
        """
        change_id = data.get("change_id")
        after = data.get("after_change")
        if not isinstance(change_id, int) and isinstance(after, int):
            newer = self.change_log.latest_undoable(TAUGHT_TABLES)
            change_id = newer.id if newer is not None and newer.id > after else None
        if not isinstance(change_id, int) or change_id <= 0:
            return "Nothing was taught, so there's nothing to take back."
        try:
            return self.undo(change_id)
        except TeachingError as error:
            return str(error)

    # --- export / import --------------------------------------------------------------

    def export_data(self) -> dict[str, Any]:
        """Everything taught and learned, with the settings."""
        return export_all(self.store, settings=self.parts.settings)

    def import_data(
        self, data: Any, *, replace: bool = False, with_timers: bool = False, with_settings: bool = False
    ) -> ImportReport:
        """Check then store a whole export; nothing is stored when it has problems.

        The settings, when asked for, are saved after the database commit; if that fails,
        the report says what was kept (everything else) and what was not (the settings).
        """
        started = time.perf_counter()
        known = {spec.name for spec in self.parts.skills.intents()}
        report = import_all(
            self.store,
            data,
            replace=replace,
            known_intents=known,
            with_timers=with_timers,
            with_settings=with_settings,
        )
        if report.ok:
            self._changed(started)
        if report.ok and report.settings is not None:
            try:
                report.settings.save(self.parts.home)
            except OSError as error:
                report.settings = None
                report.kept_note = (
                    f"The settings were not changed: {error.strerror or error} "
                    "(everything else above was imported)."
                )
            else:
                self.parts.settings.update(**asdict(report.settings))
        return report

    def replace_thing_aliases(self, text: str) -> tuple[str, TurnSource] | None:
        """'add milk to groceries' -> 'add milk to my shopping list' when "groceries" was taught
        to mean "my shopping list"; never inside teaching sentences ("forget groceries")."""
        things = self._things
        if not things or TEACHING_WORDS.search(text):
            return None
        replaced = replace_things(text, things)
        return (replaced, TurnSource.ALIAS) if replaced is not None else None


def undone_reply(change: Change) -> str:
    """What undoing ``change`` did, in words: 'OK, I forgot the command "end of day".'"""
    key = change.row_key
    rows = (change.before or {}).get(change.table_name) or []
    before = rows[0] if rows else {}
    if change.table_name == "commands":
        if change.action == "create":
            return f"OK, I forgot the command \u201c{key}\u201d."
        if change.action == "delete":
            return f"OK, I know the command \u201c{key}\u201d again."
        old_name = before.get("name")
        if isinstance(old_name, str) and old_name != key:
            return f"OK, the command is called \u201c{old_name}\u201d again."
        return f"OK, the command \u201c{key}\u201d does what it did before."
    if change.table_name == "aliases":
        if change.action == "create":
            return f"OK, \u201c{key}\u201d doesn't mean anything special any more."
        target = before.get("target")
        if target:
            return f"OK, \u201c{key}\u201d means \u201c{target}\u201d again."
        return f"OK, \u201c{key}\u201d means what it did before."
    if change.table_name == "preferences":
        if key == "*":
            return "OK, I remember what you told me about yourself again."
        what = "your name" if key == "user_name" else f"your {key.replace('_', ' ')}"
        if change.action == "create":
            return f"OK, I forgot {what}."
        value = before.get("value")
        if value:
            said = describe(str(before.get("category") or ""), key, str(value)).rstrip(".")
            return f"OK, {said[:1].lower()}{said[1:]} again."
        return f"OK, I put {what} back."
    return sentence(f"OK, I undid this: {change.description[:1].lower()}{change.description[1:]}")


def preference_key(key: str) -> str:
    """'My Name' -> 'user_name'; 'home city' -> 'home_city'."""
    cleaned = re.sub(r"[^a-z0-9]+", "_", key.strip().lower()).strip("_")
    return KEY_SYNONYMS.get(key.strip().lower(), KEY_SYNONYMS.get(cleaned.replace("_", " "), cleaned))


def _strip_polite(text: str) -> str:
    return POLITE.sub("", text).strip()
