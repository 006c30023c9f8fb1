"""The only module that talks to Chroma: embedded (PersistentClient) or a server (HttpClient).

Two collections share a prefix: ``<prefix>_chunks`` holds passages with their embeddings, and
``<prefix>_sentences`` holds each passage's sentences with theirs, so answering scores
sentences without embedding them at question time. Both use cosine space and no Chroma
embedding function (Chroma's default one downloads a model; we always pass vectors).
"""

from __future__ import annotations

import atexit
import itertools
import os
import shutil
import tempfile
import threading
import time
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from assistant.errors import IndexMissingError, StoreError
from assistant.settings import Settings
from assistant.text import split_sentences
from assistant.types import Chunk, Progress, StoredSentence

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

# ef_search: how many neighbours HNSW explores per query. Chroma's default (100) is too few
# for the 60 sentences a question asks for: results were approximate and differed from run
# to run (measured: the same query vector gave four different top-60 lists in four
# processes). At 256 they are exact on the knowledge base and the same every run.
EF_SEARCH = 256
_SPACE: Any = {"hnsw": {"space": "cosine", "ef_search": EF_SEARCH}}

# Up to this many records, a collection is searched exactly, in memory (its vectors loaded
# once per index version: 8 MB of float32 at the limit), instead of by Chroma’s HNSW index.
# HNSW is approximate: on this knowledge base (507 sentences, ef_search 256) it still missed
# a query's nearest sentence in some processes and not in others, so the same question got
# a different answer from one run to the next. Above the limit, HNSW is used.
EXACT_LIMIT = 5_000


class _Exact:
    """A collection's vectors for exact search, as of one index version."""

    def __init__(self, version: str, ids: list[str], owners: list[str], vectors: np.ndarray):
        self.version, self.ids, self.owners, self.vectors = version, ids, owners, vectors

    def nearest(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        """Row numbers of the k nearest vectors, with cosine, best first (ties by id)."""
        if not self.ids:
            return []
        sims = self.vectors @ np.asarray(vector, dtype=np.float32)
        k = min(k, len(self.ids))
        top = np.argpartition(-sims, k - 1)[:k] if k < len(self.ids) else np.arange(len(sims))
        hits = [(int(i), float(sims[i])) for i in top]
        return sorted(hits, key=lambda h: (-h[1], self.ids[h[0]]))


# How often a reader asks Chroma whether another process published a new index version.
REFRESH_SECONDS = 0.25
# How long a replaced embedded client stays open for calls that are still using it.
RETIRE_SECONDS = 60.0
_VIEWS = itertools.count(1)
_views_dir: Path | None = None
_views_lock = threading.Lock()


def _new_view(target: Path) -> Path:
    """A fresh symlink to the embedded store: a new path string is a new Chroma instance."""
    global _views_dir
    with _views_lock:
        if _views_dir is None:
            _views_dir = Path(tempfile.mkdtemp(prefix="md-assistant-chroma-"))
            atexit.register(shutil.rmtree, _views_dir, True)
        view = _views_dir / str(next(_VIEWS))
    view.symlink_to(target.resolve(), target_is_directory=True)
    return view


def _close_view(view: Path) -> None:
    """Stop the Chroma instance opened through ``view`` (only ours: its path is unique)."""
    try:
        from chromadb.api.shared_system_client import SharedSystemClient as Shared

        system = Shared._identifier_to_system.pop(str(view), None)
        Shared._identifier_to_refcount.pop(str(view), None)
        if system is not None:
            system.stop()
    except Exception:  # private chromadb API: leaking one instance is better than failing
        pass
    view.unlink(missing_ok=True)


def sentence_id(chunk_id: str, position: int) -> str:
    """A stored sentence's id: its passage and its place in ``split_sentences(passage)``."""
    return f"{chunk_id}:{position}"


def _in_chunks(ids: Sequence[str]) -> Any:
    """A where-filter on the sentences' chunk_id (typed Any: chroma's Where type is strict)."""
    return {"chunk_id": {"$in": list(ids)}}


def make_client(settings: Settings, path: Path | None = None) -> ClientAPI:
    """Embedded client in DATA_DIR/chroma (or ``path``), or an HttpClient for a server."""
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
            if settings.chroma_ca_file:  # a private CA / self-signed server certificate
                chroma_settings.chroma_server_ssl_verify = str(settings.chroma_ca_file)
            with warnings.catch_warnings():  # httpx deprecates verify=<path>; it still works
                warnings.simplefilter("ignore", DeprecationWarning)
                return chromadb.HttpClient(
                    host=settings.chroma_host,
                    port=settings.chroma_port,
                    ssl=settings.chroma_ssl,
                    headers=headers,
                    settings=chroma_settings,
                )
        if path is None:
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
        raise StoreError(f"Cannot open {where}: {exc}{_tls_reason(exc)}") from None


def _tls_reason(exc: BaseException) -> str:
    """Chroma reports a refused certificate as "could not connect": name the real cause."""
    import ssl

    seen: BaseException | None = exc
    for _ in range(10):
        if seen is None:
            break
        if isinstance(seen, ssl.SSLError) or "CERTIFICATE_VERIFY_FAILED" in str(seen):
            reason = getattr(seen, "verify_message", "") or getattr(seen, "reason", "") or seen
            return f" (TLS: {reason}; set ASSISTANT_CHROMA_CA_FILE for a private CA)"
        seen = seen.__cause__ or seen.__context__
    return ""


def _search_wide(col: Collection) -> None:
    """An index built before EF_SEARCH was set gets it at the writer's next open (it is a
    query-time setting that Chroma lets a collection change)."""
    try:
        hnsw = (col.configuration or {}).get("hnsw") or {}
        if hnsw.get("ef_search") != EF_SEARCH:
            col.modify(configuration={"hnsw": {"ef_search": EF_SEARCH}})
    except Exception:  # noqa: BLE001 - a server without it keeps its own setting
        return


class Store:
    """Chunks, sentences and an index version, behind a small typed API."""

    def __init__(self, settings: Settings, client: ClientAPI | None = None) -> None:
        self._settings = settings
        self._embedded = client is None and not settings.chroma_host
        self._client = client or make_client(settings)
        self._chunks: Collection | None = None
        self._sentences: Collection | None = None
        self._seen_version: str | None = None
        self._checked = 0.0
        self._view: Path | None = None
        self._retired: list[tuple[Path, float]] = []
        self._reopen_lock = threading.Lock()
        # by collection: (index version, its vectors, or None when too many for exact search)
        self._exact: dict[str, tuple[str, _Exact | None]] = {}

    # -- seeing other processes' writes ---------------------------------------------------
    def refresh(self, force: bool = False) -> None:
        """Notice an index published by another process (at most every REFRESH_SECONDS).

        A chromadb Collection caches its metadata, and an embedded client keeps serving the
        vector index it loaded; so the version is read from a fresh handle and, when another
        process moved it, the embedded client is reopened (through a new path alias, so other
        Store objects sharing the old instance are unaffected).
        """
        now = time.monotonic()
        if not force and now - self._checked < REFRESH_SECONDS:
            return
        self._checked = now
        fresh = self._collection("chunks", create=False)
        version = str((fresh.metadata or {}).get("version", ""))
        if self._embedded and self._seen_version not in (None, version):
            self._reopen()
        else:
            self._chunks = fresh
        self._seen_version = version

    def reopen_after_failure(self) -> None:
        """Drop the embedded Chroma instance after a write failed part-way (a full disk):
        its in-memory log state can keep failing ("Error purging logs") after space is freed,
        so the next write starts from what is on disk. A server client is left as it is."""
        if self._embedded:
            self._reopen()

    def _reopen(self) -> None:
        with self._reopen_lock:
            view = _new_view(self._settings.data_dir / "chroma")
            client = make_client(self._settings, path=view)
            old, self._view = self._view, view
            self._client, self._chunks, self._sentences = client, None, None
            now = time.monotonic()
            if old is not None:
                self._retired.append((old, now))
            keep = []
            for retired, since in self._retired:
                if now - since > RETIRE_SECONDS:
                    _close_view(retired)
                else:
                    keep.append((retired, since))
            self._retired = keep

    # -- collections -------------------------------------------------------------------
    def _collection(self, suffix: str, create: bool) -> Collection:
        name = f"{self._settings.collection}_{suffix}"
        try:
            if create:
                col = self._client.get_or_create_collection(
                    name,
                    configuration=_SPACE,
                    embedding_function=None,
                )
                _search_wide(col)
                return col
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
        """The published index version (a hash of every chunk id), as Chroma has it now."""
        self.refresh()
        return self._seen_version or ""

    def ids_by_source(self) -> dict[str, set[str]]:
        """Every stored chunk id, grouped by source document (the writer's first call: both
        collections are opened for writing, which also brings their search setting up to
        date)."""
        self.sentences(create=True)
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

    def _exact_index(self, suffix: str) -> _Exact | None:
        """The collection's vectors for exact search, or None when it is too large for it
        (loaded again when the index version moves)."""
        version = self.version()
        cached = self._exact.get(suffix)
        if cached is not None and cached[0] == version:
            return cached[1]
        col = self.chunks() if suffix == "chunks" else self.sentences()
        if col.count() > EXACT_LIMIT:
            self._exact[suffix] = (version, None)
            return None
        ids: list[str] = []
        owners: list[str] = []
        rows: list[Any] = []
        offset, step = 0, 10000
        while True:
            res = col.get(include=["metadatas", "embeddings"], limit=step, offset=offset)
            embs = res.get("embeddings")
            if not res["ids"] or embs is None:
                break
            for n, rid in enumerate(res["ids"]):
                ids.append(rid)
                meta = (res["metadatas"] or [])[n] or {}
                owners.append(str(meta.get("chunk_id", rid)))
                rows.append(embs[n])
            if len(res["ids"]) < step:
                break
            offset += step
        vectors = np.asarray(rows, dtype=np.float32).reshape(len(rows), -1) if rows else np.zeros(
            (0, 0), dtype=np.float32
        )  # an empty collection (a first ingest not yet written): nothing to find
        index = _Exact(version, ids, owners, vectors)
        self._exact[suffix] = (version, index)
        return index

    def query(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        """Nearest chunk ids with cosine similarity, best first."""
        exact = self._exact_index("chunks")
        if exact is not None:
            return [(exact.ids[i], sim) for i, sim in exact.nearest(vector, k)]
        # No count() first: it costs ~10 ms per call in Chroma 1.x (measured) and a query for
        # more results than stored simply returns fewer.
        col = self.chunks()
        res = col.query(query_embeddings=[vector.tolist()], n_results=k, include=["distances"])
        dists = (res.get("distances") or [[]])[0]
        hits = [(cid, 1.0 - float(d)) for cid, d in zip(res["ids"][0], dists, strict=True)]
        return sorted(hits, key=lambda h: (-h[1], h[0]))  # ties in a fixed order

    def query_sentences(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        """Chunk ids of the sentences nearest to a vector, with cosine, best first."""
        exact = self._exact_index("sentences")
        if exact is not None:
            return [(exact.owners[i], sim) for i, sim in exact.nearest(vector, k)]
        col = self.sentences()
        res = col.query(
            query_embeddings=[vector.tolist()], n_results=k, include=["metadatas", "distances"]
        )
        metas = (res.get("metadatas") or [[]])[0]
        dists = (res.get("distances") or [[]])[0]
        hits = [
            (str((m or {}).get("chunk_id", "")), 1.0 - float(d))
            for m, d in zip(metas, dists, strict=True)
        ]
        # A sentence repeated in two overlapping passages has the same vector: Chroma returns
        # such ties in no fixed order, so they are put in chunk-id order (same answer every run).
        return sorted(hits, key=lambda h: (-h[1], h[0]))

    def sentences_for(self, chunks: Sequence[Chunk]) -> list[StoredSentence]:
        """The stored sentences of these passages, in passage order.

        Looked up by id (``<chunk id>:<position>``, positions from the same splitter the
        ingest used, which the chunk id's recipe pins): at 100k passages a where-filter on
        chunk_id took 33 ms per question, the id lookup a few.
        """
        ids = [sentence_id(c.id, i) for c in chunks for i in range(len(split_sentences(c.text)))]
        if not ids:
            return []
        col, step = self.sentences(), self._batch()
        out = []
        for start in range(0, len(ids), step):
            res = col.get(
                ids=ids[start : start + step], include=["metadatas", "documents", "embeddings"]
            )
            embs = res.get("embeddings")
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
        progress: Progress | None = None,
    ) -> None:
        """Upsert sentences first, then their chunks (ids are content hashes: idempotent).

        A stored chunk therefore always has its sentences: an ingest killed half-way leaves at
        worst sentences without their chunk, which the next ingest writes again or sweeps.
        """
        scol, col = self.sentences(create=True), self.chunks(create=True)
        step = self._batch()
        total, done = len(sentences) + len(chunks), 0
        for i in range(0, len(sentences), step):
            part_s = sentences[i : i + step]
            scol.upsert(
                ids=[sentence_id(cid, pos) for cid, pos, _ in part_s],
                documents=[text for _, _, text in part_s],
                metadatas=[{"chunk_id": cid, "position": pos} for cid, pos, _ in part_s],
                embeddings=sentence_vectors[i : i + step],
            )
            done += len(part_s)
            if progress:
                progress("store", done, total)
        for i in range(0, len(chunks), step):
            part = chunks[i : i + step]
            col.upsert(
                ids=[c.id for c in part],
                documents=[c.text for c in part],
                metadatas=[c.metadata() for c in part],
                embeddings=chunk_vectors[i : i + step],
            )
            done += len(part)
            if progress:
                progress("store", done, total)

    def delete(self, chunk_ids: Iterable[str], progress: Progress | None = None) -> None:
        """Delete sentences before their chunks, so no sentence outlives its passage."""
        ids = list(chunk_ids)
        step = self._batch()
        scol, col = self.sentences(create=True), self.chunks(create=True)
        for i in range(0, len(ids), step):
            part = ids[i : i + step]
            scol.delete(where=_in_chunks(part))
            col.delete(ids=part)
            if progress:
                progress("delete", i + len(part), len(ids))

    def sentence_owners(self) -> set[str]:
        """The chunk ids that own at least one stored sentence (for the post-crash sweep)."""
        owners: set[str] = set()
        for _ids, metas in self._pages(self.sentences(create=True), include=["metadatas"]):
            owners.update(str((m or {}).get("chunk_id", "")) for m in metas)
        return owners

    def delete_sentences_of(self, chunk_ids: Iterable[str]) -> None:
        ids = list(chunk_ids)
        step = self._batch()
        scol = self.sentences(create=True)
        for i in range(0, len(ids), step):
            scol.delete(where=_in_chunks(ids[i : i + step]))

    def begin_write(self) -> bool:
        """Mark the store as being written; True when an earlier write never finished.

        The mark lives in the store (not the data dir), so every client of a Chroma server
        sees it. ``set_version`` clears it at the end of a complete ingest.
        """
        col = self._collection("chunks", create=True)  # a fresh handle: fresh metadata
        meta = {k: v for k, v in (col.metadata or {}).items() if not k.startswith("hnsw:")}
        interrupted = bool(meta.get("writing"))
        if not interrupted:
            meta["writing"] = True
            col.modify(metadata=meta)
        return interrupted

    def write_interrupted(self) -> bool:
        """True when an ingest was killed while writing (its mark is still set)."""
        try:
            col = self._collection("chunks", create=False)
        except IndexMissingError:
            return False
        return bool((col.metadata or {}).get("writing"))

    def set_version(self, version: str) -> None:
        col = self._collection("chunks", create=True)
        meta = {k: v for k, v in (col.metadata or {}).items() if not k.startswith("hnsw:")}
        meta["version"] = version
        meta["writing"] = False
        col.modify(metadata=meta)
        self._seen_version, self._checked = version, time.monotonic()

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
