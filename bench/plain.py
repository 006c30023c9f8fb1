"""The comparison pipeline: a plain LlamaIndex VectorStoreIndex over ChromaVectorStore.

Same chunks, same vectors, same embedding model for queries (assistant.index.embeddings.
local_embedding); the query engine runs with LlamaIndex's MockLLM (no LLM exists offline), so
its query time is the pipeline's own overhead — a real LLM would only add to it.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np


def build(
    path: Path, chunks: Sequence[Any], vectors: np.ndarray, embedder: Any
) -> tuple[Any, float]:
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from llama_index.core import StorageContext, VectorStoreIndex
    from llama_index.core.schema import TextNode
    from llama_index.vector_stores.chroma import ChromaVectorStore

    from assistant.index.embeddings import local_embedding

    client = chromadb.PersistentClient(
        path=str(path), settings=ChromaSettings(anonymized_telemetry=False)
    )
    col = client.get_or_create_collection(
        "plain", configuration={"hnsw": {"space": "cosine"}}, embedding_function=None
    )
    t0 = time.perf_counter()
    nodes = [
        TextNode(
            id_=c.id,
            text=c.text,
            metadata={"source": c.source, "title": c.title, "section": c.section},
            embedding=[float(x) for x in vec],
        )
        for c, vec in zip(chunks, vectors, strict=True)
    ]
    store = ChromaVectorStore(chroma_collection=col)
    index = VectorStoreIndex(
        nodes,
        storage_context=StorageContext.from_defaults(vector_store=store),
        embed_model=local_embedding(embedder),
        insert_batch_size=2048,
    )
    return index, time.perf_counter() - t0


def query_engine(index: Any, top_k: int = 5, llm: Any = None) -> tuple[Any, Any]:
    """Retriever and query engine; the engine answers with ``llm``, or MockLLM if None."""
    from llama_index.core.llms import MockLLM

    retriever = index.as_retriever(similarity_top_k=top_k)
    engine = index.as_query_engine(similarity_top_k=top_k, llm=llm or MockLLM(max_tokens=64))
    return retriever, engine
