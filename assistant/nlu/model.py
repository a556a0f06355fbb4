"""The learned intent model: a linear classifier plus a nearest-example memory.

* **Linear layer**: tf-idf over word 1-2-grams and character 2-5-grams
  (:mod:`assistant.nlu.features`), a ``LinearSVC`` (one-vs-rest); margins become
  probabilities by a softmax with a temperature. An out-of-scope class
  (``OOS_LABEL``) is trained from generic sentences (``data/background.txt``)
  plus any ``None``-labelled data.
* **Example memory**: examples (capped per intent) as vectors in the same space;
  the cosine similarity of the nearest example of each intent. Adding examples is
  instant, so a taught intent works before the next retrain.

``rank`` fuses both: ``(1 - w) * p_linear + w * similarity`` for intents the
linear layer knows, the similarity alone for intents only the memory knows.
"""

from __future__ import annotations

import math
import random
import time
from collections import Counter
from collections.abc import Sequence
from importlib import resources

import numpy as np
from scipy import sparse
from sklearn.svm import LinearSVC

from assistant.nlu.embeddings import StaticEmbeddings, default_embeddings, words_of
from assistant.nlu.features import TextFeatures

OOS_LABEL = "__oos__"
DEFAULT_TEMPERATURE = 4.0
"""Softmax temperature on SVM margins; ``benchmarks/nlu.py`` reports the calibration error."""
DEFAULT_MEMORY_WEIGHT = 0.1
DEFAULT_EMBEDDING_WEIGHT = 1.0
"""Scale of the sentence-embedding block next to the two unit-length tf-idf blocks."""
MAX_EXAMPLES_PER_INTENT = 60


def background_sentences() -> list[str]:
    """Generic sentences that belong to no intent (the out-of-scope class)."""
    text = resources.files("assistant.nlu").joinpath("data/background.txt").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def word_idf(texts: Sequence[str]) -> tuple[dict[str, float], float]:
    """Smoothed idf of every word (as the embedding table splits them), and that of an unseen word."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(set(words_of(text)))
    total = len(texts) + 1
    weights = {word: math.log(total / (1 + count)) + 1.0 for word, count in counts.items()}
    return weights, math.log(total) + 1.0


class ExampleMemory:
    """Examples per intent as vectors; similarity of a text to each intent's nearest example."""

    def __init__(self, features: TextFeatures) -> None:
        self.features = features
        self.labels: list[str] = []
        self._blocks: list[sparse.csr_matrix] = []
        self._row_labels: list[np.ndarray] = []
        self._by_feature: sparse.csr_matrix | None = None
        self._order = np.zeros(0, dtype=np.int64)
        self._starts = np.zeros(0, dtype=np.int64)
        self._present: list[str] = []

    def add(self, intent: str, texts: Sequence[str]) -> None:
        if not texts:
            return
        if intent not in self.labels:
            self.labels.append(intent)
        self._blocks.append(self.features.matrix(texts))
        self._row_labels.append(np.full(len(texts), self.labels.index(intent), dtype=np.int64))
        self._by_feature = None

    def remove(self, intent: str) -> None:
        if intent not in self.labels:
            return
        code = self.labels.index(intent)
        rows = sparse.vstack(self._blocks).tocsr() if self._blocks else None
        labels = np.concatenate(self._row_labels) if self._row_labels else np.zeros(0, np.int64)
        keep = np.flatnonzero(labels != code)
        self._blocks = [rows[keep]] if rows is not None and len(keep) else []
        self._row_labels = [labels[keep]] if len(keep) else []
        self._by_feature = None

    def _index(self) -> sparse.csr_matrix:
        if self._by_feature is None:
            labels = np.concatenate(self._row_labels) if self._row_labels else np.zeros(0, np.int64)
            rows = (
                sparse.vstack(self._blocks).tocsr()
                if self._blocks
                else sparse.csr_matrix((0, self.features.size))
            )
            self._blocks, self._row_labels = ([rows], [labels]) if len(labels) else ([], [])
            # Rows grouped by label, so the best per intent is one reduceat.
            self._order = np.argsort(labels, kind="stable")
            sorted_labels = labels[self._order]
            self._starts = (
                np.flatnonzero(np.r_[True, sorted_labels[1:] != sorted_labels[:-1]])
                if len(labels)
                else self._starts[:0]
            )
            self._present = [self.labels[int(sorted_labels[s])] for s in self._starts]
            self._by_feature = rows[self._order].T.tocsr()
        return self._by_feature

    def similarities(self, indices: np.ndarray, values: np.ndarray) -> dict[str, float]:
        """Intent -> cosine similarity of its nearest example to the given vector."""
        by_feature = self._index()
        if by_feature.shape[1] == 0 or len(indices) == 0:
            return {}
        scores = values @ by_feature[indices]
        scores = np.asarray(scores).ravel() / 2.0  # two unit-length blocks
        best = np.maximum.reduceat(scores, self._starts)
        return dict(zip(self._present, best.tolist(), strict=True))


class IntentModel:
    """Learned intent ranking with calibrated confidences and an out-of-scope class."""

    def __init__(
        self,
        c: float = 0.5,
        temperature: float = DEFAULT_TEMPERATURE,
        memory_weight: float = DEFAULT_MEMORY_WEIGHT,
        use_background: bool = True,
        embedding_weight: float = DEFAULT_EMBEDDING_WEIGHT,
        embeddings: StaticEmbeddings | None = None,
    ) -> None:
        self.c = c
        self.embedding_weight = embedding_weight
        self.embeddings = embeddings if embeddings is not None else default_embeddings()
        self.word_weights: dict[str, float] = {}
        self.default_word_weight = 1.0
        self.dense_weights = np.zeros((0, 0), dtype=np.float32)
        """Embedding dimension x class weights of the linear layer."""
        self.temperature = temperature
        self.memory_weight = memory_weight
        self.use_background = use_background
        self.features = TextFeatures()
        self.classes: list[str] = []
        self.weights = np.zeros((0, 0), dtype=np.float32)
        """Feature x class weights (transposed ``coef_``, so one text gathers rows)."""
        self.intercepts = np.zeros(0, dtype=np.float32)
        self.memory = ExampleMemory(self.features)
        self.removed: set[str] = set()
        self.training_seconds = 0.0

    def fit(self, texts: Sequence[str], labels: Sequence[str | None], seed: int = 0) -> IntentModel:
        """Train both layers. ``None`` labels are out-of-scope examples."""
        if len(texts) != len(labels):
            raise ValueError("texts and labels differ in length")
        started = time.perf_counter()
        all_texts = [t.lower() for t in texts]
        all_labels = [OOS_LABEL if label is None else label for label in labels]
        if self.use_background:
            background = background_sentences()
            all_texts += background
            all_labels += [OOS_LABEL] * len(background)
        self.features = TextFeatures()
        matrix = self.features.fit_matrix(all_texts or [""])
        self.word_weights, self.default_word_weight = word_idf(all_texts)
        dense = self.sentence_vectors(all_texts or [""])
        if dense is not None:
            matrix = sparse.hstack([matrix, sparse.csr_matrix(dense * self.embedding_weight)]).tocsr()
        self.memory = ExampleMemory(self.features)
        self.removed = set()
        self.classes = []
        if len(set(all_labels)) >= 2:
            classifier = LinearSVC(C=self.c, class_weight="balanced")  # few-shot intents vs the big OOS class
            classifier.fit(matrix, all_labels)
            self.classes = [str(c) for c in classifier.classes_]
            coef = (
                classifier.coef_
                if len(self.classes) > 2
                else np.vstack([-classifier.coef_, classifier.coef_])
            )
            intercept = (
                classifier.intercept_
                if len(self.classes) > 2
                else np.r_[-classifier.intercept_, classifier.intercept_]
            )
            size = self.features.size
            self.weights = np.ascontiguousarray(coef[:, :size].T, dtype=np.float32)
            self.dense_weights = np.ascontiguousarray(
                coef[:, size:].T * self.embedding_weight, dtype=np.float32
            )
            self.intercepts = np.asarray(intercept, dtype=np.float32)
        rng = random.Random(seed)
        by_intent: dict[str, list[str]] = {}
        for text, label in zip(all_texts, all_labels, strict=True):
            if label != OOS_LABEL:
                by_intent.setdefault(label, []).append(text)
        for intent, examples in by_intent.items():
            if len(examples) > MAX_EXAMPLES_PER_INTENT:
                examples = rng.sample(examples, MAX_EXAMPLES_PER_INTENT)
            self.memory.add(intent, examples)
        self.training_seconds = time.perf_counter() - started
        return self

    def add_examples(self, intent: str, texts: Sequence[str]) -> None:
        """Teach examples now (example memory only; the linear layer learns them at the next fit)."""
        self.removed.discard(intent)
        self.memory.add(intent, [t.lower() for t in texts])

    def remove_intent(self, intent: str) -> None:
        """Stop predicting an intent until the next fit."""
        self.memory.remove(intent)
        self.removed.add(intent)

    @property
    def uses_embeddings(self) -> bool:
        return self.embeddings is not None and self.embedding_weight > 0

    def sentence_vector(self, text: str) -> np.ndarray | None:
        """The idf-weighted mean word embedding of a text (None without embeddings)."""
        if not self.uses_embeddings:
            return None
        assert self.embeddings is not None
        return self.embeddings.sentence(text, self.word_weights, self.default_word_weight)

    def sentence_vectors(self, texts: Sequence[str]) -> np.ndarray | None:
        if not self.uses_embeddings:
            return None
        assert self.embeddings is not None
        return self.embeddings.matrix(texts, self.word_weights, self.default_word_weight)

    def margins(self, indices: np.ndarray, values: np.ndarray, dense: np.ndarray | None) -> np.ndarray:
        """Raw linear scores per class (``classes`` order)."""
        margins = values @ self.weights[indices] + self.intercepts
        if dense is not None and self.dense_weights.shape[0] == len(dense):
            margins = margins + dense @ self.dense_weights
        return margins

    def linear_probabilities(
        self, indices: np.ndarray, values: np.ndarray, dense: np.ndarray | None = None
    ) -> dict[str, float]:
        if not self.classes:
            return {}
        margins = self.margins(indices, values, dense)
        logits = self.temperature * margins
        logits -= logits.max()
        probabilities = np.exp(logits)
        probabilities /= probabilities.sum()
        return dict(zip(self.classes, probabilities.tolist(), strict=True))

    def rank(self, text: str, limit: int | None = None) -> list[tuple[str | None, float]]:
        """Intents (None = out of scope) with confidences 0..1, best first."""
        text = text.lower()
        indices, values = self.features.vector(text)
        linear = self.linear_probabilities(indices, values, self.sentence_vector(text))
        similar = self.memory.similarities(indices, values)
        weight = self.memory_weight
        scores: dict[str | None, float] = {}
        for label, probability in linear.items():
            if label == OOS_LABEL:
                scores[None] = probability
            elif label not in self.removed:
                scores[label] = (1 - weight) * probability + weight * similar.get(label, 0.0)
        for label, similarity in similar.items():
            if label not in linear and label not in self.removed:
                scores[label] = similarity
        ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
        return ranked[:limit] if limit else ranked
