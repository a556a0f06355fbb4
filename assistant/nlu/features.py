"""Fast text features for one utterance at a time.

scikit-learn's vectorizers cost about a millisecond per call in validation and
set-up, which alone would break the latency budget. :class:`TextFeatures` learns
vocabularies and idf weights with scikit-learn once (``fit``) and then turns a
single text into sparse indices and weights with plain dictionaries (~50 µs),
producing the same vectors as ``TfidfVectorizer(sublinear_tf=True)`` over word
1-2-grams and ``char_wb`` 2-5-grams, each block L2-normalised.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

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

    def fit_matrix(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """Learn vocabulary and idf; return the texts' vectors (as ``matrix`` would)."""
        words = TfidfVectorizer(analyzer=word_ngrams, sublinear_tf=True, dtype=np.float32)
        chars = TfidfVectorizer(analyzer=char_ngrams, sublinear_tf=True, dtype=np.float32)
        word_matrix = words.fit_transform(texts)
        char_matrix = chars.fit_transform(texts)
        self.word_count = len(words.vocabulary_)
        self.vocabulary = {("w", g): i for g, i in words.vocabulary_.items()}
        self.vocabulary.update({("c", g): i + self.word_count for g, i in chars.vocabulary_.items()})
        self.idf = np.concatenate([words.idf_, chars.idf_]).astype(np.float32)
        return sparse.hstack([word_matrix, char_matrix]).tocsr()

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

    def matrix(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """Vectors of many texts as rows of a CSR matrix."""
        indptr = [0]
        indices: list[np.ndarray] = []
        values: list[np.ndarray] = []
        for text in texts:
            idx, val = self.vector(text)
            indices.append(idx)
            values.append(val)
            indptr.append(indptr[-1] + len(idx))
        return sparse.csr_matrix(
            (
                np.concatenate(values) if values else np.zeros(0, np.float32),
                np.concatenate(indices) if indices else np.zeros(0, np.int64),
                np.asarray(indptr),
            ),
            shape=(len(texts), self.size),
        )
