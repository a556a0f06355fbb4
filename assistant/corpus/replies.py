"""What is wrong with a reply as English, whatever the request was.

``reply_problems`` is a pure function on one reply's text: the conversation corpus runs
it on every reply, so a doubled word, a template left unfilled or "1 minutes" fails the
turn even when the intent and the effect were right.
"""

from __future__ import annotations

import re

from assistant.wording import article

ALLOWED_DOUBLES = frozenset({"that", "had", "no", "bye", "very", "so", "really", "ha", "knock", "is"})
"""Words English does say twice in a row ("I think that that is fine", "no, no")."""

PLURAL_NOUNS = frozenset(
    """seconds minutes hours days weeks months years items things timers alarms reminders
    lists notes commands times miles kilometers kilometres meters metres feet inches pounds
    kilograms grams ounces litres liters gallons cups degrees percent steps phrases
    preferences people""".split()
)
"""Plural nouns that must not follow "1" or "one" ("1 minutes")."""

DESCRIPTION_VERBS = frozenset(
    """add cancel clear convert delete empty explain forget get learn list read remember remind
    remove rename say set start stop take tell turn undo work""".split()
)
"""First words of intent descriptions ("Cancel every timer..."); capitalised after "to",
a description was pasted into a sentence."""

_TOKEN = re.compile(r"[A-Za-z0-9']+|[^\sA-Za-z0-9']")
_WORD = re.compile(r"[A-Za-z0-9']+")
_TEMPLATE = re.compile(r"[{}\[\]|]")
_DOUBLED_PUNCTUATION = re.compile(r"(?<!\.)(\.\.|\.\?|\?\.|!\.|\.!|\?\?)(?!\.)")
_ME_TO_CAPITAL = re.compile(r"\bme to ([A-Z][a-z]+)")
_TO_CAPITAL = re.compile(r"\bto ([A-Z][a-z]+)")
_ONE_PLURAL = re.compile(r"(?<![\w.,-])(1|one) ([a-z]+)\b", re.IGNORECASE)
_ARTICLE = re.compile(r"(?<![\w'-])(a|an|A|An) ([A-Za-z0-9][\w'-]*)")


def reply_problems(reply: str) -> list[str]:
    """Every problem found in ``reply``, each said in a few words; empty when it reads well."""
    if not reply.strip():
        return ["the reply is empty"]
    problems: list[str] = []
    problems += _doubled_words(reply)
    template = _TEMPLATE.search(reply)
    if template:
        problems.append(f"raw template text {template.group(0)!r}")
    for match in _ME_TO_CAPITAL.finditer(reply):
        problems.append(f"a description used as a verb: {match.group(0)!r}")
    for match in _TO_CAPITAL.finditer(reply):
        after_me = reply[max(0, match.start() - 3) : match.start()] == "me "
        if match.group(1).lower() in DESCRIPTION_VERBS and not after_me:
            problems.append(f"a description used as a verb: {match.group(0)!r}")
    punctuation = _DOUBLED_PUNCTUATION.search(reply)
    if punctuation:
        problems.append(f"doubled punctuation {punctuation.group(0)!r}")
    for match in _ONE_PLURAL.finditer(reply):
        if match.group(2).lower() in PLURAL_NOUNS:
            problems.append(f"a plural after one: {match.group(0)!r}")
    problems += _wrong_articles(reply)
    return problems


def _doubled_words(reply: str) -> list[str]:
    """Exact repeats of a word with nothing but a space between them ("the the")."""
    problems = []
    previous: str | None = None
    for token in _TOKEN.findall(reply):
        if not _WORD.fullmatch(token):
            previous = None  # "Done. Done." is two sentences, not a doubled word
            continue
        word = token.lower()
        if word == previous and word not in ALLOWED_DOUBLES:
            problems.append(f"doubled word {word + ' ' + word!r}")
        previous = word
    return problems


def _wrong_articles(reply: str) -> list[str]:
    """ "a eggs", "an timer": the article does not fit how the next word sounds."""
    problems = []
    for match in _ARTICLE.finditer(reply):
        said, word = match.group(1).lower(), match.group(2)
        if word.isupper() and len(word) > 1:
            continue  # initials are said letter by letter ("a UI", "an SMS"): not judged
        wanted = article(word)
        if said != wanted:
            problems.append(f"{said!r} before {word!r} (should be {wanted!r})")
    return problems
