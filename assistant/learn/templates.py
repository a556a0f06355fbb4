"""Phrasing templates: one example generalised over its slot values.

From "pop a ten minute timer on" (said) and "set a timer for ten minutes" (what
worked), ``derive`` makes the pair "pop a {minutes} minute timer on" ->
"set a timer for {minutes} minutes": the values both sentences share become
placeholders, numbers by their value (so "ten" and "10" are the same value and
"twelve" or "12" fill the placeholder later) and other slot values by their
words ("stick {item} on the shopping list"). A pair whose numbers disagree
("five minutes" -> "ten minutes") is not one need said twice, and gives none.

Templates are plain strings, so they are stored, shown and undone as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from assistant.dialogue import phrases
from assistant.nlu.numbers import SCALES, TENS, UNITS, RefusedReading, parse_number_tokens

PLACEHOLDER = re.compile(r"\{([a-z_]+[0-9]*)\}")
UNIT_NAMES = {
    "second": "seconds", "seconds": "seconds", "minute": "minutes", "minutes": "minutes",
    "hour": "hours", "hours": "hours", "percent": "percent", "degrees": "degrees",
    "degree": "degrees", "ounces": "ounces", "ounce": "ounces", "grams": "grams", "gram": "grams",
    "days": "days", "day": "days",
}  # fmt: skip
"""A number before one of these words is named after it ("{minutes}")."""
MIN_LITERAL_WORDS = 2
"""A template keeps at least this many fixed words, so it only matches its own phrasing."""
NUMBER_NAMES = frozenset(UNIT_NAMES.values()) | {"number"}
NUMBER_STARTS = (set(UNITS) - {"oh"}) | set(TENS)
"""Words a number may start with in a template; "a" and "oh" are too often not numbers."""
NUMBER_WORDS = NUMBER_STARTS | set(SCALES) | {"and", "point", "half", "quarter", "quarters"}
_NUMBER_PATTERN = (
    r"(?:\d+(?:[.,]\d+)?|(?:" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"
    r"(?: (?:" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r"))*)"
)


def tokens(text: str) -> list[str]:
    """Normalised words; "10-minute" is two words."""
    return re.sub(r"(\d)-([a-z])", r"\1 \2", phrases.normalize(text)).split()


@dataclass(frozen=True)
class NumberSpan:
    start: int
    length: int
    value: float


def number_spans(words: list[str]) -> list[NumberSpan]:
    """Every number in ``words``, in digits or in words ("twenty five", "12")."""
    found: list[NumberSpan] = []
    index = 0
    while index < len(words):
        word = words[index]
        if word in NUMBER_STARTS or re.fullmatch(r"\d+(?:[.,]\d+)?", word):
            try:
                read = parse_number_tokens(words[index:])
            except RefusedReading:
                read = None
            if read is not None and read[1] > 0:
                value, used = read
                while used > 1 and words[index + used - 1] == "and":
                    used -= 1  # "ten and" is ten: the "and" joins the next words
                found.append(NumberSpan(index, used, float(value)))
                index += used
                continue
        index += 1
    return found


def number_values(text: str) -> list[float]:
    return [span.value for span in number_spans(tokens(text))]


def _number_name(words: list[str], span: NumberSpan, taken: set[str]) -> str:
    after = words[span.start + span.length] if span.start + span.length < len(words) else ""
    base = UNIT_NAMES.get(after, "number")
    name, count = base, 1
    while name in taken:
        count += 1
        name = f"{base}{count}"
    return name


def _replace_span(words: list[str], start: int, length: int, placeholder: str) -> list[str]:
    return words[:start] + [placeholder] + words[start + length :]


def _find_words(words: list[str], wanted: list[str]) -> int | None:
    size = len(wanted)
    for start in range(len(words) - size + 1):
        if words[start : start + size] == wanted:
            return start
    return None


@dataclass(frozen=True)
class TemplatePair:
    """What was said and what it means, with the shared values as placeholders."""

    source: str
    target: str

    @property
    def general(self) -> bool:
        return bool(PLACEHOLDER.search(self.source))


def derive(source: str, target: str, slots: dict[str, Any] | None = None) -> TemplatePair | None:
    """The template pair for one example; None when the two say different values.

    ``slots`` are the values the target was understood with: a text value said in both
    sentences ("sugar") becomes its slot's placeholder. Numbers need no slot: each of
    the target's numbers must be one the source said, and the other way round.
    """
    said, meant = tokens(source), tokens(target)
    said_numbers, meant_numbers = number_spans(said), number_spans(meant)
    if sorted(s.value for s in said_numbers) != sorted(s.value for s in meant_numbers):
        return None
    taken: set[str] = set()
    # Right to left, so earlier spans keep their positions as words are replaced.
    pairs: list[tuple[NumberSpan, NumberSpan, str]] = []
    free = list(said_numbers)
    for span in meant_numbers:
        match = next(s for s in free if s.value == span.value)
        free.remove(match)
        # Named after the unit either sentence puts after it ("ten minute" or "ten minutes").
        name = _number_name(said, match, taken)
        if name.startswith("number"):
            name = _number_name(meant, span, taken)
        taken.add(name)
        pairs.append((match, span, name))
    for match, _span, name in sorted(pairs, key=lambda p: -p[0].start):
        said = _replace_span(said, match.start, match.length, "{" + name + "}")
    for _match, span, name in sorted(pairs, key=lambda p: -p[1].start):
        meant = _replace_span(meant, span.start, span.length, "{" + name + "}")
    for slot, value in (slots or {}).items():
        if not isinstance(value, str) or not re.fullmatch(r"[a-z_]+", slot) or slot in taken:
            continue
        words = tokens(value)
        if not words or any(PLACEHOLDER.fullmatch(word) for word in words):
            continue
        in_said, in_meant = _find_words(said, words), _find_words(meant, words)
        if in_said is None or in_meant is None:
            continue
        name = f"{slot}_text" if slot in NUMBER_NAMES else slot
        general = _replace_span(said, in_said, len(words), "{" + name + "}")
        if literal_words(" ".join(general)) < MIN_LITERAL_WORDS:
            continue  # "{item}" alone would take over every request
        said = general
        meant = _replace_span(meant, in_meant, len(words), "{" + name + "}")
        taken.add(name)
    return TemplatePair(" ".join(said), " ".join(meant))


@lru_cache(maxsize=4096)
def _compiled(template: str) -> re.Pattern[str]:
    pattern, at = "", 0
    for found in PLACEHOLDER.finditer(template):
        pattern += re.escape(template[at : found.start()])
        name = found.group(1)
        kind = _NUMBER_PATTERN if name.rstrip("0123456789") in NUMBER_NAMES else r"[a-z0-9' ]+?"
        pattern += f"(?P<{name}>{kind})"
        at = found.end()
    pattern += re.escape(template[at:])
    return re.compile(pattern)


def is_template(text: str) -> bool:
    return bool(PLACEHOLDER.search(text))


def match(template: str, text: str) -> dict[str, str] | None:
    """The placeholder values when ``text`` is said in the words of ``template``, else None."""
    said = " ".join(tokens(text))
    if not is_template(template):
        return {} if said == " ".join(tokens(template)) else None
    found = _compiled(template).fullmatch(said)
    if found is None:
        return None
    values = {name: value.strip() for name, value in found.groupdict().items()}
    for name, value in values.items():
        if name.rstrip("0123456789") in NUMBER_NAMES and not _whole_number(value):
            return None
    return values


def _whole_number(words: str) -> bool:
    spans = number_spans(words.split())
    return len(spans) == 1 and spans[0].length == len(words.split())


def fill(template: str, values: dict[str, str]) -> str:
    """``template`` with its placeholders replaced; raises KeyError for a missing value."""
    return PLACEHOLDER.sub(lambda found: values[found.group(1)], template)


def literal_words(template: str) -> int:
    """How many words are fixed: a more specific template wins over a looser one."""
    return sum(1 for word in template.split() if not PLACEHOLDER.fullmatch(word))


def spoken(template: str) -> str:
    """A template as it is said aloud: each placeholder becomes "…" ("give me a shout in …")."""
    return PLACEHOLDER.sub("…", template)
