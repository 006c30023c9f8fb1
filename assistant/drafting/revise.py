"""Interactive refinement: every action returns a new Draft; the one given is not changed.

Pinned and edited bullets survive ``regenerate``; the other bullets are replaced by the
next-best evidence where the knowledge base has any (the section's note says how many, and
says plainly when there is none). Removed bullets (and paraphrases of them) do not come back.
An edited bullet keeps its citations and is re-verified, so a reviewer sees when an edit says
more than its source. Citation numbers already shown stay the same after a refinement.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from assistant.drafting.build import (
    Evidence,
    build_section,
    on_topic,
    order,
    select,
    taken_by,
    topic_parts,
    verify,
)
from assistant.drafting.model import INPUT_ONLY, MAX_BULLETS, SECTIONS, Draft, check_sections
from assistant.errors import InputError
from assistant.types import EvidenceSource

ACTIONS = ("regenerate", "more", "pin", "unpin", "remove", "edit", "reorder")


def _slug(section: Any) -> str:
    if not isinstance(section, str) or not section:
        raise InputError("Name the section to revise, e.g. section='responsibilities'.")
    return check_sections([section])[0]


def _target(draft: Draft, section: Any, bullet_id: Any) -> tuple[Any, Any]:
    if not isinstance(bullet_id, str) or not bullet_id:
        raise InputError("Name the bullet to revise by its id (see the draft's JSON).")
    if section:
        s = draft.section(_slug(section))
        return s, s.find(bullet_id)
    return draft.find_bullet(bullet_id)


def regenerate(
    a: EvidenceSource, draft: Draft, section: Any = None, bullets: int | None = None, **_: Any
) -> Draft:
    slug = _slug(section)
    request = draft.request
    if bullets is not None:
        request = replace(request, bullets=bullets)
    request = request.checked()
    ev = Evidence(a, request)
    existing = next((s for s in draft.sections if s.section == slug), None)
    keep = [b for b in existing.bullets if b.pinned or b.edited] if existing else []
    removed = existing.removed if existing else []
    # The unpinned bullets are what the user wants replaced: they are used again only when
    # the sources offer nothing else.
    old = [b for b in existing.bullets if b not in keep] if existing else []
    avoid = [{"id": b.id, "quote": b.quote, "text": b.text} for b in old]
    new = build_section(
        ev, slug, keep=keep, removed=removed, taken=taken_by(draft, slug), avoid=avoid
    )
    if old and slug not in INPUT_ONLY:
        before = {b.id for b in old}
        fresh = [b for b in new.bullets if b.id not in before and b not in keep]
        if not fresh:
            new.notes.append(
                "No alternative evidence for this section in the knowledge base: the "
                "unpinned bullets are unchanged."
            )
        else:
            stayed = sum(b.id in before for b in new.bullets)
            new.notes.append(
                f"Regenerated: {len(fresh)} bullet(s) replaced with the next-best evidence"
                + (
                    f"; {stayed} kept because the sources have no other alternative."
                    if stayed
                    else "."
                )
            )
    if existing is None:
        wanted = [s for s in SECTIONS if s == slug or any(x.section == s for x in draft.sections)]
        draft.sections.append(new)
        draft.sections.sort(key=lambda s: wanted.index(s.section))
    else:
        draft.sections[draft.sections.index(existing)] = new
    return draft


def more(
    a: EvidenceSource, draft: Draft, section: Any = None, topic: Any = "", n: int = 3, **_: Any
) -> Draft:
    slug = _slug(section)
    if not isinstance(topic, str) or not topic.strip():
        raise InputError("Say which topic to add bullets about, e.g. topic='patient safety'.")
    topic = " ".join(topic.split())
    if not isinstance(n, int) or not 1 <= n <= 10:
        raise InputError("Ask for between 1 and 10 more bullets.")
    s = draft.section(slug)
    if slug in INPUT_ONLY:
        raise InputError(f"The {s.title} section is written from your inputs, not the sources.")
    room = MAX_BULLETS - len(s.bullets)
    if room <= 0:  # the limit generation keeps (and a loaded draft is held to)
        s.notes.append(
            f"The section already has {len(s.bullets)} bullets, the most a section holds; "
            f"remove one to add bullets on \u201c{topic}\u201d."
        )
        return draft
    n = min(n, room)
    ev = Evidence(a, draft.request)
    # "peer review and credentialing" names two topics: a bullet on either one is wanted.
    parts = topic_parts(topic)
    pool = [
        c for c in ev.candidates(slug, topics=[topic]) if on_topic(parts, c.text + " " + c.quote)
    ]
    before = {b.id for b in s.bullets}
    merged = select(
        slug,
        pool,
        len(s.bullets) + n,
        keep=s.bullets,
        removed=s.removed,
        taken=taken_by(draft, slug),
    )
    added = [b for b in merged if b.id not in before]
    s.bullets = merged
    if not added:
        s.notes.append(
            f"No further evidence on \u201c{topic}\u201d for this section in the knowledge base; "
            "no bullet was added."
        )
    return draft


def pin(
    a: EvidenceSource, draft: Draft, section: Any = None, bullet_id: Any = None, **_: Any
) -> Draft:
    _, b = _target(draft, section, bullet_id)
    b.pinned = True
    return draft


def unpin(
    a: EvidenceSource, draft: Draft, section: Any = None, bullet_id: Any = None, **_: Any
) -> Draft:
    _, b = _target(draft, section, bullet_id)
    b.pinned = False
    return draft


def remove(
    a: EvidenceSource, draft: Draft, section: Any = None, bullet_id: Any = None, **_: Any
) -> Draft:
    s, b = _target(draft, section, bullet_id)
    s.bullets.remove(b)
    s.removed.append({"id": b.id, "quote": b.quote, "text": b.text})
    return draft


def edit(
    a: EvidenceSource,
    draft: Draft,
    section: Any = None,
    bullet_id: Any = None,
    text: Any = None,
    **_: Any,
) -> Draft:
    _, b = _target(draft, section, bullet_id)
    if not isinstance(text, str) or not " ".join(text.split()):
        raise InputError("An edited bullet needs its new text.")
    text = " ".join(text.split())
    if len(text) > 600:
        raise InputError(f"The edited bullet is too long ({len(text)} > 600 characters).")
    b.text = text
    b.edited = True
    b.style = "edited"
    b.verified = verify(text, b.citations)
    return draft


def reorder(
    a: EvidenceSource,
    draft: Draft,
    section: Any = None,
    order_ids: Sequence[str] | None = None,
    **kw: Any,
) -> Draft:
    s = draft.section(_slug(section))
    wanted = kw.get("order", order_ids)
    if not isinstance(wanted, list | tuple) or not all(isinstance(i, str) for i in wanted):
        raise InputError("Give the new order as a list of bullet ids.")
    by_id = {b.id: b for b in s.bullets}
    unknown = [i for i in wanted if i not in by_id]
    if unknown:
        raise InputError(f"No bullet {unknown[0]!r} in section {s.section!r}.")
    if len(set(wanted)) != len(wanted):
        raise InputError("A bullet id appears twice in the new order.")
    listed = [by_id[i] for i in wanted]
    s.bullets = listed + [b for b in s.bullets if b.id not in set(wanted)]
    return draft


_HANDLERS: dict[str, Callable[..., Draft]] = {
    "regenerate": regenerate,
    "more": more,
    "pin": pin,
    "unpin": unpin,
    "remove": remove,
    "edit": edit,
    "reorder": reorder,
}


def revise(
    assistant: EvidenceSource, draft: Draft | dict[str, Any], action: str, **kwargs: Any
) -> Draft:
    """Apply one refinement to a copy of the draft (a Draft or its to_dict() form)."""
    if isinstance(draft, dict):
        draft = Draft.from_dict(draft)
    if not isinstance(draft, Draft):
        raise InputError("revise() needs a Draft or its JSON form.")
    handler = _HANDLERS.get(action)
    if handler is None:
        raise InputError(f"Unknown action {action!r}; choose from: {', '.join(ACTIONS)}.")
    new = handler(assistant, draft.copy(), **kwargs)
    new.renumber(stable=True)
    return new


__all__ = ["ACTIONS", "order", "revise"]
