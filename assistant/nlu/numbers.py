"""Spoken and written numbers: "twenty five", "2.5", "one and a half", "a dozen", "minus 4".

The one place numbers are read; the skills' ``assistant.skills.parsing`` wraps these.
"""

from __future__ import annotations

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
    "fifteenth": 15, "twentieth": 20, "thirtieth": 30,
}  # fmt: skip
SPECIAL: dict[str, float] = {"half": 0.5, "quarter": 0.25, "third": 1 / 3, "dozen": 12, "couple": 2}

NUMBER_WORDS = set(UNITS) | set(TENS) | set(SCALES) | {"point", "and", "a", "an"}
_DIGITS = re.compile(r"^[+-]?\d+(?:[.,]\d+)*(?:st|nd|rd|th|%)?$")

Number = int | float


def _tidy(value: float) -> Number:
    """Return an int when the value is whole, so "five" is 5 and not 5.0."""
    return int(value) if float(value).is_integer() else value


def parse_digits(token: str) -> Number | None:
    """Parse a written number token: "25", "2.5", "1,000", "3rd", "40%"."""
    if not _DIGITS.match(token):
        return None
    token = re.sub(r"(st|nd|rd|th|%)$", "", token)
    if re.match(r"^\d{1,3}(,\d{3})+$", token):
        token = token.replace(",", "")
    token = token.replace(",", ".")
    try:
        return _tidy(float(token))
    except ValueError:
        return None


def parse_number_tokens(tokens: list[str]) -> tuple[Number, int] | None:
    """Read a number from the start of ``tokens``.

    Returns the value and how many tokens it used, or None when the tokens do not
    start with a number. Handles "twenty five", "one hundred and five",
    "two point five", "one and a half", "a dozen", "three quarters".
    """
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
        written = parse_digits(word)
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
        elif word in SCALES and seen:
            scale = SCALES[word]
            if scale == 100:
                current = max(current, 1) * 100
            else:
                total += max(current, 1) * scale
                current = 0
        elif word in ORDINALS and not seen:
            return ORDINALS[word], index + 1
        elif word in ORDINALS and seen and current % 10 == 0:
            return _tidy(total + current + ORDINALS[word]), index + 1
        elif word == "and" and seen and index + 1 < len(tokens):
            nxt = tokens[index + 1]
            fraction = tokens[index + 2] if index + 2 < len(tokens) else None
            if nxt in ("a", "an", "one") and fraction in ("half", "quarter"):
                return _tidy(total + current + SPECIAL[str(fraction)]), index + 3
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
            return _tidy(float(f"{total + current}.{''.join(decimals)}")), j
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
            return SPECIAL[word], index + 1
        else:
            break
        seen = True
        index += 1
        used = index
    if not seen:
        return None
    return _tidy(total + current), used


def tokenize(text: str) -> list[str]:
    """Lower-case words, keeping digits with their decimal point or colon."""
    text = text.lower().replace("-", " ")
    return re.findall(r"\d+(?:[.,:]\d+)*(?:st|nd|rd|th|%)?|[a-z']+", text)


def parse_number(text: str) -> Number | None:
    """Parse a whole text as one number, or return None.

    >>> parse_number("twenty five"), parse_number("2.5"), parse_number("one and a half")
    (25, 2.5, 1.5)
    """
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
    """Read one number from ``tokens[start:]``; returns (value, next index), (None, start) if none."""
    parsed = parse_number_tokens(tokens[start:])
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


def find_number(text: str) -> Number | None:
    """Return the first number found anywhere in the text ("set it to fifty percent" -> 50)."""
    tokens = tokenize(text)
    for start in range(len(tokens)):
        if tokens[start] in ("a", "an", "and"):
            continue
        parsed = parse_number_tokens(tokens[start:])
        if parsed is not None:
            return parsed[0]
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
