"""A review as Markdown or DOCX: per-line verdicts with their citations, the repeated lines,
what is missing with cited suggestions, the placeholders to fill, and one Sources list.

Files are written atomically (as drafts are: ``export._atomic``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from assistant.citations import markers
from assistant.drafting.export import FORMATS, _atomic, _target, excerpt
from assistant.drafting.review import ABSENT, PARTLY, SUPPORTED, LineReview, Review
from assistant.errors import InputError
from assistant.text import markdown_literal, strip_footnotes

LABELS = {SUPPORTED: "Supported", PARTLY: "Partly supported", ABSENT: "Not in the knowledge base"}
INTRO = (
    "Each line of the description was checked against the knowledge base. [n] refers to the "
    "Sources list at the end. \u201cNot in the knowledge base\u201d means the sources do not "
    "say it, not that it is wrong: such a line may be specific to your organisation, so "
    "confirm it."
)


def summary(review: Review) -> str:
    c = review.counts()
    return (
        f"{len(review.lines)} lines: {c[SUPPORTED]} supported, {c[PARTLY]} partly supported, "
        f"{c[ABSENT]} not in the knowledge base; {len(review.duplicates)} repeated pair(s); "
        f"{len(review.missing)} missing theme(s) or section(s) with suggestions; "
        f"{len(review.placeholders)} posting section(s) to add."
    )


def groups(review: Review) -> Iterator[tuple[str, list[LineReview]]]:
    """Lines under the headings they sit under, in order."""
    current: list[LineReview] = []
    heading = None
    for lr in review.lines:
        if lr.line.heading != heading and current:
            yield heading or "", current
            current = []
        heading = lr.line.heading
        current.append(lr)
    if current:
        yield heading or "", current


def detail(review: Review, lr: LineReview) -> str:
    """What follows the verdict: the reason, the repeats, the closest sentence."""
    parts = [lr.reason]
    if lr.duplicates:
        parts.append("repeats line " + ", ".join(str(n) for n in lr.duplicates))
    if lr.closest:
        parts.append(f"closest in the sources: \u201c{lr.closest}\u201d")
    return "; ".join(parts)


def _md(text: str) -> str:
    return markdown_literal(" ".join(strip_footnotes(text).split()), line_start=False)


def to_markdown(review: Review) -> str:
    title = review.title or "Job description"
    out = [f"# Review: {_md(title)}", "", f"> {INTRO}", "", f"> **Summary:** {summary(review)}"]
    out += [f"> **Note:** {_md(n)}" for n in review.notes]
    out += ["", "## Line by line", ""]
    for heading, items in groups(review):
        if heading:
            out += [f"### {_md(heading)}", ""]
        for lr in items:
            cites = " " + markers(lr.cites) if lr.cites else ""
            out.append(f"{lr.line.n}. **{LABELS[lr.verdict]}** \u2014 {_md(lr.line.text)}{cites}  ")
            out.append(f"   *{_md(detail(review, lr))}*")
            for text, n in zip(lr.quotes, lr.cites, strict=False):
                out.append(f"   > {_md(text)} [{n}]")
        out.append("")
    if review.duplicates:
        out += ["## Repeated points", ""]
        for a, b in review.duplicates:
            la, lb = review.line(a).line, review.line(b).line
            out.append(
                f"- Line {a} \u201c{_md(la.text)}\u201d and line {b} \u201c{_md(lb.text)}\u201d "
                "make the same point."
            )
        out.append("")
    if review.missing:
        out += ["## What the description lacks that the knowledge base covers", ""]
        voice = {"imperative": "imperative", "third": "third person", "gerund": "-ing form"}
        out += [
            f"Suggestions are written in the description's style ({voice[review.style.voice]}"
            f"{', with a full stop' if review.style.period else ''}); add them with "
            "`python -m assistant review FILE --add THEME --save draft.json` or the UI.",
            "",
        ]
        for m in review.missing:
            out += [f"### {_md(m.title)} (`--add {m.slug}`)", ""]
            for sug in m.suggestions:
                flag = "" if sug.verified else " *(unverified)*"
                out.append(f"- {_md(sug.text)} {markers(sug.cites)}{flag}")
            out.append("")
    if review.placeholders:
        out += ["## Posting sections to add (only the employer can write these)", ""]
        out += [f"- **{p.title}:** {_md(p.text)}" for p in review.placeholders]
        out.append("")
    if review.sources:
        out += ["## Sources", ""]
        for s in review.sources:
            out.append(f"{s.id}. **{_md(s.title)}** \u2014 {_md(s.section)} (`{s.source}`)  ")
            out.append(f"   > {_md(excerpt(s.text))}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def to_docx(review: Review, path: str | Path) -> Path:
    target = _target(path, ".docx")
    return _atomic(target, _document(review).save)


def write(review: Review, path: str | Path) -> Path:
    target = Path(path)
    kind = FORMATS.get(target.suffix.lower())
    if kind is None:
        raise InputError(f"Cannot export to {target.name!r}: use a .md or .docx file name.")
    if kind == "docx":
        return to_docx(review, target)
    text = to_markdown(review)
    return _atomic(
        _target(target, target.suffix.lower()), lambda p: Path(p).write_text(text, encoding="utf-8")
    )


def _document(review: Review) -> Any:
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    props = doc.core_properties
    props.title = f"Review: {review.title or 'Job description'}"
    props.subject = "Job description review"
    props.author = props.last_modified_by = ""
    props.comments = ""
    doc.add_heading(props.title, level=0)
    doc.add_paragraph().add_run(INTRO).italic = True
    p = doc.add_paragraph()
    p.add_run("Summary: ").bold = True
    p.add_run(summary(review))
    for n in review.notes:
        doc.add_paragraph().add_run(f"Note: {n}").italic = True
    doc.add_heading("Line by line", level=1)
    for heading, items in groups(review):
        if heading:
            doc.add_heading(heading, level=2)
        for lr in items:
            para = doc.add_paragraph(style="List Number")
            para.add_run(f"{LABELS[lr.verdict]} \u2014 ").bold = True
            para.add_run(lr.line.text)
            if lr.cites:
                para.add_run(" " + markers(lr.cites)).font.superscript = True
            doc.add_paragraph().add_run(detail(review, lr)).italic = True
            for text, sid in zip(lr.quotes, lr.cites, strict=False):
                quote = doc.add_paragraph(f"\u201c{text}\u201d [{sid}]")
                quote.paragraph_format.left_indent = Pt(18)
    if review.duplicates:
        doc.add_heading("Repeated points", level=1)
        for a, b in review.duplicates:
            doc.add_paragraph(
                f"Line {a} \u201c{review.line(a).line.text}\u201d and line {b} "
                f"\u201c{review.line(b).line.text}\u201d make the same point.",
                style="List Bullet",
            )
    if review.missing:
        doc.add_heading("What the description lacks that the knowledge base covers", level=1)
        for m in review.missing:
            doc.add_heading(f"{m.title} (--add {m.slug})", level=2)
            for sug in m.suggestions:
                para = doc.add_paragraph(style="List Bullet")
                para.add_run(sug.text)
                para.add_run(" " + markers(sug.cites)).font.superscript = True
    if review.placeholders:
        doc.add_heading("Posting sections to add (only the employer can write these)", level=1)
        for ph in review.placeholders:
            para = doc.add_paragraph(style="List Bullet")
            para.add_run(f"{ph.title}: ").bold = True
            para.add_run(ph.text)
    if review.sources:
        doc.add_heading("Sources", level=1)
        for s in review.sources:
            para = doc.add_paragraph()
            para.add_run(f"[{s.id}] {s.title}").bold = True
            para.add_run(f" \u2014 {s.section} ({s.source})")
            q = doc.add_paragraph(excerpt(s.text))
            q.paragraph_format.left_indent = Pt(18)
            for run in q.runs:
                run.italic = True
    return doc
