"""Static word embeddings distilled from all-MiniLM-L6-v2, read with numpy alone.

``models/static_embeddings.npz`` (built once by ``models/build_static_embeddings.py``)
holds a vector per WordPiece token and per common word. A sentence vector is the
weighted mean of its words' vectors, L2-normalised; a word missing from the table is
split greedily into WordPiece pieces (``##`` continuations) whose vectors are averaged.
No torch at run time: loading takes ~0.1 s, one sentence ~20 µs.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from assistant.nlu.wordpiece import split_word

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "models" / "static_embeddings.npz"
"""Override with the ``ASSISTANT_EMBEDDINGS`` environment variable."""
_WORD = re.compile(r"[a-z0-9']+")
_MAX_PIECE = 24
WORD_CACHE_SIZE = 20_000
"""Word vectors kept (1 KB each): every word of a normal vocabulary, ~20 MB at most."""


def words_of(text: str) -> list[str]:
    """Lower-case words as the table spells them (apostrophes at the edges dropped)."""
    return [w for w in (m.strip("'") for m in _WORD.findall(text.lower())) if w]


class StaticEmbeddings:
    """A word -> vector table with WordPiece fallback for unknown words."""

    def __init__(self, tokens: Sequence[str], vectors: np.ndarray) -> None:
        self.index = {token: row for row, token in enumerate(tokens)}
        self.vectors = np.asarray(vectors)
        """Kept as stored (float16: half the memory); rows become float32 when used."""
        self.dimensions = int(self.vectors.shape[1])
        self._cache: dict[str, np.ndarray | None] = {}

    @classmethod
    def load(cls, path: str | Path) -> StaticEmbeddings:
        with np.load(path, allow_pickle=False) as data:
            if "token_text" in data.files:  # tokens as one newline-separated UTF-8 text: fast to read
                tokens = bytes(data["token_text"]).decode("utf-8").split("\n")
            else:
                tokens = [str(t) for t in data["tokens"]]
            return cls(tokens, data["vectors"])

    def word(self, word: str) -> np.ndarray | None:
        """The vector of one word, or None when not even its pieces are known."""
        found = self._cache.get(word, self)
        if found is not self:
            return found  # type: ignore[return-value]
        row = self.index.get(word)
        vector = self.vectors[row].astype(np.float32) if row is not None else self._pieces(word)
        if len(self._cache) >= WORD_CACHE_SIZE:
            self._cache.clear()  # bounded: a long session of odd words must not grow memory
        self._cache[word] = vector
        return vector

    def _pieces(self, word: str) -> np.ndarray | None:
        """The mean vector of the word's WordPiece pieces, as BERT's tokenizer splits it."""
        rows = split_word(word, self.index, longest=_MAX_PIECE)
        return self.vectors[rows].astype(np.float32).mean(axis=0) if rows else None

    def sentence(
        self, text: str, weights: Mapping[str, float] | None = None, default: float = 1.0
    ) -> np.ndarray:
        """Weighted mean of the word vectors, unit length (zeros when no word is known)."""
        total = np.zeros(self.dimensions, dtype=np.float32)
        for word in words_of(text):
            vector = self.word(word)
            if vector is not None:
                total += (weights.get(word, default) if weights is not None else 1.0) * vector
        norm = float(np.sqrt(total @ total))
        return total / norm if norm > 0 else total

    def matrix(
        self, texts: Sequence[str], weights: Mapping[str, float] | None = None, default: float = 1.0
    ) -> np.ndarray:
        """Sentence vectors of many texts, one per row."""
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        return np.vstack([self.sentence(t, weights, default) for t in texts])


@lru_cache(maxsize=2)
def _load(path: str) -> StaticEmbeddings | None:
    return StaticEmbeddings.load(path) if Path(path).exists() else None


def default_embeddings() -> StaticEmbeddings | None:
    """The shared table (loaded once), or None when the file is missing."""
    return _load(os.environ.get("ASSISTANT_EMBEDDINGS", str(DEFAULT_PATH)))
