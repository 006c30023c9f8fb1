"""The write side's entry: one writer per data dir (a thread lock and an OS file lock), and
knowledge-file add/delete that leave the knowledge base unchanged when they fail."""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path

from assistant.errors import BusyError, InputError, StoreError
from assistant.index.ingest import list_files, sync
from assistant.index.readers import Limits, read_document
from assistant.index.store import Store
from assistant.index.uploads import check_upload
from assistant.settings import Settings
from assistant.types import Embedder, IngestReport, Progress

UPLOAD_DIR = "uploads"


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
        if not self._lock.acquire(timeout=settings.lock_timeout):  # same process
            raise BusyError(_busy_message(settings.data_dir, settings.lock_timeout, owner))
        try:
            with lock:  # other processes: an OS lock, released even when the holder is killed
                owner.write_text(json.dumps({"pid": os.getpid(), "started": time.time()}))
                return sync(
                    settings,
                    self._store(),
                    self._embedder().embed,
                    list_files(settings.knowledge_dir),
                    progress,
                    rebuild_lexical=self._rebuild_lexical,
                )
        except Timeout:
            busy = _busy_message(settings.data_dir, settings.lock_timeout, owner)
            raise BusyError(busy) from None
        finally:
            self._lock.release()

    def add_file(self, name: str, data: bytes, progress: Progress | None = None) -> IngestReport:
        """Validate an uploaded file, place it in knowledge/uploads and ingest it.

        A file that cannot be read is removed again, so the knowledge base is unchanged.
        """
        clean = check_upload(name, data, self.settings.max_upload_mb)
        target_dir = self.settings.knowledge_dir / UPLOAD_DIR
        target = target_dir / clean
        if target.exists():
            raise InputError(f"A document named {clean} already exists; delete it first.")
        target_dir.mkdir(parents=True, exist_ok=True)
        tmp = target_dir / f".{clean}.part"
        tmp.write_bytes(data)
        try:
            # parse once before indexing, within the per-document limits
            read_document(tmp.rename(target), clean, Limits.of(self.settings))
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
