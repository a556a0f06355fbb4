"""Sentence templates in Home Assistant's intent YAML format, matched with hassil.

A :class:`RuleSet` holds the YAML of many sources (skills, plug-ins, taught
commands), the dynamic slot lists (device names, contacts), and answers two
questions: which intents match a text exactly, and what do an intent's sentences
look like (random expansions for training and recognizer biasing).
"""

from __future__ import annotations

import copy
import hashlib
import random
import re
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml
from hassil import Intents, recognize_all
from hassil.errors import HassilError
from hassil.expression import (
    Alternative,
    Expression,
    Group,
    ListReference,
    Permutation,
    RuleReference,
    TextChunk,
)
from hassil.intents import Intent, IntentData, RangeSlotList, SlotList, TextSlotList, WildcardSlotList
from hassil.parser import ParseError as HassilParseError
from hassil.recognize import RecognizeResult
from hassil.sample import sample_expression

from assistant.nlu.numbers import number_to_words
from assistant.nlu.slots import Catalogue, normalize
from assistant.nlu.template_filter import TemplateFilter, squash

POLITE_WORDS = [
    "please", "can you", "could you", "would you", "will you", "i want to", "i'd like to",
    "i would like to", "hey", "okay", "ok", "now", "for me", "kindly", "just", "um", "uh", "erm",
]  # fmt: skip
"""Skipped by the matcher, so "could you turn on the fan please" still matches exactly."""

WILDCARD_SAMPLES = [
    "the report", "groceries", "call mum", "water the plants", "the quarterly review",
    "jazz", "something nice", "the meeting notes", "pay the rent", "project alpha",
    "the tea on the stove", "pick up the kids from school", "send the invoice to the client",
    "bread and milk", "check the oven in the kitchen",
]  # fmt: skip
"""Stand-in words for wildcard slots when sentences are expanded for training (some long,
with "in", "to" and "and" inside, so the slot tagger learns where such values end)."""


_STAND_IN = re.compile(r"\b(?:" + "|".join(re.escape(value) for value in WILDCARD_SAMPLES) + r")\b")


def has_stand_in(text: str) -> bool:
    """Whether an expansion holds a wildcard stand-in ("water the plants"): such words were never
    said by anyone, so they must not reach a recognizer's grammar or prompt."""
    return _STAND_IN.search(text) is not None


SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when PyYAML has it: reading the skills' sentences ~10x faster."""


PARSED_FILES_KEPT = 64
"""Sentence files whose parsed templates are kept for the next assistant in this process."""
_parsed_files: dict[tuple[str, str, str], tuple[dict[str, Any], Intents]] = {}
"""(file, digest of its bytes, language) -> its YAML and parsed templates: parsing the built-in
skills' sentences is most of building an assistant (tests and the conversation corpus build
hundreds); nothing changes a parsed ``Intents`` after ``add`` (``merged`` copies what it extends)."""
RECENT_MATCHES = 128
"""Texts whose template matches are kept until the sentences or lists change: hassil's part
of a request said again, or read twice in one turn, costs nothing."""
MAX_NESTING = 20
"""Groups inside groups in one template ("((a|b) [c])" is 2 deep). hassil parses and matches
templates recursively; deeper ones are refused when added, not at every request."""

_READ_ERRORS = (
    KeyError, TypeError, ValueError, AttributeError, AssertionError, IndexError,
    HassilParseError, HassilError,
)  # fmt: skip
"""What hassil raises on sentences it cannot read (it checks little of the YAML's shape)."""


class TemplateError(ValueError):
    """A sentences YAML that hassil cannot read; the message names the source."""


def load_yaml(data: Mapping[str, Any] | str | Path) -> dict[str, Any]:
    """Read intent YAML from a path, a YAML string or an already loaded dict.

    Raises TemplateError when it is not YAML or not a mapping."""
    if isinstance(data, Mapping):
        return copy.deepcopy(dict(data))
    path = Path(data)
    label = str(data) if len(str(data)) < 80 else str(data)[:79] + "\u2026"
    try:
        if isinstance(data, Path) or (len(str(data)) < 500 and "\n" not in str(data) and path.is_file()):
            with open(path, encoding="utf-8") as handle:
                loaded = yaml.load(handle, Loader=SAFE_LOADER)
        else:
            loaded = yaml.load(str(data), Loader=SAFE_LOADER)
    except yaml.YAMLError as error:
        raise TemplateError(f"{label}: not valid YAML: {error}") from error
    except (OSError, UnicodeDecodeError) as error:
        raise TemplateError(f"{label}: cannot read it: {error}") from error
    if not isinstance(loaded, dict):
        raise TemplateError(f"{label}: expected a mapping with 'language' and 'intents'")
    return loaded


def _nesting(template: str) -> int:
    """How deep groups and optionals go inside each other in one template."""
    depth = deepest = 0
    for char in template:
        if char in "([":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")]":
            depth = max(0, depth - 1)
    return deepest


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _texts(values: Any) -> list[str]:
    return [text for text in values if isinstance(text, str)] if isinstance(values, list) else []


def _templates(raw: Mapping[str, Any]) -> Iterable[str]:
    """Every template text in a sentences YAML: sentences, expansion rules, list values
    (shapes hassil would refuse are skipped here; hassil says what is wrong with them)."""
    yield from _texts(list(_mapping(raw.get("expansion_rules")).values()))
    for intent in _mapping(raw.get("intents")).values():
        for data in _mapping(intent).get("data") or []:
            yield from _texts(_mapping(data).get("sentences"))
            yield from _texts(list(_mapping(_mapping(data).get("expansion_rules")).values()))
    for definition in _mapping(raw.get("lists")).values():
        values = _mapping(definition).get("values")
        if isinstance(values, list):
            yield from _texts([_mapping(v).get("in") if isinstance(v, Mapping) else v for v in values])


def _file_key(data: Mapping[str, Any] | str | Path, language: str) -> tuple[str, str, str] | None:
    """What identifies a sentences file's contents: its path and a digest of its bytes (None
    for YAML given as text or a dict, which is parsed every time)."""
    if not isinstance(data, Path):
        return None
    try:
        digest = hashlib.sha256(data.read_bytes()).hexdigest()
    except OSError:
        return None  # load_yaml says why it cannot be read
    return (str(data.resolve()), digest, language)


class RuleSet:
    """Templates from many sources plus dynamic slot lists, compiled for hassil."""

    def __init__(self, language: str = "en") -> None:
        self.language = language
        self._sources: dict[str, Intents] = {}
        self._raw: dict[str, dict[str, Any]] = {}
        self._dynamic: dict[str, TextSlotList] = {}
        self._dynamic_pairs: dict[str, list[tuple[str, str]]] = {}
        self._volatile: set[str] = set()
        self._merged: Intents | None = None
        self._catalogues: dict[str, Catalogue] = {}
        self._slot_lists: dict[str, dict[str, str]] = {}
        self._template_filter: TemplateFilter | None = None
        self._recent: OrderedDict[tuple[str, bool, tuple[str, ...]], list[RecognizeResult]] = OrderedDict()
        """The last RECENT_MATCHES texts' matches (hassil's results are only read, never changed)."""
        self.version = 0
        """Goes up whenever sentences or lists change."""

    # -- building -----------------------------------------------------------------
    def add(self, source: str, data: Mapping[str, Any] | str | Path) -> None:
        """Add (or replace) the sentences of one source.

        Raises TemplateError, and changes nothing, when hassil cannot read every sentence
        (hassil reads them lazily: a bad one would otherwise fail at every request), when
        groups and expansion rules nest deeper than :data:`MAX_NESTING`, or when a sentence
        uses an expansion rule that neither this source nor one added before it defines, or
        one that uses itself."""
        key = _file_key(data, self.language)
        if key is not None and key in _parsed_files:
            raw, parsed = _parsed_files[key]
            self._check_expressions(source, parsed)  # depends on the other sources
            self._sources[source] = parsed
            self._raw[source] = raw
            self._changed()
            return
        raw = load_yaml(data)
        raw.setdefault("language", self.language)
        raw.setdefault("intents", {})
        if not isinstance(raw.get("skip_words", []), list):
            raise TemplateError(f"{source}: 'skip_words' must be a list of words")
        try:
            too_deep = next((text for text in _templates(raw) if _nesting(text) > MAX_NESTING), None)
            if too_deep is not None:
                raise TemplateError(
                    f"{source}: a sentence nests groups more than {MAX_NESTING} deep: {too_deep[:60]!r}"
                )
            parsed = Intents.from_dict(raw)
            for intent in parsed.intents.values():
                for intent_data in intent.data:
                    _ = intent_data.sentences  # parsed on first use: parse now
        except TemplateError:
            raise
        except _READ_ERRORS as error:
            raise TemplateError(f"{source}: cannot read sentences: {error!r}") from error
        self._check_expressions(source, parsed)
        self._sources[source] = parsed
        self._raw[source] = raw
        self._changed()
        if key is not None:
            if len(_parsed_files) >= PARSED_FILES_KEPT:
                del _parsed_files[next(iter(_parsed_files))]
            _parsed_files[key] = (raw, parsed)

    def _check_expressions(self, source: str, parsed: Intents) -> None:
        """Raise TemplateError when a sentence or list value uses an expansion rule nobody
        defines, a rule that uses itself, or nests groups and rules deeper than
        :data:`MAX_NESTING`: hassil would fail on it at every request."""
        others: dict[str, Any] = {}
        for name, other in self._sources.items():
            if name != source:
                others.update(other.expansion_rules)
        for intent in parsed.intents.values():
            for intent_data in intent.data:
                rules = {**others, **parsed.expansion_rules, **intent_data.expansion_rules}
                depths: dict[str, int] = {}
                values = [
                    value.text_in
                    for lists in (parsed.slot_lists, intent_data.slot_lists)
                    for slot_list in lists.values()
                    if isinstance(slot_list, TextSlotList)
                    for value in slot_list.values
                ]
                for expression in [sentence.expression for sentence in intent_data.sentences] + values:
                    try:
                        _nesting_below(expression, rules, depths, 0, frozenset())
                    except TemplateError as error:
                        raise TemplateError(f"{source}: {error}") from None

    def remove(self, source: str) -> bool:
        """Forget one source's sentences; True if it was there."""
        found = self._sources.pop(source, None) is not None
        self._raw.pop(source, None)
        if found:
            self._changed()
        return found

    def sources(self) -> list[str]:
        return list(self._sources)

    def set_list(self, name: str, values: Sequence[str] | Mapping[str, str], volatile: bool = False) -> None:
        """Replace a dynamic slot list (spoken form -> value, or plain names). A ``volatile``
        list changes from turn to turn (the running timers' names): the learned model is
        trained without its values and does not depend on it."""
        if volatile:
            self._volatile.add(name)
        pairs = list(values.items()) if isinstance(values, Mapping) else [(v, v) for v in values]
        pairs = [(normalize(spoken), str(value)) for spoken, value in pairs if normalize(spoken)]
        self._dynamic[name] = TextSlotList.from_tuples(pairs, allow_template=False)
        self._dynamic_pairs[name] = pairs
        self._changed()

    def raw_sources(self) -> dict[str, dict[str, Any]]:
        """Each source's sentences as loaded (for the training digest)."""
        return dict(self._raw)

    def dynamic_lists(self) -> dict[str, list[tuple[str, str]]]:
        """The dynamic slot lists as (spoken form, value) pairs (not the volatile ones)."""
        return {
            name: list(pairs) for name, pairs in self._dynamic_pairs.items() if name not in self._volatile
        }

    def _sampled_lists(self, data: IntentData) -> dict[str, SlotList]:
        """The lists expansions draw values from: a volatile list's values are left out."""
        lists = {**self.merged.slot_lists, **data.slot_lists}
        return {name: slot_list for name, slot_list in lists.items() if name not in self._volatile}

    def _changed(self) -> None:
        self._merged = None
        self._template_filter = None  # rules and skip words may have changed
        self._recent.clear()
        self._catalogues.clear()
        self._slot_lists.clear()
        self.version += 1

    @property
    def merged(self) -> Intents:
        """All sources as one hassil ``Intents`` (rebuilt lazily; cheap: no re-parsing)."""
        if self._merged is None:
            merged = Intents(language=self.language, intents={})
            for parsed in self._sources.values():
                for name, intent in parsed.intents.items():
                    if name in merged.intents:
                        merged.intents[name] = copy.copy(merged.intents[name])
                        merged.intents[name].data = merged.intents[name].data + intent.data
                    else:
                        merged.intents[name] = intent
                merged.slot_lists.update(parsed.slot_lists)
                merged.expansion_rules.update(parsed.expansion_rules)
                merged.skip_words.extend(w for w in parsed.skip_words if w not in merged.skip_words)
            merged.slot_lists.update(self._dynamic)
            # A list no source defines (a plug-in's typo, a dynamic list not set yet) matches
            # nothing; hassil would raise at every request instead.
            for name in self._referenced_lists(merged) - set(merged.slot_lists):
                merged.slot_lists[name] = TextSlotList(name=name, values=[])
            self._merged = merged
        return self._merged

    @staticmethod
    def _referenced_lists(merged: Intents) -> set[str]:
        names: set[str] = set()
        for intent in merged.intents.values():
            for intent_data in intent.data:
                rules = {**merged.expansion_rules, **intent_data.expansion_rules}
                names.update(
                    ref.list_name
                    for sentence in intent_data.sentences
                    for ref in _list_references(sentence.expression, rules, 0)
                    if ref.list_name not in intent_data.slot_lists
                )
        return names

    # -- questions ----------------------------------------------------------------
    def intent_names(self) -> list[str]:
        return list(self.merged.intents)

    def source_of(self, intent: str) -> list[str]:
        return [s for s, parsed in self._sources.items() if intent in parsed.intents]

    def match(
        self, text: str, intent_names: Iterable[str] | None = None, allow_unmatched: bool = False
    ) -> list[RecognizeResult]:
        """Every template match of ``text``; optionally only among ``intent_names``."""
        merged = self.merged
        names = tuple(merged.intents if intent_names is None else intent_names)
        key = (text, allow_unmatched, names)
        found = self._recent.get(key)
        if found is not None:
            self._recent.move_to_end(key)
            return list(found)
        results = self._match(text, names, allow_unmatched)
        self._recent[key] = results
        if len(self._recent) > RECENT_MATCHES:
            self._recent.popitem(last=False)
        return list(results)

    def _match(self, text: str, names: tuple[str, ...], allow_unmatched: bool) -> list[RecognizeResult]:
        merged = self.merged
        squashed = squash(text)
        template_filter = self._filter
        wanted = {}
        for name in names:
            intent = merged.intents.get(name)
            if intent is not None:
                data = template_filter.intent_in(intent, squashed, merged.expansion_rules)
                if data:
                    wanted[name] = Intent(name=name, data=data)
        if not wanted:
            return []
        slot_lists = dict(merged.slot_lists)
        for name in wanted:
            for list_name in self.slot_lists_of(name).values():
                slot_list = slot_lists.get(list_name)
                if isinstance(slot_list, TextSlotList):
                    slot_lists[list_name] = self._filter.values_in(slot_list, squashed)
        merged = Intents(
            language=merged.language,
            intents=wanted,
            slot_lists=slot_lists,
            expansion_rules=merged.expansion_rules,
            skip_words=merged.skip_words,
            settings=merged.settings,
        )
        return list(
            recognize_all(
                text,
                merged,
                skip_words=POLITE_WORDS,
                allow_unmatched_entities=allow_unmatched,
                language=self.language,
            )
        )

    @property
    def _filter(self) -> TemplateFilter:
        if self._template_filter is None:
            self._template_filter = TemplateFilter([*POLITE_WORDS, *self.merged.skip_words])
        return self._template_filter

    def warm_up(self) -> None:
        """Match a number word against every number range once: hassil builds each range's
        table of number words on first use (about a second for 0-1000), which would
        otherwise fall on the first request that says a number in words."""
        merged = self.merged
        for name, slot_list in merged.slot_lists.items():
            if not (isinstance(slot_list, RangeSlotList) and slot_list.words):
                continue
            probe = Intents.from_dict(
                {"language": self.language, "intents": {"warm": {"data": [{"sentences": [f"{{{name}}}"]}]}}}
            )
            probe.slot_lists = {name: slot_list}
            list(recognize_all("one", probe, language=self.language))

    def slot_list(self, name: str) -> SlotList | None:
        return self.merged.slot_lists.get(name)

    def catalogue(self, list_name: str) -> Catalogue | None:
        """Fuzzy catalogue of a text list (None for ranges, wildcards, unknown lists)."""
        if list_name in self._catalogues:
            return self._catalogues[list_name]
        slot_list = self.slot_list(list_name)
        if not isinstance(slot_list, TextSlotList):
            return None
        pairs: dict[str, str] = {}
        for value in slot_list.values:
            for spoken in _bounded(sample_expression(value.text_in), 20):
                pairs.setdefault(normalize(spoken), str(value.value_out))
        catalogue = Catalogue(pairs)
        self._catalogues[list_name] = catalogue
        return catalogue

    def slot_lists_of(self, intent: str) -> dict[str, str]:
        """Slot name -> list name for every list an intent's sentences use (cached per version)."""
        cached = self._slot_lists.get(intent)
        if cached is not None:
            return cached
        found: dict[str, str] = {}
        intent_obj = self.merged.intents.get(intent)
        if intent_obj is None:
            return found
        self._slot_lists[intent] = found
        for data in intent_obj.data:
            rules = {**self.merged.expansion_rules, **data.expansion_rules}
            for sentence in data.sentences:
                for ref in _list_references(sentence.expression, rules, 0):
                    found.setdefault(ref.slot_name, ref.list_name)
        return found

    def lists_used_by(self, intent: str) -> set[str]:
        """The names of every list an intent's templates refer to (one slot may use several:
        "{left}" and "{calc_number:left}")."""
        intent_obj = self.merged.intents.get(intent)
        if intent_obj is None:
            return set()
        return {
            ref.list_name
            for data in intent_obj.data
            for sentence in data.sentences
            for ref in _list_references(
                sentence.expression, {**self.merged.expansion_rules, **data.expansion_rules}, 0
            )
        }

    def sample(self, intent: str, count: int, rng: random.Random | None = None) -> list[str]:
        """Up to ``count`` random, distinct expansions of an intent's sentences."""
        return [text for text, _ in self.sample_with_slots(intent, count, rng)]

    def sample_with_slots(
        self, intent: str, count: int, rng: random.Random | None = None
    ) -> list[tuple[str, dict[str, str]]]:
        """Like :meth:`sample`, with the words each slot got in each expansion."""
        rng = rng or random.Random(0)
        intent_obj = self.merged.intents.get(intent)
        if intent_obj is None:
            return []
        sentences = [(data, s) for data in intent_obj.data for s in data.sentences]
        if not sentences:
            return []
        seen: dict[str, dict[str, str]] = {}
        for _ in range(count * 3):
            data, sentence = rng.choice(sentences)
            rules = {**self.merged.expansion_rules, **data.expansion_rules}
            lists = self._sampled_lists(data)
            slots: dict[str, str] = {}
            text = " ".join(_sample(sentence.expression, rules, lists, rng, 0, slots).split())
            if text:
                seen.setdefault(text, slots)
            if len(seen) >= count:
                break
        return sorted(seen.items())

    def usual_forms(self, intent: str, rng: random.Random) -> list[str]:
        """Each of an intent's templates said the usual way (first choices, optional words in),
        with sampled slot values: every template is in the recognizer's phrases once."""
        intent_obj = self.merged.intents.get(intent)
        if intent_obj is None:
            return []
        forms: list[str] = []
        for data in intent_obj.data:
            rules = {**self.merged.expansion_rules, **data.expansion_rules}
            lists = self._sampled_lists(data)
            for sentence in data.sentences:
                text = " ".join(_sample(sentence.expression, rules, lists, rng, 0, None, True).split())
                if text:
                    forms.append(text)
        return forms

    def list_values(self, list_name: str, limit: int = 200) -> list[str]:
        """Spoken forms of a text list (for recognizer biasing)."""
        catalogue = self.catalogue(list_name)
        return catalogue.spoken[:limit] if catalogue else []


def _bounded(items: Iterable[str], limit: int) -> list[str]:
    out: list[str] = []
    for item in items:
        out.append(item)
        if len(out) >= limit:
            break
    return out


def _nesting_below(
    expression: Expression,
    rules: Mapping[str, Any],
    depths: dict[str, int],
    level: int,
    using: frozenset[str],
) -> int:
    """How deep groups and expansion rules nest below ``expression``, which sits ``level``
    deep; ``depths`` remembers each rule's, ``using`` the rules being expanded. Raises
    TemplateError past MAX_NESTING, for a missing rule and for a rule that uses itself."""
    if level > MAX_NESTING:
        raise TemplateError(f"groups and expansion rules nest more than {MAX_NESTING} deep")
    if isinstance(expression, RuleReference):
        name = expression.rule_name
        if name in using:
            raise TemplateError(f"the expansion rule <{name}> uses itself")
        if name not in rules:
            raise TemplateError(f"no expansion rule <{name}>")
        if name not in depths:
            depths[name] = _nesting_below(rules[name].expression, rules, depths, level + 1, using | {name})
        if level + 1 + depths[name] > MAX_NESTING:
            raise TemplateError(f"groups and expansion rules nest more than {MAX_NESTING} deep")
        return 1 + depths[name]
    if isinstance(expression, Group):
        below = [_nesting_below(item, rules, depths, level + 1, using) for item in expression.items]
        return 1 + max(below, default=0)
    return 0


def _list_references(expression: Expression, rules: Mapping[str, Any], depth: int) -> Iterable[ListReference]:
    if depth > 20:
        return
    if isinstance(expression, ListReference):
        yield expression
    elif isinstance(expression, Group):
        for item in expression.items:
            yield from _list_references(item, rules, depth + 1)
    elif isinstance(expression, RuleReference) and expression.rule_name in rules:
        yield from _list_references(rules[expression.rule_name].expression, rules, depth + 1)


def _sample(
    expression: Expression,
    rules: Mapping[str, Any],
    lists: Mapping[str, SlotList],
    rng: random.Random,
    depth: int,
    slots: dict[str, str] | None = None,
    first: bool = False,
) -> str:
    """One random expansion (hassil's own sampler enumerates in order, which skews training).
    ``slots`` collects the words each slot got. ``first``: the first word of every choice and
    every optional word (the way a template is usually said), slot values still sampled."""
    if depth > 30:
        return ""
    if isinstance(expression, TextChunk):
        return expression.original_text or expression.text
    if isinstance(expression, Alternative):
        if expression.is_optional and (not first) and rng.random() < 0.5:
            return ""
        options = [item for item in expression.items if not _is_empty(item)] or expression.items
        if not options:
            return ""
        chosen = options[0] if first else rng.choice(options)
        return _sample(chosen, rules, lists, rng, depth + 1, slots, first)
    if isinstance(expression, Permutation):
        items = list(expression.items)
        if not first:
            rng.shuffle(items)
        return " ".join(_sample(item, rules, lists, rng, depth + 1, slots, first) for item in items)
    if isinstance(expression, Group):
        return "".join(_sample(item, rules, lists, rng, depth + 1, slots, first) for item in expression.items)
    if isinstance(expression, RuleReference):
        rule = rules.get(expression.rule_name)
        return (
            _sample(rule.expression, rules, lists, rng, depth + 1, slots, first) if rule is not None else ""
        )
    if isinstance(expression, ListReference):
        value = _sample_list(expression, lists, rng, depth)
        if slots is not None and value.strip():
            slots.setdefault(expression.slot_name, " ".join(value.split()))
        return value
    return ""


def _is_empty(expression: Expression) -> bool:
    return isinstance(expression, TextChunk) and not expression.text.strip()


def _sample_list(
    reference: ListReference, lists: Mapping[str, SlotList], rng: random.Random, depth: int
) -> str:
    inline = reference.get_inline_range()
    slot_list: SlotList | None
    if inline is not None:
        slot_list = RangeSlotList(name=reference.list_name, start=inline[0], stop=inline[1], step=inline[2])
    else:
        slot_list = lists.get(reference.list_name)
    if isinstance(slot_list, TextSlotList) and slot_list.values:
        value = rng.choice(slot_list.values)
        return _sample(value.text_in, {}, lists, rng, depth + 1)
    if isinstance(slot_list, RangeSlotList):
        steps = max(0, (slot_list.stop - slot_list.start) // slot_list.step)
        number = slot_list.start + rng.randint(0, steps) * slot_list.step
        return number_to_words(number) if slot_list.words and rng.random() < 0.7 else str(number)
    if isinstance(slot_list, WildcardSlotList) or slot_list is None:
        return rng.choice(WILDCARD_SAMPLES)
    return ""
