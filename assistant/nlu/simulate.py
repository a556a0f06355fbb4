"""A small dialogue simulator: turns example sentences into the variants people and
recognizers produce, so the learned model sees more than the literal templates.

Variants: polite fillers ("can you ...", "... please"), recognition errors
(dropped articles, sound-alike substitutions, a dropped short word).
"""

from __future__ import annotations

import random
from collections.abc import Iterable

PREFIXES = [
    "please",
    "can you",
    "could you",
    "i want to",
    "i'd like to",
    "hey",
    "would you",
    "let's",
    "go ahead and",
]
SUFFIXES = ["please", "for me", "now", "thanks", "right now"]
ARTICLES = {"the", "a", "an", "my", "some"}
SOUND_ALIKES: dict[str, list[str]] = {
    "for": ["four"], "to": ["two", "too"], "two": ["to"], "four": ["for"], "eight": ["ate"],
    "lamp": ["lamb"], "light": ["lite", "like"], "lights": ["likes"], "on": ["in"], "off": ["of"],
    "timer": ["time her", "timber"], "set": ["said"], "play": ["pray"], "music": ["musik"],
    "weather": ["whether"], "right": ["write"], "there": ["their"], "new": ["knew"],
    "read": ["red"], "week": ["weak"], "hour": ["our"], "alarm": ["a alarm"], "mail": ["male"],
    "turn": ["tern"], "volume": ["volume"], "desk": ["disk"], "fan": ["van"], "what's": ["what is"],
}  # fmt: skip


def with_filler(text: str, rng: random.Random) -> str:
    """Add a polite prefix or suffix."""
    if rng.random() < 0.6:
        return f"{rng.choice(PREFIXES)} {text}"
    return f"{text} {rng.choice(SUFFIXES)}"


def with_recognition_error(text: str, rng: random.Random) -> str:
    """Simulate one recognizer slip: drop articles, swap a sound-alike, or drop a short word."""
    words = text.split()
    choice = rng.random()
    if choice < 0.4 and any(w in ARTICLES for w in words):
        return " ".join(w for w in words if w not in ARTICLES)
    swappable = [i for i, w in enumerate(words) if w in SOUND_ALIKES]
    if choice < 0.8 and swappable:
        index = rng.choice(swappable)
        words[index] = rng.choice(SOUND_ALIKES[words[index]])
        return " ".join(words)
    short = [i for i, w in enumerate(words) if len(w) <= 3]
    if len(words) > 3 and short:
        del words[rng.choice(short)]
    return " ".join(words)


def variants(text: str, count: int, rng: random.Random | None = None) -> list[str]:
    """Up to ``count`` distinct variants of ``text`` (not including ``text`` itself)."""
    rng = rng or random.Random(hash(text) & 0xFFFF)
    found: set[str] = set()
    for _ in range(count * 4):
        roll = rng.random()
        if roll < 0.45:
            variant = with_filler(text, rng)
        elif roll < 0.8:
            variant = with_recognition_error(text, rng)
        else:
            variant = with_recognition_error(with_filler(text, rng), rng)
        if variant != text:
            found.add(variant)
        if len(found) >= count:
            break
    return sorted(found)


def augment(texts: Iterable[str], per_text: int, rng: random.Random | None = None) -> list[str]:
    """The texts followed by ``per_text`` variants of each."""
    rng = rng or random.Random(0)
    out: list[str] = []
    for text in texts:
        out.append(text)
        out.extend(variants(text, per_text, rng))
    return out
