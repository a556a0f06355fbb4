"""The learned intent model: a linear classifier plus a nearest-example memory.

* **Linear layer**: tf-idf over word 1-2-grams and character 2-5-grams
  (:mod:`assistant.nlu.features`) next to an idf-weighted mean of static word
  embeddings (:mod:`assistant.nlu.embeddings`, when ``models/static_embeddings.npz``
  exists), a ``LinearSVC`` (one-vs-rest); margins become probabilities by a softmax
  whose scale was fitted on a validation split. An out-of-scope class
  (``OOS_LABEL``) is trained from generic sentences (``data/background.txt``)
  plus any ``None``-labelled data.
* **Contextual layer**: a multinomial logistic regression over all-MiniLM-L6-v2
  sentence vectors (:mod:`assistant.nlu.encoder`, when ``models/sentence_encoder.onnx``
  and onnxruntime are there). It costs ~1.5 ms a sentence, so it is a second opinion
  asked only when the fused best score is below ``ENCODER_THRESHOLD`` (about one
  sentence in seven on HWU64); its logits are then mixed with the linear layer's.
* **Example memory**: examples (capped per intent) as vectors in the same space;
  the cosine similarity of the nearest example of each intent. Adding examples is
  instant, so a taught intent works before the next retrain.

``rank`` fuses them: ``(1 - w) * p_linear + w * similarity`` for intents the
linear layer knows, the similarity alone for intents only the memory knows.
"""

from __future__ import annotations

import heapq
import math
import random
import time
from collections import Counter
from collections.abc import Sequence
from importlib import resources
from operator import itemgetter
from typing import Any, NamedTuple

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC

from assistant.nlu.embeddings import StaticEmbeddings, default_embeddings, words_of
from assistant.nlu.encoder import SentenceEncoder, default_encoder
from assistant.nlu.features import TextFeatures

OOS_LABEL = "__oos__"
DEFAULT_TEMPERATURE = 6.0
"""Softmax scale on SVM margins (logits = scale x margin). Fitted on a 20 % validation split of
HWU64 train (log-loss of top-1 correctness): ECE 8.0 % at 4, 3.2 % at 6;
``benchmarks/nlu.py`` reports the test-set figure."""
DEFAULT_MEMORY_WEIGHT = 0.1
DEFAULT_EMBEDDING_WEIGHT = 1.0
"""Scale of the sentence-embedding block next to the two unit-length tf-idf blocks."""
ENCODER_THRESHOLD = 0.8
"""Ask the contextual layer when the best fused score is below this. Chosen with the two
constants below on 3 validation splits carved from HWU64 train (20 % per intent): 92.0 %
against 90.5 % without the contextual layer, asking for 14 % of sentences (0.7: 10 %, 0.1
point less accurate; asking always gains nothing more)."""
ENCODER_WEIGHT = 0.6
"""Share of the contextual layer's logits when it is asked (0.5: 0.1 point less accurate)."""
ENCODER_C = 16.0
"""Inverse regularisation of the contextual layer's logistic regression (8 and 32: within 0.1 point)."""
MAX_EXAMPLES_PER_INTENT = 24
"""Examples the memory keeps per trained intent (its cost grows with the rows; 60 gave the same accuracy)."""


class FastScores(NamedTuple):
    """One sentence's scores from the linear layer and example memory, kept so the
    contextual layer can be mixed in afterwards without computing them again."""

    text: str
    labels: list[str | None]
    scores: np.ndarray
    logits: np.ndarray | None
    """The linear layer's logits (None: no linear layer)."""
    memory_scores: np.ndarray
    linear_at: np.ndarray
    """Where each label's linear probability is (-1: none), as when the scores were made."""
    linear_w: np.ndarray


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
        self.version = 0
        """Goes up whenever the index is rebuilt (``present`` may have changed)."""

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
            self.version += 1
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

    @property
    def present(self) -> list[str]:
        """Intents in the order of :meth:`similarity_vector` (after the index is built)."""
        self._index()
        return self._present

    def similarities(self, indices: np.ndarray, values: np.ndarray) -> dict[str, float]:
        """Intent -> cosine similarity of its nearest example to the given vector."""
        best = self.similarity_vector(indices, values)
        return dict(zip(self._present, best.tolist(), strict=True)) if best is not None else {}

    def similarity_vector(self, indices: np.ndarray, values: np.ndarray) -> np.ndarray | None:
        """Nearest-example similarity per intent of ``present`` (None when nothing overlaps).

        The sparse product is done by hand (gather the query's feature rows, ``bincount``
        by example): scipy's fancy indexing alone costs ~0.5 ms per call.
        """
        by_feature = self._index()
        if by_feature.shape[1] == 0 or len(indices) == 0:
            return None
        starts = by_feature.indptr[indices]
        lengths = by_feature.indptr[indices + 1] - starts
        total = int(lengths.sum())
        if total == 0:
            return None
        offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(total)
        weights = np.repeat(values, lengths) * by_feature.data[offsets]
        scores = np.bincount(by_feature.indices[offsets], weights=weights, minlength=by_feature.shape[1])
        return np.maximum.reduceat(scores / 2.0, self._starts)  # two unit-length blocks


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
        encoder: SentenceEncoder | None = None,
        use_encoder: bool = True,
    ) -> None:
        self.c = c
        self.embedding_weight = embedding_weight
        self.embeddings = embeddings if embeddings is not None else default_embeddings()
        self.word_weights: dict[str, float] = {}
        self.default_word_weight = 1.0
        self.dense_weights = np.zeros((0, 0), dtype=np.float32)
        """Embedding dimension x class weights of the linear layer."""
        self.encoder = (encoder if encoder is not None else default_encoder()) if use_encoder else None
        self.encoder_weights = np.zeros((0, 0), dtype=np.float32)
        """Sentence-vector dimension x class weights of the contextual layer (empty: no layer)."""
        self.encoder_intercepts = np.zeros(0, dtype=np.float32)
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
        self._layout_cache: tuple[Any, ...] | None = None
        self._fits = 0

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
            self._fit_contextual(all_texts, all_labels)
        rng = random.Random(seed)
        by_intent: dict[str, list[str]] = {}
        for text, label in zip(all_texts, all_labels, strict=True):
            if label != OOS_LABEL:
                by_intent.setdefault(label, []).append(text)
        for intent, examples in by_intent.items():
            if len(examples) > MAX_EXAMPLES_PER_INTENT:
                examples = rng.sample(examples, MAX_EXAMPLES_PER_INTENT)
            self.memory.add(intent, examples)
        self._fits += 1
        self.training_seconds = time.perf_counter() - started
        return self

    def _fit_contextual(self, texts: list[str], labels: list[str]) -> None:
        """The logistic regression over sentence vectors, in ``classes`` order."""
        self.encoder_weights = np.zeros((0, 0), dtype=np.float32)
        self.encoder_intercepts = np.zeros(0, dtype=np.float32)
        if self.encoder is None:
            return
        # Balanced like the linear layer: with a few examples per intent, the big
        # out-of-scope class would win (HWU64 one-shot: 24 % unbalanced, 41 % balanced).
        regression = LogisticRegression(C=ENCODER_C, max_iter=500, class_weight="balanced")
        regression.fit(self.encoder.matrix(texts), labels)
        if [str(c) for c in regression.classes_] != self.classes:
            return
        coef, intercept = regression.coef_, regression.intercept_
        if len(self.classes) == 2:  # one logit for the second class against the first
            coef, intercept = np.vstack([np.zeros_like(coef), coef]), np.r_[0.0, intercept]
        self.encoder_weights = np.ascontiguousarray(coef.T, dtype=np.float32)
        self.encoder_intercepts = np.asarray(intercept, dtype=np.float32)

    def __getstate__(self) -> dict[str, object]:
        """Pickle without the shared embedding table and encoder (reloaded from their files)."""
        state = dict(self.__dict__)
        state["embeddings"] = None
        state["_shared_embeddings"] = self.embeddings is default_embeddings()
        state["encoder"] = None
        state["_shared_encoder"] = self.encoder is not None and self.encoder is default_encoder()
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        shared = bool(state.pop("_shared_embeddings", False))
        shared_encoder = bool(state.pop("_shared_encoder", False))
        self.__dict__.update(state)
        if shared:
            self.embeddings = default_embeddings()
        if shared_encoder:
            self.encoder = default_encoder()

    def add_examples(self, intent: str, texts: Sequence[str]) -> None:
        """Teach examples now (example memory only; the linear layer learns them at the next fit)."""
        self.removed.discard(intent)
        self.memory.add(intent, [t.lower() for t in texts])

    def remove_intent(self, intent: str) -> None:
        """Stop predicting an intent until the next fit."""
        self.memory.remove(intent)
        self.removed.add(intent)

    @property
    def uses_encoder(self) -> bool:
        return self.encoder is not None and self.encoder_weights.shape[1:] == (len(self.classes),)

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

    def rank(self, text: str, limit: int | None = None) -> list[tuple[str | None, float]]:
        """Intents (None = out of scope) with confidences 0..1, best first."""
        scores = self.scores(text)
        if limit:
            return heapq.nlargest(limit, scores.items(), key=itemgetter(1))
        return sorted(scores.items(), key=itemgetter(1), reverse=True)

    def scores(self, text: str) -> dict[str | None, float]:
        """Confidence 0..1 of every intent (None = out of scope), unordered."""
        labels, values = self.score_vector(text)
        return dict(zip(labels, values.tolist(), strict=True))

    def score_vector(self, text: str) -> tuple[list[str | None], np.ndarray]:
        """Labels (None = out of scope) and their confidences, as one array (no per-intent Python).

        Linear intents score ``(1 - w) * p_linear + w * similarity``, memory-only intents the
        similarity, the out-of-scope class its probability. When the best score is below
        ``ENCODER_THRESHOLD``, ``p_linear`` is recomputed with the contextual layer's logits.
        """
        fast = self.fast_scores(text)
        scores = self.contextual_scores(fast) if self.asks_contextual(fast.scores) else fast.scores
        return fast.labels, scores

    def fast_scores(self, text: str) -> FastScores:
        """The scores without the contextual layer (what :meth:`score_vector` starts from)."""
        text = text.lower()
        indices, values = self.features.vector(text)
        similar = self.memory.similarity_vector(indices, values)
        labels, linear_at, memory_at, linear_w, memory_w = self._layout()
        memory_scores = (
            memory_w * np.append(similar, 0.0)[memory_at] if similar is not None else np.zeros(len(labels))
        )
        if not self.classes:
            return FastScores(text, labels, memory_scores, None, memory_scores, linear_at, linear_w)
        logits = self.temperature * self.margins(indices, values, self.sentence_vector(text))
        scores = memory_scores + linear_w * self._softmax(logits)[linear_at]
        return FastScores(text, labels, scores, logits, memory_scores, linear_at, linear_w)

    def asks_contextual(self, scores: np.ndarray) -> bool:
        """Whether the fast scores are unsure enough to ask the contextual layer."""
        return self.uses_encoder and len(scores) > 0 and float(scores.max()) < ENCODER_THRESHOLD

    def contextual_scores(self, fast: FastScores) -> np.ndarray:
        """The scores with the contextual layer's logits mixed into the linear layer's."""
        if fast.logits is None or not self.uses_encoder:
            return fast.scores
        assert self.encoder is not None
        second = self.encoder.vector(fast.text) @ self.encoder_weights + self.encoder_intercepts
        logits = (1 - ENCODER_WEIGHT) * fast.logits + ENCODER_WEIGHT * second
        return fast.memory_scores + fast.linear_w * self._softmax(logits)[fast.linear_at]

    @staticmethod
    def _softmax(logits: np.ndarray) -> np.ndarray:
        """Probabilities, with a trailing 0 for labels the linear layer lacks (index -1)."""
        probabilities = np.exp(logits - logits.max())
        return np.append(probabilities / probabilities.sum(), 0.0)

    def label_index(self) -> dict[str | None, int]:
        """Label -> position in :meth:`score_vector`."""
        return self._layout_cache[6] if self._layout_cache is not None else {}

    def _layout(self) -> tuple[list[str | None], np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Where each label's linear probability and memory similarity are (-1: absent), and weights."""
        present = self.memory.present
        key = (self._fits, self.memory.version, len(self.removed))
        if self._layout_cache is None or self._layout_cache[0] != key:
            weight = self.memory_weight
            linear = {c: i for i, c in enumerate(self.classes)}
            memory = {c: i for i, c in enumerate(present)}
            names = [c for c in self.classes if c not in self.removed]
            names += [c for c in present if c not in linear and c not in self.removed]
            labels: list[str | None] = [None if c == OOS_LABEL else c for c in names]
            linear_at = np.array([linear.get(c, -1) for c in names], dtype=np.int64)
            memory_at = np.array([memory.get(c, -1) if c != OOS_LABEL else -1 for c in names], dtype=np.int64)
            linear_w = np.array([1.0 if c == OOS_LABEL else 1 - weight for c in names])
            memory_w = np.where(linear_at >= 0, weight, 1.0)
            index = {label: i for i, label in enumerate(labels)}
            self._layout_cache = (key, labels, linear_at, memory_at, linear_w, memory_w, index)
        _, labels, linear_at, memory_at, linear_w, memory_w, _ = self._layout_cache
        return labels, linear_at, memory_at, linear_w, memory_w
