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
WORD_CACHE = 20_000
"""Words whose character grams are kept looked up (~7 MB at most)."""


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
        self._word_index: dict[str, int] = {}
        self._char_index: dict[str, int] = {}
        self._idf_values: list[float] = []
        self._grams_of_word: dict[str, tuple[int, ...]] = {}

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
        vocabulary = {("w", gram): i for i, gram in enumerate(word_vocabulary)}
        vocabulary.update({("c", gram): i + len(word_vocabulary) for i, gram in enumerate(char_vocabulary)})
        self.use(vocabulary, np.concatenate([word_idf, char_idf]).astype(np.float32), len(word_vocabulary))
        return self.matrix(texts)

    def use(self, vocabulary: dict[tuple[str, str], int], idf: np.ndarray, word_count: int) -> None:
        """Take a learned vocabulary (``("w"|"c", gram) -> index``), its idf and its word count."""
        self.vocabulary, self.idf, self.word_count = vocabulary, idf, word_count
        self._word_index = {gram: i for (kind, gram), i in vocabulary.items() if kind == "w"}
        self._char_index = {gram: i for (kind, gram), i in vocabulary.items() if kind == "c"}
        self._idf_values = idf.tolist()  # plain floats: a numpy scalar per gram cost a third of a vector
        self._grams_of_word = {}

    def _char_counts(self, text: str) -> Counter[int]:
        """Known character grams of a text, counted; each word's are looked up once and kept."""
        counts: Counter[int] = Counter()
        known_grams = self._grams_of_word
        for word in text.lower().split():
            known = known_grams.get(word)
            if known is None:
                index = self._char_index
                known = tuple(index[g] for g in char_ngrams(word) if g in index)
                if len(known_grams) < WORD_CACHE:
                    known_grams[word] = known
            counts.update(known)
        return counts

    def _weighted(self, counts: Counter[int]) -> tuple[list[int], list[float]]:
        """Sublinear tf times idf, L2-normalised."""
        idf = self._idf_values
        indices = list(counts)
        values = [idf[i] if n == 1 else (1.0 + math.log(n)) * idf[i] for i, n in counts.items()]
        norm = math.sqrt(sum(v * v for v in values)) or 1.0
        return indices, [v / norm for v in values]

    def vector(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Sparse vector of one text as (indices, values)."""
        index = self._word_index
        word_idx, word_val = self._weighted(Counter(index[g] for g in word_ngrams(text) if g in index))
        char_idx, char_val = self._weighted(self._char_counts(text))
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
