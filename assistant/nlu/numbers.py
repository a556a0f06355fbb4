"""Spoken and written numbers: "twenty five", "2.5", "one and a half", "a dozen", "minus 4".

The one place numbers are read; the skills' ``assistant.skills.parsing`` wraps these.
Readers return None for words that hold no number and raise :class:`RefusedReading` for a
number the assistant will not use (more than :data:`MAX_NUMBER`, more than
:data:`MAX_DIGITS` digits, not finite), so "1e309" is never read as 1 or 309.
"""

from __future__ import annotations

import math
import re

UNITS: dict[str, int] = {
    "zero": 0, "oh": 0, "nought": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19,
}  # fmt: skip
TENS: dict[str, int] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
SCALES: dict[str, int] = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
ORDINALS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
}  # fmt: skip
SPECIAL: dict[str, float] = {"half": 0.5, "quarter": 0.25, "third": 1 / 3, "dozen": 12, "couple": 2}
DENOMINATORS: dict[str, int] = {
    "half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fourth": 4,
    "fourths": 4, "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6, "eighth": 8, "eighths": 8,
    "tenth": 10, "tenths": 10,
}  # fmt: skip
"""Fractions said after a small number: "three quarters", "two thirds", "one fifth" ("second" is
left out: "one second" is a length of time)."""
_WRITTEN_FRACTION = re.compile(r"^\s*(?:(\d{1,6})\s+)?(\d{1,6})\s*/\s*(\d{1,6})\s*$")

NUMBER_WORDS = set(UNITS) | set(TENS) | set(SCALES) | {"point", "and", "a", "an"}
_DIGITS = re.compile(r"^[+-]?\d+(?:[.,]\d+)*(?:e[+-]?\d+)?(?:st|nd|rd|th|%)?$")
_LONG_FIGURE = re.compile(r"[+-]?[\d.,]+(?:e[+-]?\d+)?(?:st|nd|rd|th|%)?")
_SUFFIX = re.compile(r"(st|nd|rd|th|%)$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+$")

MAX_NUMBER = 10**18
"""Numbers from this size up (a billion billion) are refused: nobody sets a timer or a volume
with them, and past it floats stop being whole numbers."""
MAX_DIGITS = 40
"""A written number longer than this is refused before it is converted."""
MAX_NUMBER_WORDS = 32
"""The longest spoken number read at once ("one hundred and twenty three thousand ... point
one four one five"): readers look no further ahead, so reading is linear in the text."""

Number = int | float


class RefusedReading(ValueError):
    """Words that read as a number, length of time, time or date the assistant will not use:
    too big, negative where that means nothing, or a day the calendar does not have. The
    message says what is wrong, fit to say to the user."""


TOO_BIG = "That number is too big for me."


def _tidy(value: float) -> Number:
    """Return an int when the value is whole, so "five" is 5 and not 5.0."""
    return int(value) if float(value).is_integer() else value


def _checked(value: Number) -> Number:
    """``value``, unless it is too big or not finite (RefusedReading)."""
    if not math.isfinite(value) or abs(value) >= MAX_NUMBER:
        raise RefusedReading(TOO_BIG)
    return value


def parse_digits(token: str) -> Number | None:
    """Parse a written number token: "25", "2.5", "1,000", "3rd", "40%", "1e3".

    Raises RefusedReading for a number too big or too long to use ("1e309").
    """
    if len(token) > MAX_DIGITS:
        if _LONG_FIGURE.fullmatch(token):
            raise RefusedReading("That number has too many digits for me.")
        return None
    if not _DIGITS.match(token):
        return None
    token = _SUFFIX.sub("", token)
    if _THOUSANDS.match(token):
        token = token.replace(",", "")
    token = token.replace(",", ".")
    try:
        value: Number = int(token) if token.lstrip("+-").isdigit() else float(token)
    except ValueError:
        return None
    return _tidy(_checked(value))


def parse_number_tokens(tokens: list[str]) -> tuple[Number, int] | None:
    """Read a number from the start of ``tokens``.

    Returns the value and how many tokens it used, or None when the tokens do not
    start with a number. Handles "twenty five", "one hundred and five",
    "two point five", "one and a half", "a dozen", "three quarters". Looks at most
    :data:`MAX_NUMBER_WORDS` tokens ahead; raises RefusedReading for a number too big.
    """
    tokens = tokens[:MAX_NUMBER_WORDS]
    if not tokens:
        return None
    total: Number = 0
    current: Number = 0
    used = 0
    seen = False
    digits = False  # a written number ("5") takes only a scale after it ("5 thousand")
    index = 0
    while index < len(tokens):
        word = tokens[index]
        try:
            written = parse_digits(word)
        except RefusedReading:
            if seen:
                break  # "five 1e309": the five is read, the next number is not its part
            raise
        if written is not None:
            if seen:
                break
            current, digits = written, True
        elif digits and (word in UNITS or word in TENS or word in ORDINALS or word == "point"):
            break
        elif word in UNITS:
            if seen and current % 10 == 0 and current % 100 != 0 and current >= 20:
                current += UNITS[word]
            elif seen and current != 0 and current < 10 and total == 0:
                break  # "five six" is two numbers
            else:
                current += UNITS[word]
        elif word in TENS:
            if seen and current % 100 not in (0,):
                break
            current += TENS[word]
        elif word == "dozen" and seen and total == 0:
            current = _checked(current * 12)  # "two dozen", "half a dozen" (below)
        elif word in DENOMINATORS and seen and total == 0 and 0 < current < 10 and not digits:
            # "three quarters", "one third": the number is how many of them.
            return _tidy(_checked(current / DENOMINATORS[word])), index + 1
        elif word in SCALES and seen:
            scale = SCALES[word]
            if scale == 100:
                current = _checked(max(current, 1) * 100)
            else:
                total = _checked(total + max(current, 1) * scale)
                current = 0
        elif word in ORDINALS and not seen:
            return ORDINALS[word], index + 1
        elif word in ORDINALS and seen and current % 10 == 0:
            return _tidy(_checked(total + current + ORDINALS[word])), index + 1
        elif word == "and" and seen and index + 1 < len(tokens):
            nxt = tokens[index + 1]
            fraction = tokens[index + 2] if index + 2 < len(tokens) else None
            if nxt in ("a", "an", "one") and fraction in ("half", "quarter", "third"):
                return _tidy(_checked(total + current + SPECIAL[str(fraction)])), index + 3
            if nxt in UNITS and 0 < UNITS[nxt] < 10 and fraction in DENOMINATORS:
                # "two and three quarters"
                share = UNITS[nxt] / DENOMINATORS[str(fraction)]
                return _tidy(_checked(total + current + share)), index + 3
            if nxt in UNITS or nxt in TENS:
                index += 1
                continue
            break
        elif word == "point" and seen and index + 1 < len(tokens):
            decimals = []
            j = index + 1
            while j < len(tokens) and (tokens[j] in UNITS and UNITS[tokens[j]] < 10 or tokens[j].isdigit()):
                decimals.append(str(UNITS.get(tokens[j], tokens[j])))
                j += 1
            if not decimals:
                break
            return _tidy(_checked(float(f"{total + current}.{''.join(decimals)}"))), j
        elif word in ("a", "an") and not seen and index + 1 < len(tokens):
            nxt = tokens[index + 1]
            if nxt in SPECIAL or nxt in SCALES:
                if nxt in SCALES:
                    current = 1
                    seen = True
                    index += 1
                    continue
                value = SPECIAL[nxt]
                return _tidy(value), index + 2 + (1 if tokens[index + 2 : index + 3] == ["of"] else 0)
            break
        elif word in ("half", "quarter") and not seen:
            if tokens[index + 1 : index + 3] in (["a", "dozen"], ["dozen"]):
                used_words = 3 if tokens[index + 1] == "a" else 2
                return _tidy(SPECIAL[word] * 12), index + used_words  # "half a dozen"
            return SPECIAL[word], index + 1
        else:
            break
        seen = True
        index += 1
        used = index
    if not seen:
        return None
    return _tidy(_checked(total + current)), used


_TOKEN = re.compile(r"\d+(?:\.\d+)?e[+-]?\d+(?![a-z])|\d+(?:[.,:]\d+)*(?:st|nd|rd|th|%)?|[a-z']+")


def tokenize(text: str) -> list[str]:
    """Lower-case words, keeping digits with their decimal point or colon, and "1e9" whole
    (so it is refused or read as one number, never as 1 and 9)."""
    text = re.sub(r"(?<![0-9]e)-", " ", text.lower())  # "twenty-five", but not "1e-5"
    return _TOKEN.findall(text)


def parse_number(text: str) -> Number | None:
    """Parse a whole text as one number, or return None.

    >>> parse_number("twenty five"), parse_number("2.5"), parse_number("one and a half")
    (25, 2.5, 1.5)
    """
    written = _WRITTEN_FRACTION.match(text)
    if written is not None:
        whole, top, bottom = (int(part) if part else 0 for part in written.groups())
        return None if bottom == 0 else _tidy(whole + top / bottom)  # "1/2", "1 1/2"
    tokens = tokenize(text)
    sign = 1
    if re.match(r"^\s*-\s*\d", text) or tokens[:1] in (["minus"], ["negative"]):
        sign = -1
        tokens = tokens[1:] if tokens[:1] in (["minus"], ["negative"]) else tokens
    if tokens[-2:] == ["per", "cent"]:
        tokens = tokens[:-2]
    elif tokens[-1:] == ["percent"]:
        tokens = tokens[:-1]
    if not tokens:
        return None
    if tokens in (["a"], ["an"]):
        return sign  # "convert a mile": the article is one
    parsed = parse_number_tokens(tokens)
    if parsed is None or parsed[1] != len(tokens):
        return None
    return _tidy(sign * parsed[0])


def read_number(tokens: list[str], start: int) -> tuple[Number | None, int]:
    """Read one number from ``tokens[start:]``; returns (value, next index), (None, start) if none.

    Raises RefusedReading for a number too big to use."""
    parsed = parse_number_tokens(tokens[start : start + MAX_NUMBER_WORDS])
    if parsed is None:
        return None, start
    return parsed[0], start + parsed[1]


def split_words(text: str) -> list[str]:
    """Lower-case words split on spaces, keeping symbols, with digits split from letters.

    "10min" -> ["10", "min"], "2,000" -> ["2000"]. Unlike :func:`tokenize` it keeps
    operator symbols, so the calculator can read "3 + 4".
    """
    text = text.lower().replace("-", " ").replace(",", "")
    text = re.sub(r"(\d)([a-z])", r"\1 \2", text)
    text = re.sub(r"([a-z])(\d)", r"\1 \2", text)
    return [token for token in re.split(r"\s+", text.strip()) if token]


def first_number(text: str) -> Number | None:
    """The first number anywhere in the text ("set it to fifty percent" -> 50), or None.

    Raises RefusedReading when that number is one the assistant will not use."""
    tokens = tokenize(text)
    for start in range(len(tokens)):
        if tokens[start] in ("a", "an", "and"):
            continue
        parsed = parse_number_tokens(tokens[start : start + MAX_NUMBER_WORDS])
        if parsed is not None:
            return parsed[0]
    return None


def find_number(text: str) -> Number | None:
    """Like :func:`first_number`, but a refused number counts as none: a slot the learned
    model spots stays empty rather than wrong, and its question is asked."""
    try:
        return first_number(text)
    except RefusedReading:
        return None


def number_to_words(value: int) -> str:
    """Spell a whole number the way a recognizer writes it: 25 -> "twenty five"."""
    if value < 0:
        return "minus " + number_to_words(-value)
    small = {v: k for k, v in UNITS.items() if k not in ("oh", "nought")}
    tens = {v: k for k, v in TENS.items() if k != "fourty"}
    if value < 20:
        return small[value]
    if value < 100:
        return tens[value - value % 10] + ("" if value % 10 == 0 else " " + small[value % 10])
    if value < 1000:
        rest = value % 100
        return small[value // 100] + " hundred" + ("" if rest == 0 else " and " + number_to_words(rest))
    if value < 1_000_000:
        rest = value % 1000
        return (
            number_to_words(value // 1000) + " thousand" + ("" if rest == 0 else " " + number_to_words(rest))
        )
    return str(value)
