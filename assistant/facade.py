"""The facade: ingest(), retrieve(), ask(), draft(), review(), documents(); shared by CLI, UI
and eval.

It only composes. Its parts (embedder, store, retriever) are handed in or built from the
settings on first use; the stages live in index/, answering/ and drafting/.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from assistant.answering.analysis import Reading, read_question
from assistant.answering.coverage import Vocabulary, assess, extra_readings
from assistant.answering.extractive import Evidence, extractive_answer, task_answer
from assistant.answering.generative import llm_answer, stream_llm_answer
from assistant.answering.query import check_history, check_question, readings
from assistant.answering.retrieve import Retriever as HybridRetriever
from assistant.answering.spelling import Speller
from assistant.citations import render
from assistant.index import profile
from assistant.index.lexical import Lexical
from assistant.index.store import Store
from assistant.index.writer import Writer
from assistant.settings import Settings, load_settings
from assistant.types import (
    Answer,
    Chunk,
    DocumentInfo,
    Embedder,
    IngestReport,
    Passage,
    Progress,
    Retriever,
    StoredSentence,
    StreamEvent,
)

if TYPE_CHECKING:
    from assistant.drafting.model import Draft
    from assistant.drafting.review import Review


def default_embedder(settings: Settings) -> Embedder:
    """The bundled all-MiniLM-L6-v2 on ONNX (converted once by the set-up step)."""
    from assistant.index.embeddings import OnnxEmbedder, ensure_onnx_model

    # A budget of 512 padded tokens per batch: embedding the 633 ingest texts takes
    # ~4.0 s and grows onnxruntime's arena by 10-25 MB; fixed batches of 8 took 4.9 s
    # (+135 MB), of 32 6.6 s (+500 MB) (measured on the knowledge base, 2 cores).
    model = ensure_onnx_model(settings.model_dir)
    return OnnxEmbedder(model, batch_size=32, max_batch_tokens=512)


class Assistant:
    """One object per process; cheap to create, loads the model and store on first use."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        embedder: Embedder | None = None,
        store: Store | None = None,
        retriever: Retriever | None = None,
    ) -> None:
        self.settings = settings or load_settings()
        self._embedder = embedder
        self._store = store
        self._retriever = retriever
        self._lexical = Lexical(self.settings.data_dir / "bm25" / self.settings.collection)
        self._profile_root = self.settings.data_dir / "profile" / self.settings.collection
        # one lock per part: the model is built on a thread while the store opens
        self._embedder_lock = threading.Lock()
        self._store_lock = threading.Lock()
        self._writer: Writer | None = None
        self._words: tuple[str, Speller, Vocabulary, np.ndarray] | None = None  # per version

    # -- parts, built once ------------------------------------------------------------
    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            with self._embedder_lock:
                if self._embedder is None:
                    self._embedder = default_embedder(self.settings)
        return self._embedder

    @property
    def store(self) -> Store:
        if self._store is None:
            with self._store_lock:
                if self._store is None:
                    self._store = Store(self.settings)
        return self._store

    @property
    def retriever(self) -> Retriever:
        if self._retriever is None:
            self._retriever = HybridRetriever(
                self.settings, self.store, self.embed_query, self._lexical
            )
        return self._retriever

    @property
    def writer(self) -> Writer:
        if self._writer is None:
            self._writer = Writer(
                self.settings, lambda: self.store, lambda: self.embedder, self._rebuild_lexical
            )
        return self._writer

    def _cold_start(self) -> None:
        """First question in a process: build the model's session on a thread while this one
        opens the store and the lexical index (about 0.15 s of a 1.4 s cold ask, measured).

        Only native work runs on the thread: its modules are imported here first, because
        two threads importing the same packages can see them half-initialised.
        """
        if self._embedder is not None:
            return
        import onnxruntime  # noqa: F401
        import tokenizers  # noqa: F401

        loader = threading.Thread(target=lambda: self.embedder, daemon=True)
        loader.start()
        try:
            self._lexical.ensure(self.store)
        finally:
            loader.join()

    def _knowledge(self) -> tuple[str, Speller, Vocabulary, np.ndarray]:
        """The knowledge base's words (spelling, coverage, rarity) and its average sentence
        vector (how generic a sentence is), once per index version (cached on disk)."""
        version = self.store.version()
        if self._words is None or self._words[0] != version:
            p = profile.load_or_build(self.store, self._profile_root)
            self._words = (p.version, Speller(p.counts), Vocabulary(p.counts), p.centroid)
        return self._words

    def _vocabulary(self) -> tuple[Speller, Vocabulary]:
        _, speller, vocab, _ = self._knowledge()
        return speller, vocab

    def read(self, question: str, history: Sequence[str] = ()) -> Reading:
        """How a question is read: kind, focus, follow-up, spelling, drafting request."""
        question = check_question(question, self.settings.max_question_chars)
        turns = check_history(history, self.settings.max_question_chars)
        speller, _ = self._vocabulary()
        return read_question(question, turns, speller)

    def embed_query(self, text: str) -> np.ndarray:
        return np.asarray(self.embedder.embed([text])[0], dtype=np.float32)

    def embed_texts(self, texts: Sequence[str]) -> np.ndarray:
        return np.asarray(self.embedder.embed(texts), dtype=np.float32)

    def sentences_for(self, chunks: Sequence[Chunk]) -> list[StoredSentence]:
        return self.store.sentences_for(chunks)

    def all_chunks(self) -> list[Chunk]:
        return self.store.all_chunks()

    # -- writing ----------------------------------------------------------------------
    def ingest(self, progress: Progress | None = None) -> IngestReport:
        """Sync the index with the knowledge dir; one writer per data dir (a file lock)."""
        return self.writer.ingest(progress)

    def _rebuild_lexical(self) -> None:
        self._lexical.build(self.store.all_chunks(), self.store.version())
        with contextlib.suppress(OSError):  # a cache: rebuilt by the next reader otherwise
            profile.save(profile.build(self.store), self._profile_root)

    def add_file(self, name: str, data: bytes, progress: Progress | None = None) -> IngestReport:
        """Validate an uploaded file, place it in knowledge/uploads and ingest it."""
        return self.writer.add_file(name, data, progress)

    def delete_document(self, source: str) -> IngestReport:
        """Move a knowledge file (only inside the knowledge dir) to the trash, drop its chunks."""
        return self.writer.delete_document(source)

    def restore_document(self, source: str) -> IngestReport:
        """Put a deleted document back from the trash and index it again."""
        return self.writer.restore(source)

    def trashed(self) -> list[str]:
        """Deleted documents that can be restored, newest first."""
        return self.writer.trashed()

    def is_core(self, source: str) -> bool:
        """A document shipped in the knowledge dir (not an upload)."""
        return self.writer.is_core(source)

    def recover(self) -> IngestReport | None:
        """Finish an upload, delete or ingest a killed process left half-done (start-up)."""
        return self.writer.recover()

    # -- reading ----------------------------------------------------------------------
    def retrieve(
        self,
        question: str,
        k: int | None = None,
        history: Sequence[str] = (),
        mode: str | None = None,
        vector: np.ndarray | None = None,
    ) -> list[Passage]:
        """``vector``: the question's embedding when the caller has it (drafting embeds its
        queries in one batch); used only when the question is read as itself."""
        reading = self.read(question, history)
        texts = readings(reading.text, reading.follow_up_of)
        vectors = [vector] if vector is not None and list(texts) == [question] else None
        return self.retriever.retrieve_readings(texts, k=k, mode=mode, vectors=vectors)

    def ask(self, question: str, history: Sequence[str] = ()) -> Answer:
        """A cited answer, or refused=True with the nearest covered topics.

        ``settings.answerer`` picks the backend: the extractive answerer, or an LLM whose
        sentences are verified against their cited passages (answering/generative.py).
        """
        extractive, passages = self.extractive(question, history)
        if self.settings.answerer == "llm":
            return llm_answer(self.settings, extractive, passages, history)
        return extractive

    def evidence(self, question: str, history: Sequence[str] = ()) -> Evidence:
        """Everything the answerer chooses from: the reading, its vectors, the passages and
        their sentences, and the coverage verdict (also what the sentence model is fitted on)."""
        self._cold_start()
        return self._evidence(self.read(question, history))

    def _evidence(self, reading: Reading) -> Evidence:
        queries = readings(reading.text, reading.follow_up_of)
        extra = extra_readings(reading)
        focus = " ".join([*reading.focus, *extra])
        # One model run for every text of the question: its readings, the sources' wording
        # of it, and its focus words.
        embedded = list(self.embed_texts([*queries, *extra, *([focus] if focus else [])]))
        vectors, extra_vecs = (
            embedded[: len(queries)],
            embedded[len(queries) : len(queries) + len(extra)],
        )
        svec, parts = vectors[0], vectors[1:]
        if reading.follow_up_of:  # score sentences mostly by the follow-up itself, unless
            # it names one thing of its own ("who do they work with on that": work), which
            # is read mostly by its topic (with none, "like what kind", its form is the ask)
            own = 0.5 if len(reading.ask_focus) == 1 else 2.0
            mix = vectors[0] + own * vectors[1]
            svec, parts = mix / np.linalg.norm(mix), vectors[2:]
        fvec = embedded[-1] if focus else svec
        if reading.follow_up_of and focus:
            mix = fvec + 0.5 * svec
            fvec = mix / np.linalg.norm(mix)
        if extra:  # also retrieved in the sources' own words (pay as "competitive salaries")
            queries, vectors = [*queries, *extra], [*vectors, *extra_vecs]
        k = max(self.settings.evidence_k, self.settings.top_k)
        passages = self.retriever.retrieve_readings(queries, k=k, vectors=vectors)
        sentences = self.store.sentences_for([p.chunk for p in passages])
        _, _, vocab, centroid = self._knowledge()
        return Evidence(
            reading=reading,
            question_vec=svec,
            focus_vec=fvec,
            context_vec=vectors[0],
            part_vecs=tuple(parts),
            passages=tuple(passages),
            sentences=tuple(sentences),
            verdict=assess(reading, vocab, sentences, svec),
            centroid=centroid if centroid.size > 1 else None,
            rarity=vocab.rarity,
            wordings=tuple(extra),
        )

    def extractive(
        self, question: str, history: Sequence[str] = ()
    ) -> tuple[Answer, list[Passage]]:
        """The extractive answer and the passages it was chosen from (the LLM's sources)."""
        t0 = time.perf_counter()
        check_question(question, self.settings.max_question_chars)
        self._cold_start()  # before anything opens the store: the model loads meanwhile
        reading = self.read(question, history)
        if reading.task == "draft":
            return task_answer(reading, self.settings), []
        evidence = self._evidence(reading)
        answer = extractive_answer(evidence, self.settings)
        answer.timings["total"] = time.perf_counter() - t0
        return answer, list(evidence.passages[: self.settings.top_k])

    def ask_stream(self, question: str, history: Sequence[str] = ()) -> Iterator[StreamEvent]:
        """Yield the answer as it is produced: text pieces, then the final Answer.

        The extractive answer is complete at once and is streamed sentence by sentence; the
        LLM backend streams tokens, verifying each sentence as it completes.
        """
        if self.settings.answerer == "llm":
            extractive, passages = self.extractive(question, history)
            yield from stream_llm_answer(self.settings, extractive, passages, history)
            return
        answer = self.ask(question, history)
        parts = answer.answer.split("\n") if answer.as_list else [answer.answer]
        if not answer.as_list and answer.sentences:
            parts = [render([s], False) for s in answer.sentences]
        sep = "\n" if answer.as_list else " "
        for n, part in enumerate(parts):
            yield StreamEvent(text=(sep if n else "") + part)
        yield StreamEvent(text="", answer=answer)

    def documents(self) -> list[DocumentInfo]:
        docs: dict[str, DocumentInfo] = {}
        for c in self.store.all_chunks():
            d = docs.get(c.source)
            docs[c.source] = DocumentInfo(c.source, c.title, (d.chunks if d else 0) + 1, c.doc_hash)
        return sorted(docs.values(), key=lambda d: d.source)

    def chunks(self, source: str) -> list[Chunk]:
        return sorted(
            (c for c in self.store.all_chunks() if c.source == source), key=lambda c: c.start_char
        )

    # -- drafting ----------------------------------------------------------------------
    def draft(
        self,
        sections: Sequence[str] = ("all",),
        setting: str = "",
        org: str = "",
        seniority: str = "",
        emphasis: Sequence[str] = (),
        bullets: int | None = None,
        **inputs: str,
    ) -> Draft:
        """A job-description draft, every knowledge-base bullet cited and verified.

        ``bullets`` None gives each section its default count; ``inputs`` are the employer's
        own lines (about, reports_to, location, schedule, fte_split, compensation, contact),
        shown uncited, with a placeholder where one is empty."""
        # Drafting is imported on first use: its modules cost ~100 ms of every process start
        # (measured with python -X importtime), which a chat question does not need.
        from assistant.drafting.build import build_draft
        from assistant.drafting.model import make_request
        from assistant.drafting.polish import LLMPolisher

        request = make_request(setting, org, seniority, emphasis, bullets, **inputs)
        # With the LLM backend, bullets are reworded by the model and each is verified.
        polish = LLMPolisher(self.settings) if self.settings.answerer == "llm" else None
        return build_draft(self, request, sections, polish=polish)

    def revise(self, draft: Draft | dict[str, Any], action: str, **kwargs: Any) -> Draft:
        """Apply one refinement (regenerate, more, pin, unpin, remove, edit, reorder)."""
        from assistant.drafting.revise import revise  # see draft(): imported on first use

        return revise(self, draft, action, **kwargs)

    # -- reviewing ---------------------------------------------------------------------
    def review(self, text: str, setting: str = "") -> Review:
        """An existing job description checked line by line against the knowledge base:
        verdicts with citations, repeated lines, missing themes with cited suggestions, and
        the posting sections still to add (drafting/review.py)."""
        from assistant.drafting.review import review  # see draft(): imported on first use

        self._cold_start()
        return review(self, text, setting=setting)
