"""A reviewed description -> a Draft that behaves like any other (refine, save, export).

The description's lines the knowledge base backs become bullets in the user's own wording
(marked edited, so regenerating a section keeps them), citing the passages that back them
and verified as any edited bullet is; the suggestions the user picks (``--add THEME``, the
UI's "Add suggested bullets") are added as drafted bullets; labelled employer lines
("Reports to: …", "Compensation: …") fill the draft's employer inputs. Lines the knowledge
base does not back cannot be cited bullets: the draft's notes list them to keep by hand.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.drafting.build import bullet_id, order, theme_of, verify
from assistant.drafting.dedupe import same_point
from assistant.drafting.model import (
    INPUT_ONLY,
    MAX_BULLETS,
    OPT_IN,
    SECTIONS,
    Bullet,
    Cite,
    Draft,
    DraftSection,
)
from assistant.drafting.review import ABSENT, LineReview, Missing, Review, Suggestion, theme_key
from assistant.drafting.specs import SPECS
from assistant.errors import InputError

# Employer sections without a label: the input their first line fills.
_SECTION_FIELDS = {"about": "about", "location": "location", "compensation": "compensation",
                   "apply": "contact"}  # fmt: skip
_FIELD_LIMITS = {"about": 600, "compensation": 200, "contact": 200, "schedule": 200}
MAX_NOTE = 1_900


def choose(review: Review, add: Sequence[str]) -> list[Missing]:
    """The missing themes named (by key, slug or title; "all" for every one)."""
    wanted = [theme_key(a) for a in add if a.strip()]
    if "all" in wanted:
        return list(review.missing)
    by_key: dict[str, Missing] = {}
    for m in review.missing:
        for name in (m.key, m.title, m.section if m.kind == "section" else m.key):
            by_key[theme_key(name)] = m
    out: list[Missing] = []
    for w in wanted:
        hit = by_key.get(w)
        if hit is None:
            known = ", ".join(m.slug for m in review.missing) or "(none: nothing is missing)"
            raise InputError(f"No missing theme {w!r} in this review; choose from: all, {known}.")
        if hit not in out:
            out.append(hit)
    return out


def _cites(review: Review, ids: Sequence[int]) -> list[Cite]:
    return [
        Cite(0, s.source, s.title, s.section, s.text, s.chunk_id)
        for s in (review.source(i) for i in ids)
    ]


def line_bullet(review: Review, lr: LineReview) -> Bullet:
    """A backed line as a bullet: the user's wording (edited), citing what backs it."""
    slug = lr.line.slug
    cites = _cites(review, lr.cites)
    spec = SPECS.get(slug)
    theme = theme_of(spec, lr.line.text, cites[0].section if cites else "") if spec else ""
    text = " ".join(lr.line.text.split())[:600]
    quote = lr.quotes[0] if lr.quotes else ""
    return Bullet(
        id=bullet_id(slug, quote, text),
        text=text,
        citations=cites,
        verified=verify(text, cites),
        theme=theme,
        edited=True,
        quote=quote,
        style="edited",
        score=lr.cosine,
    )


def suggestion_bullet(review: Review, s: Suggestion) -> Bullet:
    cites = _cites(review, s.cites)
    return Bullet(
        id=s.id,
        text=s.text,
        citations=cites,
        verified=verify(s.text, cites),
        theme=s.theme,
        quote=s.quote,
        style="rewritten",
    )


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _inputs(review: Review) -> dict[str, str]:
    out: dict[str, str] = {}
    for lr in review.lines:
        ln = lr.line
        field = ln.field or _SECTION_FIELDS.get(ln.slug, "")
        if not field or field in out:
            continue
        value = ln.text.split(":", 1)[1] if ln.field and ":" in ln.text else ln.text
        if value.strip():
            out[field] = _clip(value.strip(), _FIELD_LIMITS.get(field, 120))
    return out


def _quoted(items: Sequence[str]) -> str:
    out = "; ".join(f"\u201c{t}\u201d" for t in items)
    return out if len(out) <= MAX_NOTE else out[: MAX_NOTE - 1].rsplit(";", 1)[0] + "; …"


def to_draft(review: Review, add: Sequence[str] = ()) -> Draft:
    """The draft the review leads to: the backed lines, plus the chosen suggestions."""
    chosen = choose(review, add)
    draft = Draft(setting=review.setting)
    for name, value in _inputs(review).items():
        setattr(draft, name, value)
    repeats = {b for _, b in review.duplicates}
    left_out: list[str] = []
    repeated: list[str] = []
    carried = added = 0
    ids: set[str] = set()
    for slug in (s for s in SECTIONS if s not in OPT_IN):
        section = DraftSection(slug, SECTIONS[slug])
        if slug not in INPUT_ONLY:
            for lr in review.lines:
                if lr.line.slug != slug or lr.line.employer:
                    continue
                if lr.verdict == ABSENT:
                    left_out.append(lr.line.text)
                elif lr.line.n in repeats:
                    repeated.append(lr.line.text)
                else:
                    b = line_bullet(review, lr)
                    if b.id not in ids and len(section.bullets) < MAX_BULLETS:
                        section.bullets.append(b)
                        ids.add(b.id)
                        carried += 1
            for m in chosen:
                if m.section != slug:
                    continue
                for s in m.suggestions:
                    b = suggestion_bullet(review, s)
                    if b.id in ids or len(section.bullets) >= MAX_BULLETS:
                        continue
                    if any(same_point(o.text, b.text) for o in section.bullets):
                        continue
                    section.bullets.append(b)
                    ids.add(b.id)
                    added += 1
        section.bullets = order(slug, section.bullets) if section.bullets else []
        # Empty knowledge sections are left out (`draft --regenerate` adds one); the reporting
        # section stays for its "Reports to:" line, as the employer's sections do.
        if slug in INPUT_ONLY or slug == "reporting" or section.bullets:
            draft.sections.append(section)
    title = f"\u201c{review.title}\u201d" if review.title else "your description"
    draft.notes.append(
        f"Made from the review of {title}: {carried} of its lines carried over in their own "
        "wording (marked edited), each citing the passages that back it; a line whose words "
        "are not all in its first passage shows as unverified."
    )
    if chosen:
        draft.notes.append(
            f"Added {added} suggested bullet(s) for: " + ", ".join(m.title for m in chosen) + "."
        )
    if left_out:
        draft.notes.append(
            f"Not carried over: {len(left_out)} line(s) the knowledge base does not back (they "
            "cannot cite a source; keep them in your posting if they are right): "
            + _quoted(left_out)
        )
    if repeated:
        draft.notes.append("Left out as repeats of an earlier line: " + _quoted(repeated))
    draft.request.checked()
    draft.refresh_lines()
    draft.renumber()
    return draft
