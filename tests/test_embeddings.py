"""The ONNX embedder reproduces sentence-transformers' vectors without importing torch."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from assistant.index.embeddings import OnnxEmbedder, ensure_onnx_model
from tests.conftest import MODEL_CACHE, ROOT

REFERENCE = json.loads((Path(__file__).parent / "data" / "reference_vectors.json").read_text())


@pytest.fixture(scope="module")
def embedder() -> OnnxEmbedder:
    return OnnxEmbedder(ensure_onnx_model(MODEL_CACHE))


def test_matches_sentence_transformers(embedder: OnnxEmbedder) -> None:
    texts = [r["text"] for r in REFERENCE]
    ref = np.asarray([r["vector"] for r in REFERENCE], dtype=np.float32)
    got = embedder.embed(texts)
    cosines = (got * ref).sum(axis=1) / np.linalg.norm(ref, axis=1)
    assert cosines.min() >= 0.9999, dict(zip(texts, cosines.round(6), strict=True))


def test_batches_equal_single_texts(embedder: OnnxEmbedder) -> None:
    texts = [r["text"] for r in REFERENCE]
    batch = embedder.embed(texts)
    single = np.stack([embedder.embed([t])[0] for t in texts])
    assert np.allclose(batch, single, atol=1e-5)  # dynamic padding changes nothing


def test_unit_length_and_deterministic(embedder: OnnxEmbedder) -> None:
    a = embedder.embed(["quality assurance", "budget"])
    assert a.shape == (2, 384) and a.dtype == np.float32
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    assert np.array_equal(a, embedder.embed(["quality assurance", "budget"]))
    assert embedder.embed([]).shape == (0, 384)


def test_query_path_does_not_import_torch() -> None:
    code = (
        "import sys; from pathlib import Path; from assistant.index.embeddings import OnnxEmbedder;"
        f"e = OnnxEmbedder(Path({str(MODEL_CACHE / 'all-MiniLM-L6-v2.onnx')!r}));"
        "e.embed(['hello']);"
        "bad = [m for m in ('torch', 'transformers', 'sentence_transformers') if m in sys.modules];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_token_budget_batches_cover_every_text_once() -> None:
    e = OnnxEmbedder.__new__(OnnxEmbedder)  # only the batching rule, no model needed
    e.batch_size, e.max_batch_tokens = 4, 100
    lengths = [90, 5, 30, 5, 250, 40, 5, 5, 5, 30]
    batches = e._batches(lengths)
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    for b in batches:
        assert len(b) <= 4
        assert len(b) == 1 or len(b) * max(lengths[i] for i in b) <= 100
    assert [250] in [[lengths[i] for i in b] for b in batches]  # too long alone still runs


def test_mixed_lengths_match_single_texts(embedder: OnnxEmbedder) -> None:
    texts = [r["text"] for r in REFERENCE] + ["word " * 200, "short one"]
    tight = OnnxEmbedder(embedder.onnx_path, batch_size=32, max_batch_tokens=64)
    single = np.stack([embedder.embed([t])[0] for t in texts])
    assert np.allclose(tight.embed(texts), single, atol=1e-5)
