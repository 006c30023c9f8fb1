"""Check an existing job description against the knowledge base.

Each line of the description (``jdtext.parse``) gets a verdict from two measures against
the knowledge base's stored sentences: the cosine of the line's vector to the closest
sentences (same model as the index), and the share of the line's content words (stemmed)
found in the passages of the sentences it would cite, the measure drafting verifies with:

- ``supported``: a close sentence (cosine >= SUPPORTED_COSINE) and most of its words in the
  cited passages (>= SUPPORTED_WORDS); the passages are cited, each quote checked verbatim;
- ``partly supported``: related sentences (cosine >= PARTLY_COSINE) backing some of its words
  (>= PARTLY_WORDS); the report says which words are backed and which are not;
- ``not in the knowledge base``: flagged as possibly specific to the organisation, for the
  user to confirm, never called wrong. The employer's own lines (pay, location, how to apply,
  the equal-opportunity statement, "Reports to: …") get this verdict without a search:
  facts about the organisation come only from the employer, as in drafting.

Lines that make the same point twice are pointed out (``dedupe.same_point``). What the
description lacks: the duty families and knowledge-base sections a posting has (drafting's
specs), each with up to three cited suggestions written by drafting's evidence and rewrite
rules in the description's own style; and the standard posting sections only the employer
can write, as placeholders. ``review`` composes; ``judge`` and the rest are pure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from assistant.citations import is_quote
from assistant.drafting import jdtext, posting
from assistant.drafting.build import (
    Evidence,
    Taken,
    family_of,
    select,
    verify,
)
from assistant.drafting.dedupe import DUP_COSINE, comparable_phrases, same_point
from assistant.drafting.jdtext import Line, Parsed, Style
from assistant.drafting.model import SECTIONS, Bullet, DraftRequest
from assistant.drafting.specs import SPECS
from assistant.errors import InputError
from assistant.index.readers import Limits, read_document
from assistant.index.uploads import check_upload
from assistant.text import content_terms, strip_markup
from assistant.types import Chunk, EvidenceSource, StoredSentence

SUPPORTED = "supported"
PARTLY = "partly supported"
ABSENT = "not in the knowledge base"
VERDICTS = (SUPPORTED, PARTLY, ABSENT)
# Thresholds, chosen on the descriptions of eval/reviews/ (see docs/drafting.md).
SUPPORTED_COSINE = 0.5
SUPPORTED_WORDS = 0.65
PARTLY_COSINE = 0.45
PARTLY_WORDS = 0.34
PHRASE_COSINE = 0.1  # a sentence sharing a two-word phrase backs that part above it
CLOSEST_COSINE = 0.4  # a "not in the knowledge base" line names its nearest sentence above it
CITE_SLACK = 0.12  # a further citation must be this close to the best sentence's cosine
CITE_COSINE = 0.4  # … and at least this close to the line
MAX_CITES = 3
TOP = 12  # closest sentences considered per line
SUGGESTIONS = 3
# Sections of knowledge-base content a posting has (the employer's are placeholders).
KB_SECTIONS = (
    "summary",
    "responsibilities",
    "required-qualifications",
    "preferred-qualifications",
    "skills",
    "kpis",
    "reporting",
)
PLACEHOLDER_SECTIONS = ("reporting", "location", "compensation", "eeo", "apply")
# Words that show an employer section is there although it has no heading of its own.
_PRESENT = {
    "reporting": re.compile(r"\breports?\s+(?:directly\s+)?to\b|\breporting\s+to\b", re.I),
    "location": re.compile(r"\blocation\b|\bon[-\s]site\b|\bremote\b|\bhybrid\b", re.I),
    "compensation": re.compile(r"\bsalary\b|\bcompensation\b|\$\s?\d|\bpay\s+range\b", re.I),
    "eeo": re.compile(r"equal\s+opportunity|\beeo\b|without\s+regard\s+to", re.I),
    "apply": re.compile(r"\bapply\b|send\s+(?:your\s+)?(?:cv|resum|r[ée]sum)|@\w|https?://", re.I),
}  # fmt: skip
_PLACEHOLDER_TITLES = {
    "reporting": "Reports to",
    "location": "Location and schedule",
    "compensation": "Compensation and benefits",
    "eeo": "Equal-opportunity statement",
    "apply": "How to apply",
}


@dataclass(frozen=True)
class Source:
    """A cited passage (one Sources list for the whole report)."""

    id: int
    chunk_id: str
    source: str
    title: str
    section: str
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "chunk_id": self.chunk_id,
            "source": self.source,
            "title": self.title,
            "section": self.section,
            "text": self.text,
        }


@dataclass(frozen=True)
class LineReview:
    line: Line
    verdict: str
    cites: tuple[int, ...] = ()  # Source ids
    quotes: tuple[str, ...] = ()  # the knowledge-base sentences, one per citation
    cosine: float = 0.0
    support: float = 0.0  # share of the line's content words found in the cited passages
    backed: tuple[str, ...] = ()  # the line's words the cited passages contain
    unbacked: tuple[str, ...] = ()  # … and the ones they do not
    unknown: tuple[str, ...] = ()  # words the knowledge base never uses (names, systems, …)
    duplicates: tuple[int, ...] = ()  # other lines (n) that make the same point
    closest: str = ""  # not in the knowledge base: the nearest sentence, when there is one

    @property
    def reason(self) -> str:
        if self.verdict == SUPPORTED:
            return "backed by the cited passage(s)"
        if self.verdict == PARTLY:
            return (
                "backed: "
                + ", ".join(self.backed)
                + "; not in the sources: "
                + ", ".join(self.unbacked)
            )
        if self.line.employer:
            return "the employer's own fact: confirm it (the knowledge base is not a source for it)"
        named = f" (it names {', '.join(self.unknown[:4])})" if self.unknown else ""
        return f"possibly specific to your organisation{named}: confirm it"

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.line.to_dict(),
            "verdict": self.verdict,
            "reason": self.reason,
            "citations": list(self.cites),
            "quotes": list(self.quotes),
            "cosine": round(self.cosine, 4),
            "support": round(self.support, 4),
            "backed": list(self.backed),
            "unbacked": list(self.unbacked),
            "unknown": list(self.unknown),
            "duplicates": list(self.duplicates),
            "closest": self.closest,
        }


@dataclass(frozen=True)
class Suggestion:
    id: str
    text: str
    quote: str
    cites: tuple[int, ...]
    verified: bool
    theme: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "quote": self.quote,
            "citations": list(self.cites),
            "verified": self.verified,
            "theme": self.theme,
        }


@dataclass(frozen=True)
class Missing:
    """A duty family or a knowledge-base section the description lacks."""

    key: str  # the family name ("credentialing and privileging") or section slug ("kpis")
    kind: str  # duty | section
    title: str
    section: str  # where its suggestions go in a draft
    suggestions: tuple[Suggestion, ...]

    @property
    def slug(self) -> str:
        return theme_key(self.key)

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "slug": self.slug,
            "kind": self.kind,
            "title": self.title,
            "section": self.section,
            "suggestions": [s.to_dict() for s in self.suggestions],
        }


@dataclass(frozen=True)
class Placeholder:
    section: str
    title: str
    text: str

    def to_dict(self) -> dict[str, str]:
        return {"section": self.section, "title": self.title, "text": self.text}


@dataclass(frozen=True)
class Review:
    title: str
    setting: str
    style: Style
    lines: tuple[LineReview, ...]
    duplicates: tuple[tuple[int, int], ...]
    missing: tuple[Missing, ...]
    placeholders: tuple[Placeholder, ...]
    sources: tuple[Source, ...]
    headings: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)

    def counts(self) -> dict[str, int]:
        return {v: sum(r.verdict == v for r in self.lines) for v in VERDICTS}

    def line(self, n: int) -> LineReview:
        return self.lines[n - 1]

    def source(self, sid: int) -> Source:
        return self.sources[sid - 1]

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "setting": self.setting,
            "style": {"voice": self.style.voice, "period": self.style.period},
            "counts": self.counts(),
            "lines": [r.to_dict() for r in self.lines],
            "duplicates": [list(p) for p in self.duplicates],
            "missing": [m.to_dict() for m in self.missing],
            "placeholders": [p.to_dict() for p in self.placeholders],
            "sources": [s.to_dict() for s in self.sources],
            "notes": list(self.notes),
        }


def theme_key(name: str) -> str:
    """'Credentialing and privileging' -> 'credentialing-and-privileging' (for --add)."""
    return "-".join(re.findall(r"[a-z0-9]+", name.lower()))


# -- pure parts ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Knowledge:
    """The knowledge base's sentences with their vectors, and its vocabulary."""

    sentences: tuple[StoredSentence, ...]
    matrix: np.ndarray  # one row per sentence
    chunks: dict[str, Chunk]
    vocabulary: frozenset[str]
    sentence_terms: tuple[frozenset[str], ...]
    sentence_phrases: tuple[frozenset[tuple[str, str]], ...]  # adjacent content-word pairs

    @classmethod
    def of(cls, chunks: Sequence[Chunk], sentences: Sequence[StoredSentence]) -> Knowledge:
        kept = [s for s in sentences if s.vector.size and s.chunk_id]
        matrix = (
            np.stack([s.vector for s in kept]).astype(np.float32)
            if kept
            else np.zeros((0, 1), dtype=np.float32)
        )
        terms = tuple(frozenset(content_terms(s.text)) for s in kept)
        phrases = tuple(phrases_of(s.text) for s in kept)
        vocab = frozenset(t for c in chunks for t in content_terms(c.text))
        return cls(tuple(kept), matrix, {c.id: c for c in chunks}, vocab, terms, phrases)


def phrases_of(text: str) -> frozenset[tuple[str, str]]:
    """Adjacent content words ("Joint Commission", "board of health" -> board, health)."""
    t = content_terms(text)
    return frozenset(zip(t, t[1:], strict=False))


@dataclass(frozen=True)
class Judgement:
    verdict: str
    chunk_ids: tuple[str, ...]
    quotes: tuple[str, ...]
    cosine: float
    support: float
    backed: tuple[str, ...]
    unbacked: tuple[str, ...]
    unknown: tuple[str, ...]
    closest: str


def _surface_terms(text: str) -> list[tuple[str, str]]:
    """(word as written, its stem) for each content word, in order, once each; the role's
    own words ("medical director") only when the line has no others ("MD or DO")."""
    out: dict[str, str] = {}
    for drop in (True, False):
        for w in re.findall(r"[A-Za-z0-9][A-Za-z0-9'’.-]*", text):
            w = w.strip(".'’-")
            stems = content_terms(w, drop_domain=drop)
            if stems and stems[0] not in out.values():
                out[w] = stems[0]
        if out:
            break
    return list(out.items())


def found(term: str, pool: frozenset[str]) -> bool:
    """A stem is in the pool, or one of the two extends the other by a suffix the stemmer
    keeps ("certifi"/"certif", "licens"/"licensur"), at five letters or more."""
    if term in pool:
        return True
    return len(term) >= 5 and any(
        len(p) >= 5 and (p.startswith(term) or term.startswith(p)) for p in pool
    )


def judge(text: str, vector: np.ndarray, kb: Knowledge) -> Judgement:
    """The verdict on one line, from its vector and its words (pure).

    The closest sentence is cited first; up to two more close ones (within CITE_SLACK of its
    cosine) are cited when they back words the first does not. The share of the line's
    content words found in the cited sentences, and the best cosine, decide the verdict.
    """
    pairs = _surface_terms(text)
    terms = {s for _, s in pairs}
    unknown = tuple(w for w, s in pairs if not found(s, kb.vocabulary))
    if not len(kb.sentences) or not terms:
        return Judgement(ABSENT, (), (), 0.0, 0.0, (), tuple(w for w, _ in pairs), unknown, "")
    sims = kb.matrix @ vector
    order = [int(i) for i in np.argsort(-sims)[:TOP]]
    best = float(sims[order[0]])
    floor = max(CITE_COSINE, best - CITE_SLACK)

    def backs(i: int) -> set[str]:
        return {t for t in terms if found(t, kb.sentence_terms[i])}

    def quotable(i: int) -> bool:
        chunk = kb.chunks.get(kb.sentences[i].chunk_id)
        return chunk is not None and is_quote(kb.sentences[i].text, chunk.text)

    candidates = [i for i in order if float(sims[i]) >= floor and quotable(i)]
    chosen: list[int] = candidates[:1]
    covered = backs(chosen[0]) if chosen else set()
    while chosen and len(chosen) < MAX_CITES:
        gains = [
            (len(backs(i) - covered), float(sims[i]), i)
            for i in candidates
            if i not in chosen
            and kb.sentences[i].chunk_id not in {kb.sentences[j].chunk_id for j in chosen}
        ]
        gain = max(gains, default=(0, 0.0, -1))
        if gain[0] == 0:
            break
        chosen.append(gain[2])
        covered |= backs(gain[2])
    share = len(covered) / len(terms)
    if best >= SUPPORTED_COSINE and share >= SUPPORTED_WORDS:
        verdict = SUPPORTED
    elif best >= PARTLY_COSINE and share >= PARTLY_WORDS:
        verdict = PARTLY
    else:
        verdict = ABSENT
        # A two-word phrase of the line that a sentence also says ("Joint Commission") is a
        # backed part, however far the rest of the line is from the sources.
        mine = phrases_of(text)
        said = [
            i
            for i in range(len(kb.sentences))
            if mine & kb.sentence_phrases[i] and float(sims[i]) >= PHRASE_COSINE and quotable(i)
        ]
        if said:
            i = max(said, key=lambda i: (len(mine & kb.sentence_phrases[i]), float(sims[i])))
            chosen, covered = [i], backs(i)
            share = len(covered) / len(terms)
            verdict = PARTLY
    closest = strip_markup(kb.sentences[order[0]].text) if best >= CLOSEST_COSINE else ""
    if verdict == ABSENT:
        chosen, covered = [], set()
    return Judgement(
        verdict,
        tuple(kb.sentences[i].chunk_id for i in chosen),
        tuple(strip_markup(kb.sentences[i].text) for i in chosen),
        best,
        share if verdict != ABSENT else 0.0,
        tuple(w for w, s in pairs if s in covered),
        tuple(w for w, s in pairs if s not in covered),
        unknown,
        closest if verdict == ABSENT else "",
    )


_SUBJECT = re.compile(
    r"^(?:the|our|this|a|an)\s+(?:[\w-]+\s+){0,2}?medical\s+director\s+(?:will\s+)?", re.I
)
PHRASE_SLUGS = ("required-qualifications", "preferred-qualifications", "skills", "kpis")


def same_duty_family(a: str, b: str) -> bool:
    """Two duties of one family sharing most of their words ("Ensure compliance with
    healthcare laws and regulations" / "Make sure the facility complies with all state and
    federal healthcare regulations"), where vectors of short lines are often not close."""
    spec = SPECS["responsibilities"]
    fa, fb = family_of(spec, a, "")[0], family_of(spec, b, "")[0]
    if not fa or fa != fb:
        return False
    ta = frozenset(content_terms(a, drop_domain=True))
    tb = frozenset(content_terms(b, drop_domain=True))
    shared = sum(found(t, tb) for t in ta)
    return shared >= 3 and shared / max(1, min(len(ta), len(tb))) >= 0.6


def duplicates(lines: Sequence[Line], vectors: np.ndarray) -> list[tuple[int, int]]:
    """Pairs of lines (n, n) that make the same point (drafting's paraphrase test, and one
    duty family with most words shared); employer lines are not compared, nor a duty with a
    requirement, nor the summary with the rest (it restates the role by design)."""
    out = []
    for i, a in enumerate(lines):
        for j in range(i + 1, len(lines)):
            b = lines[j]
            if a.employer or b.employer:
                continue
            if a.slug != b.slug and (
                "summary" in (a.slug, b.slug)
                or ((a.slug in PHRASE_SLUGS) != (b.slug in PHRASE_SLUGS))
            ):
                continue
            ta, tb = _SUBJECT.sub("", a.text), _SUBJECT.sub("", b.text)
            phrases = comparable_phrases(a.slug, b.slug)
            if same_point(ta, tb, phrases, vectors[i], vectors[j], DUP_COSINE) or (
                not phrases and same_duty_family(ta, tb)
            ):
                out.append((a.n, b.n))
    return out


def covered_families(lines: Sequence[Line]) -> set[str]:
    """The duty families the description's duty lines name (drafting's family patterns)."""
    spec = SPECS["responsibilities"]
    duty = [ln for ln in lines if ln.slug in ("responsibilities", "reporting") and not ln.employer]
    if not duty:  # no duties section: any line may name a duty
        duty = [ln for ln in lines if not ln.employer]
    return {f for f, _, p in spec.families for ln in duty if p.search(ln.text)}


def present_sections(parsed: Parsed, backed: set[int]) -> set[str]:
    """Sections the description has: a heading names it, or (no heading) one of its lines is
    backed by the knowledge base, or an employer section's words are there."""
    out = {s for _, s in parsed.headings if s}
    out |= {ln.slug for ln in parsed.lines if ln.field or ln.n in backed}
    out |= {ln.slug for ln in parsed.lines if ln.heading and jdtext.heading_slug(ln.heading)}
    for slug, pattern in _PRESENT.items():
        if any(pattern.search(ln.text) for ln in parsed.lines):
            out.add(slug)
    return out


def placeholders(present: set[str], has_reports_to: bool) -> list[Placeholder]:
    """Standard posting sections only the employer can write, as the placeholders drafting
    shows (the equal-opportunity statement as its standard wording to confirm)."""
    empty = DraftRequest()
    out = []
    for slug in PLACEHOLDER_SECTIONS:
        there = has_reports_to if slug == "reporting" else slug in present
        if not there:
            text = "; ".join(ln.text for ln in posting.lines(slug, empty))
            out.append(Placeholder(slug, _PLACEHOLDER_TITLES[slug], text))
    return out


class _Numbering:
    def __init__(self, kb: Knowledge) -> None:
        self.kb = kb
        self.ids: dict[str, int] = {}

    def __call__(self, chunk_id: str) -> int:
        if chunk_id not in self.ids:
            self.ids[chunk_id] = len(self.ids) + 1
        return self.ids[chunk_id]

    def sources(self) -> tuple[Source, ...]:
        out = []
        for cid, n in sorted(self.ids.items(), key=lambda kv: kv[1]):
            c = self.kb.chunks[cid]
            out.append(Source(n, cid, c.source, c.title, c.section, c.text))
        return tuple(out)


# -- composition --------------------------------------------------------------------------
FILE_TYPES = (".txt", ".md", ".markdown", ".docx", ".pdf")


def read_file(path: str | Path, max_mb: float, limits: Limits | None = None) -> str:
    """A description's text from a file, with the knowledge base's upload checks (type,
    size, content matching the extension, per-document limits). The file is read, never
    added to the knowledge base."""
    p = Path(path)
    if p.is_dir():
        raise InputError(f"{p} is a directory, not a job description.")
    if p.suffix.lower() not in FILE_TYPES:
        raise InputError(
            f"{p.name}: file type {p.suffix or '(none)'} is not accepted for a review "
            f"(allowed: {', '.join(t for t in FILE_TYPES if t != '.markdown')})."
        )
    try:
        size = p.stat().st_size
        if size > max_mb * 1024 * 1024:
            raise InputError(f"{p.name}: the file is larger than the {max_mb:g} MB limit.")
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"Cannot read {p}: {exc.strerror or exc}.") from None
    check_upload(p.name, data, max_mb)
    return read_document(p, p.name, limits).text


def knowledge(source: EvidenceSource) -> Knowledge:
    chunks = source.all_chunks()
    return Knowledge.of(chunks, source.sentences_for(chunks))


def review(
    source: EvidenceSource,
    text: str,
    setting: str = "",
    kb: Knowledge | None = None,
) -> Review:
    """The review of a description (text as pasted or read from a file)."""
    request = DraftRequest(setting=setting).checked()
    parsed = jdtext.parse(text)
    kb = kb or knowledge(source)
    lines = parsed.lines
    vectors = np.asarray(source.embed_texts([ln.text for ln in lines]), dtype=np.float32)
    number = _Numbering(kb)
    pairs = duplicates(lines, vectors)
    reviews = []
    for ln, vec in zip(lines, vectors, strict=True):
        dups = tuple(b if a == ln.n else a for a, b in pairs if ln.n in (a, b))
        if ln.employer:
            reviews.append(LineReview(ln, ABSENT, duplicates=dups))
            continue
        j = judge(ln.text, vec, kb)
        reviews.append(
            LineReview(
                ln,
                j.verdict,
                tuple(number(cid) for cid in j.chunk_ids),
                j.quotes,
                j.cosine,
                j.support,
                j.backed,
                j.unbacked,
                j.unknown,
                dups,
                j.closest,
            )
        )
    style = jdtext.detect_style(lines)
    backed = {r.line.n for r in reviews if r.verdict != ABSENT}
    present = present_sections(parsed, backed)
    missing = _missing(source, request, parsed, present, style, number)
    has_reports_to = any(ln.field == "reports_to" for ln in lines) or any(
        _PRESENT["reporting"].search(ln.text) for ln in lines
    )
    notes = []
    if setting:
        notes.append(
            f"Setting \u201c{setting}\u201d: it biases which evidence the suggestions use; "
            "lines are checked against the whole knowledge base."
        )
    return Review(
        title=parsed.title,
        setting=request.setting,
        style=style,
        lines=tuple(reviews),
        duplicates=tuple(pairs),
        missing=tuple(missing),
        placeholders=tuple(placeholders(present, has_reports_to)),
        sources=number.sources(),
        headings=parsed.headings,
        notes=tuple(notes),
    )


def _missing(
    source: EvidenceSource,
    request: DraftRequest,
    parsed: Parsed,
    present: set[str],
    style: Style,
    number: _Numbering,
) -> list[Missing]:
    """Duty families and sections the description lacks and the knowledge base supports,
    each with up to three suggestions that do not repeat a line of the description."""
    ev = Evidence(source, request)
    lines = parsed.lines
    out: list[Missing] = []
    covered = covered_families(lines)
    spec = SPECS["responsibilities"]
    families = [f for f, _, _ in spec.families if f not in covered]
    # Suggestions repeat neither a line of the description nor an earlier suggestion.
    taken = [Taken(ln.slug, ln.text) for ln in lines if not ln.employer]
    if families:
        pool = ev.candidates("responsibilities")
        for family in families:
            mine = [
                c for c in pool if family_of(spec, c.text, c.passage.chunk.section)[0] == family
            ]
            bullets = select("responsibilities", mine, SUGGESTIONS, taken=taken)
            taken += [Taken("responsibilities", b.text) for b in bullets]
            if bullets:
                out.append(
                    Missing(
                        family,
                        "duty",
                        family[:1].upper() + family[1:],
                        "responsibilities",
                        tuple(_suggest(b, "responsibilities", style, number) for b in bullets),
                    )
                )
    for slug in KB_SECTIONS:
        if slug == "responsibilities" or slug in present:
            continue
        bullets = select(slug, ev.candidates(slug), SUGGESTIONS, taken=taken)
        taken += [Taken(slug, b.text) for b in bullets]
        if bullets:
            out.append(
                Missing(
                    slug,
                    "section",
                    SECTIONS[slug],
                    slug,
                    tuple(_suggest(b, slug, style, number) for b in bullets),
                )
            )
    return out


def _suggest(b: Bullet, slug: str, style: Style, number: _Numbering) -> Suggestion:
    """A drafting bullet in the description's style, verified again (else as drafted)."""
    text = b.text
    if slug == "responsibilities":
        styled = jdtext.restyle(text, style, b.quote)
        if verify(styled, b.citations):
            text = styled
    elif style.period and not text.endswith("."):
        text += "."
    return Suggestion(
        id=b.id,
        text=text,
        quote=b.quote,
        cites=tuple(number(c.chunk_id) for c in b.citations),
        verified=verify(text, b.citations),
        theme=b.theme,
    )


__all__ = [
    "ABSENT",
    "PARTLY",
    "SUPPORTED",
    "VERDICTS",
    "Knowledge",
    "LineReview",
    "Missing",
    "Placeholder",
    "Review",
    "Source",
    "Suggestion",
    "judge",
    "review",
    "theme_key",
]
