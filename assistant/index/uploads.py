"""Validation of uploaded knowledge files: allowed types, size, safe names, real content."""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath, PureWindowsPath

from assistant.errors import InputError
from assistant.index.readers import SUPPORTED

_SAFE = re.compile(r"[^A-Za-z0-9._-]+")
_MAGIC = {".pdf": b"%PDF-", ".docx": b"PK\x03\x04"}


def safe_name(name: str) -> str:
    """The file's base name only (no directories, no traversal), in a safe alphabet."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    base = _SAFE.sub("-", base).strip(".-")
    return base[:120]


def check_upload(name: str, data: bytes, max_mb: float) -> str:
    """Return the sanitised file name, or raise InputError saying why the file is refused."""
    clean = safe_name(name)
    suffix = PurePosixPath(clean).suffix.lower()
    if not clean or not PurePosixPath(clean).stem:
        raise InputError("The file has no usable name.")
    if suffix not in SUPPORTED:
        allowed = ", ".join(sorted({s for s in SUPPORTED if s not in (".markdown", ".htm")}))
        raise InputError(
            f"{clean}: file type {suffix or '(none)'} is not accepted (allowed: {allowed})."
        )
    if not data:
        raise InputError(f"{clean}: the file is empty.")
    if len(data) > max_mb * 1024 * 1024:
        raise InputError(f"{clean}: the file is larger than the {max_mb:g} MB limit.")
    magic = _MAGIC.get(suffix)
    if magic and not data.startswith(magic):
        raise InputError(f"{clean}: not a valid {suffix[1:].upper()} file.")
    if magic is None and b"\x00" in data[:4096]:
        raise InputError(f"{clean}: binary content in a text file.")
    return clean
