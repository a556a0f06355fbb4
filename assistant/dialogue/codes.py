"""Codes said aloud (an alarm's, a lock's): read them, and keep them out of everything kept.

A code reaches the handler that passes it on and nothing else: the turn's text, its trace, the
history, the log and the screen show ``MASK`` in its place. It comes either as the answer to
the question "What's the code for the Security?" (a ``PendingQuestion`` with ``secret``) or
inline, at the end of the request: "disarm the security, code 1 2 3 4", "... with code 1234".
Pure functions on strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MASK = "••••"
"""What is shown and stored in place of a code."""
DIGIT_WORDS = {
    "zero": "0",
    "oh": "0",
    "o": "0",
    "nought": "0",
    "one": "1",
    "two": "2",
    "to": "2",
    "too": "2",
    "three": "3",
    "four": "4",
    "for": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
}
"""Digits in words, with the homophones a recognizer writes for them ("one to three for")."""
LEAD_WORDS = ("the code is", "my code is", "code is", "the code", "code", "it's", "it is", "its", "is")
"""Words before an answered code that are not part of it."""
MIN_DIGITS = 3
MAX_DIGITS = 12
INLINE = re.compile(
    r"^(?P<request>.*?\S)[\s,;:]+(?:with\s+|using\s+)?(?:the\s+|my\s+)?(?:code|pin)\s+(?:is\s+)?(?P<code>.+)$",
    re.IGNORECASE,
)


def spoken_code(words: str) -> str | None:
    """'1 2 3 4', 'one two three four', '1234', 'the code is 12 34' -> '1234'; None for
    anything that is not only a code (so a new request is never taken for one)."""
    text = re.sub(r"[.,!?;:]+", " ", words.lower()).replace("-", " ").strip()
    text = re.sub(r"\s+please$", "", text)
    for lead in LEAD_WORDS:
        if text.startswith(lead + " "):
            text = text[len(lead) + 1 :]
            break
    digits = []
    for token in text.split():
        if token.isdigit():
            digits.append(token)
        elif token in DIGIT_WORDS:
            digits.append(DIGIT_WORDS[token])
        else:
            return None
    code = "".join(digits)
    return code if MIN_DIGITS <= len(code) <= MAX_DIGITS else None


@dataclass(frozen=True)
class Said:
    """One turn's words, with any code taken out."""

    shown: str
    """What is kept and shown: the words with ``MASK`` for the code."""
    text: str
    """What is understood: the request without its code (``shown`` when there is none)."""
    code: str | None = field(default=None, repr=False)
    """The code, for the handler only."""
    answer: bool = False
    """The whole turn was the code, answering the question for it."""


def take_code(words: str, expecting_code: bool) -> Said:
    """The code out of a turn: all of it when a code was asked for and it is one, else a code
    said at the end of a request; words without a code come back unchanged."""
    if expecting_code:
        code = spoken_code(words)
        if code is not None:
            return Said(MASK, MASK, code, answer=True)
    match = INLINE.match(words.strip())
    if match is not None:
        code = spoken_code(match["code"])
        if code is not None:
            request = match["request"].rstrip(" ,;:")
            shown = words.strip()[: match.start("code")] + MASK
            return Said(shown, request, code)
    return Said(words, words)


def masked(words: str, expecting_code: bool = False) -> str:
    """``words`` as they may be shown or logged (a partial transcript, the screen's entry)."""
    return take_code(words, expecting_code).shown
