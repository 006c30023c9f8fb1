"""Deterministic synthetic knowledge at any size, and stand-in vectors for it.

Text: Markdown documents of 100 sections each; every section (one chunk) has a heading and
2-3 sentences drawn from the real knowledge base's vocabulary with Zipf-like weights, so
BM25 sees a realistic term distribution. Vectors: embedding 100k chunks plus their sentences
for real takes hours on 2 cores, so the store is filled with *perturbed real vectors* — real
embeddings of a sample, plus seeded noise, normalised — and the real embedding throughput is
measured separately on a sample. Queries are always embedded for real.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bench.util import ROOT

SECTIONS_PER_DOC = 100
_WORD = re.compile(r"[a-z]{3,}")


def vocabulary() -> list[str]:
    counts: dict[str, int] = {}
    for path in sorted((ROOT / "knowledge").glob("*.md")):
        for w in _WORD.findall(path.read_text().lower()):
            counts[w] = counts.get(w, 0) + 1
    return sorted(counts, key=lambda w: (-counts[w], w))


def _sentence(rng: np.random.Generator, vocab: list[str], weights: np.ndarray) -> str:
    n = int(rng.integers(9, 19))
    words = [vocab[i] for i in rng.choice(len(vocab), size=n, p=weights)]
    return " ".join(words).capitalize() + "."


def write_corpus(target: Path, chunks: int, seed: int = 7) -> list[str]:
    """Write ``chunks`` sections as Markdown files under ``target``; return sample questions."""
    vocab = vocabulary()
    ranks = np.arange(1, len(vocab) + 1, dtype=np.float64)
    weights = 1.0 / ranks**0.9
    weights /= weights.sum()
    rng = np.random.default_rng(seed)
    target.mkdir(parents=True, exist_ok=True)
    questions: list[str] = []
    docs = (chunks + SECTIONS_PER_DOC - 1) // SECTIONS_PER_DOC
    made = 0
    for d in range(docs):
        parts = [f"---\ntitle: Synthetic handbook {d}\n---\n# Synthetic handbook {d}\n"]
        for s in range(min(SECTIONS_PER_DOC, chunks - made)):
            heading = " ".join(vocab[i] for i in rng.choice(len(vocab), 4, p=weights)).title()
            body = " ".join(_sentence(rng, vocab, weights) for _ in range(int(rng.integers(2, 4))))
            parts.append(f"## {heading} {d}-{s}\n\n{body}\n")
            if rng.random() < 0.02 and len(questions) < 200:
                words = body.split()[:12]
                questions.append("What about " + " ".join(words).rstrip(".").lower() + "?")
            made += 1
        (target / f"handbook-{d:05d}.md").write_text("\n".join(parts))
    return questions


class PerturbedEmbedder:
    """Texts -> unit vectors near real embeddings of a sample (deterministic per text)."""

    def __init__(self, pool: np.ndarray, noise: float = 0.35) -> None:
        self.pool = pool.astype(np.float32)
        self.noise = noise

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        out = np.empty((len(texts), self.pool.shape[1]), dtype=np.float32)
        for i, text in enumerate(texts):
            h = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")
            rng = np.random.default_rng(h)
            v = self.pool[h % len(self.pool)] + self.noise * rng.standard_normal(
                self.pool.shape[1]
            ).astype(np.float32) / np.sqrt(self.pool.shape[1])
            out[i] = v / np.linalg.norm(v)
        return out
