"""Slot values: fuzzy resolution against catalogues, typed parsing of the rest.

A catalogue is what a slot may take (device names, playlists, contacts). Spoken
words are matched to it by spelling (rapidfuzz) and by sound (metaphone keys),
so "the desk lamb" resolves to "desk lamp".
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from itertools import accumulate
from typing import Any

import jellyfish
from rapidfuzz import fuzz, process

from assistant.nlu.numbers import RefusedReading, first_number, parse_number, tokenize
from assistant.nlu.times import (
    DURATION_ANCHORS,
    DURATION_WORDS,
    MAX_PHRASE_CHARACTERS,
    TIME_ANCHORS,
    TIME_WORDS,
    parse_duration,
    parse_time,
)

LEADING_WORDS = {"the", "a", "an", "my", "our", "this", "that", "to", "on", "in"}
DEFAULT_CUTOFF = 78.0
"""Minimum 0..100 score for a fuzzy match. Sound-alike pairs such as lamb/lamp score ~89."""

NUMBER_SLOTS = {"number", "count", "minutes", "seconds", "hours", "percent", "percentage",
                "brightness", "volume", "temperature", "level", "amount", "quantity"}  # fmt: skip
DURATION_SLOTS = {"duration", "length", "timer_duration"}
TIME_SLOTS = {"time", "when", "datetime", "date", "moment", "alarm_time", "start_time", "end_time", "day"}
MAX_SPAN_WORDS = 12
"""The longest stretch :func:`find_typed` reads as one duration or time. They are a few words
("next friday at a quarter to seven in the morning" is 10), and the bound keeps the search
linear in the length of the text."""


def normalize(text: str) -> str:
    """Lower-case, drop punctuation except in numbers, squeeze spaces."""
    text = text.lower().replace("’", "'")
    text = re.sub(r"(?<!\d)[.,:](?!\d)|[!?;\"()\[\]{}]", " ", text)
    return " ".join(text.split())


def phonetic_key(text: str) -> str:
    """Metaphone of each word, so sound-alikes ("lamb"/"lamp", "kitchen"/"kitchin") meet."""
    return " ".join(jellyfish.metaphone(word) for word in text.split() if word)


def strip_leading(text: str) -> str:
    """Drop articles and possessives a recognizer may add or miss ("the", "my")."""
    words = text.split()
    while len(words) > 1 and words[0] in LEADING_WORDS:
        words = words[1:]
    return " ".join(words)


@dataclass
class Resolution:
    """A catalogue entry chosen for some words."""

    value: str
    """The canonical value (the catalogue's ``out``)."""
    spoken: str
    """The catalogue phrase that matched."""
    score: float
    """0..100; 100 is an exact match after normalization."""


class Catalogue:
    """Values a slot may take; resolves words to them fuzzily.

    ``values`` is a list of names, or a mapping from spoken form to canonical value
    (``{"the big light": "light.ceiling"}``).
    """

    def __init__(self, values: Sequence[str] | Mapping[str, str], cutoff: float = DEFAULT_CUTOFF) -> None:
        pairs = list(values.items()) if isinstance(values, Mapping) else [(v, v) for v in values]
        self.cutoff = cutoff
        self.spoken: list[str] = [normalize(spoken) for spoken, _ in pairs]
        self.canonical: list[str] = [str(value) for _, value in pairs]
        self.keys: list[str] = [strip_leading(s) for s in self.spoken]
        self.sounds: list[str] = [phonetic_key(k) for k in self.keys]
        self._exact = {key: index for index, key in enumerate(self.keys)}

    def __len__(self) -> int:
        return len(self.spoken)

    def resolve(self, words: str) -> Resolution | None:
        """Best catalogue entry for ``words``, or None when nothing scores above the cutoff."""
        if not self.keys:
            return None
        key = strip_leading(normalize(words))
        if key in self._exact:
            index = self._exact[key]
            return Resolution(self.canonical[index], self.spoken[index], 100.0)
        # Cut-offs let rapidfuzz skip entries that cannot win: a sound score below
        # 2 * (cutoff - 5) - 100 averages below the cutoff even with a perfect spelling.
        by_text = process.extractOne(key, self.keys, scorer=fuzz.ratio, score_cutoff=self.cutoff)
        sound = phonetic_key(key)
        sound_cutoff = max(0.0, 2 * (self.cutoff - 5) - 100)
        by_sound = process.extractOne(sound, self.sounds, scorer=fuzz.ratio, score_cutoff=sound_cutoff)
        best: tuple[float, int] | None = None
        if by_text is not None:
            best = (float(by_text[1]), by_text[2])
        if by_sound is not None and key:
            # Sound alone is weaker evidence: average it with the spelling score of that entry.
            index = by_sound[2]
            score = (float(by_sound[1]) + fuzz.ratio(key, self.keys[index])) / 2 + 5
            if best is None or score > best[0]:
                best = (min(score, 99.0), index)
        if best is None or best[0] < self.cutoff:
            return None
        return Resolution(self.canonical[best[1]], self.spoken[best[1]], best[0])

    def spot(self, text: str) -> tuple[Resolution, str] | None:
        """Find a catalogue entry said somewhere inside ``text``; returns it and the words used.

        Windows are at most one word longer than the longest entry: linear in the text."""
        words = normalize(text).split()
        best: tuple[Resolution, str] | None = None
        longest = max((len(k.split()) for k in self.keys), default=1)
        resolved: dict[str, Resolution | None] = {}  # a long text repeats its windows
        for size in range(min(longest + 1, len(words)), 0, -1):
            for start in range(len(words) - size + 1):
                window = " ".join(words[start : start + size])
                if window in LEADING_WORDS:
                    continue
                if window not in resolved:
                    resolved[window] = self.resolve(window)
                found = resolved[window]
                if found is not None and (best is None or found.score > best[0].score):
                    best = (found, window)
        return best


def slot_kind(slot_name: str) -> str:
    """Guess how to parse a free slot from its name: number, duration, time or text."""
    name = slot_name.lower()
    if name in DURATION_SLOTS or name.endswith("_duration"):
        return "duration"
    if name in TIME_SLOTS or name.endswith("_time") or name.endswith("_date"):
        return "time"
    if name in NUMBER_SLOTS or name.endswith("_number") or name.endswith("_count"):
        return "number"
    return "text"


def parse_typed(kind: str, words: str, now: datetime | None = None) -> Any | None:
    """Parse words as a number, a duration (seconds), a time (ISO text) or keep text.

    Words that read as a value the readers refuse ("-5 minutes", "1e309", "february 30")
    stay words: the skill reads them again and says what is wrong, where a dropped slot
    would have meant a default (today, or no number at all)."""
    try:
        return _parse_typed(kind, words, now)
    except RefusedReading:
        return words.strip() or None


def _parse_typed(kind: str, words: str, now: datetime | None) -> Any | None:
    if kind == "number":
        value = parse_number(words)
        return value if value is not None else first_number(words)
    if kind in ("duration", "time") and len(words) > MAX_PHRASE_CHARACTERS:
        return None  # no length of time or moment is said in so many words
    if kind == "duration":
        # A bare number said as the whole length is minutes ("timer for 5", or "5" in answer
        # to "How many minutes?"), as :func:`assistant.skills.parsing.parse_duration` reads it.
        # "a" alone is no number ("a few minutes" is split into "a" and a name elsewhere).
        tokens = tokenize(words)
        if not set(tokens) - {"a", "an"} or tokens[:1] == ["at"]:
            return None  # "at 11" is a moment, never 11 minutes
        return parse_duration(words, bare_unit=60)
    if kind == "time":
        parsed = parse_time(words, now)
        return parsed.iso() if parsed is not None else None
    text = words.strip()
    return text or None


def find_typed(kind: str, text: str, now: datetime | None = None) -> tuple[Any, str] | None:
    """The longest span of ``text`` (up to :data:`MAX_SPAN_WORDS` words) that reads as a
    duration or a time, with its words.

    For readings that came from the learned model rather than a template: "the timer for
    ten minutes" still carries its ten minutes. Only spans made of words a duration or a
    time may hold, with one that carries it (a figure, a unit, a number word, "noon"...), are
    read. A span the readers refuse ("for -5 minutes") is returned as its words, like
    :func:`parse_typed` does."""
    if kind == "duration":
        return _spot_duration(text)
    if kind == "time":
        return _spot_typed(kind, text, now)
    return None


@lru_cache(maxsize=16)
def _spot_duration(text: str) -> tuple[Any, str] | None:
    """One text is searched for each intent with a duration slot: read it once. (Times
    depend on the moment, which differs at every call.)"""
    return _spot_typed("duration", text, None)


def _spot_typed(kind: str, text: str, now: datetime | None) -> tuple[Any, str] | None:
    vocabulary = DURATION_WORDS if kind == "duration" else TIME_WORDS
    anchors = DURATION_ANCHORS if kind == "duration" else TIME_ANCHORS
    words = text.split()
    foreign = [0]
    carrying = [0]
    for word in words:
        tokens = tokenize(word)
        foreign.append(any(not _has_digit(t) and t not in vocabulary for t in tokens))
        carrying.append(any(_has_digit(t) or t in anchors for t in tokens))
    foreign_before = list(accumulate(foreign))
    carrying_before = list(accumulate(carrying))
    for length in range(min(len(words), MAX_SPAN_WORDS), 0, -1):
        for start in range(len(words) - length + 1):
            end = start + length
            if foreign_before[end] > foreign_before[start] or carrying_before[end] == carrying_before[start]:
                continue
            span = " ".join(words[start:end])
            try:
                if kind == "duration":
                    value: Any = parse_duration(span, strict=True)
                else:
                    parsed = parse_time(span, now, fallback=False)
                    value = parsed.iso() if parsed is not None else None
            except RefusedReading:
                value = span
            if value is not None:
                return value, span
    return None


def _has_digit(token: str) -> bool:
    return any(char.isdigit() for char in token)


def resolve_slot(
    name: str,
    words: str,
    catalogue: Catalogue | None = None,
    kind: str | None = None,
    now: datetime | None = None,
) -> tuple[Any | None, float]:
    """Resolve one slot's words; returns (value or None, score 0..1)."""
    if catalogue is not None and len(catalogue):
        found = catalogue.resolve(words)
        return (found.value, found.score / 100.0) if found else (None, 0.0)
    value = parse_typed(kind or slot_kind(name), words, now)
    return value, (1.0 if value is not None else 0.0)


def best_matches(words: str, candidates: Sequence[str], limit: int = 3) -> list[tuple[str, float]]:
    """Closest phrases to ``words`` (for "did you mean"), with 0..100 scores."""
    found = process.extract(
        normalize(words), [normalize(c) for c in candidates], scorer=fuzz.WRatio, limit=limit
    )
    return [(candidates[index], float(score)) for _, score, index in found]
