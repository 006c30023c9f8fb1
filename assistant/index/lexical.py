"""The lexical (BM25) index: a cache of the store's chunks, saved under DATA_DIR/bm25 and keyed
by the store's version, so every process (CLI, UI, a reader during an ingest) notices a new
index by itself and rebuilds only when the version moved.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.index.store import Store
from assistant.text import _stemmer
from assistant.types import Chunk


def _tokenize(texts: list[str]) -> Any:
    import bm25s

    return bm25s.tokenize(texts, stopwords="en", stemmer=_stemmer(), show_progress=False)


def lexical_text(chunk: Chunk) -> str:
    return f"{chunk.title}\n{chunk.section}\n{chunk.text}"


class Lexical:
    """A bm25s index over every chunk, persisted next to the store."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._version: str | None = None
        self._model: Any = None
        self._ids: list[str] = []
        self._lock = threading.Lock()

    def build(self, chunks: Sequence[Chunk], version: str) -> None:
        import bm25s

        model = bm25s.BM25()
        if chunks:
            model.index(_tokenize([lexical_text(c) for c in chunks]), show_progress=False)
        ids = [c.id for c in chunks]
        self.root.parent.mkdir(parents=True, exist_ok=True)
        self._model, self._ids, self._version = (model if chunks else None), ids, version
        try:
            tmp = Path(tempfile.mkdtemp(dir=self.root.parent, prefix=".bm25-"))
        except OSError:  # a full or read-only disk: this process serves the index from memory
            return
        try:
            if chunks:
                model.save(str(tmp))
            (tmp / "ids.json").write_text(json.dumps({"version": version, "ids": ids}))
        except OSError:  # nothing half-written is left; the next process builds it again
            shutil.rmtree(tmp, ignore_errors=True)
            return
        old = self.root.with_name(self.root.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if self.root.exists():
            os.replace(self.root, old)
        os.replace(tmp, self.root)
        shutil.rmtree(old, ignore_errors=True)

    def ensure(self, store: Store) -> None:
        """Load the saved index, or rebuild it, when the store's version moved."""
        version = store.version()
        if version == self._version:
            return
        with self._lock:
            if version == self._version:
                return
            if not self._load(version):
                self.build(store.all_chunks(), version)

    def _load(self, version: str) -> bool:
        import bm25s

        try:
            meta = json.loads((self.root / "ids.json").read_text())
            if meta.get("version") != version:
                return False
            ids = list(meta["ids"])
            model = bm25s.BM25.load(str(self.root)) if ids else None
        except (OSError, ValueError, KeyError):
            return False
        self._model, self._ids, self._version = model, ids, version
        return True

    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        import bm25s

        if self._model is None or not self._ids:
            return []
        tokens = bm25s.tokenize(
            query, stopwords="en", stemmer=_stemmer(), return_ids=False, show_progress=False
        )
        if not tokens or not tokens[0]:
            return []
        k = min(k, len(self._ids))
        # n_threads=0 runs in this thread; 1 would start a thread pool per query (~1 ms)
        docs, scores = self._model.retrieve(tokens, k=k, show_progress=False, n_threads=0)
        return [
            (self._ids[int(d)], float(s)) for d, s in zip(docs[0], scores[0], strict=True) if s > 0
        ]
