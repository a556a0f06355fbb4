"""Near-miss repairs of a request's first word and of its weak function words, for Whisper to score.

Whisper tiny.en often mishears the verb a request starts with when nothing precedes it ("add
bread ..." as "and bread ..."), and its n-best lists only vary punctuation. The first words of
the assistant's phrases are few ("add", "turn", "set", "remind", ...), so each one that sounds
like the heard first word (metaphone codes at most one edit apart) gives a candidate. The
arbiter keeps one only when the audio allows the change and the understanding stage reads it
better; nothing else of what was heard changes. The same holds for "and", "in", "an" and "on"
anywhere in the request, which tiny.en swaps for one another.
"""

from __future__ import annotations

from functools import lru_cache

import jellyfish

MAX_REPAIRS = 5


@lru_cache(maxsize=4096)
def _sound(word: str) -> str:
    return str(jellyfish.metaphone(word))


def first_word_repairs(text: str, starts: list[str]) -> list[str]:
    """``text`` with its first word replaced by request starts that sound like it."""
    words = text.split()
    if not words or words[0] in starts:
        return []
    heard = _sound(words[0])
    distances = {start: jellyfish.levenshtein_distance(_sound(start), heard) for start in starts}
    similar = [start for start in starts if start != words[0] and distances[start] <= 1]
    similar.sort(key=lambda start: distances[start])  # same-sounding first, then the most common
    return [" ".join([start, *words[1:]]) for start in similar[:MAX_REPAIRS]]


WEAK_NASALS = ("and", "in", "an", "on")
"""Unstressed vowel + n: tiny.en swaps them anywhere in a request ("5 miles and kilometers")."""
MAX_NASAL_REPAIRS = 6


def function_word_repairs(text: str) -> list[str]:
    """``text`` with one of its WEAK_NASALS replaced by another (the arbiter allows one edit)."""
    words = text.split()
    repairs = []
    for index, word in enumerate(words):
        if word in WEAK_NASALS:
            for other in WEAK_NASALS:
                if other != word:
                    repairs.append(" ".join([*words[:index], other, *words[index + 1 :]]))
    return repairs[:MAX_NASAL_REPAIRS]
