"""How alike two requests are: in letters, in sound, and to the recogniser.

A rephrase of a failed request usually shares words with it ("lamp please"
-> "turn on the lamp"), or sounds like it when the recogniser misheard
("turn on the lump" -> "turn on the lamp"), or was one of the recogniser's
own alternatives. These scores feed rephrase detection and failure labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import jellyfish
from rapidfuzz import fuzz

from assistant.dialogue import phrases

STOPWORDS = frozenset(
    "a an the to on of in for at my me please can you could would will i it is and now "
    "hey computer just some".split()
)


@lru_cache(maxsize=20_000)
def utterance_key(text: str) -> str:
    """The normalised form used as a Markov state and a rewrite source."""
    return phrases.normalize(text)


def content_words(text: str) -> set[str]:
    return {word for word in utterance_key(text).split() if word not in STOPWORDS}


def phonetic_key(text: str) -> str:
    """Metaphone of each word, so sound-alikes ("lump"/"lamp") come out close."""
    return " ".join(jellyfish.metaphone(word) for word in utterance_key(text).split() if word)


@dataclass
class Likeness:
    """How alike two requests are, each score 0..1."""

    text: float
    """Letters (rapidfuzz ratio, or token set ratio for reordered words)."""
    sound: float
    """Metaphone keys compared the same way."""
    shared_words: float
    """Jaccard overlap of content words."""
    from_alternatives: bool = False
    """The second request is one of the recogniser's alternatives for the first."""

    @property
    def best(self) -> float:
        return 1.0 if self.from_alternatives else max(self.text, self.sound, self.shared_words)

    @property
    def sounds_alike(self) -> bool:
        """Different words that sound the same: the mark of a recognition error."""
        return self.from_alternatives or (self.sound >= 0.85 and self.sound - self.text >= 0.05)


def likeness(first: str, second: str, alternatives: list[str] | None = None) -> Likeness:
    a, b = utterance_key(first), utterance_key(second)
    text = max(fuzz.ratio(a, b), 0.9 * fuzz.token_set_ratio(a, b)) / 100.0 if a and b else 0.0
    sa, sb = phonetic_key(a), phonetic_key(b)
    sound = fuzz.ratio(sa, sb) / 100.0 if sa and sb else 0.0
    words_a, words_b = content_words(a), content_words(b)
    union = words_a | words_b
    shared = len(words_a & words_b) / len(union) if union else 0.0
    alternative_keys = {utterance_key(alt) for alt in alternatives or []}
    return Likeness(text, sound, shared, from_alternatives=bool(b) and b in alternative_keys and b != a)
