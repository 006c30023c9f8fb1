"""The write side's entry: one writer per data dir (a thread lock and an OS file lock), and
knowledge-file add/delete/restore as transactions.

An upload is parsed in a private staging folder before it joins the knowledge dir; a delete
moves the file to the trash. Each records its intent (journal.Pending) before it moves a
file and clears it once the index matches the knowledge dir, so whoever takes the lock next
(the UI or CLI at start-up, or the next write) completes an operation a killed process left
half-done, and resumes an ingest killed while writing. No state is left in which a listed
document cannot be deleted or an unlisted file blocks a re-upload.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from assistant.errors import AssistantError, BusyError, InputError, StoreError
from assistant.index import journal
from assistant.index.hygiene import check_quality
from assistant.index.ingest import list_files, sync
from assistant.index.journal import UPLOAD_DIR, Pending, disk_full, is_disk_full
from assistant.index.readers import Limits, read_document
from assistant.index.store import Store
from assistant.index.uploads import check_upload
from assistant.settings import Settings
from assistant.types import Embedder, IngestReport, Progress

__all__ = ["UPLOAD_DIR", "Writer"]


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


class Writer:
    """Syncs the index with the knowledge dir; the parts are handed in by the facade."""

    def __init__(
        self,
        settings: Settings,
        store: Callable[[], Store],
        embedder: Callable[[], Embedder],
        rebuild_lexical: Callable[[], None],
    ) -> None:
        self.settings = settings
        # Built on first use, after the data dir is checked; a reader never loads the model.
        self._store = store
        self._embedder = embedder
        self._rebuild_lexical = rebuild_lexical
        self._lock = threading.Lock()
        self.pending = Pending(settings.data_dir)
        self.trash = settings.data_dir / journal.TRASH

    # -- the lock ------------------------------------------------------------------------
    def _check_dirs(self) -> None:
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

    @contextlib.contextmanager
    def _locked(self, timeout: float | None = None) -> Iterator[bool]:
        """Hold the write lock (this process's threads, then other processes); yields whether
        an interrupted operation was found and its files put where it meant them to be."""
        from filelock import FileLock, Timeout

        self._check_dirs()
        settings = self.settings
        wait = settings.lock_timeout if timeout is None else timeout
        owner = settings.data_dir / "ingest.owner"
        if not self._lock.acquire(timeout=wait):  # same process
            raise BusyError(_busy_message(settings.data_dir, wait, owner))
        try:
            # other processes: an OS lock, released even when the holder is killed
            with FileLock(str(settings.data_dir / "ingest.lock"), timeout=wait):
                with contextlib.suppress(OSError):
                    owner.write_text(json.dumps({"pid": os.getpid(), "started": time.time()}))
                yield self._roll_forward()
        except Timeout:
            raise BusyError(_busy_message(settings.data_dir, wait, owner)) from None
        finally:
            self._lock.release()

    def _roll_forward(self) -> bool:
        """Complete the file moves of an operation a killed process left (lock held)."""
        journal.sweep_parts(self.settings.knowledge_dir / UPLOAD_DIR)
        entry = self.pending.read()
        if entry is not None:
            src, dst = Path(str(entry.get("from", ""))), Path(str(entry.get("to", "")))
            op = entry.get("op")
            if op in ("add", "delete", "restore") and src.is_file() and not dst.exists():
                journal.move(src, dst)
                if op == "delete":
                    with contextlib.suppress(OSError):
                        os.utime(dst)  # the trash keeps a deleted upload a while from now
        journal.sweep_staging(self.settings.data_dir)  # after: an intent may name its file
        return entry is not None

    def _sync(self, progress: Progress | None = None) -> IngestReport:
        settings = self.settings
        try:
            return sync(
                settings,
                self._store(),
                self._embedder().embed,
                list_files(settings.knowledge_dir),
                progress,
                rebuild_lexical=self._rebuild_lexical,
            )
        except AssistantError:
            raise
        except Exception as exc:
            if is_disk_full(exc):
                with contextlib.suppress(Exception):
                    self._store().reopen_after_failure()
                raise disk_full(settings.data_dir, "the index was not updated") from None
            raise

    # -- verbs ---------------------------------------------------------------------------
    def ingest(self, progress: Progress | None = None) -> IngestReport:
        """Sync the index with the knowledge dir; one writer per data dir (a file lock)."""
        with self._locked():
            report = self._sync(progress)
            self.pending.clear()
            return report

    def recover(self) -> IngestReport | None:
        """At start-up: finish what a killed UI or CLI left (an upload, delete or restore
        half-done, an ingest killed while writing). None when there was nothing to do, or
        another process holds the lock (it finishes the same work itself)."""
        if self.settings.data_dir.is_dir():
            journal.expire_trash(self.trash)
            journal.sweep_staging(self.settings.data_dir)  # a killed upload's bytes
        parts = list((self.settings.knowledge_dir / UPLOAD_DIR).glob(".*.part"))
        if not parts and self.pending.read() is None and not self._store().write_interrupted():
            return None
        try:
            with self._locked(timeout=0):
                report = self._sync()
                self.pending.clear()
                return report
        except BusyError:
            return None

    def add_file(self, name: str, data: bytes, progress: Progress | None = None) -> IngestReport:
        """Validate an uploaded file, parse it in staging, then place it in knowledge/uploads
        and index it under the write lock. A refused or failed upload changes nothing."""
        clean = check_upload(name, data, self.settings.max_upload_mb)
        self._check_dirs()
        target = self.settings.knowledge_dir / UPLOAD_DIR / clean
        source = f"{self.settings.knowledge_dir.name}/{UPLOAD_DIR}/{clean}"
        if target.exists() and source in self._listed():
            raise InputError(f"A document named {clean} already exists; delete it first.")
        try:
            staging = journal.new_staging(self.settings.data_dir)
        except OSError as exc:
            if journal.is_disk_full(exc):
                raise disk_full(self.settings.data_dir, "nothing was added") from None
            raise StoreError(f"Cannot write to {self.settings.data_dir}: {exc.strerror}") from None
        try:
            staged = staging / clean
            try:
                journal.write_file(staged, data)
            except OSError as exc:
                if is_disk_full(exc):
                    raise disk_full(self.settings.data_dir, "nothing was added") from None
                raise
            # parsed once before it joins the knowledge dir, within the per-document limits
            doc = read_document(staged, clean, Limits.of(self.settings))
            check_quality(clean, doc.text, self._texts(exclude=source))
            with self._locked():
                if target.exists() and source in self._listed():
                    raise InputError(f"A document named {clean} already exists; delete it first.")
                # an unlisted file of that name (an upload whose index never finished) is replaced
                self.pending.record({"op": "add", "from": str(staged), "to": str(target)})
                try:
                    journal.move(staged, target)
                    report = self._sync(progress)
                except BaseException as exc:
                    self._undo_add(target)
                    if isinstance(exc, OSError) and is_disk_full(exc):
                        raise disk_full(self.settings.knowledge_dir, "nothing was added") from None
                    raise
                self.pending.clear()
                return report
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def _undo_add(self, target: Path) -> None:
        """Take a failed upload out again; its partial chunks go with the next sync (now, if
        the disk allows, else at the next start: the pending intent says so)."""
        target.unlink(missing_ok=True)
        self.pending.record({"op": "undo-add", "to": str(target)})
        with contextlib.suppress(Exception):
            self._sync()
            self.pending.clear()

    def _texts(self, exclude: str) -> dict[str, str]:
        """Each indexed document's text (its passages joined), for the near-copy check."""
        texts: dict[str, list[str]] = {}
        try:
            chunks = self._store().all_chunks()
        except AssistantError:
            return {}
        for c in sorted(chunks, key=lambda c: (c.source, c.start_char)):
            if c.source != exclude:
                texts.setdefault(c.source, []).append(c.text)
        return {source: "\n".join(parts) for source, parts in texts.items()}

    def _listed(self) -> set[str]:
        try:
            return set(self._store().ids_by_source())
        except AssistantError:
            return set()

    def _relative(self, source: str) -> str:
        prefix = self.settings.knowledge_dir.name + "/"
        return source[len(prefix) :] if source.startswith(prefix) else source

    def is_core(self, source: str) -> bool:
        """A document shipped in the knowledge dir (not an upload): kept in the trash when
        deleted, restorable for good."""
        rel = self._relative(source)
        return not rel.startswith(f"{UPLOAD_DIR}/")

    def delete_document(self, source: str) -> IngestReport:
        """Move a knowledge file (only inside the knowledge dir) to the trash and drop its
        chunks; it stays restorable (a core document for good, an upload for a day)."""
        kdir = self.settings.knowledge_dir.resolve()
        rel = self._relative(source)
        path = (kdir / rel).resolve()
        if kdir not in path.parents:
            raise InputError(f"No such document: {source}")
        with self._locked():
            if not path.is_file():
                full = f"{self.settings.knowledge_dir.name}/{path.relative_to(kdir).as_posix()}"
                if full not in self._listed():
                    raise InputError(f"No such document: {source}")
                report = self._sync()  # listed without a file: its chunks go now
                self.pending.clear()
                return report
            kept = self.trash / path.relative_to(kdir)
            self.pending.record({"op": "delete", "from": str(path), "to": str(kept)})
            try:
                kept.unlink(missing_ok=True)
                journal.move(path, kept)
                with contextlib.suppress(OSError):
                    os.utime(kept)
                report = self._sync()
            except BaseException as exc:
                if kept.is_file() and not path.exists():
                    journal.move(kept, path)
                self.pending.clear()
                if isinstance(exc, OSError) and is_disk_full(exc):
                    raise disk_full(self.settings.data_dir, "nothing was deleted") from None
                raise
            self.pending.clear()
            return report

    def trashed(self) -> list[str]:
        """Deleted documents that can be restored ("knowledge/<path>"), newest first."""
        if not self.trash.is_dir():
            return []
        kdir = self.settings.knowledge_dir
        files = [p for p in self.trash.rglob("*") if p.is_file() and not p.name.startswith(".")]
        files.sort(key=lambda p: -p.stat().st_mtime)
        out = []
        for p in files:
            rel = p.relative_to(self.trash)
            if not (kdir / rel).exists():
                out.append(f"{kdir.name}/{rel.as_posix()}")
        return out

    def restore(self, source: str) -> IngestReport:
        """Put a deleted document back from the trash and index it again."""
        kdir = self.settings.knowledge_dir.resolve()
        rel = self._relative(source)
        kept = (self.trash / rel).resolve()
        if self.trash.resolve() not in kept.parents:
            raise InputError(f"No deleted document named {source}.")
        path = kdir / kept.relative_to(self.trash.resolve())
        with self._locked():
            if not kept.is_file():
                raise InputError(f"No deleted document named {source}.")
            if path.exists():
                raise InputError(
                    f"A document named {source} exists again; delete it before restoring."
                )
            self.pending.record({"op": "restore", "from": str(kept), "to": str(path)})
            try:
                journal.move(kept, path)
                report = self._sync()
            except BaseException as exc:
                if path.is_file() and not kept.exists():
                    journal.move(path, kept)
                self.pending.clear()
                if isinstance(exc, OSError) and is_disk_full(exc):
                    raise disk_full(self.settings.knowledge_dir, "nothing was restored") from None
                raise
            self.pending.clear()
            return report
