"""The pipelines an eval run compares, all over the same Chroma collection and embeddings.

- "hybrid": the assistant as configured (dense + BM25 + sentence-dense + heading match, RRF).
- "dense-llamaindex": LlamaIndex's default VectorStoreIndex retriever over our chunk
  collection (ChromaVectorStore); our records carry no ``_node_content`` metadata, so
  ChromaVectorStore rebuilds plain TextNodes with the Chroma id and document text.
- "bm25": BM25 only (our bm25s index, the ``bm25`` retriever mode).

Each reference pipeline is a sibling Assistant that shares the embedder and the Store and
differs only in its retriever, so the answer path after retrieval is identical.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from assistant.answering.retrieve import rrf
from assistant.facade import Assistant
from assistant.index.embeddings import local_embedding
from assistant.types import Passage, Retriever

PIPELINES = ("hybrid", "dense-llamaindex", "bm25")


class LlamaIndexDense:
    """Dense retrieval through LlamaIndex's VectorStoreIndex default retriever."""

    def __init__(self, assistant: Assistant) -> None:
        from llama_index.core import VectorStoreIndex
        from llama_index.vector_stores.chroma import ChromaVectorStore

        self.settings = assistant.settings
        self.store = assistant.store
        self._embed = assistant.embed_query
        vector_store = ChromaVectorStore(chroma_collection=assistant.store.chunks())
        self.index = VectorStoreIndex.from_vector_store(
            vector_store, embed_model=local_embedding(assistant.embedder)
        )

    def retrieve_readings(
        self,
        queries: Sequence[str],
        k: int | None = None,
        mode: str | None = None,
        vectors: Sequence[np.ndarray] | None = None,
    ) -> list[Passage]:
        """Several readings of a follow-up: their result lists fused by reciprocal rank."""
        if len(queries) == 1:
            return self.retrieve(queries[0], k, mode, None if vectors is None else vectors[0])
        lists = [
            self.retrieve(q, k, mode, None if vectors is None else vectors[n])
            for n, q in enumerate(queries)
        ]
        fused = rrf([[p.chunk.id for p in ps] for ps in lists], self.settings.rrf_k)
        first = {p.chunk.id: p for ps in reversed(lists) for p in ps}
        top = sorted(fused, key=lambda cid: -fused[cid])[: k or self.settings.top_k]
        return [Passage(first[c].chunk, first[c].score, fused[c]) for c in top]

    def retrieve(
        self,
        query: str,
        k: int | None = None,
        mode: str | None = None,
        vector: np.ndarray | None = None,
    ) -> list[Passage]:
        from llama_index.core.schema import QueryBundle

        k = k or self.settings.top_k
        qvec = self._embed(query) if vector is None else vector
        retriever = self.index.as_retriever(similarity_top_k=k)
        nodes = retriever.retrieve(QueryBundle(query_str=query, embedding=qvec.tolist()))
        ids = [n.node.node_id for n in nodes]
        records = self.store.get(ids)
        out = []
        for rank, cid in enumerate(ids, start=1):
            if cid in records:
                chunk, vec = records[cid]
                cos = float(vec @ qvec) if vec.size else 0.0
                out.append(Passage(chunk=chunk, score=cos, fused=1.0 / rank))
        return out


def sibling(
    assistant: Assistant, component: Retriever | None = None, **overrides: Any
) -> Assistant:
    """An Assistant sharing the embedder and store, with other settings or another retriever."""
    settings = assistant.settings.model_copy(update=overrides) if overrides else assistant.settings
    return Assistant(
        settings, embedder=assistant.embedder, store=assistant.store, retriever=component
    )


def build(assistant: Assistant) -> dict[str, Assistant]:
    return {
        "hybrid": assistant,
        "dense-llamaindex": sibling(assistant, component=LlamaIndexDense(assistant)),
        "bm25": sibling(assistant, retriever="bm25"),
    }
