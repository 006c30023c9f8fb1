"""Pure rendering for the web UI: facade results -> Markdown/HTML strings and table rows.

Nothing here talks to Gradio or the index, so every function is easy to test on its own. All
text that comes from documents or users is HTML-escaped before it is put into markup; in the
chat (Markdown with HTML) it is also kept from being read as Markdown (:func:`literal`), so a
quoted ``![x](http://host/b.png)`` is shown as those characters and never fetched.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from assistant.text import strip_footnotes
from assistant.types import Answer, Chunk, Citation, DocumentInfo

_MARKER = re.compile(r"\[(\d+)\]")


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


# Every ASCII character that Markdown (emphasis, code, links, images, autolinks, headings,
# lists, tables, strikethrough) or the chat's $$ maths could read as syntax, as a character
# reference: the browser shows the character, the Markdown parser sees no syntax.
_LITERAL = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"}
    | {c: f"&#{ord(c)};" for c in "\\`*_{}[]()#!|~:@$"}
)
_LINE_START = re.compile(r"^(\s*)([-+=])|^(\s*\d+)([.)])")  # list items, setext underlines
_WWW = re.compile(r"(?i)\b(www)\.")


def literal(text: object) -> str:
    """Document or user text for a Markdown-with-HTML view: shown as exactly its characters
    (no live Markdown, no image, no link, no formula), and HTML-escaped."""
    out = _WWW.sub(r"\1&#46;", str(text).translate(_LITERAL))
    return _LINE_START.sub(
        lambda m: f"{m[1]}&#{ord(m[2])};" if m[2] else f"{m[3]}&#{ord(m[4])};", out
    )


def _passage(text: str, width: int = 0) -> str:
    flat = " ".join(text.split())
    if width and len(flat) > width:
        flat = flat[: width - 1].rstrip() + "…"
    return flat


_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
TRIM_AT = 420  # a passage longer than this is shown trimmed around its quote (full text below)
CONTEXT = 140  # characters of context kept on each side of a quote in a trimmed passage


def source_label(title: str, section: str) -> str:
    """"Title › Section › Subsection" with nothing said twice in a row: the title is not
    repeated when the section path starts with it (or is it), nor a heading by its own
    sub-heading of the same name."""
    parts: list[str] = []
    for part in [str(title).strip(), *str(section).split(" > ")]:
        part = part.strip()
        if part and not (parts and parts[-1].casefold() == part.casefold()):
            parts.append(part)
    return " › ".join(parts)


def _quote_pattern(sentence: str) -> re.Pattern[str] | None:
    """The sentence as it may appear in a flattened passage line: any spacing between its
    words, footnote numbers allowed before its punctuation, case aside."""
    words = strip_footnotes(sentence).split()
    if not words:
        return None
    notes = r"(?:\s*\[\d+\])*"
    last = re.match(r"^(.*?)([.!?;:]*)$", words[-1])
    tail = re.escape(last[1]) + notes + re.escape(last[2]) if last else re.escape(words[-1])
    body = "".join(re.escape(w) + notes + r"\s+" for w in words[:-1])
    return re.compile(body + tail, re.I)


def _lines(text: str, quotes: Sequence[str]) -> list[tuple[bool, str, list[tuple[int, int]]]]:
    """The passage as (is heading, flattened text, spans of quoted sentences) lines."""
    patterns = [p for p in (_quote_pattern(q) for q in quotes) if p is not None]
    out: list[tuple[bool, str, list[tuple[int, int]]]] = []
    for line in text.splitlines():
        m = _HEADING.match(line)
        if m:
            out.append((True, m.group(1), []))
        elif line.strip():
            flat = " ".join(line.split())
            spans = sorted(h.span() for p in patterns for h in [p.search(flat)] if h)
            merged: list[tuple[int, int]] = []
            for a, b in spans:
                if merged and a <= merged[-1][1]:
                    merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
                else:
                    merged.append((a, b))
            out.append((False, flat, merged))
    return out


def _marked(flat: str, spans: Sequence[tuple[int, int]], lo: int = 0, hi: int = -1) -> str:
    """flat[lo:hi] as literal text with its quoted spans in <mark>."""
    hi = len(flat) if hi < 0 else hi
    out, pos = [], lo
    for a, b in spans:
        a, b = max(a, lo), min(b, hi)
        if a >= b:
            continue
        out.append(literal(flat[pos:a]) + f'<mark class="quote">{literal(flat[a:b])}</mark>')
        pos = b
    out.append(literal(flat[pos:hi]))
    return "".join(out)


def passage_html(text: str, quotes: Sequence[str] = ()) -> str:
    """The exact passage, its Markdown heading lines shown as bold text instead of '#'s and
    the quoted sentences (``quotes``) marked."""
    return " ".join(
        f"<b>{literal(flat)}</b>" if heading else _marked(flat, spans)
        for heading, flat, spans in _lines(text, quotes)
    )


def _excerpt(lines: Sequence[tuple[bool, str, list[tuple[int, int]]]],
             context: int = CONTEXT) -> str:
    """The quoted sentences with some context on each side, "…" where text was left out."""
    parts = []
    for heading, flat, spans in lines:
        if heading or not spans:
            continue
        lo, hi = max(0, spans[0][0] - context), min(len(flat), spans[-1][1] + context)
        if lo > 0:  # start and end on a word boundary
            lo = flat.find(" ", lo) + 1 if " " in flat[lo : spans[0][0]] else spans[0][0]
        if hi < len(flat):
            cut = flat.rfind(" ", spans[-1][1], hi)
            hi = cut if cut > 0 else spans[-1][1]
        parts.append(("… " if lo > 0 else "") + _marked(flat, spans, lo, hi)
                     + (" …" if hi < len(flat) else ""))
    return " ".join(parts)


def _source_passage(text: str, quotes: Sequence[str]) -> str:
    """A source's passage: whole when short (or nothing is marked), else trimmed around the
    quoted sentences with the full passage one click away."""
    lines = _lines(text, quotes)
    full = passage_html(text, quotes)
    length = sum(len(flat) for _, flat, _ in lines)
    if length <= TRIM_AT or not any(spans for _, _, spans in lines):
        return f"<blockquote>{full}</blockquote>"
    return (
        f'<blockquote class="excerpt">{_excerpt(lines)}</blockquote>'
        f'<details class="full-passage"><summary>Full passage ({length} characters)</summary>'
        f"<blockquote>{full}</blockquote></details>"
    )


def sources_block(
    citations: Sequence[Citation],
    open_: bool = False,
    quotes: Mapping[int, Sequence[str]] | None = None,
) -> str:
    """A collapsible Sources block: [n] title › section, the file, then the passage with the
    sentences quoted from it (``quotes``: citation id -> sentences) marked."""
    if not citations:
        return ""
    quotes = quotes or {}
    items = "".join(
        f'<li id="src-{c.id}" class="src" tabindex="-1">'
        f'<div class="src-head"><b>[{c.id}]</b> {literal(source_label(c.title, c.section))}'
        f'</div><div class="src-file">{literal(c.source)}</div>'
        f"{_source_passage(c.text, quotes.get(c.id, ()))}</li>"
        for c in citations
    )
    n = len(citations)
    label = f"Sources ({n} passage{'s' if n != 1 else ''})"
    return (
        f'<details class="sources"{" open" if open_ else ""}><summary>{label}</summary>'
        f'<ol class="src-list">{items}</ol></details>'
    )


PREVIEW_CONTEXT = 60  # characters of context on each side of the quote in a [n]'s preview


def cite_preview(citation: Citation, quotes: Sequence[str] = ()) -> str:
    """What hovering or focusing a [n] shows: "[n] title › section", then the quoted sentences
    in a little of their context (marked), or the passage's start when nothing is marked."""
    lines = _lines(citation.text, quotes)
    quote = _excerpt(lines, PREVIEW_CONTEXT) or literal(_passage(citation.text, 160))
    return (f'<span class="tip-head">[{esc(citation.id)}] '
            f"{literal(source_label(citation.title, citation.section))}</span>"
            f'<span class="tip-quote">{quote}</span>')


def cite_marker(n: object, preview: str = "", tip_id: str = "") -> str:
    """A [n] that opens source n in its answer's Sources block (web/script.py); with a
    ``preview`` (:func:`cite_preview`), hovering or focusing it shows that preview, a
    role="tooltip" element the button names with aria-describedby (shown by CSS alone)."""
    button = (f'<sup class="cite"><button type="button" class="cite-link" '
              f'aria-label="Source {esc(n)}"'
              + (f' aria-describedby="{esc(tip_id)}"' if preview and tip_id else "")
              + f">[{esc(n)}]</button></sup>")
    if not preview:
        return button
    tip = f'<span class="cite-tip" role="tooltip" id="{esc(tip_id)}">{preview}</span>'
    return f'<span class="cite-wrap">{button}{tip}</span>'


def answer_text(
    text: str,
    as_list: bool | None = None,
    previews: Mapping[int, str] | None = None,
    uid: str = "a",
) -> str:
    """Streamed or final answer text with its [n] markers shown as small buttons that open
    their source (``previews``: citation id -> :func:`cite_preview`, shown on hover and
    focus; ``uid`` keeps the previews' ids unique on the page). The answer's own structure
    (lines, "- " list items) stays Markdown; the quotes are :func:`literal`.
    Every [n] in an answer is a citation: sentences carry no bracketed numbers of their own
    (``citations.render`` drops them). ``as_list`` False: no line is a list item (None: a
    streamed text, whose list answers come line by line as "- ...")."""
    previews = previews or {}
    lines, count = [], 0
    for line in text.split("\n"):
        bullet = "- " if line.startswith("- ") and as_list is not False else ""
        pieces = _MARKER.split(line[len(bullet) :])  # text, number, text, number, ..., text
        out = []
        for i, p in enumerate(pieces):
            if i % 2:
                count += 1
                out.append(cite_marker(p, previews.get(int(p), ""), f"tip-{uid}-{count}"))
            else:
                out.append(literal(p))
        lines.append(bullet + "".join(out))
    return "\n".join(lines)


def not_covered(answer: Answer) -> str:
    topics = "".join(f"<li>{literal(t)}</li>" for t in answer.suggestions)
    listing = (
        f"<p>Nearest topics the knowledge base does cover:</p><ul>{topics}</ul>" if topics else ""
    )
    why = answer.answer.split(" It covers, for example:")[0] if answer.missing else ""
    said = literal(why) if why else "The knowledge base does not answer this question"
    return (
        f'<div class="not-covered"><p><b>⚠ Not covered.</b> {said.rstrip(".")}, so there is '
        f"no cited answer.</p>{listing}</div>"
    )


def reading_line(answer: Answer) -> str:
    """How the question was read: its spelling correction and the turn it follows up."""
    notes = []
    if answer.searched_for:
        notes.append(f"Searched for: “{literal(answer.searched_for)}”")
    if answer.follow_up_of:
        notes.append(f"Read as a follow-up of: “{literal(answer.follow_up_of)}”")
    return f'<p class="reading"><i>{" · ".join(notes)}</i></p>' if notes else ""


_TASK = re.compile(r'<p class="task" data-setting="([^"]*)">')


def task_setting_of(messages: Sequence[Mapping[str, Any]] | None) -> str | None:
    """The setting of the last answer when it was a drafting request (else None)."""
    if not messages:
        return None
    last = messages[-1]
    content = last.get("content") if isinstance(last, Mapping) else None
    if isinstance(content, list):  # gradio hands message content back as typed parts
        content = " ".join(
            str(p.get("text", "")) if isinstance(p, Mapping) else str(p) for p in content
        )
    m = _TASK.search(content) if isinstance(content, str) else None
    return html.unescape(m.group(1)) if m else None


def answer_plain(answer: Answer) -> str:
    """The answer as the "Copy" button copies it: plain text (Markdown) with its [n] markers
    and a Sources list, no HTML."""
    notes = []
    if answer.searched_for:
        notes.append(f"Searched for: “{answer.searched_for}”")
    if answer.follow_up_of:
        notes.append(f"Read as a follow-up of: “{answer.follow_up_of}”")
    parts = [" · ".join(notes)] if notes else []
    if answer.refused:
        why = answer.answer.split(" It covers, for example:")[0] if answer.missing else ""
        said = (why or "The knowledge base does not answer this question").rstrip(".")
        parts.append(f"Not covered. {said}, so there is no cited answer.")
        if answer.suggestions:
            parts.append("Nearest topics the knowledge base does cover:\n"
                         + "\n".join(f"- {t}" for t in answer.suggestions))
        return "\n\n".join(parts)
    if answer.notice and answer.coverage != "task":
        parts.append(answer.notice)
    parts.append(answer.answer)
    if answer.citations and answer.coverage != "task":
        parts.append("Sources:\n" + "\n".join(
            f"- [{c.id}] {source_label(c.title, c.section)} — {c.source}"
            for c in answer.citations
        ))
    return "\n\n".join(parts)


def copy_button(plain: str) -> str:
    """A "Copy" button for a chat bubble and the plain text it copies (web/script.py): the
    text is kept in a hidden element, every character that Markdown could read as syntax as
    a character reference and its line breaks as &#10;, so the bubble's Markdown leaves it
    alone and the browser hands back exactly ``plain``."""
    text = literal(plain).replace("\n", "&#10;")
    return (
        '<div class="copy-row"><button type="button" class="copy-answer" '
        'title="Copy this answer as plain text, citations included">Copy</button>'
        f'<span class="copy-text" hidden>{text}</span></div>'
    )


def answer_message(answer: Answer, uid: str = "a") -> str:
    """The complete chat bubble for an answer: how it was read, text with markers and their
    previews, notice, Sources block, and the Copy button (plain text: :func:`answer_plain`).
    ``uid`` (the message's place in the chat) keeps its previews' ids unique on the page."""
    copy = copy_button(answer_plain(answer))
    if answer.refused:
        return reading_line(answer) + not_covered(answer) + f"\n\n{copy}"
    parts = [reading_line(answer)] if reading_line(answer) else []
    if answer.coverage == "task":
        setting = esc(answer.task_setting)
        parts.append(f'<p class="task" data-setting="{setting}">{literal(answer.answer)}</p>')
        return "\n\n".join([*parts, copy])
    if answer.notice:
        parts.append(f'<p class="notice"><i>{literal(answer.notice)}</i></p>')
    quotes: dict[int, list[str]] = {}
    for sentence in answer.sentences:
        for n in sentence.citations:
            quotes.setdefault(n, []).append(sentence.text)
    previews = {c.id: cite_preview(c, quotes.get(c.id, ())) for c in answer.citations}
    parts.append(answer_text(answer.answer, answer.as_list, previews, uid))
    body = "\n\n".join(parts)
    return f"{body}\n\n{sources_block(answer.citations, quotes=quotes)}\n\n{copy}"


def counter_html(text: str, limit: int) -> str:
    """The question box's character counter (kept current in the browser: chat_tab.box_state_js)."""
    n = len(text)
    over = f" — {n - limit:,} too many" if n > limit else ""
    cls = "question-count over" if n > limit else "question-count"
    return f'<p class="{cls}">{n:,} / {limit:,} characters{over}</p>'


def document_rows(docs: Iterable[DocumentInfo]) -> list[list[Any]]:
    return [[d.source, d.title, d.chunks] for d in docs]


def chunks_html(source: str, chunks: Sequence[Chunk]) -> str:
    if not chunks:
        return "<p><i>Choose a document to see its chunks.</i></p>" if not source else (
            f"<p>No chunks for {esc(source)}.</p>"
        )
    cards = "".join(
        f'<div class="chunk"><div class="chunk-head"><b>{n}.</b> {esc(c.section or c.title)}'
        f' <span class="chunk-meta">chars {c.start_char}–{c.end_char} · id {esc(c.id[:12])}'
        f"</span></div><div class=\"chunk-text\">{passage_html(c.text)}</div></div>"
        for n, c in enumerate(chunks, start=1)
    )
    return f'<div class="chunks"><p><b>{esc(source)}</b>: {len(chunks)} chunks</p>{cards}</div>'


# -- drafts (the draft JSON shape of assistant.drafting.model.Draft.to_dict()) -----------------
def _bullet_text(bullet: Mapping[str, Any]) -> str:
    """A bullet's quote, without bracketed numbers that would look like its citations."""
    return esc(strip_footnotes(str(bullet.get("text", ""))))


def _cite_markers(bullet: Mapping[str, Any]) -> str:
    return "".join(
        f'<sup class="cite">[{esc(c.get("id", "?"))}]</sup>' for c in bullet.get("citations", [])
    )


def _badges(bullet: Mapping[str, Any]) -> str:
    out = []
    if bullet.get("pinned"):
        out.append('<span class="badge pin">pinned</span>')
    if bullet.get("edited"):
        out.append('<span class="badge edit">edited — review</span>')
    if not bullet.get("verified", True):
        out.append('<span class="badge warn">unverified</span>')
    return "".join(out)


def _bullet_sources(bullet: Mapping[str, Any]) -> str:
    lines = "".join(
        f'<div class="bullet-src">[{esc(c.get("id", "?"))}] {esc(c.get("title", ""))}'
        f' — {esc(c.get("section", ""))}</div>'
        for c in bullet.get("citations", [])
    )
    return lines


# A bullet's actions in the draft view: (action, button text, what its label says it does).
BULLET_ACTIONS = (
    ("pin", "Pin", "Pin"),
    ("up", "↑ Up", "Move up"),
    ("down", "↓ Down", "Move down"),
    ("edit", "Edit", "Edit"),
    ("remove", "Remove", "Remove"),
)


def bullet_actions(sec: Mapping[str, Any], bullet: Mapping[str, Any], i: int, n: int) -> str:
    """The buttons beside a bullet (web/script.py sends their clicks to draft_tab): real
    buttons, each named after the bullet it acts on; Up on the first and Down on the last
    bullet are disabled."""
    name = _passage(strip_footnotes(str(bullet.get("text", ""))), 60)
    pinned = bool(bullet.get("pinned"))
    buttons = []
    for action, text, verb in BULLET_ACTIONS:
        if action == "pin" and pinned:
            text, verb = "Unpin", "Unpin"
        off = (action == "up" and i == 0) or (action == "down" and i == n - 1)
        pressed = f' aria-pressed="{str(pinned).lower()}"' if action == "pin" else ""
        buttons.append(
            f'<button type="button" class="bullet-act act-{action}" data-action="{action}"'
            f' aria-label="{esc(verb)} bullet: {esc(name)}"{pressed}'
            f'{" disabled" if off else ""}>{esc(text)}</button>'
        )
    section = esc(sec.get("section", ""))
    return (f'<span class="bullet-actions" role="group" data-section="{section}" '
            f'data-bullet="{esc(bullet.get("id", ""))}" aria-label="Actions for bullet: '
            f'{esc(name)}">{"".join(buttons)}</span>')


def draft_html(draft: Mapping[str, Any] | None) -> str:
    """The draft as reviewable HTML: every bullet with its markers, badges and sources."""
    if not draft or not draft.get("sections"):
        return (
            '<p class="empty"><i>No draft yet: choose the sections and press '
            "<b>Generate draft</b>.</i></p>"
        )
    head = [
        f"<b>{label}:</b> {esc(draft[key])}"
        for key, label in (
            ("setting", "Setting"),
            ("org", "Organisation"),
            ("seniority", "Seniority"),
        )
        if draft.get(key)
    ]
    if draft.get("emphasis"):
        head.append("<b>Emphasis:</b> " + esc(", ".join(draft["emphasis"])))
    out = ['<div class="draft">']
    if draft.get("title"):
        out.append(f'<h2 class="draft-title">{esc(draft["title"])}</h2>')
    if head:
        out.append(f'<p class="draft-meta">{" · ".join(head)}</p>')
    for note in draft.get("notes", []):
        out.append(f'<p class="note">ℹ {esc(note)}</p>')
    for sec in draft["sections"]:
        out.append(f'<section class="draft-section" data-section="{esc(sec.get("section"))}">')
        out.append(f"<h3>{esc(sec.get('title') or sec.get('section'))}</h3>")
        bullets = sec.get("bullets", [])
        for line in sec.get("lines", []):  # the employer's own lines: never cited
            label = f"<b>{esc(line['label'])}:</b> " if line.get("label") else ""
            kind = "placeholder" if line.get("kind") == "placeholder" else "employer"
            out.append(f'<p class="{kind}">{label}{esc(line.get("text", ""))}</p>')
        if sec.get("section") == "summary":  # one paragraph, each sentence with its markers
            sentences = [esc(sec["intro"])] if sec.get("intro") else []
            sentences += [
                f'<span class="bullet" data-id="{esc(b.get("id", ""))}">{_bullet_text(b)}'
                f"{_cite_markers(b)}{_badges(b)}</span>"
                for b in bullets
            ]
            out.append(f'<p class="summary">{" ".join(sentences)}</p>')
            bullets = []
        elif sec.get("intro"):
            out.append(f'<p class="intro">{esc(sec["intro"])}</p>')
        if bullets:
            out.append("<ul>")
            for i, b in enumerate(bullets):
                theme = f'<span class="theme">{esc(b["theme"])}</span>' if b.get("theme") else ""
                out.append(
                    f'<li class="bullet" data-id="{esc(b.get("id", ""))}">{theme}'
                    f'<span class="bullet-text">{_bullet_text(b)}</span> {_cite_markers(b)} '
                    f'{_badges(b)}<span class="bullet-id">#{esc(b.get("id", ""))}</span>'
                    f"{bullet_actions(sec, b, i, len(bullets))}{_bullet_sources(b)}</li>"
                )
            out.append("</ul>")
        for note in sec.get("notes", []):
            out.append(f'<p class="note">ℹ {esc(note)}</p>')
        cites = _section_citations(sec)
        if cites:
            out.append(sources_block(cites))
        out.append("</section>")
    out.append("</div>")
    return "".join(out)


def _section_citations(sec: Mapping[str, Any]) -> list[Citation]:
    seen: dict[str, Citation] = {}
    cited: list[Mapping[str, Any]] = list(sec.get("summary_citations", []))
    for b in sec.get("bullets", []):
        cited.extend(b.get("citations", []))
    for c in cited:
        key = str(c.get("id"))
        if key not in seen:
            seen[key] = Citation(
                id=c.get("id", 0),
                source=str(c.get("source", "")),
                title=str(c.get("title", "")),
                section=str(c.get("section", "")),
                text=str(c.get("text", "")),
            )
    return list(seen.values())


def bullet_choices(draft: Mapping[str, Any] | None, section: str | None) -> list[tuple[str, str]]:
    """(label, bullet id) pairs of one section, for the bullet picker."""
    if not draft:
        return []
    for sec in draft.get("sections", []):
        if sec.get("section") == section:
            return [
                (f"#{b.get('id')} {_passage(str(b.get('text', '')), 70)}", str(b.get("id")))
                for b in sec.get("bullets", [])
            ]
    return []


def section_choices(draft: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    if not draft:
        return []
    return [
        (str(s.get("title") or s.get("section")), str(s.get("section")))
        for s in draft.get("sections", [])
    ]


def find_bullet(draft: Mapping[str, Any] | None, section: str, bullet_id: str) -> dict[str, Any]:
    for sec in (draft or {}).get("sections", []):
        if sec.get("section") == section:
            for b in sec.get("bullets", []):
                if str(b.get("id")) == str(bullet_id):
                    return dict(b)
    return {}
