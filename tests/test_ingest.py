"""Ingest: chunk metadata, incremental sync, idempotency, readers for every accepted format."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import Assistant
from assistant.errors import DocumentError
from assistant.index.readers import read_document
from tests.conftest import make_settings


def _open(tmp_path: Path, kdir: Path) -> Assistant:
    return Assistant(make_settings(tmp_path / "data", kdir))


def test_second_ingest_does_no_embedding_work(tmp_path: Path, small_kb: Path) -> None:
    a = _open(tmp_path, small_kb)
    first = a.ingest()
    assert first.added > 0 and first.embedded > first.added  # chunks and their sentences
    second = a.ingest()
    assert (second.added, second.removed, second.embedded) == (0, 0, 0)
    assert second.unchanged_docs == 2


def test_changed_document_replaces_its_chunks(tmp_path: Path, small_kb: Path) -> None:
    a = _open(tmp_path, small_kb)
    a.ingest()
    before = a.store.ids_by_source()
    doc = small_kb / "beta.md"
    doc.write_text(doc.read_text().replace("monthly", "every week"))
    report = a.ingest()
    after = a.store.ids_by_source()
    assert report.added >= 1 and report.removed >= 1
    assert after["knowledge/alpha.md"] == before["knowledge/alpha.md"]  # untouched
    assert after["knowledge/beta.md"].isdisjoint(before["knowledge/beta.md"])
    texts = " ".join(c.text for c in a.chunks("knowledge/beta.md"))
    assert "every week" in texts and "monthly" not in texts


def test_deleted_document_loses_its_chunks(tmp_path: Path, small_kb: Path) -> None:
    a = _open(tmp_path, small_kb)
    a.ingest()
    (small_kb / "beta.md").unlink()
    report = a.ingest()
    assert report.removed >= 1
    assert set(a.store.ids_by_source()) == {"knowledge/alpha.md"}
    assert all(d.source != "knowledge/beta.md" for d in a.documents())


def test_chunk_metadata_points_into_the_file(built: Assistant, kb_dir: Path) -> None:
    docs = built.documents()
    assert len(docs) == 5
    for doc in docs:
        raw = (kb_dir.parent / doc.source).read_text()
        for chunk in built.chunks(doc.source):
            assert chunk.title and chunk.section
            assert raw[chunk.start_char : chunk.end_char] == chunk.text
            assert len(chunk.id) == 32


def test_sentences_for_finds_every_stored_sentence(built: Assistant) -> None:
    """Sentences are looked up by "<chunk id>:<position>"; that must find all of them."""
    chunks = built.store.all_chunks()
    found = built.store.sentences_for(chunks)
    assert len(found) == built.store.sentences().count() > len(chunks)
    by_chunk: dict[str, list[int]] = {}
    for s in found:
        by_chunk.setdefault(s.chunk_id, []).append(s.position)
        assert s.text and s.vector.shape == (384,)
    assert set(by_chunk) == {c.id for c in chunks}
    assert all(p == list(range(len(p))) for p in by_chunk.values())
    one = built.store.sentences_for(chunks[:1])
    assert [s.text for s in one] == [s.text for s in found if s.chunk_id == chunks[0].id]


def test_ids_are_stable_across_rebuilds(tmp_path: Path, small_kb: Path) -> None:
    one = _open(tmp_path / "one", small_kb)
    two = _open(tmp_path / "two", small_kb)
    one.ingest()
    two.ingest()
    assert one.store.ids_by_source() == two.store.ids_by_source()


def test_unreadable_file_is_skipped_and_nothing_is_lost(tmp_path: Path, small_kb: Path) -> None:
    a = _open(tmp_path, small_kb)
    a.ingest()
    before = a.store.ids_by_source()
    (small_kb / "broken.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    (small_kb / "alpha.md").write_bytes(b"\xff\xfe not utf-8 \x00")
    report = a.ingest()
    assert len(report.skipped) == 2
    assert a.store.ids_by_source() == before


def test_readers_accept_txt_html_docx_pdf(tmp_path: Path) -> None:
    import docx
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    (tmp_path / "a.txt").write_text("Plain notes about rota planning for night shifts.")
    (tmp_path / "b.html").write_text(
        "<html><head><title>Guide</title><script>x()</script></head><body><nav>Menu</nav>"
        "<h2>Budget</h2><p>The director signs off the annual budget.</p></body></html>"
    )
    d = docx.Document()
    d.add_heading("Onboarding", level=1)
    d.add_paragraph("New physicians shadow a senior colleague for two weeks.")
    d.save(str(tmp_path / "c.docx"))
    fig = plt.figure()
    fig.text(0.1, 0.5, "Telemetry beds are audited every quarter.")
    fig.savefig(tmp_path / "d.pdf")
    plt.close(fig)

    txt = read_document(tmp_path / "a.txt", "knowledge/a.txt")
    html = read_document(tmp_path / "b.html", "knowledge/b.html")
    dx = read_document(tmp_path / "c.docx", "knowledge/c.docx")
    pdf = read_document(tmp_path / "d.pdf", "knowledge/d.pdf")
    assert "rota planning" in txt.text
    assert "## Budget" in html.text and "x()" not in html.text and "Menu" not in html.text
    assert html.title == "Guide"
    assert "## Onboarding" in dx.text and "two weeks" in dx.text
    assert "audited every quarter" in pdf.text


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("x.exe", b"MZ", "unsupported"),
        ("x.pdf", b"%PDF-1.4 garbage", "not a readable PDF"),
        ("x.docx", b"PK\x03\x04garbage", "not a readable DOCX"),
        ("x.md", b"   \n\n", "no text"),
        ("x.txt", b"\xff\xfe\x00bin", "not UTF-8"),
    ],
)
def test_reader_errors_are_clear(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    (tmp_path / name).write_bytes(data)
    with pytest.raises(DocumentError, match=reason):
        read_document(tmp_path / name, f"knowledge/{name}")


@pytest.mark.parametrize(
    "text",
    [
        "One sentence. Another, e.g. with Dr. Who in it! A third?\n- a list item\n\nNext para.",
        "no terminal punctuation\n\n\n   \n",
        "",
    ],
)
def test_sentence_pieces_join_back_to_the_text(text: str) -> None:
    from assistant.text import sentence_pieces

    pieces = sentence_pieces(text)
    assert "".join(pieces) == text and all(pieces)
    if text.startswith("One"):
        assert pieces[1].startswith("Another, e.g. with Dr. Who")  # abbreviations hold


def test_chunking_does_not_load_nltk() -> None:
    """The chunker's sentence step is ours: NLTK (and scipy under it) costs ~2 s and 130 MB."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    code = (
        "import sys; from pathlib import Path; from assistant.index.ingest import chunk_document;"
        "from assistant.index.readers import read_document;"
        "doc = read_document(Path('knowledge/medical-director-job-description.md'), 'k');"
        "assert len(chunk_document(doc, 256, 32)) > 10; sys.exit('nltk' in sys.modules)"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


# -- bounded cost per document ------------------------------------------------------------------
HEADING_LIMIT = 200


@pytest.mark.parametrize("kind", ["md", "html", "docx"])
def test_an_endless_heading_line_is_split_and_nothing_is_lost(tmp_path: Path, kind: str) -> None:
    """The issue's 512 KB file of one heading line (3 GB and 856 MB of index before): the
    heading keeps its first words, the rest of the line is body text, and no chunk carries
    more than the limit of heading text."""
    from assistant.index.ingest import chunk_document
    from tests.support import hostile

    line = hostile.long_heading_md(512 * 1024).decode()[2:]
    if kind == "md":
        (tmp_path / "h.md").write_text("# " + line)
    elif kind == "html":
        (tmp_path / "h.html").write_text(f"<html><body><h1>{line}</h1></body></html>")
    else:
        import docx

        d = docx.Document()
        d.add_heading(line, level=0)  # the Title style: the "# " heading
        d.save(str(tmp_path / "h.docx"))
    doc = read_document(tmp_path / f"h.{kind}", f"knowledge/h.{kind}")
    assert len(doc.title) <= HEADING_LIMIT and doc.title.startswith("budget review budget")
    headings = [ln for ln in doc.text.splitlines() if ln.startswith("#")]
    assert headings and all(len(h) <= HEADING_LIMIT + 8 for h in headings)
    assert doc.text.split().count("review") == line.split().count("review")  # nothing lost
    chunks = chunk_document(doc, 256, 32)
    assert chunks and max(len(c.section) for c in chunks) <= HEADING_LIMIT
    assert max(len(c.text) for c in chunks) < 4000  # token-sized passages, not the line
    assert len(chunks) < len(line) / 1000


def test_an_endless_heading_line_costs_megabytes_not_gigabytes(tmp_path: Path) -> None:
    """Read and chunk the 512 KB heading line in a fresh process and measure its peak RSS."""
    import subprocess
    import sys

    from tests.conftest import ROOT
    from tests.support import hostile

    (tmp_path / "h.md").write_bytes(hostile.long_heading_md(512 * 1024))
    # VmHWM, not ru_maxrss: after fork+exec ru_maxrss still counts the (large) test process
    code = (
        "import re; from pathlib import Path;"
        "from assistant.index.ingest import chunk_document;"
        "from assistant.index.readers import read_document;"
        f"doc = read_document(Path({str(tmp_path / 'h.md')!r}), 'k');"
        "n = len(chunk_document(doc, 256, 32));"
        "hwm = re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1);"
        "print(n, int(hwm) // 1024)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    chunks, peak_mb = map(int, proc.stdout.split())
    assert chunks < 600 and peak_mb < 400, (chunks, peak_mb)  # was 3 GB before the split


def test_a_knowledge_file_over_a_limit_is_skipped_and_named(tmp_path: Path, small_kb: Path) -> None:
    """The CLI's ingest of the knowledge dir: the over-limit file is reported with its limit,
    its earlier chunks stay, and every other document is indexed as usual."""
    a = Assistant(make_settings(tmp_path / "data", small_kb, max_document_sentences=10))
    (small_kb / "gamma.md").write_text("# Gamma\n\nThe director audits the rota weekly.\n")
    a.ingest()
    kept = a.store.ids_by_source()["knowledge/gamma.md"]
    (small_kb / "gamma.md").write_text(
        "# Gamma\n\n" + "The director audits the rota weekly. " * 30 + "\n"
    )
    (small_kb / "delta.md").write_text("# Delta\n\nThe director signs the audit report.\n")
    report = a.ingest()
    assert any(
        "gamma.md: 30 sentences" in s and "ASSISTANT_MAX_DOCUMENT_SENTENCES" in s
        for s in report.skipped
    ), report.skipped
    ids = a.store.ids_by_source()
    assert ids["knowledge/gamma.md"] == kept and "knowledge/delta.md" in ids


def test_sentence_search_is_exact_and_the_same_every_run(tmp_path: Path, small_kb: Path) -> None:
    """Chroma's default ef_search (100) gave approximate top-60 lists that differed between
    processes; the index is created (or, by the next ingest, updated) with EF_SEARCH."""
    import numpy as np

    from assistant.index.store import EF_SEARCH

    a = Assistant(make_settings(tmp_path / "data", small_kb))
    a.ingest()
    for col in (a.store.sentences(), a.store.chunks()):
        col.modify(configuration={"hnsw": {"ef_search": 100}})  # an index from before
    # the next ingest (a new process: nothing changed) brings the setting up to date
    Assistant(make_settings(tmp_path / "data", small_kb)).ingest()
    b = Assistant(make_settings(tmp_path / "data", small_kb))
    for col in (b.store.sentences(), b.store.chunks()):
        assert col.configuration["hnsw"]["ef_search"] == EF_SEARCH
    vec = b.embed_query("who reviews the annual budget")
    hits = b.store.query_sentences(vec, 60)
    assert hits == sorted(hits, key=lambda h: (-h[1], h[0]))
    # exact: every stored sentence is ranked, nearest first, as numpy ranks them
    stored = b.store.sentences().get(include=["embeddings", "metadatas"])
    sims = np.asarray(stored["embeddings"]) @ vec
    assert len(hits) == len(sims)
    assert [round(h[1], 4) for h in hits] == [
        round(float(x), 4) for x in sorted(sims, reverse=True)
    ]


def test_a_small_index_is_searched_exactly_and_follows_a_new_version(
    tmp_path: Path, small_kb: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """HNSW missed a question's nearest sentence in some processes (the same question, a
    different answer per run); up to EXACT_LIMIT records the search is exact, in memory, and
    is reloaded when an ingest publishes a new index version. Above it, Chroma searches."""
    import numpy as np

    from assistant.index import store as store_mod

    a = Assistant(make_settings(tmp_path / "data", small_kb))
    a.ingest()
    vec = a.embed_query("who recruits physicians for night shifts")
    stored = a.store.chunks().get(include=["embeddings"])
    sims = np.asarray(stored["embeddings"]) @ vec
    best = stored["ids"][int(np.argmax(sims))]
    hits = a.store.query(vec, 2)
    assert hits[0][0] == best and abs(hits[0][1] - float(sims.max())) < 1e-5
    assert a.store.query_sentences(vec, 1)[0][0] == best
    # a new document, published by an ingest, is searched by the same Store at once
    (small_kb / "gamma.md").write_text(
        "# Gamma\n\n## Telehealth\n\nThe director launches telehealth clinics for rural "
        "patients and trains staff on video visits.\n"
    )
    a.ingest()
    tele = a.embed_query("telehealth clinics for rural patients")
    gamma = {c.id for c in a.all_chunks() if c.source.endswith("gamma.md")}
    assert a.store.query_sentences(tele, 1)[0][0] in gamma
    assert a.store.query(tele, 1)[0][0] in gamma
    # above the limit: Chroma's HNSW answers (the same nearest here, a small index)
    monkeypatch.setattr(store_mod, "EXACT_LIMIT", 0)
    b = Assistant(make_settings(tmp_path / "data", small_kb))
    assert b.store.query(tele, 1)[0][0] in gamma
    assert b.store._exact["chunks"][1] is None


def test_a_symlink_out_of_the_knowledge_dir_is_not_indexed(tmp_path: Path, small_kb: Path) -> None:
    """Issue 17 (low): a symlinked file outside the knowledge dir was indexed and then could
    not be deleted. It is skipped; a symlink to a file inside the dir still counts once."""
    outside = tmp_path / "secret.md"
    outside.write_text("# Secret\n\nThe payroll password is hunter2 and it opens every door.\n")
    (small_kb / "leak.md").symlink_to(outside)
    a = Assistant(make_settings(tmp_path / "data", small_kb))
    a.ingest()
    sources = {d.source for d in a.documents()}
    assert "knowledge/leak.md" not in sources and len(sources) == 2
    assert not any("hunter2" in c.text for c in a.all_chunks())


def test_a_non_ascii_or_long_name_is_kept_safely(tmp_path: Path, small_kb: Path) -> None:
    """Issue 17 (low): every non-ASCII name was refused as 'file type (none)'. It is stored
    under a safe name that keeps its type, listed, and can be deleted again."""
    a = Assistant(make_settings(tmp_path / "data", small_kb))
    a.ingest()
    body = b"# Night rota\n\nThe medical director signs the night rota every Friday.\n"
    a.add_file("Руководство.md", body)
    a.add_file("x" * 300 + ".txt", b"The director meets the finance team every Tuesday.\n")
    names = sorted(d.source for d in a.documents())
    uploaded = [n for n in names if "/uploads/" in n]
    assert len(uploaded) == 2, names
    assert any(n.endswith(".md") and "/document-" in n for n in uploaded)
    assert any(n.endswith("x" * 100 + ".txt") for n in uploaded)
    for n in uploaded:
        a.delete_document(n)
    assert len(a.documents()) == 2


# -- uploads that would dominate retrieval (issue 17, defect 9) ------------------------------
SEED = "what-does-a-medical-director-do.md"


def _salad(n: int = 20_000) -> bytes:
    import random

    rng = random.Random(7)
    text = (
        "budget review quality director clinical staff patient safety audit governance "
        "physician credentialing metrics outcomes compliance leadership strategy"
    )
    vocab = text.split()
    lines = [" ".join(rng.choice(vocab) for _ in range(12)) for _ in range(n // 12)]
    return "\n".join(lines).encode()


def _para(i: int) -> str:
    return f"Line {i % 7}: the director reviews the night rota with the ward manager.\n"


JUNK = [
    ("salad.txt", _salad, "only 0% common words"),
    ("phrase.md", lambda: b"# Notes\n\n" + b"budget review of the plan " * 4000, "distinct words"),
    ("lines.txt", lambda: "".join(_para(i) for i in range(400)).encode(), "lines repeat"),
]


@pytest.fixture()
def seeded(tmp_path: Path, small_kb: Path) -> Assistant:
    from tests.conftest import KNOWLEDGE

    (small_kb / SEED).write_bytes((KNOWLEDGE / SEED).read_bytes())
    a = _open(tmp_path, small_kb)
    a.ingest()
    return a


@pytest.mark.parametrize(("name", "make", "reason"), JUNK, ids=[j[0] for j in JUNK])
def test_low_information_uploads_are_refused_naming_why(
    seeded: Assistant, name: str, make: object, reason: str
) -> None:
    from assistant.errors import InputError

    before = seeded.store.ids_by_source()
    with pytest.raises(InputError, match="refused as low-information text") as err:
        seeded.add_file(name, make())  # type: ignore[operator]
    assert reason in str(err.value) and name in str(err.value)
    assert seeded.store.ids_by_source() == before
    assert not (seeded.settings.knowledge_dir / "uploads" / name).exists()


def test_a_copy_of_a_seed_document_is_refused(seeded: Assistant) -> None:
    from assistant.errors import InputError
    from tests.conftest import KNOWLEDGE

    before = seeded.store.ids_by_source()
    copy = (KNOWLEDGE / SEED).read_text().replace("medical director", "Medical Director")
    with pytest.raises(InputError, match=f"near-copy of knowledge/{SEED}"):
        seeded.add_file("my-copy.md", copy.encode())
    assert seeded.store.ids_by_source() == before
    # the core documents' own text passes the same checks, and so does new prose
    seeded.add_file("rota.md", b"# Rota\n\nThe duty manager signs the night rota on Fridays.\n")
    seeded.add_file("pasted.txt", (KNOWLEDGE / "medical-director-job-title.md").read_bytes())
