"""A compiled regular expression per sentence template (and per value of a long slot list)
that rules out, in microseconds, the templates and list values a text cannot match, before
hassil tries the rest.

hassil's own prefilter only checks that a template's required words occur somewhere in the
text; the templates that pass it still cost ~0.1-0.3 ms each to match (wildcards try every
split), and most of them fail. The expression here keeps the template's order: literal words
in sequence, every slot (list, range or wildcard) as "anything", so whatever hassil can match,
it matches too. It is compared on a squashed form of the text (case folded, everything but
letters and digits removed), so hassil's handling of spaces, punctuation and case can never
make it stricter than hassil; filler words (hassil's skip words) may come between any words.

Long lists matter as much: after a wildcard ("what is {value} {measure_unit} in ...") hassil
tries every value of the list at every split of the text (~17 ms for 160 units), so a long
list is cut, for each text, to the values that occur in it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping

from hassil.expression import (
    Alternative,
    Expression,
    Group,
    ListReference,
    Permutation,
    RuleReference,
    TextChunk,
)
from hassil.expression import Sentence as Template
from hassil.intents import Intent, IntentData, TextSlotList, TextSlotValue

ANYTHING = ".*"
LONG_LIST = 16
"""Lists with at least this many values are cut to the values a text contains."""
MAX_RULE_DEPTH = 8
"""Expansion rules nested deeper than this are taken as "anything" (the rule set refuses
deeper nesting anyway)."""
_NOT_ALPHANUMERIC = re.compile(r"[\W_]+")


def squash(text: str) -> str:
    """Case folded, with everything but letters and digits removed: "What's up?" -> "whatsup"."""
    return _NOT_ALPHANUMERIC.sub("", text.casefold())


class TemplateFilter:
    """Compiled filters of templates, made on first use of an intent and kept for the
    templates' lifetime (a rule set makes a new filter whenever its sentences change)."""

    def __init__(self, skip_words: Iterable[str]) -> None:
        fillers = sorted({squash(word) for word in skip_words} - {""}, key=len, reverse=True)
        self._filler = f"(?:{'|'.join(map(re.escape, fillers))})*" if fillers else ""
        self._any_filler = re.compile("|".join(map(re.escape, fillers))) if fillers else None
        self._intents: dict[
            str, tuple[Intent, list[tuple[IntentData, list[tuple[str, Template, re.Pattern[str]]]]]]
        ] = {}
        self._lists: dict[
            int, tuple[TextSlotList, list[tuple[str | None, re.Pattern[str], TextSlotValue]]]
        ] = {}

    def intent_in(
        self, intent: Intent, squashed_text: str, rules: Mapping[str, Template]
    ) -> list[IntentData]:
        """The blocks of ``intent`` cut to the templates hassil might match to the text squashed
        to ``squashed_text`` (blocks with none are left out); ``rules`` are the expansion rules
        every block may use, besides its own."""
        blocks = self._intents.get(intent.name)
        if blocks is None or blocks[0] is not intent:
            blocks = (intent, [(data, self._compile(data, rules)) for data in intent.data])
            self._intents[intent.name] = blocks
        found: list[IntentData] = []
        for data, compiled in blocks[1]:
            # The longest word every match needs is looked for first: a substring test costs
            # a twentieth of the expression, and rules out most templates on its own.
            kept = [
                template
                for word, template, pattern in compiled
                if word in squashed_text and pattern.fullmatch(squashed_text)
            ]
            if len(kept) == len(compiled):
                found.append(data)
            elif kept:
                narrowed = dataclasses.replace(data, sentence_texts=[t.text or "" for t in kept])
                narrowed.__dict__["sentences"] = kept  # already parsed, in hassil's order
                found.append(narrowed)
        return found

    def _compile(
        self, data: IntentData, rules: Mapping[str, Template]
    ) -> list[tuple[str, Template, re.Pattern[str]]]:
        """Each template of a block with the longest word it needs and its expression."""
        if data.expansion_rules:
            rules = {**rules, **data.expansion_rules}
        return [
            (
                max(_required(t.expression, rules, 0), key=len, default=""),
                t,
                re.compile(self._filler + self._pattern(t.expression, rules, 0)),
            )
            for t in data.sentences
        ]

    def values_in(self, slot_list: TextSlotList, squashed_text: str) -> TextSlotList:
        """``slot_list`` cut to the values hassil could match somewhere in the squashed text
        (the list itself when it is short or every value may occur)."""
        if len(slot_list.values) < LONG_LIST:
            return slot_list
        entry = self._lists.get(id(slot_list))
        if entry is None or entry[0] is not slot_list:
            keys = []
            for value in slot_list.values:
                plain = squash(value.text_in.text) if isinstance(value.text_in, TextChunk) else ""
                keys.append((plain or None, re.compile(self._pattern(value.text_in, {}, 0)), value))
            entry = (slot_list, keys)
            self._lists[id(slot_list)] = entry
        # A filler word inside a value's words is skipped by hassil, so then only the
        # expression (fillers allowed between words) can say the value is absent.
        fillers = self._any_filler is not None and self._any_filler.search(squashed_text) is not None
        kept = [
            value
            for plain, pattern, value in entry[1]
            if (
                plain in squashed_text if plain is not None and not fillers else pattern.search(squashed_text)
            )
        ]
        if len(kept) == len(slot_list.values):
            return slot_list
        return TextSlotList(name=slot_list.name, values=kept)

    def _pattern(self, expression: Expression, rules: Mapping[str, Template], depth: int) -> str:
        if isinstance(expression, TextChunk):
            words = expression.text.casefold().split()
            return "".join(re.escape(squash(word)) + self._filler for word in words if squash(word))
        if isinstance(expression, ListReference):
            return ANYTHING
        if isinstance(expression, RuleReference):
            rule = rules.get(expression.rule_name)
            if rule is None or depth >= MAX_RULE_DEPTH:
                return ANYTHING
            return self._pattern(rule.expression, rules, depth + 1)
        if isinstance(expression, Permutation):
            return ANYTHING  # rare in our templates; any order would need every ordering
        if isinstance(expression, Alternative):
            options = [self._pattern(item, rules, depth) for item in expression.items]
            if expression.is_optional:
                options.append("")
            return "(?:" + "|".join(options) + ")"
        if isinstance(expression, Group):  # a sequence
            return "".join(self._pattern(item, rules, depth) for item in expression.items)
        return ANYTHING  # an expression kind this module does not know: never rule it out


def _required(expression: Expression, rules: Mapping[str, Template], depth: int) -> set[str]:
    """Squashed words that every text the expression matches holds (what ``_pattern`` makes
    compulsory): a sequence needs what each part needs, a choice only what all its options need."""
    if isinstance(expression, TextChunk):
        return {squash(word) for word in expression.text.casefold().split()} - {""}
    if isinstance(expression, RuleReference):
        rule = rules.get(expression.rule_name)
        if rule is None or depth >= MAX_RULE_DEPTH:
            return set()
        return _required(rule.expression, rules, depth + 1)
    if isinstance(expression, Permutation) or not isinstance(expression, Group):
        return set()  # "anything" in _pattern: lists, permutations, unknown kinds
    if isinstance(expression, Alternative):
        if expression.is_optional or not expression.items:
            return set()
        options = [_required(item, rules, depth) for item in expression.items]
        return set.intersection(*options)
    return set().union(*(_required(item, rules, depth) for item in expression.items))
