"""The small grammar every reply is built from: articles, plurals, lists, sentences.

Replies are put together from pieces ("a", "eggs timer", "2 things"); these helpers
keep them grammatical in one place instead of in each skill.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_IRREGULAR_PLURALS = {
    "person": "people",
    "child": "children",
    "foot": "feet",
    "tooth": "teeth",
    "mouse": "mice",
    "man": "men",
    "woman": "women",
    "inch": "inches",
    "degree": "degrees",
    "fahrenheit": "fahrenheit",
    "celsius": "celsius",
}
_SAME_PLURAL = {"sheep", "fish", "series", "news"}
_AN_EXCEPTIONS = ("one", "uni", "use", "user", "euro", "eu")
"""Words that start with a vowel letter but a consonant sound: "a one-minute timer"."""
_A_EXCEPTIONS = ("hour", "honest", "honour", "honor", "heir")
"""Words that start with a consonant letter but a vowel sound: "an hour"."""


def article(phrase: str) -> str:
    """'a' or 'an' for ``phrase``, by how its first word sounds."""
    word = phrase.strip().lower()
    if not word:
        return "a"
    if word.startswith(_A_EXCEPTIONS):
        return "an"
    if word.startswith(_AN_EXCEPTIONS):
        return "a"
    if word[0].isdigit():
        # "an 8 minute timer", "an 11 minute timer", "an 18": said as eight, eleven, eighteen.
        digits = re.match(r"\d+", word)
        number = digits.group(0) if digits else ""
        said_with_vowel = (
            number.startswith("8")
            or number in ("11", "18")
            or (len(number) in (5, 6) and number[:2] in ("11", "18"))
        )
        return "an" if said_with_vowel else "a"
    return "an" if word[0] in "aeiou" else "a"


def with_article(phrase: str) -> str:
    """'an eggs timer', 'a timer', 'an hour'."""
    return f"{article(phrase)} {phrase.strip()}"


def plural(word: str) -> str:
    """'timer' -> 'timers', 'box' -> 'boxes', 'reminder' -> 'reminders', 'person' -> 'people'."""
    lower = word.lower()
    if lower in _IRREGULAR_PLURALS:
        return _match_case(word, _IRREGULAR_PLURALS[lower])
    if lower in _SAME_PLURAL or not word:
        return word
    if re.search(r"(s|x|z|ch|sh)$", lower):
        return word + "es"
    if re.search(r"[^aeiou]y$", lower):
        return word[:-1] + "ies"
    return word + "s"


def count(number: int | float, word: str, plural_form: str | None = None) -> str:
    """'1 thing', '2 things', '0 things', '1.5 hours'."""
    shown = int(number) if float(number).is_integer() else number
    noun = word if shown == 1 else (plural_form or plural(word))
    return f"{shown} {noun}"


def join(items: Sequence[str], conjunction: str = "and") -> str:
    """'eggs', 'eggs and milk', 'eggs, milk and bread'."""
    items = [item for item in items if item]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def sentence(text: str) -> str:
    """Capital first letter, one full stop (or the question or exclamation mark it has)."""
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    text = re.sub(r"[.\s]+$", "", text) if text.endswith(".") else text
    return text if text[-1] in ".?!\u201d\"'" else text + "."


def unit_adjective(number_and_unit: str) -> str:
    """'3 minutes' -> '3-minute' (for "your 3-minute timer"), '1 hour 30 minutes' unchanged."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s+([a-z]+?)s?", number_and_unit.strip())
    if match is None:
        return number_and_unit
    return f"{match.group(1)}-{match.group(2)}"


def _match_case(original: str, replacement: str) -> str:
    return replacement.capitalize() if original[:1].isupper() else replacement
