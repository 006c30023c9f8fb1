"""Knowledge files -> chunks (LlamaIndex: heading-aware, then token-aware) -> the store.

Sync is incremental and converges after a crash: the wanted chunk ids (content hashes) are
compared with the stored ones; only missing chunks are embedded, stale ones are deleted, and
the manifest (file hash -> chunk ids, a cache that lets unchanged files skip parsing) is
written last, atomically. Whatever point an ingest is killed at, the next one computes the
same difference again.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import DocumentError
from assistant.index.readers import SUPPORTED, Limits, SourceDoc, file_hash, read_document
from assistant.index.store import Store
from assistant.settings import Settings
from assistant.text import sentence_pieces, split_sentences
from assistant.types import Chunk, IngestReport, Progress


@dataclass(frozen=True)
class KnowledgeFile:
    path: Path
    source: str  # "knowledge/<relative path>"


def list_files(knowledge_dir: Path) -> list[KnowledgeFile]:
    """Supported files under the knowledge dir (hidden files and README.md excluded; a
    symlink that leads outside the knowledge dir is not followed: its file is not ours)."""
    if not knowledge_dir.is_dir():
        return []
    root = knowledge_dir.resolve()
    out = []
    for path in sorted(knowledge_dir.rglob("*")):
        rel = path.relative_to(knowledge_dir)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue
        if root not in path.resolve().parents:
            continue
        if path.suffix.lower() in SUPPORTED and path.name.lower() != "readme.md":
            out.append(KnowledgeFile(path, f"{knowledge_dir.name}/{rel.as_posix()}"))
    return out


GROUP = 1024  # passages embedded and stored together (bounds memory at 100k+ chunks)
EMBED_BATCH = 64

# Part of every chunk id: changing how chunks are embedded, or how they split into sentences
# (split_sentences: stored sentence ids are "<chunk id>:<position>"), must re-embed them.
EMBED_RECIPE = "minilm-l6-v2/heading+text/1"


def chunk_id(source: str, section: str, text: str, occurrence: int) -> str:
    blob = f"{EMBED_RECIPE}\0{source}\0{section}\0{text}\0{occurrence}".encode()
    return hashlib.sha256(blob).hexdigest()[:32]


def chunk_document(doc: SourceDoc, chunk_size: int, chunk_overlap: int) -> list[Chunk]:
    """Split on Markdown headings, then to token-sized chunks; record section paths and offsets."""
    from llama_index.core import Document
    from llama_index.core.ingestion import IngestionPipeline
    from llama_index.core.node_parser import MarkdownNodeParser, SentenceSplitter
    from llama_index.core.utils import get_tokenizer

    document = Document(text=doc.text, metadata={})
    pipeline = IngestionPipeline(
        transformations=[
            MarkdownNodeParser(header_path_separator="\x1f"),
            SentenceSplitter(
                chunk_size=chunk_size,
                chunk_overlap=chunk_overlap,
                tokenizer=get_tokenizer(),
                chunking_tokenizer_fn=sentence_pieces,
            ),
        ]
    )
    chunks: list[Chunk] = []
    seen: dict[str, int] = {}
    cursor = 0
    for node in pipeline.run(documents=[document], show_progress=False):
        text = node.get_content().strip()
        if not text or all(line.lstrip().startswith("#") for line in text.splitlines()):
            continue  # a heading with no body says nothing by itself
        section = _section(str(node.metadata.get("header_path", "")), text, doc.title)
        start = doc.text.find(text[:200], max(0, cursor - 4 * chunk_overlap * 6))
        if start < 0:
            start = doc.text.find(text[:200])
        start = max(start, 0)
        cursor = start + 1
        key = f"{section}\0{text}"
        seen[key] = seen.get(key, 0) + 1
        chunks.append(
            Chunk(
                id=chunk_id(doc.source, section, text, seen[key]),
                text=text,
                source=doc.source,
                title=doc.title,
                section=section,
                start_char=doc.offset + start,
                end_char=doc.offset + start + len(text),
                doc_hash=doc.doc_hash,
            )
        )
    return chunks


def _section(header_path: str, text: str, title: str) -> str:
    parts = [" ".join(p.split()) for p in header_path.split("\x1f") if p.strip()]
    first = text.lstrip().splitlines()[0]
    if first.startswith("#"):
        parts.append(" ".join(first.lstrip("#").split()))
    if len(parts) > 1 and parts[0] == " ".join(title.split()):
        parts = parts[1:]  # the title is shown separately
    return " > ".join(parts) or title


def embed_text(chunk: Chunk) -> str:
    """What the dense model sees: the passage under its own heading.

    Measured on the eval set: prefixing the document title and the whole section path
    drowns short passages (an FAQ answer fell from cosine 0.78 to 0.61 to its question).
    """
    if chunk.text.lstrip().startswith("#"):
        return chunk.text
    return f"{chunk.section.split(' > ')[-1]}\n{chunk.text}"


class Manifest:
    """source -> {hash, ids}: lets unchanged files skip parsing. Only a cache."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.data: dict[str, dict[str, object]] = json.loads(path.read_text())
        except (OSError, ValueError):
            self.data = {}

    def ids_if_unchanged(self, source: str, digest: str) -> list[str] | None:
        entry = self.data.get(source)
        if entry and entry.get("hash") == digest:
            return list(entry.get("ids", []))  # type: ignore[call-overload]
        return None

    def save(self, data: dict[str, dict[str, object]]) -> None:
        tmp = self.path.with_suffix(".tmp")
        try:
            tmp.write_text(json.dumps(data, indent=1, sort_keys=True))
            os.replace(tmp, self.path)
        except OSError:
            tmp.unlink(missing_ok=True)  # a full disk leaves nothing half-written
            raise


def sync(
    settings: Settings,
    store: Store,
    embed: Callable[[Sequence[str]], object],
    files: Sequence[KnowledgeFile],
    progress: Progress | None = None,
    rebuild_lexical: Callable[[], None] | None = None,
) -> IngestReport:
    """Make the store hold exactly the chunks of ``files``; see the module docstring."""
    import numpy as np

    t0 = time.perf_counter()
    progress = progress or (lambda stage, done, total: None)
    manifest = Manifest(settings.data_dir / "manifest.json")
    # An ingest killed while writing left its mark in the store: parse every file again and
    # sweep sentences whose passage is missing (or passages whose sentences are missing).
    interrupted = store.write_interrupted()
    if interrupted:
        manifest.data = {}
    present = store.ids_by_source()
    present_all = set().union(*present.values()) if present else set()

    wanted: dict[str, list[str]] = {}
    new_manifest: dict[str, dict[str, object]] = {}
    parsed: list[Chunk] = []
    skipped: list[str] = []
    unchanged = 0
    for n, kf in enumerate(files):
        progress("read", n, len(files))
        try:
            digest = file_hash(kf.path)
        except OSError as exc:
            skipped.append(f"{kf.path.name}: cannot read ({exc.strerror})")
            wanted[kf.source] = sorted(present.get(kf.source, set()))  # keep what we had
            continue
        ids = manifest.ids_if_unchanged(kf.source, digest)
        if ids is not None and set(ids) == present.get(kf.source, set()):
            unchanged += 1
            wanted[kf.source] = ids
            new_manifest[kf.source] = manifest.data[kf.source]
            continue
        try:
            doc = read_document(kf.path, kf.source, Limits.of(settings))
        except DocumentError as exc:
            skipped.append(str(exc))
            wanted[kf.source] = sorted(present.get(kf.source, set()))  # never lose a document
            continue
        chunks = chunk_document(doc, settings.chunk_size, settings.chunk_overlap)
        wanted[kf.source] = [c.id for c in chunks]
        new_manifest[kf.source] = {"hash": digest, "ids": wanted[kf.source], "title": doc.title}
        parsed.extend(chunks)
    progress("read", len(files), len(files))

    wanted_all = {cid for ids in wanted.values() for cid in ids}
    stale = present_all - wanted_all
    orphans: set[str] = set()
    lacking: set[str] = set()
    if interrupted:
        owners = store.sentence_owners()
        orphans = owners - wanted_all - stale  # stale chunks' sentences go with them
        lacking = (present_all & wanted_all) - owners
    to_embed = [c for c in parsed if c.id not in present_all or c.id in lacking]

    embedded = 0
    if to_embed or stale or orphans:
        store.begin_write()
    if to_embed:
        # Embed and store group by group: memory stays bounded at any corpus size, and a
        # killed ingest keeps the groups it finished (each passage after its sentences).
        split = [(c, split_sentences(c.text)) for c in to_embed]
        total = len(to_embed) + sum(len(sents) for _, sents in split)
        done = 0
        for g in range(0, len(split), GROUP):
            group = [c for c, _ in split[g : g + GROUP]]
            sentences = [
                (c.id, i, t) for c, sents in split[g : g + GROUP] for i, t in enumerate(sents)
            ]
            texts = [embed_text(c) for c in group] + [t for _, _, t in sentences]
            vectors = []
            for i in range(0, len(texts), EMBED_BATCH):
                progress("embed", done + i, total)
                vectors.append(np.asarray(embed(texts[i : i + EMBED_BATCH]), dtype=np.float32))
            matrix = np.concatenate(vectors)
            offset = done
            store.add(
                group,
                matrix[: len(group)],
                sentences,
                matrix[len(group) :],
                lambda stage, n, _t, offset=offset: progress(stage, offset + n, total),  # type: ignore[misc]
            )
            done += len(texts)
        progress("embed", total, total)
        embedded = total
    if stale:
        store.delete(sorted(stale), progress)
    if orphans:
        store.delete_sentences_of(sorted(orphans))
    version = hashlib.sha256("\n".join(sorted(wanted_all)).encode()).hexdigest()[:16]
    if to_embed or stale or orphans or interrupted or store.version() != version:
        store.set_version(version)  # publishes the new index and clears the writing mark
    if rebuild_lexical is not None:
        rebuild_lexical()
    manifest.save(new_manifest)
    return IngestReport(
        documents=len(files),
        added=len(to_embed),
        removed=len(stale),
        unchanged_docs=unchanged,
        embedded=embedded,
        seconds=time.perf_counter() - t0,
        skipped=tuple(skipped),
    )
