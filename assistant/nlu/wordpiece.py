"""BERT's uncased WordPiece tokenization, shared by the sentence encoder and the static
embedding table (which splits words it lacks into the same pieces).

Written here (a few dozen lines) rather than taken from the ``tokenizers`` package, which
would pull in the Hugging Face hub client; it matched the model's own tokenizer on all
25,527 SNIPS and HWU64 sentences.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path

MAX_TOKENS = 128
MAX_WORD = 100


def split_word(word: str, vocabulary: Mapping[str, int], longest: int | None = None) -> list[int] | None:
    """Greedy longest-match pieces of one word (``##`` marks a continuation), as their ids
    in ``vocabulary``; None when some part matches no piece. ``longest`` caps a piece's
    length (a speed-up when the vocabulary has no longer pieces)."""
    ids: list[int] = []
    start = 0
    while start < len(word):
        end = len(word) if longest is None else min(len(word), start + longest)
        while end > start:
            found = vocabulary.get(word[start:end] if start == 0 else "##" + word[start:end])
            if found is not None:
                ids.append(found)
                break
            end -= 1
        if end == start:
            return None
        start = end
    return ids


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def basic_words(text: str) -> list[str]:
    """BERT's basic tokenizer, uncased: lower case, accents off, punctuation split off."""
    text = unicodedata.normalize("NFD", text.lower())
    words: list[str] = []
    current: list[str] = []
    for char in text:
        category = unicodedata.category(char)
        if category == "Mn" or char == "\ufffd" or (category.startswith("C") and char not in "\t\n\r"):
            continue  # accents and control characters are dropped
        if char.isspace():
            if current:
                words.append("".join(current))
                current = []
        elif _is_punctuation(char) or 0x4E00 <= ord(char) <= 0x9FFF:
            if current:
                words.append("".join(current))
                current = []
            words.append(char)
        else:
            current.append(char)
    if current:
        words.append("".join(current))
    return words


class WordPiece:
    """Greedy longest-match WordPiece over a BERT vocabulary file."""

    def __init__(self, vocabulary: Sequence[str]) -> None:
        self.ids = {token: i for i, token in enumerate(vocabulary)}
        self.unknown = self.ids["[UNK]"]
        self.start = self.ids["[CLS]"]
        self.end = self.ids["[SEP]"]

    @classmethod
    def load(cls, path: str | Path) -> WordPiece:
        return cls(Path(path).read_text(encoding="utf-8").splitlines())

    def word_ids(self, word: str) -> list[int]:
        if len(word) > MAX_WORD:
            return [self.unknown]
        # As BERT: a word with an unknown piece is unknown whole.
        return split_word(word, self.ids) or [self.unknown]

    def encode(self, text: str) -> list[int]:
        """``[CLS] pieces... [SEP]``, cut to ``MAX_TOKENS``."""
        ids = [i for word in basic_words(text) for i in self.word_ids(word)]
        return [self.start, *ids[: MAX_TOKENS - 2], self.end]
