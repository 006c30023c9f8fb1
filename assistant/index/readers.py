"""Knowledge files -> Markdown text with a title (and headings recovered where the format has them).

Markdown and text are read as they are; PDF through pypdf; DOCX through python-docx (its
Heading styles become Markdown headings); HTML through BeautifulSoup (h1-h6 become headings,
scripts, navigation and forms are dropped).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import DocumentError

SUPPORTED = (".md", ".markdown", ".txt", ".pdf", ".docx", ".html", ".htm")

_FRONT = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)


@dataclass(frozen=True)
class SourceDoc:
    source: str  # display path, e.g. "knowledge/foo.md"
    title: str
    publisher: str
    text: str  # Markdown body
    offset: int  # where the body starts in the file's text (for char offsets)
    doc_hash: str


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def read_document(path: Path, source: str) -> SourceDoc:
    """Read one file; raise DocumentError with a clear reason when it cannot be used."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise DocumentError(f"{path.name}: unsupported file type {suffix or '(none)'}")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"{path.name}: cannot read ({exc.strerror})") from None
    digest = hashlib.sha256(raw).hexdigest()[:16]
    try:
        if suffix in (".md", ".markdown", ".txt"):
            text, title, publisher, offset = _markdown(raw, path)
        elif suffix == ".pdf":
            text, title, publisher, offset = _pdf(path), "", "", 0
        elif suffix == ".docx":
            text, title, publisher, offset = _docx(path), "", "", 0
        else:
            text, title, publisher, offset = _html(raw)
    except DocumentError:
        raise
    except Exception as exc:  # parsers raise anything on corrupt input
        raise DocumentError(
            f"{path.name}: not a readable {suffix[1:].upper()} file ({exc})"
        ) from None
    if not text.strip():
        raise DocumentError(f"{path.name}: no text found")
    if not title:
        heading = re.search(r"^#\s+(.+)$", text, re.M)
        title = heading.group(1).strip() if heading else path.stem.replace("-", " ").title()
    return SourceDoc(source, title, publisher, text, offset, digest)


def _markdown(raw: bytes, path: Path) -> tuple[str, str, str, int]:
    try:
        full = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise DocumentError(f"{path.name}: not UTF-8 text") from None
    if "\x00" in full:
        raise DocumentError(f"{path.name}: binary content, not text")
    meta: dict[str, str] = {}
    offset = 0
    m = _FRONT.match(full)
    if m:
        for line in m.group(1).splitlines():
            key, sep, value = line.partition(":")
            if sep:
                meta[key.strip().lower()] = value.strip().strip("\"'")
        offset = m.end()
    return full[offset:], meta.get("title", ""), meta.get("publisher", ""), offset


def _pdf(path: Path) -> str:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    return "\n\n".join((page.extract_text() or "").strip() for page in reader.pages)


def _docx(path: Path) -> str:
    import docx

    lines: list[str] = []
    for para in docx.Document(str(path)).paragraphs:
        text = para.text.strip()
        if not text:
            continue
        style = (para.style.name if para.style is not None else "") or ""
        level = re.match(r"Heading (\d)", style)
        if style == "Title":
            lines.append(f"# {text}")
        elif level:
            lines.append("#" * min(6, int(level.group(1)) + 1) + " " + text)
        elif "List" in style:
            lines.append(f"- {text}")
        else:
            lines.append(text)
    return "\n\n".join(lines)


def _html(raw: bytes) -> tuple[str, str, str, int]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(raw, "html.parser")
    for tag in soup(["script", "style", "nav", "footer", "form", "header", "noscript"]):
        tag.decompose()
    title = soup.title.get_text(strip=True) if soup.title else ""
    lines: list[str] = []
    for el in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6", "p", "li"]):
        text = " ".join(el.get_text(" ", strip=True).split())
        if not text:
            continue
        name = el.name or ""
        if name.startswith("h"):
            lines.append("#" * int(name[1]) + " " + text)
        elif name == "li":
            lines.append(f"- {text}")
        else:
            lines.append(text)
    return "\n\n".join(lines), title, "", 0
