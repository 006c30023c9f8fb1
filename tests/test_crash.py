"""Crash safety: `python -m assistant ingest` killed with SIGKILL at deterministic points.

The kill points come from tests/support/crash_hook/sitecustomize.py (on the subprocess's
PYTHONPATH):
during embedding, after some upsert batches, inside an upsert, after some deletes, before the
new version is published, before the BM25 cache and before the manifest are written. After
each kill the assistant still answers (with verified citations), and the next ingest
converges to exactly the clean build: the same chunk ids, the same sentence ids, every
sentence owned by a stored chunk, the same answers.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.citations import is_quote
from assistant.index.store import Store
from tests.conftest import KNOWLEDGE, make_settings
from tests.support.procs import cli_env, run_cli

pytestmark = pytest.mark.slow

QUESTION = "How many years of clinical experience does a medical director need?"
EDITED = "what-does-a-medical-director-do.md"
DELETED = "medical-director-key-responsibilities.md"
# New documents (copies under a new path: every chunk id is new): 11 chunks, 63 sentences.
ADDED = {
    "extra/what-does-copy.md": "what-does-a-medical-director-do.md",
    "extra/responsibilities-copy.md": "medical-director-key-responsibilities.md",
}


def run_ingest(
    data: Path, kdir: Path, crash: str | None = None, batch: int | None = None
) -> subprocess.CompletedProcess[str]:
    extra = {}
    if crash:
        extra["MD_CRASH_AT"] = crash
    if batch:
        extra["MD_CRASH_BATCH"] = str(batch)
    return run_cli(["ingest", "--quiet"], cli_env(data, kdir, **extra))


@dataclass(frozen=True)
class Snapshot:
    chunks: frozenset[str]
    sentences: frozenset[str]
    owners: frozenset[str]  # chunk ids that own a stored sentence
    version: str
    added: frozenset[str]  # chunk ids of the documents under knowledge/extra/


def snapshot(data: Path, kdir: Path) -> Snapshot:
    store = Store(make_settings(data, kdir))
    by_source = store.ids_by_source()
    chunks = {cid for ids in by_source.values() for cid in ids}
    added = {
        cid for src, ids in by_source.items() if src.startswith("knowledge/extra/") for cid in ids
    }
    res = store.sentences().get(include=["metadatas"])
    owners = {str((m or {})["chunk_id"]) for m in res["metadatas"] or []}
    assert len(res["ids"]) == len(set(res["ids"]))
    assert store.count() == len(chunks)
    return Snapshot(
        frozenset(chunks),
        frozenset(res["ids"]),
        frozenset(owners),
        store.version(),
        frozenset(added),
    )


def make_v2(v1: Path, target: Path) -> Path:
    """The knowledge base after a user's edits: one changed, one deleted, one new document."""
    shutil.copytree(v1, target)
    edited = target / EDITED
    edited.write_text(
        edited.read_text().replace(
            "Quality assurance is another aspect of the medical director’s job.",
            "Quality assurance is another aspect of the medical director’s job, audited yearly.",
        )
    )
    (target / DELETED).unlink()
    (target / "extra").mkdir()
    for new, old in ADDED.items():
        shutil.copy(v1 / old, target / new)
    return target


@dataclass(frozen=True)
class World:
    v1: Path
    v2: Path
    base: Path  # an index of v1, built by a finished ingest
    clean: Snapshot  # a clean build of v2
    clean_answer: str


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    root = tmp_path_factory.mktemp("crash")
    v1 = root / "v1" / "knowledge"
    shutil.copytree(KNOWLEDGE, v1)
    v2 = make_v2(v1, root / "v2" / "knowledge")
    base, clean = root / "base", root / "clean"
    for data, kdir in ((base, v1), (clean, v2)):
        proc = run_ingest(data, kdir)
        assert proc.returncode == 0, proc.stderr
    answer = Assistant(make_settings(clean, v2)).ask(QUESTION)
    return World(v1, v2, base, snapshot(clean, v2), answer.answer)


def assert_answers_with_verified_citations(a: Assistant) -> None:
    answer = a.ask(QUESTION)
    assert not answer.refused, answer.answer
    by_id = {c.id: c for c in answer.citations}
    assert answer.sentences
    for sentence in answer.sentences:
        assert sentence.citations
        assert all(is_quote(sentence.text, by_id[n].text) for n in sentence.citations)


# With store batches of 8 records, v2 needs 2 embedding batches, 10 sentence batches then 2
# chunk batches, and 2 delete batches (a kill point that is never reached fails the test).
POINTS = [
    "embed:2",  # one embedding batch done, nothing written
    "store:1",  # the first sentence batch written, no chunk yet
    "store:11",  # every sentence and the first chunk batch written
    "upsert:2",  # inside the second upsert call
    "delete:1",  # new chunks in, the first stale batch deleted
    "publish",  # everything written, the new version not published
    "lexical",  # published, the BM25 cache not rebuilt
    "manifest",  # everything but the manifest
]


@pytest.mark.parametrize("point", POINTS)
def test_killed_ingest_leaves_answers_and_converges(
    world: World, tmp_path: Path, point: str
) -> None:
    data = tmp_path / "data"
    shutil.copytree(world.base, data)
    proc = run_ingest(data, world.v2, crash=point, batch=8)
    assert proc.returncode == -signal.SIGKILL, (proc.returncode, proc.stderr[-2000:])

    a = Assistant(make_settings(data, world.v2))
    assert_answers_with_verified_citations(a)  # killed mid-way: still answers

    report = a.ingest()
    assert not report.skipped
    snap = snapshot(data, world.v2)
    assert snap.chunks == world.clean.chunks  # nothing missing, nothing extra
    assert snap.sentences == world.clean.sentences
    assert snap.owners == snap.chunks  # every sentence belongs to a stored chunk
    assert snap.version == world.clean.version
    assert a.ask(QUESTION).answer == world.clean_answer

    again = a.ingest()  # and it has settled: nothing left to do
    assert (again.added, again.removed, again.embedded) == (0, 0, 0)


def test_orphaned_sentences_are_swept_when_the_document_goes_away(
    world: World, tmp_path: Path
) -> None:
    """Killed after writing a new document's sentences but before its chunks; the document
    is then removed again. The next ingest must not keep sentences without a passage."""
    data = tmp_path / "data"
    shutil.copytree(world.base, data)
    proc = run_ingest(data, world.v2, crash="store:1", batch=8)
    assert proc.returncode == -signal.SIGKILL
    v3 = tmp_path / "v3" / "knowledge"
    shutil.copytree(world.v2, v3)
    shutil.rmtree(v3 / "extra")
    a = Assistant(make_settings(data, v3))
    a.ingest()
    snap = snapshot(data, v3)
    gone = world.clean.added  # v3 = the clean v2 build without the new documents
    assert gone and not snap.added
    assert snap.chunks == world.clean.chunks - gone
    assert snap.sentences == {s for s in world.clean.sentences if s.split(":")[0] not in gone}
    assert snap.owners == snap.chunks


def test_first_ingest_killed_then_completed(tmp_path: Path, small_kb: Path) -> None:
    data = tmp_path / "data"
    proc = run_ingest(data, small_kb, crash="store:2", batch=1)
    assert proc.returncode == -signal.SIGKILL
    a = Assistant(make_settings(data, small_kb))
    a.ask("Who prepares the annual budget?")  # whatever it says, it says it without crashing
    a.ingest()
    clean = tmp_path / "clean"
    assert run_ingest(clean, small_kb).returncode == 0
    assert snapshot(data, small_kb) == snapshot(clean, small_kb)
    assert not a.ask("Who prepares the annual budget?").refused


def test_ingest_in_small_groups_builds_the_same_index(
    tmp_path: Path, small_kb: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Passages are embedded and stored group by group (bounded memory at 100k chunks)."""
    import assistant.index.ingest

    one = Assistant(make_settings(tmp_path / "one", small_kb))
    one.ingest()
    monkeypatch.setattr(assistant.index.ingest, "GROUP", 1)
    ticks: list[tuple[str, int, int]] = []
    two = Assistant(make_settings(tmp_path / "two", small_kb))
    report = two.ingest(progress=lambda stage, done, total: ticks.append((stage, done, total)))
    assert snapshot(tmp_path / "one", small_kb) == snapshot(tmp_path / "two", small_kb)
    for stage in ("embed", "store"):
        done = [d for s, d, _ in ticks if s == stage]
        totals = {t for s, _, t in ticks if s == stage}
        assert done == sorted(done) and totals == {report.embedded} and done[-1] == report.embedded


# -- uploads and deletes in the real UI, killed half-way -----------------------------------
UPLOAD = "night-rota.md"
UPLOAD_TEXT = (
    "---\ntitle: Night Rota Policy\n---\n# Night Rota Policy\n\n## Zebrafish protocol\n\n"
    "The medical director signs the zebrafish night rota every Tuesday before noon, and the "
    "deputy countersigns it when the director is on leave.\n"
)
CORE = "knowledge/medical-director-job-title.md"


@pytest.fixture(scope="module")
def ui_base(world: World, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An indexed knowledge base with one upload in it, to copy for each killed UI."""
    root = tmp_path_factory.mktemp("ui-crash")
    shutil.copytree(world.v1, root / "knowledge")
    shutil.copytree(world.base, root / "data")
    a = Assistant(make_settings(root / "data", root / "knowledge"))
    a.add_file(
        "kept.md",
        b"# Pharmacy ledger\n\nThe finance lead audits the kiwi pharmacy ledger every month "
        b"and reports discrepancies to the medical director.\n",
    )
    return root


def consistent(a: Assistant) -> set[str]:
    """The invariants after any kill: every listed document has its file and every file is
    listed; nothing pending, no half-written file, no write in progress. The listed sources."""
    kdir = a.settings.knowledge_dir
    listed = {d.source for d in a.documents()}
    files = {f"knowledge/{p.relative_to(kdir).as_posix()}" for p in kdir.rglob("*") if p.is_file()}
    assert listed == files, (listed ^ files)
    assert not (a.settings.data_dir / "pending.json").exists()
    assert not list(a.settings.data_dir.glob("staging/*"))
    assert not a.store.write_interrupted()
    return listed


@pytest.mark.parametrize(
    ("action", "point", "restart"),
    [
        ("upload", "staged", "ui"),  # parsed in staging: never joined the knowledge dir
        ("upload", "moved", "ui"),  # in knowledge/uploads, intent recorded, not indexed
        ("upload", "store:1", "cli"),  # indexing half-done
        ("delete", "moved", "ui"),  # in the trash, its chunks still stored
        ("delete", "delete:1", "cli"),  # chunks half-deleted
    ],
)
def test_killed_ui_upload_or_delete_is_finished_at_the_next_start(
    ui_base: Path, tmp_path: Path, action: str, point: str, restart: str
) -> None:
    from gradio_client import Client

    from tests.support.procs import HOOK
    from tests.support.uiserver import ROOT, start_ui

    base = tmp_path / "ui"
    shutil.copytree(ui_base, base)
    server = start_ui(
        base, base / "knowledge", MD_CRASH_AT=point, MD_CRASH_BATCH="4",
        PYTHONPATH=f"{HOOK}:{ROOT}",
    )
    try:
        client = Client(server.url, verbose=False)
        upload = base / UPLOAD
        upload.write_text(UPLOAD_TEXT)
        from gradio_client import handle_file

        with pytest.raises(Exception):  # noqa: B017 - the server dies under the call
            if action == "upload":
                client.predict([handle_file(str(upload))], api_name="/add_files")
            else:
                client.predict(CORE, api_name="/delete")
        assert server.proc.wait(timeout=120) == -signal.SIGKILL, server.output()[-2000:]
    finally:
        server.stop()

    kdir, data = base / "knowledge", base / "data"
    if restart == "ui":
        server = start_ui(base, kdir)  # its start finishes or rolls back the change
        try:
            docs = Client(server.url, verbose=False).predict(api_name="/documents")
        finally:
            server.stop()
        output = server.output()
    else:
        proc = run_cli(["documents", "--json"], cli_env(data, kdir))
        assert proc.returncode == 0, proc.stderr
        output = proc.stderr
        docs = json.loads(proc.stdout)
    a = Assistant(make_settings(data, kdir))
    listed = consistent(a)
    assert {d["source"] for d in docs} == listed
    new = f"knowledge/uploads/{UPLOAD}"
    # killed before its intent was recorded, an upload has nothing to finish
    assert ("finished an interrupted change" in output) == (point != "staged"), output[-3000:]
    if action == "upload":
        # rolled back or completed; either way a re-upload or a delete works
        assert (new in listed) == (point != "staged")
        if new in listed:
            assert a.delete_document(new).removed >= 1
        a.add_file(UPLOAD, UPLOAD_TEXT.encode())
        assert new in {d.source for d in a.documents()}
        assert any(c.source == new for c in a.ask("Who signs the zebrafish night rota?").citations)
    else:
        assert CORE not in listed  # the delete was completed; the file is in the trash
        assert CORE in a.trashed()
        a.restore_document(CORE)
        assert CORE in consistent(a)
    assert_answers_with_verified_citations(a)
    consistent(a)
    assert a.ingest().added == 0  # settled
