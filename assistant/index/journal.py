"""The write side's bookkeeping on disk: the pending operation (an intent written before an
upload, delete or restore moves a file, cleared after the index matches), the staging area
where an upload is parsed before it joins the knowledge dir, and the trash.

Every move is one of two kinds: an ``os.replace`` (atomic on one filesystem), or, across
filesystems, a copy into a hidden ``.part`` file next to the target, then a replace. Hidden
files are never indexed, and ``sweep_parts`` removes a ``.part`` left by a killed process.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import time
import uuid
from pathlib import Path
from typing import Any

from assistant.errors import DiskFullError

UPLOAD_DIR = "uploads"  # inside the knowledge dir: every upload lands here
PENDING = "pending.json"
STAGING = "staging"
TRASH = "trash"
# A deleted upload stays restorable this long (a session's undo); a core document for ever.
UPLOAD_TRASH_SECONDS = 24 * 3600

_FULL = (errno.ENOSPC, errno.EDQUOT)


def is_disk_full(exc: BaseException) -> bool:
    """True for "no space left" anywhere in an exception's chain (Chroma and SQLite wrap it
    in their own types: "database or disk is full")."""
    seen: BaseException | None = exc
    for _ in range(10):
        if seen is None:
            return False
        if isinstance(seen, OSError) and seen.errno in _FULL:
            return True
        text = str(seen).lower()
        if "disk is full" in text or "no space left" in text or "quota exceeded" in text:
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def disk_full(where: Path, what: str = "nothing was changed") -> DiskFullError:
    return DiskFullError(
        f"Not enough disk space in {where}: {what}. Free some space and try again; "
        "the assistant keeps answering from the existing index."
    )


class Pending:
    """One intent at a time (the writer lock is held around every operation)."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / PENDING

    def record(self, entry: dict[str, Any]) -> None:
        tmp = self.path.with_name(f".{PENDING}.part")
        try:
            with tmp.open("w", encoding="utf-8") as f:
                json.dump(entry, f)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            if exc.errno in _FULL:
                raise disk_full(self.path.parent) from None
            raise

    def read(self) -> dict[str, Any] | None:
        try:
            entry = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return entry if isinstance(entry, dict) else None

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)


def move(src: Path, dst: Path) -> None:
    """Move a file so that ``dst`` either is complete or does not exist."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.replace(src, dst)
        return
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
    part = dst.with_name(f".{dst.name}.part")
    try:
        shutil.copyfile(src, part)
        os.replace(part, dst)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    src.unlink()


def write_file(path: Path, data: bytes) -> None:
    """Write bytes through a hidden ``.part`` file; on a full disk nothing is left behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(f".{path.name}.part")
    try:
        with part.open("wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(part, path)
    except BaseException:
        part.unlink(missing_ok=True)
        raise


def sweep_parts(folder: Path) -> None:
    """Remove hidden ``.part`` files a killed process left in ``folder`` (not recursive)."""
    if folder.is_dir():
        for part in folder.glob(".*.part"):
            with contextlib.suppress(OSError):
                part.unlink()


def new_staging(data_dir: Path) -> Path:
    """A private folder for one upload, named after this process (see ``sweep_staging``)."""
    folder = data_dir / STAGING / f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
    folder.mkdir(parents=True)
    return folder


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_staging(data_dir: Path) -> None:
    """Remove staging folders of processes that no longer run (a killed upload's bytes);
    a live process's folders are uploads still being parsed."""
    root = data_dir / STAGING
    if not root.is_dir():
        return
    for folder in root.iterdir():
        pid = folder.name.partition("-")[0]
        if not (pid.isdigit() and _alive(int(pid))):
            shutil.rmtree(folder, ignore_errors=True)


def expire_trash(trash: Path) -> None:
    """Forget deleted uploads after UPLOAD_TRASH_SECONDS; core documents stay restorable."""
    uploads = trash / UPLOAD_DIR
    if not uploads.is_dir():
        return
    now = time.time()
    for path in uploads.rglob("*"):
        with contextlib.suppress(OSError):
            if path.is_file() and now - path.stat().st_mtime > UPLOAD_TRASH_SECONDS:
                path.unlink()
