"""Fuzzed requests: what a hostile or clumsy user, a broken recognizer or a buggy script sends.

Seeded, so a failure can be replayed: ``fuzzed_requests(n, seed)`` always gives the same
``n`` texts. Used by the whole-turn fuzz test and by ``benchmarks/reliability.py``.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator

REQUESTS = [
    "set a timer for {number} minutes", "set a {word} timer for {number} seconds",
    "remind me to {word} in {number} hours", "wake me up at {time}", "set an alarm for {time} {date}",
    "what is {number} times {number}", "what is {expression}", "convert {number} {unit} to {unit}",
    "add {word} to my {word} list", "take a note {word}", "what's the date {date}",
    "how many days until {date}", "when I say {word}, set a timer for {number} minutes",
    "{word} means set a timer for {number} minutes", "add {number} minutes to the {word} timer",
    "cancel the {word} timer", "forget {word}", "call me {word}", "rename {word} to {word}",
    "what does {word} do", "{number}", "{word}", "", "yes", "no", "cancel", "undo that",
]  # fmt: skip
NUMBERS = [
    "1e309", "-5", "0", "1e-309", "nan", "inf", "-inf", "99999999999999999999999999", "3.14.15",
    "0x1f", "1,000,000", "½", "٣", "five hundred thousand million billion", "minus twelve",
    "1" * 400, "9" * 40 + ".5", "007", "1/0", "2**99999",
]  # fmt: skip
TIMES = ["25:99", "3.14.15", "noon", "midnight", "-1 am", "13 pm", "6:45", "99 o'clock", "24:00"]
DATES = ["february 30", "the 31st of april", "tomorrow", "yesterday", "year 99999", "the 0th", "2024-13-45"]
UNITS = ["kelvin", "parsecs", "fahrenheit", "ounces", "cups", "lightyears", "bananas", "%", "°"]
WORDS = [
    "{name}", "{{x}}", "[optional]", "(a|b)", "<rule>", "%s %d %n", "{0!r:>{1}}", "$(rm -rf /)",
    "'; drop table history; --", "\\x00", "\u202eevil", "\ud800", "\U0001f600" * 50, "ñandú", "日本語",
    "a" * 2000, "word " * 300, "\n\n", "\t", "\x1b[2J", "null", "None", "__import__('os')",
]  # fmt: skip


def _expression(rng: random.Random) -> str:
    depth = rng.choice([1, 3, 50, 500, 5000])
    return "(" * depth + "1 + 2" + ")" * rng.choice([depth, depth - 1, 0])


def _random_unicode(rng: random.Random) -> str:
    return "".join(chr(rng.randrange(0, 0x30000)) for _ in range(rng.randrange(1, 60)))


def _filled(rng: random.Random) -> str:
    template = rng.choice(REQUESTS)
    fill: dict[str, Callable[[], str]] = {
        "number": lambda: rng.choice(NUMBERS),
        "time": lambda: rng.choice(TIMES),
        "date": lambda: rng.choice(DATES),
        "unit": lambda: rng.choice(UNITS),
        "word": lambda: rng.choice(WORDS),
        "expression": lambda: _expression(rng),
    }
    text = template
    for _ in range(template.count("{")):
        for name, make in fill.items():
            marker = "{" + name + "}"
            if marker in text:
                text = text.replace(marker, make(), 1)
                break
    return text


def fuzzed_requests(count: int, seed: int = 0) -> Iterator[str]:
    """``count`` fuzzed request texts, reproducibly."""
    rng = random.Random(seed)
    makers = [_filled, _filled, _filled, _random_unicode, _expression]
    for _ in range(count):
        text = rng.choice(makers)(rng)
        if rng.random() < 0.05:
            text = text * rng.randrange(2, 400)  # pasted many times over
        yield text
