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
from collections import Counter, OrderedDict
from collections.abc import Mapping, Sequence
from importlib import resources
from operator import itemgetter
from typing import Any, NamedTuple

import numpy as np

from assistant.nlu.embeddings import StaticEmbeddings, default_embeddings, words_of
from assistant.nlu.encoder import SentenceEncoder, default_encoder
from assistant.nlu.features import TextFeatures
from assistant.nlu.sparse import SparseRows

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


DENSE_SHARE = 8
"""A feature in more than 1/DENSE_SHARE of the memory's examples (" th", "the") is kept as a
dense row: one dot product is cheaper than gathering its long sparse column, and such common
features made most of a similarity's cost (0.60 -> 0.32 ms with 500 taught commands)."""
DENSE_MAX_BYTES = 32_000_000
RECENT_TEXTS = 128
"""Texts whose fast scores are kept: a request said again ("what time is it"), and the
dialogue's second reading of the same words in one turn, cost no features or similarities."""


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
        self._blocks: list[SparseRows] = []
        self._row_labels: list[np.ndarray] = []
        self._by_feature: SparseRows | None = None
        self._dense_at = np.zeros(0, dtype=np.int64)
        """Feature -> its row in ``_dense`` (-1: looked up in ``_by_feature``)."""
        self._dense = np.zeros((0, 0), dtype=np.float32)
        self._starts = np.zeros(0, dtype=np.int64)
        self._present: list[str] = []
        self.version = 0
        """Goes up whenever the index is rebuilt (``present`` may have changed)."""

    def add(self, intent: str, texts: Sequence[str]) -> None:
        if not texts:
            return
        self.add_rows(intent, self.features.matrix(texts))

    def add_rows(self, intent: str, rows: SparseRows) -> None:
        """Add examples already turned into feature vectors."""
        if intent not in self.labels:
            self.labels.append(intent)
        self._blocks.append(rows)
        self._row_labels.append(np.full(rows.rows, self.labels.index(intent), dtype=np.int64))
        self._by_feature = None

    def remove(self, intent: str) -> None:
        if intent not in self.labels:
            return
        rows, labels = self.rows()
        keep = np.flatnonzero(labels != self.labels.index(intent))
        self._blocks = [rows.select(keep)] if len(keep) else []
        self._row_labels = [labels[keep]] if len(keep) else []
        self._by_feature = None

    def rows(self) -> tuple[SparseRows, np.ndarray]:
        """Every example's vector and the index of its label in ``labels``."""
        rows = SparseRows.stack(self._blocks, self.features.size)
        labels = np.concatenate(self._row_labels) if self._row_labels else np.zeros(0, np.int64)
        self._blocks, self._row_labels = ([rows], [labels]) if len(labels) else ([], [])
        return rows, labels

    def _index(self) -> SparseRows:
        if self._by_feature is None:
            self.version += 1
            rows, labels = self.rows()
            # Rows grouped by label, so the best per intent is one reduceat.
            order = np.argsort(labels, kind="stable")
            sorted_labels = labels[order]
            self._starts = (
                np.flatnonzero(np.r_[True, sorted_labels[1:] != sorted_labels[:-1]])
                if len(labels)
                else self._starts[:0]
            )
            self._present = [self.labels[int(sorted_labels[s])] for s in self._starts]
            by_feature = rows.select(order).transposed()
            self._split_common(by_feature)
            self._by_feature = by_feature
        return self._by_feature

    def _split_common(self, by_feature: SparseRows) -> None:
        """Copy the columns of the commonest features into dense rows (see DENSE_SHARE)."""
        examples = by_feature.columns
        counts = np.diff(by_feature.indptr)
        common = np.flatnonzero(counts > examples / DENSE_SHARE)
        if examples and len(common) * examples * 4 > DENSE_MAX_BYTES:
            common = np.sort(common[np.argsort(-counts[common])][: DENSE_MAX_BYTES // (examples * 4)])
        self._dense = np.zeros((len(common), examples), dtype=np.float32)
        for row, feature in enumerate(common):
            start, end = by_feature.indptr[feature], by_feature.indptr[feature + 1]
            self._dense[row, by_feature.indices[start:end]] = by_feature.data[start:end]
        self._dense_at = np.full(len(counts), -1, dtype=np.int64)
        self._dense_at[common] = np.arange(len(common))

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
        by example): scipy's fancy indexing alone costs ~0.5 ms per call. Common features
        come from dense rows instead.
        """
        by_feature = self._index()
        if by_feature.columns == 0 or len(indices) == 0:
            return None
        dense_rows = self._dense_at[indices]
        in_dense = dense_rows >= 0
        sparse, sparse_values = indices[~in_dense], values[~in_dense]
        starts = by_feature.indptr[sparse]
        lengths = by_feature.indptr[sparse + 1] - starts
        total = int(lengths.sum())
        if total == 0 and not in_dense.any():
            return None
        offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(total)
        weights = np.repeat(sparse_values, lengths) * by_feature.data[offsets]
        scores = np.bincount(by_feature.indices[offsets], weights=weights, minlength=by_feature.columns)
        if in_dense.any():
            scores = scores + values[in_dense] @ self._dense[dense_rows[in_dense]]
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
        self._encoder = encoder
        self._encoder_wanted = use_encoder
        self._encoder_looked_up = encoder is not None or not use_encoder
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
        self._recent: OrderedDict[str, FastScores] = OrderedDict()
        self._recent_key: tuple[int, int, int] | None = None

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
        # Imported here: training is rare, and scikit-learn and scipy cost seconds to import.
        from scipy import sparse
        from sklearn.svm import LinearSVC

        self.features = TextFeatures()
        matrix = self.features.fit_matrix(all_texts or [""]).to_scipy()
        self.word_weights, self.default_word_weight = word_idf(all_texts)
        dense = self.sentence_vectors(all_texts or [""])
        if dense is not None:
            matrix = sparse.hstack([matrix, sparse.csr_matrix(dense * self.embedding_weight)]).tocsr()
        self.memory = ExampleMemory(self.features)
        self.removed = set()
        self.classes = []
        if len(set(all_labels)) >= 2:
            # Balanced: few-shot intents against the big out-of-scope class.
            classifier = LinearSVC(C=self.c, class_weight="balanced", random_state=seed)
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
        from sklearn.linear_model import LogisticRegression

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

    def settings(self) -> dict[str, Any]:
        """The choices a fit depends on (besides its data)."""
        return {
            "c": self.c,
            "temperature": self.temperature,
            "memory_weight": self.memory_weight,
            "use_background": self.use_background,
            "embedding_weight": self.embedding_weight,
            "use_embeddings": self.embeddings is not None,
            "use_encoder": self._encoder_wanted,
        }

    def blank(self) -> IntentModel:
        """A new, unfitted model with the same settings, embedding table and encoder."""
        return IntentModel(
            c=self.c,
            temperature=self.temperature,
            memory_weight=self.memory_weight,
            use_background=self.use_background,
            embedding_weight=self.embedding_weight,
            embeddings=self.embeddings,
            encoder=self._encoder,
            use_encoder=self._encoder_wanted,
        )

    @property
    def encoder(self) -> SentenceEncoder | None:
        """The contextual encoder, loaded on first use (its ONNX session costs ~0.3 s and
        ~60 MB, and most requests never need it)."""
        if not self._encoder_looked_up:
            self._encoder = default_encoder()
            self._encoder_looked_up = True
        return self._encoder

    def state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        """Everything fitted, as JSON-able settings and plain arrays (see :meth:`from_state`).

        The shared embedding table and encoder are not part of it: they come from their own
        files when the model is read back.
        """
        rows, row_labels = self.memory.rows()
        grams = sorted(self.features.vocabulary, key=self.features.vocabulary.__getitem__)
        words = list(self.word_weights)
        settings = {
            **self.settings(),
            "classes": self.classes,
            "default_word_weight": self.default_word_weight,
            "word_count": self.features.word_count,
            "memory_labels": self.memory.labels,
            "removed": sorted(self.removed),
            "training_seconds": self.training_seconds,
        }
        arrays = {
            "gram_kinds": np.array([kind == "c" for kind, _ in grams], dtype=np.bool_),
            "grams": _joined([gram for _, gram in grams]),
            "idf": self.features.idf,
            "words": _joined(words),
            "word_weights": np.array([self.word_weights[w] for w in words], dtype=np.float32),
            "weights": self.weights,
            "dense_weights": self.dense_weights,
            "intercepts": self.intercepts,
            "encoder_weights": self.encoder_weights,
            "encoder_intercepts": self.encoder_intercepts,
            "memory_data": rows.data,
            "memory_indices": rows.indices,
            "memory_indptr": rows.indptr,
            "memory_row_labels": row_labels,
        }
        return settings, arrays

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> IntentModel:
        """A blank model with the choices of :meth:`settings` (shared embedding table and encoder)."""
        return cls(
            c=float(settings["c"]),
            temperature=float(settings["temperature"]),
            memory_weight=float(settings["memory_weight"]),
            use_background=bool(settings["use_background"]),
            embedding_weight=float(settings["embedding_weight"]),
            use_encoder=bool(settings["use_encoder"]),
        )

    @classmethod
    def from_state(cls, settings: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> IntentModel:
        """The model :meth:`state` described; raises ValueError when the pieces do not fit."""
        try:
            model = cls.from_settings(settings)
            model.classes = [str(c) for c in settings["classes"]]
            model.default_word_weight = float(settings["default_word_weight"])
            model.training_seconds = float(settings["training_seconds"])
            model.removed = {str(r) for r in settings["removed"]}
            grams = _split(arrays["grams"])
            kinds = arrays["gram_kinds"]
            if len(grams) != len(kinds) or len(grams) != len(arrays["idf"]):
                raise ValueError("the feature vocabulary and its weights differ in length")
            pairs = enumerate(zip(kinds.tolist(), grams, strict=True))
            model.features.use(
                {("c" if kind else "w", gram): i for i, (kind, gram) in pairs},
                np.asarray(arrays["idf"], dtype=np.float32),
                int(settings["word_count"]),
            )
            words = _split(arrays["words"])
            model.word_weights = dict(zip(words, arrays["word_weights"].tolist(), strict=True))
            model.weights = np.ascontiguousarray(arrays["weights"], dtype=np.float32)
            model.dense_weights = np.ascontiguousarray(arrays["dense_weights"], dtype=np.float32)
            model.intercepts = np.asarray(arrays["intercepts"], dtype=np.float32)
            model.encoder_weights = np.ascontiguousarray(arrays["encoder_weights"], dtype=np.float32)
            model.encoder_intercepts = np.asarray(arrays["encoder_intercepts"], dtype=np.float32)
            classes = len(model.classes)
            if model.classes and (
                model.weights.shape != (len(grams), classes) or model.intercepts.shape != (classes,)
            ):
                raise ValueError("the linear layer does not fit the vocabulary and classes")
            model.memory = ExampleMemory(model.features)
            labels = [str(label) for label in settings["memory_labels"]]
            rows = SparseRows(
                np.asarray(arrays["memory_data"], dtype=np.float32),
                np.asarray(arrays["memory_indices"], dtype=np.int64),
                np.asarray(arrays["memory_indptr"], dtype=np.int64),
                len(grams),
            )
            row_labels = np.asarray(arrays["memory_row_labels"], dtype=np.int64)
            if rows.rows != len(row_labels) or (len(row_labels) and int(row_labels.max()) >= len(labels)):
                raise ValueError("the example memory does not fit its labels")
            if len(rows.indices) and int(rows.indices.max()) >= len(grams):
                raise ValueError("the example memory does not fit the vocabulary")
            for code, intent in enumerate(labels):
                keep = np.flatnonzero(row_labels == code)
                model.memory.labels.append(intent)
                if len(keep):
                    model.memory.add_rows(intent, rows.select(keep))
        except (KeyError, TypeError) as error:
            raise ValueError(f"an incomplete model ({error})") from error
        model._fits = 1
        return model

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
        return (
            self._encoder_wanted
            and self.encoder_weights.shape[1:] == (len(self.classes),)
            and (not self._encoder_looked_up or self._encoder is not None)
        )

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
        """The scores without the contextual layer (what :meth:`score_vector` starts from);
        those of the last RECENT_TEXTS texts are kept, read-only, until the model changes."""
        text = text.lower()
        labels, linear_at, memory_at, linear_w, memory_w = self._layout()
        key = (self._fits, self.memory.version, len(self.removed))  # as of _layout's index
        if self._recent_key != key:
            self._recent.clear()
            self._recent_key = key
        found = self._recent.get(text)
        if found is not None:
            self._recent.move_to_end(text)
            return found
        fast = self._fast_scores(text, labels, linear_at, memory_at, linear_w, memory_w)
        for array in (fast.scores, fast.logits, fast.memory_scores):
            if array is not None:
                array.flags.writeable = False
        self._recent[text] = fast
        if len(self._recent) > RECENT_TEXTS:
            self._recent.popitem(last=False)
        return fast

    def _fast_scores(
        self,
        text: str,
        labels: list[str | None],
        linear_at: np.ndarray,
        memory_at: np.ndarray,
        linear_w: np.ndarray,
        memory_w: np.ndarray,
    ) -> FastScores:
        indices, values = self.features.vector(text)
        similar = self.memory.similarity_vector(indices, values)
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
        encoder = self.encoder if self.uses_encoder else None
        if fast.logits is None or encoder is None:
            return fast.scores
        second = encoder.vector(fast.text) @ self.encoder_weights + self.encoder_intercepts
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


def _joined(texts: Sequence[str]) -> np.ndarray:
    """Strings as one UTF-8 byte array (newline-separated; none of ours holds a newline)."""
    joined = "\n".join(texts)
    if joined.count("\n") != max(0, len(texts) - 1):
        raise ValueError("a feature name holds a newline")
    return np.frombuffer(joined.encode("utf-8"), dtype=np.uint8).copy()


def _split(joined: np.ndarray) -> list[str]:
    text = bytes(np.asarray(joined, dtype=np.uint8)).decode("utf-8")
    return text.split("\n") if text else []
