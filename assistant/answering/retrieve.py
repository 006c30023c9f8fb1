"""Question -> scored passages: dense (Chroma), BM25 (index/lexical.py), sentence-level dense
search and heading match, fused by reciprocal rank."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from assistant.errors import InputError
from assistant.index.lexical import Lexical
from assistant.index.store import Store
from assistant.settings import Settings
from assistant.text import content_terms
from assistant.types import Chunk, Passage

MAX_K = 50  # the most passages one retrieval returns (top_k's upper bound)

Embed = Callable[[str], np.ndarray]


def rrf(rankings: Sequence[Sequence[str]], k: int) -> dict[str, float]:
    """Reciprocal rank fusion: sum of 1 / (k + rank) over the rankings an id appears in."""
    fused: dict[str, float] = {}
    for ranking in rankings:
        for rank, cid in enumerate(ranking, start=1):
            fused[cid] = fused.get(cid, 0.0) + 1.0 / (k + rank)
    return fused


def heading_ranking(query: str, chunks: Sequence[Chunk]) -> list[str]:
    """Candidates whose own heading states the question (FAQ entries, titled sections)."""
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
    """The hybrid retriever (implements assistant.types.Retriever)."""

    def __init__(
        self, settings: Settings, store: Store, embed: Embed, lexical: Lexical | None = None
    ) -> None:
        self.settings = settings
        self.store = store
        self.embed = embed
        self.lexical = lexical or Lexical(settings.data_dir / "bm25" / settings.collection)

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
        if k is not None and not 1 <= k <= MAX_K:  # 0 meant the default, -5 all but five
            raise InputError(f"k (passages to return) must be between 1 and {MAX_K}; got {k}.")
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
