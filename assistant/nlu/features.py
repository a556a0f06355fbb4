"""Fast text features for one utterance at a time.

:class:`TextFeatures` learns vocabularies and idf weights once (``fit``) and then turns a
single text into sparse indices and weights with plain dictionaries (~50 µs). The vectors
are those of scikit-learn's ``TfidfVectorizer(sublinear_tf=True)`` (smoothed idf) over word
1-2-grams and ``char_wb`` 2-5-grams, each block L2-normalised; written out here because
importing scikit-learn costs seconds on every start, and its vectorizers ~1 ms per call.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

from assistant.nlu.sparse import SparseRows

_TOKEN = re.compile(r"(?u)\b\w\w+\b")
WORD_NGRAMS = (1, 2)
CHAR_NGRAMS = (2, 5)


def word_ngrams(text: str) -> list[str]:
    tokens = _TOKEN.findall(text.lower())
    return tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)]


def char_ngrams(text: str) -> list[str]:
    grams: list[str] = []
    low, high = CHAR_NGRAMS
    for word in text.lower().split():
        padded = f" {word} "
        length = len(padded)
        for n in range(low, high + 1):
            if n > length:
                break
            grams.extend(padded[i : i + n] for i in range(length - n + 1))
    return grams


class TextFeatures:
    """Word and character n-gram tf-idf with a fixed vocabulary, fast for single texts."""

    def __init__(self) -> None:
        self.vocabulary: dict[tuple[str, str], int] = {}
        self.idf = np.zeros(0, dtype=np.float32)
        self.word_count = 0

    @property
    def size(self) -> int:
        return len(self.vocabulary)

    def fit(self, texts: Sequence[str]) -> TextFeatures:
        self.fit_matrix(texts)
        return self

    def fit_matrix(self, texts: Sequence[str]) -> SparseRows:
        """Learn vocabulary and idf; return the texts' vectors (as ``matrix`` would)."""
        word_grams = [word_ngrams(text) for text in texts]
        char_grams = [char_ngrams(text) for text in texts]
        word_vocabulary, word_idf = _vocabulary_and_idf(word_grams)
        char_vocabulary, char_idf = _vocabulary_and_idf(char_grams)
        self.word_count = len(word_vocabulary)
        self.vocabulary = {("w", gram): i for i, gram in enumerate(word_vocabulary)}
        self.vocabulary.update({("c", gram): i + self.word_count for i, gram in enumerate(char_vocabulary)})
        self.idf = np.concatenate([word_idf, char_idf]).astype(np.float32)
        return self.matrix(texts)

    def _block(self, kind: str, grams: list[str]) -> tuple[list[int], list[float]]:
        indices: list[int] = []
        values: list[float] = []
        vocabulary = self.vocabulary
        for gram, count in Counter(grams).items():
            index = vocabulary.get((kind, gram))
            if index is not None:
                indices.append(index)
                values.append((1.0 + math.log(count)) * float(self.idf[index]))
        norm = math.sqrt(sum(v * v for v in values)) or 1.0
        return indices, [v / norm for v in values]

    def vector(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Sparse vector of one text as (indices, values)."""
        word_idx, word_val = self._block("w", word_ngrams(text))
        char_idx, char_val = self._block("c", char_ngrams(text))
        return (
            np.asarray(word_idx + char_idx, dtype=np.int64),
            np.asarray(word_val + char_val, dtype=np.float32),
        )

    def matrix(self, texts: Sequence[str]) -> SparseRows:
        """Vectors of many texts, one row each."""
        return SparseRows.from_rows([self.vector(text) for text in texts], self.size)


def _vocabulary_and_idf(documents: Sequence[list[str]]) -> tuple[list[str], np.ndarray]:
    """Sorted grams and their smoothed idf, ``ln((1 + n) / (1 + df)) + 1``."""
    frequency: Counter[str] = Counter()
    for grams in documents:
        frequency.update(set(grams))
    vocabulary = sorted(frequency)
    total = len(documents)
    counts = np.array([frequency[gram] for gram in vocabulary], dtype=np.float64)
    return vocabulary, (np.log((1.0 + total) / (1.0 + counts)) + 1.0).astype(np.float32)
