"""The frozen values that cross stage boundaries: Chunk -> Passage -> Answer."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

import numpy as np

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass(frozen=True)
class Chunk:
    """A piece of a knowledge document, as stored in the index."""

    id: str
    text: str
    source: str  # path as the user knows it, e.g. "knowledge/medical-director-faq.md"
    title: str
    section: str  # heading path, e.g. "Job Description > Key Responsibilities"
    start_char: int
    end_char: int
    doc_hash: str = ""

    def metadata(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "title": self.title,
            "section": self.section,
            "start_char": self.start_char,
            "end_char": self.end_char,
            "doc_hash": self.doc_hash,
        }

    @classmethod
    def from_record(cls, id: str, text: str, meta: dict[str, Any]) -> Chunk:
        return cls(
            id=id,
            text=text,
            source=str(meta.get("source", "")),
            title=str(meta.get("title", "")),
            section=str(meta.get("section", "")),
            start_char=int(meta.get("start_char", 0)),
            end_char=int(meta.get("end_char", 0)),
            doc_hash=str(meta.get("doc_hash", "")),
        )


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with its scores (cosine to the question, and fused rank score)."""

    chunk: Chunk
    score: float  # cosine similarity of the chunk to the question
    fused: float = 0.0  # reciprocal-rank-fusion score (orders the list)

    def to_dict(self) -> dict[str, Any]:
        c = self.chunk
        return {
            "id": c.id,
            "source": c.source,
            "title": c.title,
            "section": c.section,
            "text": c.text,
            "score": round(self.score, 4),
            "fused": round(self.fused, 5),
        }


@dataclass(frozen=True)
class Citation:
    """A numbered source of an answer or bullet: [id] -> the exact passage."""

    id: int
    source: str
    title: str
    section: str
    text: str
    score: float = 0.0
    chunk_id: str = ""

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["score"] = round(self.score, 4)
        return d


@dataclass(frozen=True)
class Sentence:
    """One answer sentence and the citation numbers that support it."""

    text: str
    citations: tuple[int, ...]
    verified: bool = True
    context: bool = False  # shown for the sentence after it, which points back to it


@dataclass(frozen=True)
class Answer:
    """A cited answer, or a structured "not covered" outcome (``refused``)."""

    question: str
    answer: str
    refused: bool
    citations: tuple[Citation, ...] = ()
    sentences: tuple[Sentence, ...] = ()
    suggestions: tuple[str, ...] = ()  # nearest covered topics, when refused
    as_list: bool = False
    backend: str = "extractive"
    notice: str = ""  # e.g. "LLM unreachable; answered extractively"
    support_ratio: float = 1.0
    settings: str = ""  # settings fingerprint
    timings: dict[str, float] = field(default_factory=dict)
    # How the question was read and how well the knowledge base covers it.
    coverage: str = "covered"  # covered | partial | not_covered | task
    missing: tuple[str, ...] = ()  # what the knowledge base does not give (partial, not_covered)
    interpreted_as: str = ""  # the standalone reading retrieved (follow-ups, spelling)
    follow_up_of: str = ""  # the earlier question a follow-up was read with
    searched_for: str = ""  # the corrected question, when a word was misspelt
    kind: str = ""  # yesno | list | which | how | comparison | figure | definition | task | other
    task_setting: str = ""  # a drafting request: the setting it named

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.answer,
            "refused": self.refused,
            "citations": [c.to_dict() for c in self.citations],
            "sentences": [
                {
                    "text": s.text,
                    "citations": list(s.citations),
                    "verified": s.verified,
                    "context": s.context,
                }
                for s in self.sentences
            ],
            "suggestions": list(self.suggestions),
            "backend": self.backend,
            "notice": self.notice,
            "support_ratio": round(self.support_ratio, 4),
            "settings": self.settings,
            "coverage": self.coverage,
            "missing": list(self.missing),
            "interpreted_as": self.interpreted_as,
            "follow_up_of": self.follow_up_of,
            "searched_for": self.searched_for,
            "kind": self.kind,
            "task_setting": self.task_setting,
        }


@dataclass(frozen=True)
class DocumentInfo:
    source: str
    title: str
    chunks: int
    doc_hash: str = ""


@dataclass(frozen=True)
class IngestReport:
    """What an ingest changed."""

    documents: int
    added: int
    removed: int
    unchanged_docs: int
    embedded: int
    seconds: float
    skipped: tuple[str, ...] = ()  # files rejected, with the reason

    def summary(self) -> str:
        s = (
            f"{self.documents} documents: {self.added} chunks added, {self.removed} removed, "
            f"{self.unchanged_docs} documents unchanged, {self.embedded} texts embedded "
            f"in {self.seconds:.2f}s"
        )
        if self.skipped:
            s += "; skipped: " + "; ".join(self.skipped)
        return s


@dataclass(frozen=True)
class StoredSentence:
    """One sentence of a stored chunk, with its embedding (position = order in the chunk)."""

    chunk_id: str
    position: int
    text: str
    vector: np.ndarray


@dataclass(frozen=True)
class StreamEvent:
    """A piece of a streamed answer; the last event carries the complete Answer."""

    text: str
    answer: Answer | None = None


class Embedder(Protocol):
    """What turns texts into unit vectors (the ONNX MiniLM in production)."""

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


class Retriever(Protocol):
    """What a retriever is: ranked passages for one question read one or several ways
    (a follow-up with its context and on its own; a multi-part question part by part)."""

    def retrieve_readings(
        self,
        queries: Sequence[str],
        k: int | None = None,
        mode: str | None = None,
        vectors: Sequence[np.ndarray] | None = None,
    ) -> list[Passage]: ...


class EvidenceSource(Protocol):
    """What drafting reads the knowledge base through (the facade provides it)."""

    def embed_query(self, text: str) -> np.ndarray: ...

    def retrieve(
        self,
        question: str,
        k: int | None = None,
        history: Sequence[str] = (),
        mode: str | None = None,
        vector: np.ndarray | None = None,
    ) -> list[Passage]: ...

    def embed_texts(self, texts: Sequence[str]) -> np.ndarray: ...

    def sentences_for(self, chunks: Sequence[Chunk]) -> list[StoredSentence]: ...

    def all_chunks(self) -> list[Chunk]: ...
