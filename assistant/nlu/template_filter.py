"""A compiled regular expression per sentence template that rules out, in microseconds, the
templates a text cannot match, before hassil tries the rest.

hassil's own prefilter only checks that a template's required words occur somewhere in the
text; the templates that pass it still cost ~0.1-0.3 ms each to match (wildcards try every
split), and most of them fail. The expression here keeps the template's order: literal words
in sequence, every slot (list, range or wildcard) as "anything", so whatever hassil can match,
it matches too. It is compared on a squashed form of the text (case folded, everything but
letters and digits removed), so hassil's handling of spaces, punctuation and case can never
make it stricter than hassil; filler words (hassil's skip words) may come between any words.
"""

from __future__ import annotations

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

ANYTHING = ".*"
MAX_RULE_DEPTH = 8
"""Expansion rules nested deeper than this are taken as "anything" (the rule set refuses
deeper nesting anyway)."""
_NOT_ALPHANUMERIC = re.compile(r"[\W_]+")


def squash(text: str) -> str:
    """Case folded, with everything but letters and digits removed: "What's up?" -> "whatsup"."""
    return _NOT_ALPHANUMERIC.sub("", text.casefold())


class TemplateFilter:
    """Compiled filters of templates, made on first use and kept for the templates' lifetime."""

    def __init__(self, skip_words: Iterable[str]) -> None:
        fillers = sorted({squash(word) for word in skip_words} - {""}, key=len, reverse=True)
        self._filler = f"(?:{'|'.join(map(re.escape, fillers))})*" if fillers else ""
        self._compiled: dict[int, tuple[Template, re.Pattern[str]]] = {}

    def may_match(self, template: Template, squashed_text: str, rules: Mapping[str, Template]) -> bool:
        """False only when hassil cannot match ``template`` to the text squashed to ``squashed_text``."""
        entry = self._compiled.get(id(template))
        if entry is None or entry[0] is not template:
            pattern = re.compile(self._filler + self._pattern(template.expression, rules, 0))
            entry = (template, pattern)  # the template is kept so its id is never reused
            self._compiled[id(template)] = entry
        return entry[1].fullmatch(squashed_text) is not None

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
