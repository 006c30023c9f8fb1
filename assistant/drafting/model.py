"""The draft as data: sections of cited bullets, JSON-serializable, shared by CLI, UI and eval.

A ``Draft`` is a plain mutable dataclass tree; refinement (``revise``) never mutates the draft
it is given, it works on a copy (``Draft.copy``). Citation numbers stay stable across
refinements (a new passage gets the next free number); exports number them afresh.

Format version 2 added the posting sections (about, location, compensation, eeo, apply) and
the employer inputs (reports_to, location, …); version-1 files load unchanged.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from assistant.drafting import posting
from assistant.errors import InputError

# A posting's sections in the order recruiters use. "career-path" (growth opportunities for
# the candidate) is opt-in: "all" leaves it out, naming it adds it.
SECTIONS: dict[str, str] = {
    "summary": "Position summary",
    "about": "About the organisation",
    "responsibilities": "Key responsibilities",
    "required-qualifications": "Required qualifications",
    "preferred-qualifications": "Preferred qualifications",
    "skills": "Skills and competencies",
    "kpis": "How success is measured",
    "reporting": "Reporting and working relationships",
    "location": "Location and schedule",
    "compensation": "Compensation and benefits",
    "career-path": "Growth opportunities",
    "eeo": "Equal opportunity",
    "apply": "How to apply",
}
OPT_IN = ("career-path",)
# Sections written only from the employer's inputs (no knowledge-base bullets).
INPUT_ONLY = ("about", "location", "compensation", "eeo", "apply")
FORMAT_VERSION = 2
MAX_BULLETS = 20
# Bullets per section when the request does not say; a posting lists more duties than
# qualifications, and the summary carries one or two defining sentences.
DEFAULT_BULLETS: dict[str, int] = {
    "summary": 2,
    "responsibilities": 12,
    "required-qualifications": 5,
    "preferred-qualifications": 4,
    "skills": 6,
    "kpis": 6,
    "reporting": 4,
    "career-path": 3,
}
SUMMARY_MAX = 2
INPUTS = ("about", "reports_to", "location", "schedule", "fte_split", "compensation", "contact")
_LIMITS = {"about": 600, "compensation": 200, "contact": 200, "schedule": 200}


def check_sections(sections: Any) -> tuple[str, ...]:
    """Slugs in canonical order; "all" (or nothing) means every section but the opt-in ones."""
    if isinstance(sections, str):
        sections = [sections]
    wanted = [str(s).strip().lower() for s in sections or ["all"]]
    if "all" in wanted:
        wanted = [s for s in wanted if s != "all"] + [s for s in SECTIONS if s not in OPT_IN]
    unknown = [s for s in wanted if s not in SECTIONS]
    if unknown:
        raise InputError(
            f"Unknown section {unknown[0]!r}; choose from: all, {', '.join(SECTIONS)}."
        )
    return tuple(s for s in SECTIONS if s in wanted)


@dataclass(frozen=True)
class DraftRequest:
    """What the user asked for; every field is optional. ``bullets`` None means each
    section's default (DEFAULT_BULLETS); the employer inputs fill the posting lines."""

    setting: str = ""
    org: str = ""
    seniority: str = ""
    emphasis: tuple[str, ...] = ()
    bullets: int | None = None
    about: str = ""
    reports_to: str = ""
    location: str = ""
    schedule: str = ""
    fte_split: str = ""
    compensation: str = ""
    contact: str = ""

    def count(self, slug: str) -> int:
        """How many bullets this section gets."""
        if self.bullets is None:
            return DEFAULT_BULLETS.get(slug, 0)
        return min(SUMMARY_MAX, self.bullets) if slug == "summary" else self.bullets

    def checked(self) -> DraftRequest:
        def clean(value: Any, what: str, limit: int = 120) -> str:
            if not isinstance(value, str):
                raise InputError(f"The {what} must be text.")
            text = " ".join(value.split())
            if len(text) > limit:
                raise InputError(f"The {what} is too long ({len(text)} > {limit} characters).")
            if any(ord(c) < 32 for c in text):
                raise InputError(f"The {what} contains control characters.")
            return text

        if self.bullets is not None:
            if isinstance(self.bullets, bool) or not isinstance(self.bullets, int):
                raise InputError("Bullets per section must be a whole number.")
            if not 1 <= self.bullets <= MAX_BULLETS:
                raise InputError(f"Bullets per section must be between 1 and {MAX_BULLETS}.")
        emphasis = tuple(
            dict.fromkeys(t for t in (clean(e, "emphasis topic", 80) for e in self.emphasis) if t)
        )
        inputs = {
            name: clean(getattr(self, name), name.replace("_", " "), _LIMITS.get(name, 120))
            for name in INPUTS
        }
        return DraftRequest(
            setting=clean(self.setting, "setting"),
            org=clean(self.org, "organisation name"),
            seniority=clean(self.seniority, "seniority", 60),
            emphasis=emphasis,
            bullets=self.bullets,
            **inputs,
        )


def make_request(
    setting: str = "",
    org: str = "",
    seniority: str = "",
    emphasis: Any = (),
    bullets: int | None = None,
    **inputs: Any,
) -> DraftRequest:
    """A request from keyword inputs; an unknown employer input is an InputError."""
    unknown = sorted(set(inputs) - set(INPUTS))
    if unknown:
        raise InputError(f"Unknown draft input {unknown[0]!r}; choose from: {', '.join(INPUTS)}.")
    return DraftRequest(setting, org, seniority, tuple(emphasis), bullets, **inputs)


@dataclass
class Cite:
    """A numbered reference from a bullet to the exact passage it came from."""

    id: int
    source: str
    title: str
    section: str
    text: str
    chunk_id: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "title": self.title,
            "section": self.section,
            "text": self.text,
            "chunk_id": self.chunk_id,
        }


@dataclass
class Bullet:
    id: str
    text: str
    citations: list[Cite]
    verified: bool
    theme: str = ""
    pinned: bool = False
    edited: bool = False
    quote: str = ""  # the knowledge-base sentence (or list item) the bullet was written from
    style: str = "rewritten"  # rewritten | verbatim | item | edited
    score: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "citations": [c.to_dict() for c in self.citations],
            "verified": self.verified,
            "pinned": self.pinned,
            "edited": self.edited,
            "theme": self.theme,
            "quote": self.quote,
            "style": self.style,
            "score": round(self.score, 4),
        }


@dataclass
class DraftSection:
    section: str
    title: str
    bullets: list[Bullet] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    intro: str = ""  # framing sentence from the user's inputs (org, setting); not a claim
    removed: list[dict[str, str]] = field(default_factory=list)  # {"id", "quote", "text"}
    lines: list[posting.Line] = field(default_factory=list)  # uncited employer lines

    @property
    def summary(self) -> str:
        """The position summary as one paragraph (summary section only)."""
        return " ".join([self.intro] * bool(self.intro) + [b.text for b in self.bullets])

    def find(self, bullet_id: str) -> Bullet:
        for b in self.bullets:
            if b.id == bullet_id:
                return b
        raise InputError(f"No bullet {bullet_id!r} in section {self.section!r}.")

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"section": self.section, "title": self.title}
        if self.section == "summary":
            d["summary"] = self.summary
        d["intro"] = self.intro
        d["lines"] = [ln.to_dict() for ln in self.lines]
        d["bullets"] = [b.to_dict() for b in self.bullets]
        d["notes"] = list(self.notes)
        d["removed"] = [dict(r) for r in self.removed]
        return d


@dataclass
class Draft:
    setting: str = ""
    org: str = ""
    seniority: str = ""
    emphasis: list[str] = field(default_factory=list)
    bullets: int | None = None
    sections: list[DraftSection] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    about: str = ""
    reports_to: str = ""
    location: str = ""
    schedule: str = ""
    fte_split: str = ""
    compensation: str = ""
    contact: str = ""

    @classmethod
    def for_request(cls, request: DraftRequest) -> Draft:
        return cls(
            setting=request.setting,
            org=request.org,
            seniority=request.seniority,
            emphasis=list(request.emphasis),
            bullets=request.bullets,
            **{name: getattr(request, name) for name in INPUTS},
        )

    @property
    def request(self) -> DraftRequest:
        return DraftRequest(
            self.setting,
            self.org,
            self.seniority,
            tuple(self.emphasis),
            self.bullets,
            **{name: getattr(self, name) for name in INPUTS},
        )

    @property
    def title(self) -> str:
        role = " ".join(p for p in (self.seniority.title(), "Medical Director") if p)
        where = ", ".join(p for p in (self.setting.title(), self.org) if p)
        return f"{role} — {where}" if where else role

    def placeholders(self) -> list[str]:
        """Placeholders still to fill before posting (empty employer inputs)."""
        return [ln.text for s in self.sections for ln in s.lines if ln.placeholder]

    def refresh_lines(self) -> None:
        """Employer lines follow the draft's inputs (after a load or an input change)."""
        for s in self.sections:
            s.lines = posting.lines(s.section, self)
            if s.section == "summary":
                s.intro = posting.framing(self)

    def section(self, slug: str) -> DraftSection:
        for s in self.sections:
            if s.section == slug:
                return s
        if slug not in SECTIONS:
            check_sections([slug])
        raise InputError(f"The draft has no {slug!r} section; regenerate it first.")

    def find_bullet(self, bullet_id: str) -> tuple[DraftSection, Bullet]:
        for s in self.sections:
            for b in s.bullets:
                if b.id == bullet_id:
                    return s, b
        raise InputError(f"No bullet {bullet_id!r} in this draft.")

    def copy(self) -> Draft:
        return copy.deepcopy(self)

    def renumber(self, stable: bool = False) -> None:
        """Citation numbers [n] across the draft (one Sources list): in order of first use,
        or (stable) keeping every passage's number and giving new passages the next free one,
        so a refinement does not shift the numbers a reviewer has already checked."""
        ids: dict[str, int] = {}
        if stable:
            for s in self.sections:
                for b in s.bullets:
                    for c in b.citations:
                        if c.id > 0 and c.id not in ids.values():
                            ids.setdefault(c.chunk_id, c.id)
        for s in self.sections:
            for b in s.bullets:
                for c in b.citations:
                    if c.chunk_id not in ids:
                        ids[c.chunk_id] = max(ids.values(), default=0) + 1
                    c.id = ids[c.chunk_id]

    def sources(self) -> list[Cite]:
        seen: dict[int, Cite] = {}
        for s in self.sections:
            for b in s.bullets:
                for c in b.citations:
                    seen.setdefault(c.id, c)
        return [seen[n] for n in sorted(seen)]

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": FORMAT_VERSION,
            "title": self.title,
            "setting": self.setting,
            "org": self.org,
            "seniority": self.seniority,
            "emphasis": list(self.emphasis),
            "bullets_per_section": self.bullets,
            **{name: getattr(self, name) for name in INPUTS},
            "placeholders": self.placeholders(),
            "notes": list(self.notes),
            "sections": [s.to_dict() for s in self.sections],
        }

    @classmethod
    def from_dict(cls, data: Any) -> Draft:
        """Rebuild a draft from to_dict() output; anything malformed is an InputError."""
        try:
            return _from_dict(data)
        except InputError:
            raise
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise InputError(f"Not a valid draft: {type(exc).__name__}: {exc}") from None


def _str(d: dict[str, Any], key: str, default: str = "") -> str:
    value = d.get(key, default)
    if not isinstance(value, str):
        raise InputError(f"Not a valid draft: {key!r} must be text.")
    return value


def _from_dict(data: Any) -> Draft:
    if not isinstance(data, dict) or not isinstance(data.get("sections"), list):
        raise InputError("Not a valid draft: expected an object with a 'sections' list.")
    sections = []
    for sd in data["sections"]:
        slug = _str(sd, "section")
        if slug not in SECTIONS:
            raise InputError(f"Not a valid draft: unknown section {slug!r}.")
        bullets = []
        for bd in sd.get("bullets", []):
            cites = [
                Cite(
                    id=int(cd["id"]),
                    source=_str(cd, "source"),
                    title=_str(cd, "title"),
                    section=_str(cd, "section"),
                    text=_str(cd, "text"),
                    chunk_id=_str(cd, "chunk_id") or f"{_str(cd, 'source')}#{int(cd['id'])}",
                )
                for cd in bd["citations"]
            ]
            if not cites:
                raise InputError(f"Not a valid draft: bullet {bd.get('id')!r} has no citation.")
            bullets.append(
                Bullet(
                    id=_str(bd, "id"),
                    text=_str(bd, "text"),
                    citations=cites,
                    verified=bool(bd.get("verified", False)),
                    theme=_str(bd, "theme"),
                    pinned=bool(bd.get("pinned", False)),
                    edited=bool(bd.get("edited", False)),
                    quote=_str(bd, "quote"),
                    style=_str(bd, "style", "rewritten"),
                    score=float(bd.get("score", 0.0)),
                )
            )
        sections.append(
            DraftSection(
                section=slug,
                title=SECTIONS[slug],
                bullets=bullets,
                notes=[str(n) for n in sd.get("notes", [])],
                intro=_str(sd, "intro"),
                removed=[
                    {
                        "id": str(r["id"]),
                        "quote": str(r.get("quote", "")),
                        "text": str(r.get("text", "")),
                    }
                    for r in sd.get("removed", [])
                ],
            )
        )
    emphasis = data.get("emphasis", [])
    if not isinstance(emphasis, list) or not all(isinstance(e, str) for e in emphasis):
        raise InputError("Not a valid draft: 'emphasis' must be a list of text.")
    count = data.get("bullets_per_section")
    draft = Draft(
        setting=_str(data, "setting"),
        org=_str(data, "org"),
        seniority=_str(data, "seniority"),
        emphasis=list(emphasis),
        bullets=None if count is None else int(count),
        sections=sections,
        notes=[str(n) for n in data.get("notes", [])],
        **{name: _str(data, name) for name in INPUTS},
    )
    draft.request.checked()
    draft.refresh_lines()
    draft.renumber(stable=True)
    return draft
