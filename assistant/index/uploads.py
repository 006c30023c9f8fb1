"""Validation of uploaded knowledge files: allowed types, size, safe names, real content."""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from pathlib import PurePosixPath, PureWindowsPath

from assistant.errors import InputError
from assistant.index.readers import SUPPORTED

_SAFE = re.compile(r"[^A-Za-z0-9._-]+")
_MAGIC = {".pdf": b"%PDF-", ".docx": b"PK\x03\x04"}


def safe_name(name: str) -> str:
    """The file's base name only (no directories, no traversal), in a safe alphabet. The
    suffix is kept apart, so a long or non-ASCII name keeps its type ("Руководство.md" ->
    "document-3f2a9c1b.md"; a 300-character name is shortened before its suffix)."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name
    path = PurePosixPath(base)
    suffix = _SAFE.sub("", path.suffix)[:10] if path.suffix else ""
    stem = unicodedata.normalize("NFKD", path.stem if suffix else base)
    stem = _SAFE.sub("-", stem.encode("ascii", "ignore").decode()).strip(".-")
    if not stem and path.stem.strip(" ."):  # a name in another script: still a name
        stem = "document-" + hashlib.sha256(path.stem.encode()).hexdigest()[:8]
    return f"{stem[:100]}{suffix}" if stem else ""


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
    if clean.lower() == "readme.md":
        raise InputError(
            "README.md: that name is reserved (the knowledge dir's README is not indexed); "
            "rename the file and upload it again."
        )
    if not data:
        raise InputError(f"{clean}: the file is empty.")
    if len(data) > max_mb * 1024 * 1024:
        raise InputError(f"{clean}: the file is larger than the {max_mb:g} MB limit.")
    magic = _MAGIC.get(suffix)
    if magic and not data.startswith(magic):
        raise InputError(f"{clean}: not a valid {suffix[1:].upper()} file.")
    if magic is None and data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        raise InputError(f"{clean}: the text is UTF-16; save it as UTF-8 and upload it again.")
    if magic is None and b"\x00" in data[:4096]:
        raise InputError(f"{clean}: binary content in a text file.")
    return clean
