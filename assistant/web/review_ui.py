"""The Draft tab's Review area: handlers and HTML (kept apart from the chat's render.py).

Paste a description or upload one (.txt .md .docx .pdf, checked as a knowledge-base upload
is and read, never added), see each line's verdict with its citations, what is missing with
cited suggestions and the posting sections to add, download the report, and turn the chosen
suggestions into a draft that the rest of the Draft tab refines, saves and exports.
"""

from __future__ import annotations

import html
import tempfile
from pathlib import Path
from typing import Any

from assistant.drafting.review import ABSENT, PARTLY, SUPPORTED, Review
from assistant.errors import InputError
from assistant.facade import Assistant

BADGES = {SUPPORTED: ("ok", "Supported"), PARTLY: ("part", "Partly supported"),
          ABSENT: ("absent", "Not in the knowledge base")}  # fmt: skip
REVIEW_TYPES = [".txt", ".md", ".docx", ".pdf"]
# Scoped to the review area; each verdict is also written out (never colour alone).
STYLE = (
    "<style>.review .badge{display:inline-block;padding:0 .4em;border-radius:.3em;"
    "font-size:.85em;font-weight:600;border:1px solid currentColor}"
    ".review .badge.ok{color:#1d6b2f}.review .badge.part{color:#7a5200}"
    ".review .badge.absent{color:#8a1c1c}.review .why{font-style:italic;font-size:.9em}"
    ".review blockquote{margin:.2em 0 .4em 1em;font-size:.9em;opacity:.9}"
    ".review li.review-line{margin-bottom:.5em}"
    "@media (prefers-color-scheme: dark){.review .badge.ok{color:#7fd18f}"
    ".review .badge.part{color:#f0c060}.review .badge.absent{color:#ff9a9a}}</style>"
)


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def read_upload(a: Assistant, path: str | None) -> str:
    from assistant.drafting.review import read_file
    from assistant.index.readers import Limits

    if not path:
        raise InputError("Choose a job description file (.txt, .md, .docx or .pdf).")
    return read_file(path, a.settings.max_upload_mb, Limits.of(a.settings))


def run_review(a: Assistant, text: str | None, setting: str = "") -> tuple[Review, str]:
    """(the review, its status line) for pasted text."""
    if not text or not text.strip():
        raise InputError("Paste a job description or upload one first.")
    review = a.review(text, setting=(setting or "").strip())
    from assistant.drafting.review_report import summary

    return review, "Reviewed: " + summary(review)


def theme_choices(review: Review | None) -> list[tuple[str, str]]:
    return [(m.title, m.slug) for m in review.missing] if review else []


def to_draft(review: Review | None, themes: list[str] | None) -> dict[str, Any]:
    from assistant.drafting.review_draft import to_draft as make

    if review is None:
        raise InputError("Review a job description first.")
    if review.missing and not themes:
        raise InputError("Choose at least one theme to add suggested bullets for.")
    result: dict[str, Any] = make(review, themes or []).to_dict()
    return result


def exports(review: Review | None) -> list[str | None]:
    """The report as Markdown and DOCX in a fresh temp dir (None before a review)."""
    if review is None:
        return [None, None]
    from assistant.drafting import review_report

    folder = Path(tempfile.mkdtemp(prefix="md-review-"))
    stem = "-".join(w for w in "".join(c if c.isalnum() else " " for c in review.title).split())
    stem = f"Review-{stem[:60] or 'job-description'}"
    return [
        str(review_report.write(review, folder / f"{stem}.md")),
        str(review_report.write(review, folder / f"{stem}.docx")),
    ]


def review_html(review: Review | None) -> str:
    """The report on screen: lines grouped by heading, each with its verdict and citations;
    repeated points; missing themes with their suggestions; placeholders; Sources."""
    if review is None:
        return '<div class="review empty">Paste or upload a job description and press ' \
               "<b>Check against the knowledge base</b>.</div>"  # fmt: skip
    from assistant.drafting.review_report import detail, groups

    out = [STYLE, '<div class="review">']  # the summary is the status line above
    for heading, items in groups(review):
        if heading:
            out.append(f"<h4>{esc(heading)}</h4>")
        out.append('<ol class="review-lines">')
        for lr in items:
            kind, label = BADGES[lr.verdict]
            cites = "".join(f'<sup class="cite">[{n}]</sup>' for n in lr.cites)
            quotes = "".join(
                f'<blockquote>{esc(q)} <span class="cite">[{n}]</span></blockquote>'
                for q, n in zip(lr.quotes, lr.cites, strict=False)
            )
            out.append(
                f'<li class="review-line {kind}" value="{lr.line.n}" data-verdict="{kind}">'
                f'<span class="badge {kind}">{esc(label)}</span> {esc(lr.line.text)}{cites}'
                f'<div class="why">{esc(detail(review, lr))}</div>{quotes}</li>'
            )
        out.append("</ol>")
    if review.duplicates:
        out.append("<h4>Repeated points</h4><ul>")
        for a, b in review.duplicates:
            out.append(
                f'<li class="repeat">Line {a} \u201c{esc(review.line(a).line.text)}\u201d and '
                f"line {b} \u201c{esc(review.line(b).line.text)}\u201d make the same point.</li>"
            )
        out.append("</ul>")
    if review.missing:
        out.append("<h4>What the description lacks that the knowledge base covers</h4>")
        for m in review.missing:
            out.append(f'<div class="missing" data-theme="{esc(m.slug)}"><b>{esc(m.title)}</b><ul>')
            for sug in m.suggestions:
                cites = "".join(f'<sup class="cite">[{n}]</sup>' for n in sug.cites)
                out.append(f'<li class="suggestion">{esc(sug.text)}{cites}</li>')
            out.append("</ul></div>")
    if review.placeholders:
        out.append("<h4>Posting sections to add (only you can fill these)</h4><ul>")
        out += [
            f'<li class="placeholder"><b>{esc(p.title)}:</b> {esc(p.text)}</li>'
            for p in review.placeholders
        ]
        out.append("</ul>")
    if review.sources:
        out.append('<details class="review-sources"><summary>Sources</summary><ol>')
        for s in review.sources:
            out.append(
                f'<li value="{s.id}"><b>{esc(s.title)}</b> \u203a {esc(s.section)} '
                f'<span class="muted">({esc(s.source)})</span><div>{esc(s.text[:600])}</div></li>'
            )
        out.append("</ol></details>")
    out.append("</div>")
    return "".join(out)
