"""The only module that talks to Chroma: embedded (PersistentClient) or a server (HttpClient).

Two collections share a prefix: ``<prefix>_chunks`` holds passages with their embeddings, and
``<prefix>_sentences`` holds each passage's sentences with theirs, so answering scores
sentences without embedding them at question time. Both use cosine space and no Chroma
embedding function (Chroma's default one downloads a model; we always pass vectors).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from assistant.errors import IndexMissingError, StoreError
from assistant.settings import Settings
from assistant.types import Chunk

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

_SPACE: Any = {"hnsw": {"space": "cosine"}}


def _in_chunks(ids: Sequence[str]) -> Any:
    """A where-filter on the sentences' chunk_id (typed Any: chroma's Where type is strict)."""
    return {"chunk_id": {"$in": list(ids)}}


@dataclass(frozen=True)
class StoredSentence:
    chunk_id: str
    position: int
    text: str
    vector: np.ndarray


def make_client(settings: Settings) -> ClientAPI:
    """Embedded client in DATA_DIR/chroma, or an HttpClient when a host is configured."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    try:
        if settings.chroma_host:
            headers = (
                {"Authorization": f"Bearer {settings.chroma_token}"}
                if settings.chroma_token
                else {}
            )
            return chromadb.HttpClient(
                host=settings.chroma_host,
                port=settings.chroma_port,
                ssl=settings.chroma_ssl,
                headers=headers,
                settings=chroma_settings,
            )
        path = settings.data_dir / "chroma"
        path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path), settings=chroma_settings)
    except StoreError:
        raise
    except Exception as exc:  # chromadb raises many types for "cannot connect / open"
        where = (
            f"the Chroma server at {settings.chroma_host}:{settings.chroma_port}"
            if settings.chroma_host
            else f"the data directory {settings.data_dir}"
        )
        raise StoreError(f"Cannot open {where}: {exc}") from None


class Store:
    """Chunks, sentences and an index version, behind a small typed API."""

    def __init__(self, settings: Settings, client: ClientAPI | None = None) -> None:
        self._settings = settings
        self._client = client or make_client(settings)
        self._chunks: Collection | None = None
        self._sentences: Collection | None = None

    # -- collections -------------------------------------------------------------------
    def _collection(self, suffix: str, create: bool) -> Collection:
        name = f"{self._settings.collection}_{suffix}"
        try:
            if create:
                return self._client.get_or_create_collection(
                    name,
                    configuration=_SPACE,
                    embedding_function=None,
                )
            return self._client.get_collection(name, embedding_function=None)
        except Exception as exc:
            if not create and "does not exist" in str(exc).lower():
                raise IndexMissingError(
                    "The index has not been built yet: run `python -m assistant ingest` first."
                ) from None
            raise StoreError(f"Chroma error on collection {name}: {exc}") from None

    def chunks(self, create: bool = False) -> Collection:
        if self._chunks is None:
            self._chunks = self._collection("chunks", create)
        return self._chunks

    def sentences(self, create: bool = False) -> Collection:
        if self._sentences is None:
            self._sentences = self._collection("sentences", create)
        return self._sentences

    def exists(self) -> bool:
        try:
            self.chunks()
        except IndexMissingError:
            return False
        return True

    # -- reading -----------------------------------------------------------------------
    def count(self) -> int:
        return int(self.chunks().count())

    def version(self) -> str:
        meta = self.chunks().metadata or {}
        return str(meta.get("version", ""))

    def ids_by_source(self) -> dict[str, set[str]]:
        """Every stored chunk id, grouped by source document."""
        out: dict[str, set[str]] = {}
        for ids, metas in self._pages(self.chunks(create=True), include=["metadatas"]):
            for cid, meta in zip(ids, metas, strict=True):
                out.setdefault(str((meta or {}).get("source", "")), set()).add(cid)
        return out

    def all_chunks(self) -> list[Chunk]:
        out: list[Chunk] = []
        for ids, metas, docs in self._pages(self.chunks(), include=["metadatas", "documents"]):
            out.extend(
                Chunk.from_record(i, d or "", dict(m or {}))
                for i, m, d in zip(ids, metas, docs, strict=True)
            )
        return out

    def get(self, ids: Sequence[str]) -> dict[str, tuple[Chunk, np.ndarray]]:
        """Chunks and their vectors by id (missing ids are simply absent)."""
        if not ids:
            return {}
        res = self.chunks().get(ids=list(ids), include=["metadatas", "documents", "embeddings"])
        embs = res.get("embeddings")
        out: dict[str, tuple[Chunk, np.ndarray]] = {}
        for n, cid in enumerate(res["ids"]):
            meta = dict((res["metadatas"] or [])[n] or {})
            text = (res["documents"] or [])[n] or ""
            vec = np.asarray(embs[n] if embs is not None else [], dtype=np.float32)
            out[cid] = (Chunk.from_record(cid, text, meta), vec)
        return out

    def query(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        """Nearest chunk ids with cosine similarity, best first."""
        col = self.chunks()
        n = min(k, col.count())
        if n == 0:
            return []
        res = col.query(query_embeddings=[vector.tolist()], n_results=n, include=["distances"])
        dists = (res.get("distances") or [[]])[0]
        return [(cid, 1.0 - float(d)) for cid, d in zip(res["ids"][0], dists, strict=True)]

    def query_sentences(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        """Chunk ids of the sentences nearest to a vector, with cosine, best first."""
        col = self.sentences()
        n = min(k, col.count())
        if n == 0:
            return []
        res = col.query(
            query_embeddings=[vector.tolist()], n_results=n, include=["metadatas", "distances"]
        )
        metas = (res.get("metadatas") or [[]])[0]
        dists = (res.get("distances") or [[]])[0]
        return [
            (str((m or {}).get("chunk_id", "")), 1.0 - float(d))
            for m, d in zip(metas, dists, strict=True)
        ]

    def sentences_for(self, chunk_ids: Sequence[str]) -> list[StoredSentence]:
        if not chunk_ids:
            return []
        res = self.sentences().get(
            where=_in_chunks(chunk_ids),
            include=["metadatas", "documents", "embeddings"],
        )
        embs = res.get("embeddings")
        out = []
        for n in range(len(res["ids"])):
            meta = (res["metadatas"] or [])[n] or {}
            out.append(
                StoredSentence(
                    chunk_id=str(meta.get("chunk_id", "")),
                    position=int(meta.get("position", 0)),  # type: ignore[arg-type]
                    text=(res["documents"] or [])[n] or "",
                    vector=np.asarray(embs[n] if embs is not None else [], dtype=np.float32),
                )
            )
        out.sort(key=lambda s: (s.chunk_id, s.position))
        return out

    # -- writing -----------------------------------------------------------------------
    def add(
        self,
        chunks: Sequence[Chunk],
        chunk_vectors: np.ndarray,
        sentences: Sequence[tuple[str, int, str]],
        sentence_vectors: np.ndarray,
    ) -> None:
        """Upsert chunks first, then their sentences (ids are content hashes: idempotent)."""
        col, scol = self.chunks(create=True), self.sentences(create=True)
        step = self._batch()
        for i in range(0, len(chunks), step):
            part = chunks[i : i + step]
            col.upsert(
                ids=[c.id for c in part],
                documents=[c.text for c in part],
                metadatas=[c.metadata() for c in part],
                embeddings=chunk_vectors[i : i + step],
            )
        for i in range(0, len(sentences), step):
            part_s = sentences[i : i + step]
            scol.upsert(
                ids=[f"{cid}:{pos}" for cid, pos, _ in part_s],
                documents=[text for _, _, text in part_s],
                metadatas=[{"chunk_id": cid, "position": pos} for cid, pos, _ in part_s],
                embeddings=sentence_vectors[i : i + step],
            )

    def delete(self, chunk_ids: Iterable[str]) -> None:
        """Delete sentences before their chunks, so no sentence outlives its passage."""
        ids = list(chunk_ids)
        step = self._batch()
        scol, col = self.sentences(create=True), self.chunks(create=True)
        for i in range(0, len(ids), step):
            part = ids[i : i + step]
            scol.delete(where=_in_chunks(part))
            col.delete(ids=part)

    def set_version(self, version: str) -> None:
        col = self.chunks(create=True)
        meta = {k: v for k, v in (col.metadata or {}).items() if not k.startswith("hnsw:")}
        meta["version"] = version
        col.modify(metadata=meta)

    # -- helpers -----------------------------------------------------------------------
    def _batch(self) -> int:
        try:
            return max(1, min(5000, int(self._client.get_max_batch_size())))
        except Exception:
            return 1000

    def _pages(self, col: Collection, include: list[str]) -> Iterable[Any]:
        """Page through a whole collection (large collections exceed one response)."""
        offset, step = 0, 10000
        while True:
            res = col.get(include=include, limit=step, offset=offset)  # type: ignore[arg-type]
            if not res["ids"]:
                return
            if include == ["metadatas"]:
                yield res["ids"], res["metadatas"]
            else:
                yield res["ids"], res["metadatas"], res["documents"]
            if len(res["ids"]) < step:
                return
            offset += step
