"""A safe evaluator for spoken and typed arithmetic. Never uses ``eval``.

"12 times 7", "the square root of 81", "2 to the power of 10", "15 percent of
80", "(3 + 4) * 2", "five factorial". Words become tokens, tokens are parsed
by a small recursive-descent parser over + - * / mod ^ ! % and sqrt, and
sizes are bounded so "9 ^ 9 ^ 9" is refused instead of freezing the loop. So is
nesting: brackets, roots, signs and powers inside each other stop at
:data:`MAX_NESTING`, far below Python's recursion limit.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from assistant.nlu.numbers import RefusedReading, read_number, split_words

MAX_MAGNITUDE = 1e100
MAX_FACTORIAL = 170
MAX_NESTING = 50
"""Brackets, roots, signs and powers inside each other ("((((1))))" is 4 deep)."""


class CalculationError(ValueError):
    """The expression cannot be worked out; the message is said to the user."""


# Longest phrases first, so "divided by" wins over "by".
_PHRASES: list[tuple[str, str]] = sorted(
    [
        ("plus", "+"),
        ("add", "+"),
        ("and", "+"),
        ("minus", "-"),
        ("take away", "-"),
        ("less", "-"),
        ("times", "*"),
        ("multiplied by", "*"),
        ("x", "*"),
        ("multiply by", "*"),
        ("divided by", "/"),
        ("divide by", "/"),
        ("over", "/"),
        ("to the power of", "^"),
        ("raised to the power of", "^"),
        ("raised to", "^"),
        ("to the", "^"),
        ("power", "^"),
        ("squared", "^ 2"),
        ("cubed", "^ 3"),
        ("square root of", "sqrt"),
        ("square root", "sqrt"),
        ("root of", "sqrt"),
        ("root", "sqrt"),
        ("cube root of", "cbrt"),
        ("percent of", "% *"),
        ("per cent of", "% *"),
        ("percent", "%"),
        ("per cent", "%"),
        ("modulo", "mod"),
        ("mod", "mod"),
        ("factorial", "!"),
        ("open bracket", "("),
        ("close bracket", ")"),
        ("negative", "neg"),
    ],
    key=lambda pair: -len(pair[0].split()),
)
_FILLER = {
    "what",
    "is",
    "what's",
    "whats",
    "the",
    "of",
    "calculate",
    "compute",
    "work",
    "out",
    "how",
    "much",
    "equals",
    "equal",
    "please",
    "to",
}
_SYMBOLS = set("+-*/^()!%")
_SINGLE_FRACTIONS = {"fifth": 5, "sixth": 6, "eighth": 8, "tenth": 10}
_FRACTIONS = {"halves": 2, "thirds": 3, "quarters": 4, "fifths": 5, "sixths": 6, "eighths": 8, "tenths": 10}


def tokenize(text: str) -> list[str]:
    """Words and symbols to tokens: numbers as strings, operators as symbols."""
    text = text.lower().replace("×", "*").replace("÷", "/").replace("**", "^").replace("−", "-")
    text = re.sub(r"(?<=[a-z])-(?=[a-z])", " ", text)  # "twenty-one" is one number
    text = text.replace("-", " minus ")  # split_words below treats '-' as a hyphen
    text = re.sub(r"([+*/^()!%])", r" \1 ", text)
    text = text.replace("?", " ").replace("=", " ")
    # "1,500" may arrive as "1 500" (commas taken out of the request): digit groups are one number.
    text = re.sub(r"\b\d{1,3}(?: \d{3})+\b", lambda m: m.group(0).replace(" ", ""), text)
    # "15% of 80" is "15 percent of 80"; "half of 80" and "a third of 90" multiply.
    text = re.sub(r"%\s*of\b", " percent of ", text)
    words = split_words(text) if text.strip() else []
    # split_words strips commas and splits digits from letters; keep operator symbols intact.
    words = [w for w in re.split(r"\s+", " ".join(words)) if w]
    tokens: list[str] = []
    index = 0
    while index < len(words):
        matched = False
        for phrase, replacement in _PHRASES:
            parts = phrase.split()
            if words[index : index + len(parts)] == parts:
                tokens.extend(replacement.split())
                index += len(parts)
                matched = True
                break
        if matched:
            continue
        word = words[index]
        if word in _SYMBOLS or word in ("sqrt", "cbrt", "mod"):
            tokens.append(word)
            index += 1
            continue
        following = words[index + 1] if index + 1 < len(words) else ""
        if word in ("a", "an", "one") and following in _SINGLE_FRACTIONS:
            if tokens and _is_number(tokens[-1]):
                tokens.append("*")
            tokens.append(repr(1 / _SINGLE_FRACTIONS[following]))  # "a fifth of 50"
            index += 2
            continue
        try:
            number, next_index = read_number(words, index)
        except RefusedReading as error:
            raise CalculationError(str(error)) from error
        if number is not None:
            if tokens and _is_number(tokens[-1]) and 0 < float(tokens[-1]) < 1:
                tokens.append("*")  # "a third of 90", "half of 80": the "of" went with the fraction
            tokens.append(repr(float(number)))
            index = next_index
            continue
        if word in _FRACTIONS and tokens and _is_number(tokens[-1]):
            tokens.extend(["/", repr(float(_FRACTIONS[word]))])  # "two thirds": 2 / 3
            index += 1
            continue
        if word == "of" and tokens and _is_number(tokens[-1]):
            tokens.append("*")  # "half of 80", "two thirds of 90"
            index += 1
            continue
        if word in ("a", "an") and index + 1 < len(words) and words[index + 1] in ("half", "quarter"):
            tokens.append("0.5" if words[index + 1] == "half" else "0.25")
            index += 2
            continue
        if word in _FILLER:
            index += 1
            continue
        raise CalculationError(f'I don\'t know how to work with "{word}".')
    return tokens


def _is_number(token: str) -> bool:
    try:
        float(token)
    except ValueError:
        return False
    return True


class _Parser:
    """expr := term (('+'|'-') term)*; term := unary (('*'|'/'|'mod') unary)*;
    unary := ('-'|'neg'|'+') unary | power; power := postfix ('^' unary)?;
    postfix := primary ('!'|'%')*; primary := number | '(' expr ')' | ('sqrt'|'cbrt') unary."""

    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.position = 0
        self.depth = 0

    def nested(self, parse: Callable[[], float]) -> float:
        """``parse()`` one level deeper; refused past MAX_NESTING levels."""
        if self.depth >= MAX_NESTING:
            raise CalculationError(
                f"That sum has too many brackets, roots or signs inside each other for me "
                f"(at most {MAX_NESTING})."
            )
        self.depth += 1
        try:
            return parse()
        finally:
            self.depth -= 1

    def peek(self) -> str | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> str:
        token = self.peek()
        if token is None:
            raise CalculationError("That sum seems to stop halfway.")
        self.position += 1
        return token

    def parse(self) -> float:
        if not self.tokens:
            raise CalculationError("There's nothing to work out.")
        value = self.expr()
        if self.peek() is not None:
            raise CalculationError(f'I got lost at "{self.peek()}".')
        return value

    def expr(self) -> float:
        value = self.term()
        while self.peek() in ("+", "-"):
            operator = self.take()
            right = self.term()
            value = _check(value + right if operator == "+" else value - right)
        return value

    def term(self) -> float:
        value = self.unary()
        while self.peek() in ("*", "/", "mod"):
            operator = self.take()
            right = self.unary()
            if operator == "*":
                value = _check(value * right)
            elif right == 0:
                raise CalculationError("You can't divide by zero.")
            elif operator == "/":
                value = _check(value / right)
            else:
                value = math.fmod(value, right)
        return value

    def unary(self) -> float:
        if self.peek() in ("-", "neg"):
            self.take()
            return -self.nested(self.unary)
        if self.peek() == "+":
            self.take()
            return self.nested(self.unary)
        return self.power()

    def power(self) -> float:
        base = self.postfix()
        if self.peek() == "^":
            self.take()
            exponent = self.nested(self.unary)  # right-associative: 2^3^2 = 2^9
            if base == 0 and exponent < 0:
                raise CalculationError("You can't divide by zero.")
            if base < 0 and not float(exponent).is_integer():
                raise CalculationError("That power of a negative number isn't a real number.")
            try:
                return _check(math.pow(base, exponent))
            except OverflowError as error:
                raise CalculationError("That number is too big for me.") from error
        return base

    def postfix(self) -> float:
        value = self.primary()
        while self.peek() in ("!", "%"):
            if self.take() == "!":
                if value < 0 or not float(value).is_integer() or value > MAX_FACTORIAL:
                    raise CalculationError(
                        f"I can only take factorials of whole numbers from 0 to {MAX_FACTORIAL}."
                    )
                value = float(math.factorial(int(value)))
            else:
                value = value / 100
        return value

    def primary(self) -> float:
        token = self.take()
        if token == "(":
            value = self.nested(self.expr)
            if self.peek() != ")":
                raise CalculationError("A bracket is not closed.")
            self.take()
            return value
        if token == "sqrt":
            value = self.nested(self.unary)
            if value < 0:
                raise CalculationError("Negative numbers have no real square root.")
            return math.sqrt(value)
        if token == "cbrt":
            value = self.nested(self.unary)
            return math.copysign(abs(value) ** (1 / 3), value)
        try:
            return float(token)
        except ValueError:
            raise CalculationError(f'I expected a number, not "{token}".') from None


def _check(value: float) -> float:
    if math.isnan(value) or math.isinf(value) or abs(value) > MAX_MAGNITUDE:
        raise CalculationError("That number is too big for me.")
    return value


_PERCENT_OFF = re.compile(r"^(.+?)\s*(?:%|percent|per cent)\s+off\s+(?:of\s+)?(.+)$")


def evaluate(text: str) -> float:
    """The value of a spoken or typed expression; raises CalculationError."""
    discount = _PERCENT_OFF.match(text.strip().lower())
    if discount is not None:
        # "20 percent off 50": the price less that share of it.
        share, price = discount.groups()
        text = f"({price}) - ({share}) percent of ({price})"
    tokens = tokenize(text)
    # "5 percent * 80" came from "5 percent of 80"; a trailing "%" alone is just /100.
    value = _Parser(tokens).parse()
    # Floating point noise like 0.1 + 0.2 = 0.30000000000000004 is not what anyone said.
    return round(value, 10)
