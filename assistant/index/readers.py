"""Knowledge files -> Markdown text with a title (and headings recovered where the format has them).

Markdown and text are read as they are; PDF through pypdf; DOCX through python-docx (its
Heading styles become Markdown headings); HTML through BeautifulSoup (h1-h6 become headings,
scripts, navigation and forms are dropped).

Every document costs a bounded amount (:class:`Limits`, from the settings): PDF, DOCX and
HTML are parsed in a child process with a time budget and an address-space limit, a DOCX is
refused before parsing when its members expand past the limit, extraction stops at the text
limit, a document yielding too many sentences is refused, and an over-long heading line is
split (its start stays the heading, the rest becomes body text) so no title or section path
carries kilobytes into every chunk. A refusal is a DocumentTooLargeError naming the limit.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.errors import DocumentError, DocumentTooLargeError

if TYPE_CHECKING:
    from assistant.settings import Settings

log = logging.getLogger(__name__)
SUPPORTED = (".md", ".markdown", ".txt", ".pdf", ".docx", ".html", ".htm")
ISOLATED = (".pdf", ".docx", ".html", ".htm")  # parsed in a child process


@dataclass(frozen=True)
class Limits:
    """What one document may cost; the defaults are the settings' defaults."""

    heading_chars: int = 200
    text_chars: int = 1_000_000
    sentences: int = 20_000
    unzipped_mb: float = 50.0
    parse_seconds: float = 60.0
    parse_memory_mb: int = 2048

    @classmethod
    def of(cls, settings: Settings) -> Limits:
        return cls(
            heading_chars=settings.max_heading_chars,
            text_chars=settings.max_document_chars,
            sentences=settings.max_document_sentences,
            unzipped_mb=settings.max_unzipped_mb,
            parse_seconds=settings.parse_timeout,
            parse_memory_mb=settings.parse_memory_mb,
        )


def _too_much_text(name: str, limits: Limits) -> DocumentTooLargeError:
    return DocumentTooLargeError(
        f"{name}: more than {limits.text_chars:,} characters of text, the limit for one "
        "document (ASSISTANT_MAX_DOCUMENT_CHARS); nothing was added."
    )

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


def read_document(path: Path, source: str, limits: Limits | None = None) -> SourceDoc:
    """Read one file; raise DocumentError with a clear reason when it cannot be used, and
    DocumentTooLargeError when it is over one of ``limits``."""
    limits = limits or Limits()
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise DocumentError(f"{path.name}: unsupported file type {suffix or '(none)'}")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"{path.name}: cannot read ({exc.strerror})") from None
    digest = hashlib.sha256(raw).hexdigest()[:16]
    if suffix in ISOLATED:
        text, title, publisher, offset = (*_parse_isolated(path, suffix, limits), 0)
    else:
        if len(raw) > 4 * limits.text_chars:  # UTF-8: at most 4 bytes a character
            raise _too_much_text(path.name, limits)
        text, title, publisher, offset = _markdown(raw, path)
    if len(text) > limits.text_chars:
        raise _too_much_text(path.name, limits)
    text = split_long_headings(text, limits.heading_chars)
    _check_has_text(text, path.name)
    if not title:
        heading = re.search(r"^#\s+(.+)$", text, re.M)
        title = heading.group(1).strip() if heading else path.stem.replace("-", " ").title()
    title = _clip(" ".join(title.split()), limits.heading_chars)
    _check_sentences(text, path.name, limits)
    return SourceDoc(source, title, publisher, text, offset, digest)


_HEADING_LINE = re.compile(r"^(\s{0,3}#{1,6})[ \t]+(.*)$")
_ANY_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}(?:[ \t].*)?$", re.M)


def _check_has_text(text: str, name: str) -> None:
    """Refuse a document with no letter or digit outside its headings: whitespace, a byte
    order mark, zero-width or punctuation-only text, or headings alone would be stored and
    listed as a document that has nothing to chunk, embed or quote."""
    body = _ANY_HEADING.sub("", text)
    if not any(ch.isalnum() for ch in body):
        only = " (only headings)" if any(ch.isalnum() for ch in text) else ""
        raise DocumentError(f"{name}: no text found{only}")


def _clip(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut at a word boundary when there is one near the end."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", limit // 2, limit + 1)
    return text[: cut if cut > 0 else limit].rstrip()


def split_long_headings(text: str, limit: int) -> str:
    """A heading line longer than ``limit`` keeps its first words as the heading; the rest of
    the line follows as body text (nothing is lost, and the heading path stays short)."""
    if not any(len(line) > limit for line in text.split("\n")):
        return text
    out = []
    for line in text.split("\n"):
        m = _HEADING_LINE.match(line) if len(line) > limit else None
        if m and len(m.group(2)) > limit:
            head = _clip(m.group(2), limit)
            out += [f"{m.group(1)} {head}", "", m.group(2)[len(head) :].strip()]
        else:
            out.append(line)
    return "\n".join(out)


def _check_sentences(text: str, name: str, limits: Limits) -> None:
    from assistant.text import split_sentences

    n = len(split_sentences(text))
    if n > limits.sentences:
        raise DocumentTooLargeError(
            f"{name}: {n:,} sentences, more than the {limits.sentences:,} one document may "
            "have (ASSISTANT_MAX_DOCUMENT_SENTENCES); nothing was added."
        )


def _parse_isolated(path: Path, suffix: str, limits: Limits) -> tuple[str, str, str]:
    """Parse a PDF/DOCX/HTML file in a child process: a parser that runs away (time or
    memory) is stopped there, and this process never holds its peak."""
    root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([root, os.environ.get("PYTHONPATH", "")])}
    cmd = [sys.executable, "-m", "assistant.index.readers", str(path), suffix,
           json.dumps(asdict(limits))]
    try:
        proc = subprocess.run(cmd, capture_output=True, timeout=limits.parse_seconds, env=env,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise DocumentTooLargeError(
            f"{path.name}: parsing took longer than {limits.parse_seconds:g}s, the limit for one "
            "document (ASSISTANT_PARSE_TIMEOUT); nothing was added."
        ) from None
    try:
        out = json.loads(proc.stdout)
    except ValueError:
        if b"MemoryError" in proc.stderr or proc.returncode in (-6, -9, -11):
            raise _too_much_memory(path.name, limits) from None
        raise DocumentError(
            f"{path.name}: the {suffix[1:].upper()} parser stopped (exit {proc.returncode})"
        ) from None
    log.debug("parsed %s: parser peak %s kB", path.name, out.get("peak_kb"),
              extra={"parser_peak_kb": out.get("peak_kb", 0)})
    if "error" in out:
        kind = DocumentTooLargeError if out.get("limit") else DocumentError
        raise kind(out["error"])
    return out["text"], out["title"], out["publisher"]


def _too_much_memory(name: str, limits: Limits) -> DocumentTooLargeError:
    return DocumentTooLargeError(
        f"{name}: parsing needs more than {limits.parse_memory_mb} MB of memory, the limit for "
        "one document (ASSISTANT_PARSE_MEMORY_MB); nothing was added."
    )


def _parse(path: Path, suffix: str, limits: Limits) -> tuple[str, str, str]:
    """The child's work: one file -> (text, title, publisher), within ``limits``."""
    try:
        if suffix == ".pdf":
            return _pdf(path, limits), "", ""
        if suffix == ".docx":
            return _docx(path, limits), "", ""
        text, title, publisher, _ = _html(path.read_bytes())
        return text, title, publisher
    except (DocumentError, MemoryError):
        raise
    except Exception as exc:  # parsers raise anything on corrupt input
        raise DocumentError(
            f"{path.name}: not a readable {suffix[1:].upper()} file ({exc})"
        ) from None


def _child(argv: list[str]) -> None:
    path, suffix, limits = Path(argv[0]), argv[1], Limits(**json.loads(argv[2]))
    cap = limits.parse_memory_mb * 1024 * 1024
    # Linux enforces RLIMIT_AS; where it is missing or refused (Windows, some macOS
    # versions) the time budget and the size limits still bound the parse.
    with contextlib.suppress(ImportError, ValueError, OSError):
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    try:
        text, title, publisher = _parse(path, suffix, limits)
        out: dict[str, object] = {"text": text, "title": title, "publisher": publisher}
    except DocumentError as exc:
        out = {"error": str(exc), "limit": isinstance(exc, DocumentTooLargeError)}
    except MemoryError:
        out = {"error": str(_too_much_memory(path.name, limits)), "limit": True}
    with contextlib.suppress(OSError, IndexError):  # the parser's peak memory, for the log
        status = Path("/proc/self/status").read_text()
        out["peak_kb"] = int(re.findall(r"VmHWM:\s+(\d+)", status)[0])
    sys.stdout.write(json.dumps(out))


def _markdown(raw: bytes, path: Path) -> tuple[str, str, str, int]:
    try:
        full = raw.decode("utf-8-sig")  # a byte order mark is not text
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


def _pdf(path: Path, limits: Limits) -> str:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    # An owner-password-only PDF (printing or copying restricted) opens with the empty user
    # password; one that needs a password to open cannot be read at all.
    if reader.is_encrypted and not reader.decrypt(""):
        raise DocumentError(
            f"{path.name}: the PDF is password-protected; save a copy without the password "
            "and upload that."
        )
    pages: list[str] = []
    size = 0
    for page in reader.pages:  # stop at the text limit instead of extracting everything
        pages.append((page.extract_text() or "").strip())
        size += len(pages[-1]) + 2
        if size > limits.text_chars:
            raise _too_much_text(path.name, limits)
    return "\n\n".join(pages)


def _docx(path: Path, limits: Limits) -> str:
    import zipfile

    import docx
    from docx.enum.style import WD_STYLE_TYPE

    with zipfile.ZipFile(path) as z:  # zipfile never inflates a member past its stated size
        expanded = sum(i.file_size for i in z.infolist())
    if expanded > limits.unzipped_mb * 1024 * 1024:
        raise DocumentTooLargeError(
            f"{path.name}: expands to {expanded / 2**20:,.0f} MB, more than the "
            f"{limits.unzipped_mb:g} MB a DOCX file may unpack to (ASSISTANT_MAX_UNZIPPED_MB); "
            "nothing was added."
        )
    document = docx.Document(str(path))
    # Style names looked up once: ``para.style`` searches the styles part on every call
    # (about 0.8 ms, 20 s for a file of 25,000 paragraphs).
    names = {s.style_id: s.name or "" for s in document.styles}
    default = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
    fallback = (default.name if default is not None else "") or ""
    lines: list[str] = []
    size = 0
    for para in document.paragraphs:
        text = para.text.strip()
        if not text:
            continue
        size += len(text) + 2
        if size > limits.text_chars:
            raise _too_much_text(path.name, limits)
        style_id = para._p.style  # the paragraph's w:pStyle, None for the default style
        style = names.get(style_id, fallback) if style_id else fallback
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


if __name__ == "__main__":  # the parsing child: python -m assistant.index.readers PATH SUFFIX JSON
    _child(sys.argv[1:])
