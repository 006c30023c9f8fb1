"""A full disk during an upload, a delete or an export: one clear message ("Not enough disk
space…"), nothing half-written (no ``.part`` file, no staging leftover, the knowledge dir
unchanged), and ``ask`` keeps answering from the existing index.

The first test fills a real, small tmpfs (mounting one needs root; skipped otherwise): at 64 KB
free the upload's own bytes do not fit, at 700 KB they do and Chroma's writes fail. The
others inject ``OSError(ENOSPC)`` at the store's write boundary and at the export's file
write, so they run anywhere.
"""

from __future__ import annotations

import errno
import os
import random
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.errors import DiskFullError
from assistant.index.store import Store
from assistant.web.handlers import Handlers
from tests.conftest import make_settings

pytestmark = pytest.mark.slow

QUESTION = "Who prepares the annual budget?"
WORDS = [
    "director", "budget", "staff", "quality", "patient", "clinic", "review", "policy", "audit",
    "team", "safety", "nurse", "physician", "rota", "schedule", "report", "meeting", "finance",
    "committee", "training",
]


def big_document(n: int = 3000) -> bytes:
    rng = random.Random(1)
    sentences = [
        f"The {' '.join(rng.choice(WORDS) for _ in range(8))} number {i} is checked by the team."
        for i in range(n)
    ]
    paras = [" ".join(sentences[i : i + 5]) for i in range(0, n, 5)]
    return ("# Ward notes\n\n" + "\n\n".join(paras)).encode()


def leftovers(root: Path) -> list[Path]:
    """Half-written files: .part copies, BM25/manifest temp files, staged uploads."""
    out = [p for p in root.rglob("*") if p.name.endswith((".part", ".tmp"))]
    out += [p for p in root.rglob(".bm25-*")]
    out += [p for p in root.glob("data/staging/*")]
    return out


def files(kdir: Path) -> set[str]:
    return {p.relative_to(kdir).as_posix() for p in kdir.rglob("*") if p.is_file()}


@pytest.fixture()
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "disk"
    mount.mkdir()
    proc = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=40m", "tmpfs", str(mount)], capture_output=True
    )
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {proc.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)  # lazy: Chroma may hold files


def fill(disk: Path, leave_kb: int) -> Path:
    st = os.statvfs(disk)
    filler = disk / "filler"
    with filler.open("wb") as f:
        f.write(b"\0" * (st.f_bavail * st.f_frsize - leave_kb * 1024))
    return filler


@pytest.mark.parametrize("free_kb", [64, 700])
def test_an_upload_on_a_full_disk(small_disk: Path, small_kb: Path, free_kb: int) -> None:
    kdir = small_disk / "knowledge"
    shutil.copytree(small_kb, kdir)
    a = Assistant(make_settings(small_disk / "data", kdir))
    a.ingest()
    before_docs, before_files = a.documents(), files(kdir)
    filler = fill(small_disk, free_kb)

    with pytest.raises(DiskFullError) as err:
        a.add_file("ward-notes.md", big_document())
    message = str(err.value)
    assert message.startswith("Not enough disk space in ") and "\n" not in message
    assert "keeps answering from the existing index" in message
    assert leftovers(small_disk) == []
    assert files(kdir) == before_files and a.documents() == before_docs
    assert not a.ask(QUESTION).refused  # this process and a fresh one keep answering
    assert not Assistant(a.settings).ask(QUESTION).refused

    filler.unlink()  # space freed: the same upload goes through
    a.add_file("ward-notes.md", big_document())
    assert "knowledge/uploads/ward-notes.md" in {d.source for d in a.documents()}


def _enospc(*_args: object, **_kwargs: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.fixture()
def indexed(tmp_path: Path, small_kb: Path) -> Assistant:
    a = Assistant(make_settings(tmp_path / "data", small_kb))
    a.ingest()
    return a


def test_upload_when_the_store_cannot_write(
    indexed: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = indexed
    before_docs, before_files = a.documents(), files(a.settings.knowledge_dir)
    with monkeypatch.context() as m:
        m.setattr(Store, "add", _enospc)
        with pytest.raises(DiskFullError, match="^Not enough disk space in .*index was not"):
            a.add_file("notes.md", b"# Notes\n\nThe rota is signed by the duty manager.\n")
    assert leftovers(a.settings.data_dir.parent) == []
    assert files(a.settings.knowledge_dir) == before_files and a.documents() == before_docs
    assert not a.ask(QUESTION).refused
    a.add_file("notes.md", b"# Notes\n\nThe rota is signed by the duty manager.\n")  # no block


def test_delete_when_the_store_cannot_write(
    indexed: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = indexed
    before_docs, before_files = a.documents(), files(a.settings.knowledge_dir)
    with monkeypatch.context() as m:
        m.setattr(Store, "delete", _enospc)
        with pytest.raises(DiskFullError, match="^Not enough disk space"):
            a.delete_document("knowledge/beta.md")
    assert files(a.settings.knowledge_dir) == before_files  # the file is back in place
    assert a.trashed() == [] and a.documents() == before_docs
    assert not a.ask(QUESTION).refused
    a.delete_document("knowledge/beta.md")  # and it can be deleted afterwards
    assert "knowledge/beta.md" not in {d.source for d in a.documents()}


def test_draft_downloads_on_a_full_disk_and_folders_are_reused(
    indexed: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    import assistant.web.handlers as handlers_module

    h = Handlers(indexed)
    draft = h.draft(["responsibilities"], bullets=2)
    with monkeypatch.context() as m:
        m.setattr(Path, "write_text", _enospc)
        paths, message = h.exports(draft)
    assert paths == [None] * len(handlers_module.DOWNLOADS)
    assert message.startswith("Not enough disk space") and "downloads" in message
    for _ in range(3 * handlers_module.KEEP_EXPORTS):  # many draft actions, bounded folders
        paths, message = h.exports(draft)
        assert message == "" and all(p and Path(p).exists() for p in paths)
    folders = list((h.export_dir / "drafts").iterdir())
    assert len(folders) <= handlers_module.KEEP_EXPORTS
    assert sum(1 for _ in h.export_dir.rglob("*.*")) <= handlers_module.KEEP_EXPORTS * 5
