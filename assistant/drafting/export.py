"""A draft as Markdown or DOCX: a reviewed version (numbered citations, notes, a Sources list
with title, section and passage excerpt) and a clean version for posting (no citations).

The employer's lines (Reports to, Location, Compensation, …) are never cited; an empty input
shows as a bracketed placeholder, and the reviewed version lists the placeholders still to
fill. Citation numbers are made consecutive on export (a refined draft may have gaps).

Files are written atomically (a temp file in the target directory, then a rename), so a
failed export never leaves half a file behind.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from assistant.citations import markers
from assistant.drafting.model import Bullet, Draft, DraftSection
from assistant.errors import InputError
from assistant.text import markdown_literal, strip_footnotes

EXCERPT_CHARS = 320
FORMATS = {".md": "markdown", ".markdown": "markdown", ".docx": "docx"}
REVIEW_NOTE = (
    "Draft for review. Every bullet was written from the knowledge-base passage it cites; "
    "[n] refers to the Sources list at the end. Bullets marked as edited or unverified need a "
    "check against their source before posting."
)


def file_stem(draft: Draft, reviewed: bool = True) -> str:
    """Download name from the organisation, else the setting ("Acme-Health-Medical-Director")."""
    who = draft.org or draft.setting
    words = re.findall(r"[A-Za-z0-9]+", f"{who} {draft.seniority} Medical Director")
    stem = "-".join(w if w.isupper() else w[:1].upper() + w[1:] for w in words)
    return stem + ("" if reviewed else "-clean")


def numbered(draft: Draft) -> Draft:
    """A copy with citation numbers 1..n in order of first use (the export's numbering)."""
    out = draft.copy()
    out.renumber()
    return out


def _placeholder_note(draft: Draft) -> str:
    todo = draft.placeholders()
    templated = [s.title for s in draft.sections if any(ln.kind == "template" for ln in s.lines)]
    parts = []
    if todo:
        parts.append("Fill in before posting: " + "; ".join(todo) + ".")
    if templated:
        parts.append("Standard wording to confirm with HR: " + ", ".join(templated) + ".")
    return " ".join(parts)


def _line_md(label: str, text: str) -> str:
    return f"**{label}:** {text}" if label else text


def quote(b: Bullet) -> str:
    """A bullet's text as exported: no bracketed numbers of its own, which would read as
    citations (or survive as fake ones in the clean version)."""
    return " ".join(strip_footnotes(b.text).split())


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    text = " ".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    text = " ".join(strip_footnotes(text).split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"


def flags(b: Bullet) -> str:
    out = []
    if b.edited:
        out.append("edited")
    if not b.verified:
        out.append("unverified: not all its words are in the cited passage")
    return f" *({'; '.join(out)})*" if out else ""


def groups(section: DraftSection) -> Iterator[tuple[str, list[Bullet]]]:
    """Bullets under theme headings when a section has several themes, else one group."""
    themes = list(dict.fromkeys(b.theme for b in section.bullets))
    if len(themes) <= 1 or section.section == "summary":
        yield "", list(section.bullets)
        return
    for theme in themes:
        yield theme or "Other", [b for b in section.bullets if b.theme == theme]


def _bullet_md(b: Bullet, reviewed: bool) -> str:
    if not reviewed:
        return f"- {markdown_literal(quote(b))}"
    return f"- {markdown_literal(quote(b))} {markers([c.id for c in b.citations])}{flags(b)}"


def to_markdown(draft: Draft, reviewed: bool = True) -> str:
    draft = numbered(draft)
    lines = [f"# {draft.title}", ""]
    if reviewed:
        lines += [f"> {REVIEW_NOTE}", ""]
        todo = _placeholder_note(draft)
        if todo:
            lines += [f"> **To do:** {todo}", ""]
        lines += [f"> **Note:** {n}" for n in draft.notes]
        if draft.notes:
            lines.append("")
    for s in draft.sections:
        lines += [f"## {s.title}", ""]
        if s.lines:
            lines += [_line_md(ln.label, ln.text) + "  " for ln in s.lines]
            lines[-1] = lines[-1].rstrip()
            lines.append("")
        if s.section == "summary":
            parts = [s.intro] if s.intro else []
            for b in s.bullets:
                text = markdown_literal(quote(b))
                if reviewed:
                    text += " " + markers([c.id for c in b.citations]) + flags(b)
                parts.append(text)
            if parts:
                lines += [" ".join(parts), ""]
        else:
            if s.intro:
                lines += [s.intro, ""]
            for theme, bullets in groups(s) if s.bullets else ():
                if theme:
                    lines += [f"**{theme}**", ""]
                lines += [_bullet_md(b, reviewed) for b in bullets]
                lines.append("")
        if reviewed:
            lines += [f"*Note: {n}*" for n in s.notes]
            if s.notes:
                lines.append("")
    if reviewed:
        sources = draft.sources()
        if sources:
            lines += ["## Sources", ""]
            for c in sources:
                title = markdown_literal(c.title, line_start=False)
                section = markdown_literal(c.section, line_start=False)
                lines.append(f"{c.id}. **{title}** — {section} (`{c.source}`)  ")
                lines.append(f"   > {markdown_literal(excerpt(c.text))}")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def to_docx(draft: Draft, path: str | Path, reviewed: bool = True) -> Path:
    """Write the draft as a Word document (python-docx) and return its path."""
    target = _target(path, ".docx")
    document = _document(numbered(draft), reviewed)
    return _atomic(target, document.save)


def write(draft: Draft, path: str | Path, reviewed: bool = True) -> Path:
    """Export by file extension (.md / .markdown / .docx)."""
    target = Path(path)
    kind = FORMATS.get(target.suffix.lower())
    if kind is None:
        raise InputError(f"Cannot export to {target.name!r}: use a .md or .docx file name.")
    if kind == "docx":
        return to_docx(draft, target, reviewed)
    text = to_markdown(draft, reviewed)
    return _atomic(
        _target(target, target.suffix.lower()), lambda p: Path(p).write_text(text, encoding="utf-8")
    )


def check_target(path: str | Path) -> Path:
    """Fail early (before any work) on a bad extension or a directory that cannot be written."""
    target = Path(path)
    if target.suffix.lower() not in FORMATS:
        raise InputError(f"Cannot export to {target.name!r}: use a .md or .docx file name.")
    return _target(target, target.suffix.lower())


def _target(path: str | Path, suffix: str) -> Path:
    target = Path(path)
    if target.suffix.lower() != suffix:
        raise InputError(
            f"Cannot write {target.name!r} as {suffix}: the extension must be {suffix}."
        )
    parent = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise InputError(f"Cannot write {target}: it is a directory.")
    if not parent.is_dir():
        raise InputError(f"Cannot write {target}: the directory {parent} does not exist.")
    if not os.access(parent, os.W_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise InputError(f"Cannot write {target}: permission denied.")
    return target


def _atomic(target: Path, save: Callable[[Any], Any]) -> Path:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    os.close(fd)
    try:
        save(tmp)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise InputError(f"Cannot write {target}: {exc.strerror or exc}.") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def _document(draft: Draft, reviewed: bool) -> Any:
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    props = doc.core_properties  # neutral: the template's "python-docx" author is dropped
    props.title = draft.title
    props.subject = "Job description"
    props.author = draft.org
    props.last_modified_by = draft.org
    props.comments = ""
    props.keywords = "Medical Director"
    props.category = "Job posting"
    doc.add_heading(draft.title, level=0)
    if reviewed:
        doc.add_paragraph().add_run(REVIEW_NOTE).italic = True
        todo = _placeholder_note(draft)
        if todo:
            p = doc.add_paragraph()
            p.add_run("To do: ").bold = True
            p.add_run(todo)
        for n in draft.notes:
            p = doc.add_paragraph()
            p.add_run("Note: ").bold = True
            p.add_run(n)

    def cited(paragraph: Any, b: Bullet) -> None:
        paragraph.add_run(quote(b))
        if reviewed:
            run = paragraph.add_run(" " + markers([c.id for c in b.citations]))
            run.font.superscript = True
            if b.edited or not b.verified:
                paragraph.add_run(flags(b).replace("*", "")).italic = True

    for s in draft.sections:
        doc.add_heading(s.title, level=1)
        for ln in s.lines:
            p = doc.add_paragraph()
            if ln.label:
                p.add_run(f"{ln.label}: ").bold = True
            p.add_run(ln.text)
        if s.section == "summary":
            p = doc.add_paragraph()
            if s.intro:
                p.add_run(s.intro + " ")
            for b in s.bullets:
                cited(p, b)
                p.add_run(" ")
        else:
            if s.intro:
                doc.add_paragraph(s.intro)
            for theme, bullets in groups(s):
                if theme:
                    doc.add_paragraph().add_run(theme).bold = True
                for b in bullets:
                    cited(doc.add_paragraph(style="List Bullet"), b)
        if reviewed:
            for n in s.notes:
                doc.add_paragraph().add_run(f"Note: {n}").italic = True
    if reviewed and draft.sources():
        doc.add_heading("Sources", level=1)
        for c in draft.sources():
            p = doc.add_paragraph()
            p.add_run(f"[{c.id}] {c.title}").bold = True
            p.add_run(f" — {c.section} ({c.source})")
            q = doc.add_paragraph(excerpt(c.text))
            q.paragraph_format.left_indent = Pt(18)
            for run in q.runs:
                run.italic = True
    return doc
