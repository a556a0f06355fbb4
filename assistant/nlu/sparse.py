"""Sparse rows in compressed (CSR) form with numpy alone.

Understanding a request needs only a few sparse operations (stack rows, drop rows,
turn rows into columns); scipy.sparse would cost ~0.15 s of import and ~20 MB on every
start for them. Training converts to scipy (:meth:`SparseRows.to_scipy`), where the
solvers need it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class SparseRows:
    """``rows`` x ``columns`` values: row ``i`` holds ``data[indptr[i]:indptr[i+1]]``
    at columns ``indices[indptr[i]:indptr[i+1]]``."""

    data: np.ndarray
    indices: np.ndarray
    indptr: np.ndarray
    columns: int

    @classmethod
    def empty(cls, columns: int) -> SparseRows:
        return cls(np.zeros(0, np.float32), np.zeros(0, np.int64), np.zeros(1, np.int64), int(columns))

    @classmethod
    def from_rows(cls, rows: Sequence[tuple[np.ndarray, np.ndarray]], columns: int) -> SparseRows:
        """Build from (indices, values) pairs, one per row."""
        lengths = [len(indices) for indices, _ in rows]
        return cls(
            np.concatenate([v for _, v in rows]).astype(np.float32) if rows else np.zeros(0, np.float32),
            np.concatenate([i for i, _ in rows]).astype(np.int64) if rows else np.zeros(0, np.int64),
            np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
            int(columns),
        )

    @property
    def rows(self) -> int:
        return len(self.indptr) - 1

    @staticmethod
    def stack(blocks: Sequence[SparseRows], columns: int) -> SparseRows:
        """The rows of every block, in order."""
        if not blocks:
            return SparseRows.empty(columns)
        offsets = np.cumsum([0] + [len(b.data) for b in blocks[:-1]])
        indptr = np.concatenate([[0]] + [b.indptr[1:] + o for b, o in zip(blocks, offsets, strict=True)])
        return SparseRows(
            np.concatenate([b.data for b in blocks]),
            np.concatenate([b.indices for b in blocks]),
            indptr.astype(np.int64),
            int(columns),
        )

    def select(self, keep: np.ndarray) -> SparseRows:
        """Only the rows at positions ``keep`` (in that order)."""
        starts, ends = self.indptr[keep], self.indptr[np.asarray(keep) + 1]
        lengths = ends - starts
        total = int(lengths.sum())
        gather = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(total)
        return SparseRows(
            self.data[gather],
            self.indices[gather],
            np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
            self.columns,
        )

    def transposed(self) -> SparseRows:
        """Columns as rows (a CSC view of the same values)."""
        row_of = np.repeat(np.arange(self.rows, dtype=np.int64), np.diff(self.indptr))
        order = np.argsort(self.indices, kind="stable")
        counts = np.bincount(self.indices, minlength=self.columns)
        return SparseRows(
            self.data[order],
            row_of[order],
            np.concatenate([[0], np.cumsum(counts)]).astype(np.int64),
            self.rows,
        )

    def to_scipy(self) -> Any:
        """The same matrix as ``scipy.sparse.csr_matrix`` (for training only)."""
        from scipy import sparse

        return sparse.csr_matrix((self.data, self.indices, self.indptr), shape=(self.rows, self.columns))
