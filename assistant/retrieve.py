"""Question -> scored passages: dense (Chroma) and BM25 (bm25s), fused by reciprocal rank.

The BM25 index is a cache of the store's chunks, saved under DATA_DIR/bm25 and keyed by the
store's version, so every process (CLI, UI, a reader during an ingest) notices a new index
by itself and rebuilds only when the version moved.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from assistant.settings import Settings
from assistant.store import Store
from assistant.types import Chunk, Passage

Embed = Callable[[str], np.ndarray]


def _tokenize(texts: list[str]) -> Any:
    import bm25s

    from assistant.text import _stemmer

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
        tmp = Path(tempfile.mkdtemp(dir=self.root.parent, prefix=".bm25-"))
        if chunks:
            model.save(str(tmp))
        (tmp / "ids.json").write_text(json.dumps({"version": version, "ids": ids}))
        old = self.root.with_name(self.root.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if self.root.exists():
            os.replace(self.root, old)
        os.replace(tmp, self.root)
        shutil.rmtree(old, ignore_errors=True)
        self._model, self._ids, self._version = (model if chunks else None), ids, version

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
        from assistant.text import _stemmer

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


def rrf(rankings: Sequence[Sequence[str]], k: int) -> dict[str, float]:
    """Reciprocal rank fusion: sum of 1 / (k + rank) over the rankings an id appears in."""
    fused: dict[str, float] = {}
    for ranking in rankings:
        for rank, cid in enumerate(ranking, start=1):
            fused[cid] = fused.get(cid, 0.0) + 1.0 / (k + rank)
    return fused


def heading_ranking(query: str, chunks: Sequence[Chunk]) -> list[str]:
    """Candidates whose own heading states the question (FAQ entries, titled sections)."""
    from assistant.text import content_terms

    # Domain words ("medical director") are in most headings here: they say nothing.
    q = set(content_terms(query, drop_domain=True))
    scored = []
    for c in chunks:
        h = set(content_terms(c.section.split(" > ")[-1], drop_domain=True))
        share = len(q & h) / len(q) if q else 0.0
        if share >= 0.5:
            scored.append((-share, c.id))
    return [cid for _, cid in sorted(scored)]


class Retriever:
    def __init__(self, settings: Settings, store: Store, embed: Embed) -> None:
        self.settings = settings
        self.store = store
        self.embed = embed
        self.lexical = Lexical(settings.data_dir / "bm25" / settings.collection)

    def retrieve(
        self,
        query: str,
        k: int | None = None,
        mode: str | None = None,
        vector: np.ndarray | None = None,
    ) -> list[Passage]:
        """Top-k passages for a query; each carries its cosine to the query and fused score."""
        return self.retrieve_readings([query], k, mode, None if vector is None else [vector])

    def retrieve_readings(
        self,
        queries: Sequence[str],
        k: int | None = None,
        mode: str | None = None,
        vectors: Sequence[np.ndarray] | None = None,
    ) -> list[Passage]:
        """Top-k passages for several readings of one question (a follow-up read with and
        without its context): every reading's rankings join one reciprocal-rank fusion.
        Scores are cosines to the first reading."""
        k = k or self.settings.top_k
        mode = mode or self.settings.retriever
        n = max(self.settings.candidate_k, k)
        qvecs = list(vectors) if vectors is not None else [self.embed(q) for q in queries]
        rankings: list[list[str]] = []
        cosines: dict[str, float] = {}
        for query, qvec in zip(queries, qvecs, strict=True):
            rankings += self._rankings(query, qvec, mode, n, cosines if not rankings else {})
        candidates = list(dict.fromkeys(cid for ranking in rankings for cid in ranking))
        records = self.store.get(candidates)
        if mode == "hybrid":
            chunks = [records[c][0] for c in candidates if c in records]
            rankings += [heading_ranking(query, chunks) for query in queries]
        fused = rrf(rankings, self.settings.rrf_k)
        top = sorted(fused, key=lambda cid: (-fused[cid], -cosines.get(cid, 0.0), cid))
        out = []
        for cid in top:
            if cid not in records:
                continue  # deleted by a concurrent ingest between the two calls
            chunk, vec = records[cid]
            cos = cosines.get(cid)
            if cos is None:
                cos = float(vec @ qvecs[0]) if vec.size else 0.0
            out.append(Passage(chunk=chunk, score=cos, fused=fused[cid]))
            if len(out) == k:
                break
        return out

    def _rankings(
        self, query: str, qvec: np.ndarray, mode: str, n: int, cosines: dict[str, float]
    ) -> list[list[str]]:
        rankings: list[list[str]] = []
        if mode in ("hybrid", "dense"):
            dense = self.store.query(qvec, n)
            cosines.update(dense)
            rankings.append([cid for cid, _ in dense])
        if mode in ("hybrid", "bm25"):
            self.lexical.ensure(self.store)
            rankings.append([cid for cid, _ in self.lexical.search(query, n)])
        if mode == "hybrid":
            # Sentence-level dense search finds the one sentence that answers; its passage
            # joins the fusion as a third ranking.
            by_sentence: list[str] = []
            for cid, _ in self.store.query_sentences(qvec, 3 * n):
                if cid not in by_sentence:
                    by_sentence.append(cid)
            rankings.append(by_sentence[:n])
        return rankings
