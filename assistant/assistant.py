"""The facade: open(), ingest(), retrieve(), ask(), documents(); shared by CLI, UI and eval."""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
import time
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from assistant.answer import extractive_answer
from assistant.citations import render
from assistant.errors import BusyError, InputError, StoreError
from assistant.ingest import Progress, list_files, sync
from assistant.settings import Settings, load_settings
from assistant.store import Store
from assistant.types import Answer, Chunk, DocumentInfo, IngestReport, Passage

_FOLLOW_UP = re.compile(
    r"^(and|also|what about|how about|then|so)\b|\b(they|their|them|it|its|this|that|"
    r"these|those|he|she|his|her|such)\b",
    re.I,
)
UPLOAD_DIR = "uploads"


@dataclass(frozen=True)
class StreamEvent:
    """A piece of a streamed answer; the last event carries the complete Answer."""

    text: str
    answer: Answer | None = None


def check_question(question: object, limit: int) -> str:
    """A clean question, or an InputError that says what is wrong with it."""
    if not isinstance(question, str):
        raise InputError("The question must be text.")
    if "\ufffd" in question or any(0xD800 <= ord(c) <= 0xDFFF for c in question):
        raise InputError("The question is not valid UTF-8 text.")
    bad = [c for c in question if unicodedata.category(c) == "Cc" and c not in "\n\t\r"]
    if bad:
        raise InputError("The question contains control characters; please retype it.")
    question = " ".join(question.split())
    if not question:
        raise InputError("The question is empty: type a question about the Medical Director role.")
    if len(question) > limit:
        raise InputError(
            f"The question is too long ({len(question)} characters; the limit is {limit})."
        )
    return question


def _busy_message(data_dir: Path, waited: float, owner: Path) -> str:
    who = ""
    try:
        info = json.loads(owner.read_text())
        who = f" (pid {int(info['pid'])}, started {time.time() - float(info['started']):.0f}s ago)"
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return (
        f"Another ingest is running on {data_dir}{who}; waited {waited:g}s. "
        "Try again when it has finished (ASSISTANT_LOCK_TIMEOUT sets the wait)."
    )


def contextual_query(question: str, history: Sequence[str]) -> str:
    """A follow-up ("and their budget duties?") is retrieved together with the last question."""
    if not history:
        return question
    if len(question.split()) <= 8 or _FOLLOW_UP.search(question):
        return f"{history[-1]} {question}"
    return question


def readings(question: str, history: Sequence[str]) -> list[str]:
    """The queries one question is retrieved with (their rankings are fused): a follow-up
    with its context and on its own; a multi-part question whole and part by part."""
    from assistant.text import question_parts

    query = contextual_query(question, history)
    out = [query] if query == question else [query, question]
    return out + [p for p in question_parts(question) if p not in out]


class Assistant:
    """One object per process; cheap to create, loads the model and store on first use."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or load_settings()
        self._write_lock = threading.Lock()

    @classmethod
    def open(cls, settings: Settings | None = None, **overrides: Any) -> Assistant:
        if settings is not None and overrides:
            settings = settings.model_copy(update=overrides)
        return cls(settings or load_settings(**overrides))

    # -- parts, built once ------------------------------------------------------------
    @cached_property
    def embedder(self) -> Any:
        from assistant.embeddings import OnnxEmbedder, ensure_onnx_model

        # A budget of 512 padded tokens per batch: embedding the 633 ingest texts takes
        # ~4.0 s and grows onnxruntime's arena by 10-25 MB; fixed batches of 8 took 4.9 s
        # (+135 MB), of 32 6.6 s (+500 MB) (measured on the knowledge base, 2 cores).
        model = ensure_onnx_model(self.settings.model_dir)
        return OnnxEmbedder(model, batch_size=32, max_batch_tokens=512)

    @cached_property
    def store(self) -> Store:
        return Store(self.settings)

    @cached_property
    def retriever(self) -> Any:
        from assistant.retrieve import Retriever

        return Retriever(self.settings, self.store, self.embed_query)

    def _cold_start(self) -> None:
        """First question in a process: build the model's session on a thread while this one
        opens the store and the lexical index (about 0.15 s of a 1.4 s cold ask, measured).

        Only native work runs on the thread: its modules are imported here first, because
        two threads importing the same packages can see them half-initialised.
        """
        if "embedder" in self.__dict__:
            return
        import onnxruntime  # noqa: F401
        import tokenizers  # noqa: F401

        loader = threading.Thread(target=lambda: self.embedder, daemon=True)
        loader.start()
        try:
            self.retriever.lexical.ensure(self.store)
        finally:
            loader.join()

    def embed_query(self, text: str) -> np.ndarray:
        return np.asarray(self.embedder.embed([text])[0], dtype=np.float32)

    # -- writing ----------------------------------------------------------------------
    def ingest(self, progress: Progress | None = None) -> IngestReport:
        """Sync the index with the knowledge dir; one writer per data dir (a file lock)."""
        from filelock import FileLock, Timeout

        settings = self.settings
        try:
            settings.data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"Cannot use data directory {settings.data_dir}: {exc.strerror}"
            ) from None
        if not settings.knowledge_dir.is_dir():  # a typo must not empty the index
            raise InputError(
                f"The knowledge directory {settings.knowledge_dir} does not exist or is not a "
                "directory (ASSISTANT_KNOWLEDGE_DIR); nothing was changed."
            )
        lock = FileLock(str(settings.data_dir / "ingest.lock"), timeout=settings.lock_timeout)
        owner = settings.data_dir / "ingest.owner"
        if not self._write_lock.acquire(timeout=settings.lock_timeout):  # same process
            raise BusyError(_busy_message(settings.data_dir, settings.lock_timeout, owner))
        try:
            with lock:  # other processes: an OS lock, released even when the holder is killed
                owner.write_text(json.dumps({"pid": os.getpid(), "started": time.time()}))
                return sync(
                    settings,
                    self.store,
                    self.embedder.embed,
                    list_files(settings.knowledge_dir),
                    progress,
                    rebuild_lexical=self._rebuild_lexical,
                )
        except Timeout:
            busy = _busy_message(settings.data_dir, settings.lock_timeout, owner)
            raise BusyError(busy) from None
        finally:
            self._write_lock.release()

    def _rebuild_lexical(self) -> None:
        self.retriever.lexical.build(self.store.all_chunks(), self.store.version())

    # -- reading ----------------------------------------------------------------------
    def retrieve(
        self,
        question: str,
        k: int | None = None,
        history: Sequence[str] = (),
        mode: str | None = None,
    ) -> list[Passage]:
        question = check_question(question, self.settings.max_question_chars)
        passages: list[Passage] = self.retriever.retrieve_readings(
            readings(question, history), k=k, mode=mode
        )
        return passages

    def ask(self, question: str, history: Sequence[str] = ()) -> Answer:
        """A cited answer, or refused=True with the nearest covered topics.

        ``settings.answerer`` picks the backend: the extractive answerer, or an LLM whose
        sentences are verified against their cited passages (assistant/llm.py).
        """
        if self.settings.answerer == "llm":
            from assistant.llm import llm_answer

            return llm_answer(self, question, history)
        return self.extractive(question, history)[0]

    def extractive(
        self, question: str, history: Sequence[str] = ()
    ) -> tuple[Answer, list[Passage]]:
        """The extractive answer and the passages it was chosen from (the LLM's sources)."""
        t0 = time.perf_counter()
        question = check_question(question, self.settings.max_question_chars)
        self._cold_start()
        queries = readings(question, history)
        vectors = [self.embed_query(q) for q in queries]
        svec = vectors[0]
        if queries[0] != question:  # score sentences mostly by the follow-up itself
            mix = vectors[0] + 2 * vectors[1]
            svec = mix / np.linalg.norm(mix)
        passages = self.retriever.retrieve_readings(queries, vectors=vectors)
        sentences = self.store.sentences_for([p.chunk for p in passages])
        answer = extractive_answer(question, svec, passages, sentences, self.settings)
        answer.timings["total"] = time.perf_counter() - t0
        return answer, passages

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

    # -- knowledge management (UI uploads) ---------------------------------------------
    def add_file(self, name: str, data: bytes, progress: Progress | None = None) -> IngestReport:
        """Validate an uploaded file, place it in knowledge/uploads and ingest it.

        A file that cannot be read is removed again, so the knowledge base is unchanged.
        """
        from assistant.uploads import check_upload

        clean = check_upload(name, data, self.settings.max_upload_mb)
        target_dir = self.settings.knowledge_dir / UPLOAD_DIR
        target = target_dir / clean
        if target.exists():
            raise InputError(f"A document named {clean} already exists; delete it first.")
        target_dir.mkdir(parents=True, exist_ok=True)
        tmp = target_dir / f".{clean}.part"
        tmp.write_bytes(data)
        try:
            from assistant.readers import read_document

            read_document(tmp.rename(target), clean)  # parse once before indexing
        except Exception:
            target.unlink(missing_ok=True)
            tmp.unlink(missing_ok=True)
            raise
        try:
            return self.ingest(progress)
        except Exception:
            target.unlink(missing_ok=True)
            raise

    def delete_document(self, source: str) -> IngestReport:
        """Remove a knowledge file (only inside the knowledge dir) and its chunks."""
        kdir = self.settings.knowledge_dir.resolve()
        prefix = self.settings.knowledge_dir.name + "/"
        rel = source[len(prefix) :] if source.startswith(prefix) else source
        path = (kdir / rel).resolve()
        if kdir not in path.parents or not path.is_file():
            raise InputError(f"No such document: {source}")
        trash = self.settings.data_dir / "trash"
        trash.mkdir(parents=True, exist_ok=True)
        kept = trash / path.name
        shutil.move(str(path), kept)  # kept until the index no longer holds it
        try:
            report = self.ingest()
        except Exception:
            shutil.move(str(kept), path)
            raise
        kept.unlink(missing_ok=True)
        return report

    # -- streaming, drafting and evaluation (each lives in its own module) -------------
    def ask_stream(self, question: str, history: Sequence[str] = ()) -> Iterator[StreamEvent]:
        """Yield the answer as it is produced: text pieces, then the final Answer.

        The extractive answer is complete at once and is streamed sentence by sentence; the
        LLM backend streams tokens, verifying each sentence as it completes.
        """
        if self.settings.answerer == "llm":
            from assistant.llm import stream_llm_answer

            yield from stream_llm_answer(self, question, history)
            return
        answer = self.ask(question, history)
        parts = answer.answer.split("\n") if answer.as_list else [answer.answer]
        if not answer.as_list and answer.sentences:
            parts = [render([s], False) for s in answer.sentences]
        sep = "\n" if answer.as_list else " "
        for n, part in enumerate(parts):
            yield StreamEvent(text=(sep if n else "") + part)
        yield StreamEvent(text="", answer=answer)

    def draft(
        self,
        sections: Sequence[str] = ("all",),
        setting: str = "",
        org: str = "",
        seniority: str = "",
        emphasis: Sequence[str] = (),
        bullets: int = 6,
    ) -> Any:
        """A job-description draft (assistant.draft.Draft), every bullet cited and verified."""
        from assistant.draft import DraftRequest, build_draft

        request = DraftRequest(
            setting=setting,
            org=org,
            seniority=seniority,
            emphasis=tuple(emphasis),
            bullets=bullets,
        )
        polish = None
        if self.settings.answerer == "llm":  # bullets reworded by the LLM, each verified
            from assistant.llm import LLMPolisher

            polish = LLMPolisher(self.settings)
        return build_draft(self, request, sections, polish=polish)

    def revise(self, draft: Any, action: str, **kwargs: Any) -> Any:
        """Apply one refinement (regenerate, more, pin, unpin, remove, edit, reorder)."""
        from assistant.draft import revise

        return revise(self, draft, action, **kwargs)

    def evaluate(self, path: Path | None = None, progress: Progress | None = None) -> Any:
        """Run an eval set (default eval/cases.jsonl) and return its report."""
        from assistant.evaluation.runner import run_eval

        return run_eval(self, path, progress=progress)
