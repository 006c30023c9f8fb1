"""Knowledge base -> cited, verified job-description sections.

For each section: several retrieval queries (biased by the setting and emphasis topics) ->
the sentences of the retrieved passages, scored by cosine of their stored vectors to the
section's queries -> rewritten in job-description style (``rewrite``) -> verified against the
cited passage (content words found; a failed rewrite falls back to the verbatim sentence) ->
paraphrases merged (one bullet, every citation; ``dedupe``) -> the best N, one per duty
family first, grouped by theme. Sections are built in priority order so a point made in an
earlier section is not repeated in a later one. The employer's lines (``posting``) are added
uncited.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from assistant.citations import is_supported
from assistant.drafting import posting, rewrite
from assistant.drafting.dedupe import PHRASE_SECTIONS, comparable_phrases, same_point
from assistant.drafting.model import (
    INPUT_ONLY,
    SECTIONS,
    Bullet,
    Cite,
    Draft,
    DraftRequest,
    DraftSection,
    check_sections,
)
from assistant.drafting.specs import (
    ANAPHORA,
    BLOG,
    EXAMPLE,
    META,
    OPENER,
    PERSONAL,
    PREFERRED,
    PREFIX,
    SPECS,
    Spec,
)
from assistant.text import content_terms, strip_markup
from assistant.types import EvidenceSource, Passage

MIN_SIM = 0.3  # a sentence less similar than this to every section query is off-topic
DUP_COSINE = 0.86  # source sentences this close make the same point
DUP_PHRASE_COSINE = 0.8  # short phrases (qualifications, skills, KPIs) this close: the same
MAX_CITATIONS = 3
MERGE_SUPPORT = 0.6
THEME_PENALTY = 0.06
FAMILY_PENALTY = 0.1  # responsibilities: a duty family that has a bullet ranks its next lower
FAMILY_SLACK = 0.35  # a family's best candidate leads only if it is this close to the best
BREADTH_BONUS = 0.05  # summary: per duty family a defining sentence spans
PHRASE_KINDS = ("qualification", "skill", "kpi")
# Sections are written in this order: a point already made in an earlier one is not repeated.
BUILD_ORDER = (
    "responsibilities",
    "required-qualifications",
    "preferred-qualifications",
    "skills",
    "kpis",
    "reporting",
    "career-path",
    "summary",
)


@dataclass(frozen=True)
class Candidate:
    text: str
    quote: str  # the knowledge-base sentence the text was written from
    passage: Passage
    vector: np.ndarray
    score: float
    style: str  # rewritten | verbatim | item


def terms(text: str) -> set[str]:
    return set(content_terms(text, drop_domain=True))


def near_duplicate(
    a_text: str,
    b_text: str,
    a_vec: Any = None,
    b_vec: Any = None,
    cosine: float = DUP_COSINE,
    phrases: bool = False,
) -> bool:
    """Same point twice (``dedupe.same_point``): lexical, concept (phrases) or vector test."""
    return same_point(a_text, b_text, phrases, a_vec, b_vec, cosine)


_SPLIT_TOPIC = re.compile(r"\s*(?:,|;|/|&|\band\b|\bor\b|\bplus\b)\s*", re.I)


def topic_parts(topic: str) -> list[set[str]]:
    """A natural topic phrase as the alternatives it names: "peer review and credentialing"
    -> [{peer, review}, {credenti}]; a bullet is on the topic when it has one part's words."""
    parts = [terms(p) for p in _SPLIT_TOPIC.split(topic) if p.strip()]
    parts = [p for p in parts if p]
    whole = terms(topic)
    return parts if parts else ([whole] if whole else [])


def on_topic(parts: Sequence[set[str]], text: str) -> bool:
    words = terms(text)
    return any(p <= words for p in parts)


def backs(text: str, passage: str) -> bool:
    """A merged (second) source must share most of the bullet's own words, role words aside."""
    words = terms(text)
    return bool(words) and len(words & terms(passage)) / len(words) >= MERGE_SUPPORT


def cite(passage: Passage) -> Cite:
    c = passage.chunk
    return Cite(0, c.source, c.title, c.section, c.text, c.id)


def verify(text: str, citations: Sequence[Cite]) -> bool:
    """Every content word of the bullet is found in its first (primary) cited passage."""
    return bool(citations) and is_supported(text, [citations[0].text], threshold=1.0)


def bullet_id(slug: str, quote: str, text: str) -> str:
    digest = hashlib.sha1(f"{slug}\n{quote}\n{text}".encode()).hexdigest()[:8]
    return f"{PREFIX[slug]}-{digest}"


def family_of(spec: Spec, text: str, heading: str) -> tuple[str, str]:
    """(duty family, its theme) by the family words in the bullet (twice as much as in the
    passage's heading); the family named earliest in the bullet wins a tie."""
    best, best_score = ("", ""), 0.0
    for family, theme, pattern in spec.families:
        hits = list(pattern.finditer(text))
        score = 2.0 * len(hits) + len(pattern.findall(heading))
        if hits:
            score += 1.0 - hits[0].start() / max(len(text), 1)
        if score > best_score:
            best, best_score = (family, theme), score
    return best if best_score else ("", "General")


def theme_of(spec: Spec, text: str, heading: str) -> str:
    if spec.families:
        return family_of(spec, text, heading)[1]
    if not spec.themes:
        return ""
    words, head = terms(text), terms(heading)
    best, best_score = "General", 0.0
    for name, keywords in spec.themes:
        kw = set(content_terms(keywords))
        score = 2 * len(words & kw) + len(head & kw)
        if score > best_score:
            best, best_score = name, score
    return best


class Evidence:
    """Retrieval and sentence scoring for one draft (query vectors cached)."""

    def __init__(self, assistant: EvidenceSource, request: DraftRequest) -> None:
        self.a = assistant
        self.request = request
        self._vectors: dict[str, np.ndarray] = {}

    def vector(self, text: str) -> np.ndarray:
        if text not in self._vectors:
            self._vectors[text] = self.a.embed_query(text)
        return self._vectors[text]

    def prefetch(self, texts: Sequence[str]) -> None:
        """Embed the texts not yet cached in one batch (a section has ~20 queries: one model
        call instead of twenty, and retrieval reuses the vectors)."""
        missing = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if missing:
            vecs = np.asarray(self.a.embed_texts(missing), dtype=np.float32)
            self._vectors.update(zip(missing, vecs, strict=True))

    def queries(self, slug: str, topics: Sequence[str] = ()) -> list[str]:
        spec = SPECS[slug]
        qs = list(spec.queries)
        setting = self.request.setting
        if setting:
            qs.append(f"{spec.queries[0]} in the {setting}")
        for topic in topics or self.request.emphasis:
            qs += [topic, f"medical director {SECTIONS[slug].lower()}: {topic}"]
        return qs

    def candidates(self, slug: str, topics: Sequence[str] = ()) -> list[Candidate]:
        spec = SPECS[slug]
        queries = self.queries(slug, topics)
        passages: dict[str, Passage] = {}
        self.prefetch(queries)
        for q in queries:
            for p in self.a.retrieve(q, k=6, vector=self.vector(q)):
                passages.setdefault(p.chunk.id, p)
        qmat = np.stack([self.vector(q) for q in queries])
        emphasis = [topic_parts(t) for t in (topics or self.request.emphasis)]
        setting = terms(self.request.setting)
        out: list[Candidate] = []
        for s in self.a.sentences_for([passages[cid].chunk for cid in sorted(passages)]):
            text = strip_markup(s.text)
            if not self._acceptable(spec, slug, text):
                continue
            sim = float(np.max(qmat @ s.vector)) if s.vector.size else 0.0
            if sim < MIN_SIM:
                continue
            words = terms(text)
            score = sim
            score += 0.12 * any(on_topic(parts, text) for parts in emphasis)
            score += 0.05 * bool(setting and setting <= words)
            score -= 0.03 * bool(EXAMPLE.search(text))
            score += 0.1 * bool(spec.boost and spec.boost.search(text))
            out += self._written(spec, text, passages[s.chunk_id], s.vector, score)
        if spec.kind in PHRASE_KINDS and out:  # short phrases are compared by their own vectors
            texts = sorted({c.text for c in out})
            vecs = dict(zip(texts, np.asarray(self.a.embed_texts(texts)), strict=True))
            out = [replace(c, vector=vecs[c.text]) for c in out]
        out.sort(key=lambda c: (-c.score, c.passage.chunk.id, c.quote, c.text))
        return out

    @staticmethod
    def _acceptable(spec: Spec, slug: str, text: str) -> bool:
        if META.search(text) or PERSONAL.search(text) or "?" in text or len(text.split()) > 45:
            return False
        if spec.require and not spec.require.search(text):
            return False
        if spec.avoid and spec.avoid.search(text):
            return False
        if spec.kind in ("duty", "qualification", "skill", "summary") and ANAPHORA.search(text):
            return False
        if slug == "required-qualifications" and PREFERRED.search(text):
            return False
        return not (slug == "preferred-qualifications" and not PREFERRED.search(text))

    def _written(
        self, spec: Spec, text: str, passage: Passage, vec: np.ndarray, score: float
    ) -> list[Candidate]:
        """The sentence in the section's style; verbatim when a rewrite does not verify."""
        if spec.kind == "kpi":
            return [
                Candidate(item, text, passage, vec, score, "item")
                for item in rewrite.metric_items(text)
            ]
        if spec.kind == "summary":
            return self._summary(text, passage, vec, score)
        if spec.kind == "career":
            quote = rewrite.strip_label(text)
            return [Candidate(quote, quote, passage, vec, score, "verbatim")]
        written = rewrite.duty(text) if spec.kind == "duty" else rewrite.noun_phrase(text)
        if written is None:
            return []
        if spec.kind == "skill" and not spec.require.search(written):  # type: ignore[union-attr]
            return []
        if spec.kind == "qualification" and not SPECS["required-qualifications"].require.search(  # type: ignore[union-attr]
            written
        ):
            return []
        if is_supported(written, [passage.chunk.text], threshold=1.0):
            return [Candidate(written, text, passage, vec, score, "rewritten")]
        if spec.kind == "duty":  # a verbatim sentence is not an imperative duty
            return []
        return [Candidate(text, text, passage, vec, score - 0.1, "verbatim")]

    def _summary(
        self, text: str, passage: Passage, vec: np.ndarray, score: float
    ) -> list[Candidate]:
        """A defining sentence as the posting says it ("The Medical Director will oversee …"),
        with framing openers and blog phrasing left out."""
        body = OPENER.sub("", rewrite.strip_label(text))
        if BLOG.search(body):
            return []
        duty = rewrite.duty(body)
        if duty is None:
            return []
        first = duty.split()[0]
        if rewrite.verb_base(first) != first.lower():
            return []
        # A summary says what the role is as a whole: sentences spanning several duty
        # families rank higher than one narrow duty.
        breadth = sum(bool(p.search(duty)) for _, _, p in SPECS["responsibilities"].families)
        score += BREADTH_BONUS * breadth
        role = posting.role(self.request)
        sentence = f"The {role} will {duty[0].lower()}{duty[1:]}."
        if not is_supported(sentence, [passage.chunk.text], threshold=1.0):
            sentence = f"You will {duty[0].lower()}{duty[1:]}."
            if not is_supported(sentence, [passage.chunk.text], threshold=1.0):
                return []
        return [Candidate(sentence, text, passage, vec, score, "rewritten")]


def _is_excluded(c: Candidate, removed: Sequence[dict[str, str]], slug: str) -> bool:
    ids = {r["id"] for r in removed}
    if bullet_id(slug, c.quote, c.text) in ids:
        return True
    phrases = slug in PHRASE_SECTIONS
    return any(
        near_duplicate(c.text, r.get("text") or r.get("quote", ""), phrases=phrases)
        for r in removed
    )


@dataclass(frozen=True)
class Taken:
    """A bullet another section already has: a candidate saying the same is not used."""

    slug: str
    text: str


def _leaders(
    spec: Spec, pool: Sequence[tuple[Candidate, str, str]], emphasis: Sequence[str], n: int
) -> list[int]:
    """Pool positions to consider first: the best candidate on each emphasis topic, then the
    best of each duty family (when it is nearly as good as the best overall), leaving two
    places to the best of the rest so a strong second bullet on a theme is not crowded out."""
    if not pool:
        return []
    top = max(c.score for c, _, _ in pool)
    out: list[int] = []
    for topic in emphasis:
        parts = topic_parts(topic)
        i = next(
            (i for i, (c, _, _) in enumerate(pool) if on_topic(parts, c.text + " " + c.quote)),
            None,
        )
        if i is not None and i not in out:
            out.append(i)
    for family, _, pattern in spec.families:
        # A bullet of this family, else one that also names it ("Manage … personnel,
        # including selection …" is supervision first, hiring too).
        near = [i for i, (c, _, _) in enumerate(pool) if c.score >= top - FAMILY_SLACK]
        if any(pool[i][2] == family or pattern.search(pool[i][0].text) for i in out):
            continue
        i = next((i for i in near if pool[i][2] == family), None)
        if i is None:
            i = next((i for i in near if pattern.search(pool[i][0].text)), None)
        if i is not None and i not in out:
            out.append(i)
    return out[: max(len(emphasis), n - 2)]


def select(
    slug: str,
    candidates: Sequence[Candidate],
    n: int,
    keep: Sequence[Bullet] = (),
    removed: Sequence[dict[str, str]] = (),
    taken: Sequence[Taken] = (),
    emphasis: Sequence[str] = (),
) -> list[Bullet]:
    """The best n bullets (kept ones count), merging paraphrases' citations; one bullet per
    duty family and emphasis topic first, then by score with a penalty for a crowded theme."""
    spec = SPECS[slug]
    phrases = spec.kind in PHRASE_KINDS
    cosine = DUP_PHRASE_COSINE if phrases else DUP_COSINE
    chosen: list[tuple[Bullet, Candidate | None]] = [(b, None) for b in keep]
    pool = [(c, *_family(spec, c)) for c in candidates]
    lead = _leaders(spec, pool, emphasis, n - len(keep))
    first = [pool[i] for i in lead]
    rest = [p for i, p in enumerate(pool) if i not in set(lead)]

    def admit(c: Candidate, theme: str) -> None:
        if _is_excluded(c, removed, slug):
            return
        if any(same_point(t.text, c.text, comparable_phrases(slug, t.slug)) for t in taken):
            return
        # The source sentence of an edited bullet (which reads differently now) is used up.
        if any(b.edited and b.quote == c.quote for b, _ in chosen):
            return
        dup = next(
            (
                (b, o)
                for b, o in chosen
                if b.quote == c.quote
                and b.text == c.text
                or near_duplicate(
                    b.text,
                    c.text,
                    o.vector if o is not None else None,
                    c.vector,
                    cosine,
                    phrases,
                )
            ),
            None,
        )
        if dup is not None:
            b, _ = dup
            known = {x.chunk_id for x in b.citations}
            if (
                c.passage.chunk.id not in known
                and len(b.citations) < MAX_CITATIONS
                and not b.edited
                and backs(b.text, c.passage.chunk.text)
            ):
                b.citations.append(cite(c.passage))
            return
        if len(chosen) >= n:
            return
        cites = [cite(c.passage)]
        b = Bullet(
            id=bullet_id(slug, c.quote, c.text),
            text=c.text,
            citations=cites,
            verified=verify(c.text, cites),
            theme=theme,
            quote=c.quote,
            style=c.style,
            score=c.score,
        )
        chosen.append((b, c))

    for c, theme, _ in first:
        admit(c, theme)
    while rest:
        # Theme diversity: a theme that already has bullets ranks its next candidate lower.
        counts: dict[str, int] = {}
        for b, o in chosen:
            counts[b.theme] = counts.get(b.theme, 0) + 1
            if o is not None and spec.families:
                fam = _family(spec, o)[1]
                counts["family:" + fam] = counts.get("family:" + fam, 0) + 1

        def rank(i: int, counts: dict[str, int] = counts) -> tuple[float, int]:
            c, theme, fam = rest[i]
            crowd = THEME_PENALTY * counts.get(theme, 0)
            crowd += FAMILY_PENALTY * counts.get("family:" + fam, 0) if fam else 0.0
            return (c.score - crowd, -i)

        best = max(range(len(rest)), key=rank)
        c, theme, _ = rest.pop(best)
        admit(c, theme)
    return order(slug, [b for b, _ in chosen])


def _family(spec: Spec, c: Candidate) -> tuple[str, str]:
    """(theme, duty family) of a candidate."""
    if spec.families:
        family, theme = family_of(spec, c.text, c.passage.chunk.section)
        return theme, family
    return theme_of(spec, c.text, c.passage.chunk.section), ""


def order(slug: str, bullets: list[Bullet]) -> list[Bullet]:
    """Grouped by theme in the section's theme order; best first within a theme."""
    spec = SPECS[slug]
    if not spec.themes:  # the summary: the sentence that says what the role is comes first
        boost = spec.boost
        return sorted(
            bullets, key=lambda b: (not (boost and boost.search(b.quote)), -b.score, b.id)
        )
    rank = {name: i for i, (name, _) in enumerate(spec.themes)}
    return sorted(bullets, key=lambda b: (rank.get(b.theme, len(rank)), -b.score, b.id))


def _summary_voice(bullets: list[Bullet], role: str) -> None:
    """The second defining sentence continues the first ("You will also …")."""
    lead = f"The {role} will "
    for b in bullets[1:]:
        if b.text.startswith(lead) and not b.edited:
            b.text = "You will also " + b.text[len(lead) :]
            b.verified = verify(b.text, b.citations)


def build_section(
    ev: Evidence,
    slug: str,
    keep: Sequence[Bullet] = (),
    removed: Sequence[dict[str, str]] = (),
    n: int | None = None,
    taken: Sequence[Taken] = (),
    avoid: Sequence[dict[str, str]] = (),
) -> DraftSection:
    """One section; ``avoid`` are bullets to replace if the sources have anything else
    (regenerate), used again only when they do not."""
    request = ev.request
    section = DraftSection(slug, SECTIONS[slug], lines=posting.lines(slug, request))
    if slug == "summary":
        section.intro = posting.framing(request)
    if slug in INPUT_ONLY:
        return section
    n = n or request.count(slug)
    pool = ev.candidates(slug)
    bullets = select(
        slug, pool, max(n, len(keep)), keep, [*removed, *avoid], taken, request.emphasis
    )
    if avoid and len(bullets) < n:  # not enough alternatives: the old bullets come back
        bullets = select(slug, pool, max(n, len(keep)), bullets, removed, taken)
    if slug == "summary":
        _summary_voice(bullets, posting.role(request))
    section.bullets = bullets
    section.removed = [dict(r) for r in removed]
    if len(bullets) < n:
        asked = "requested" if request.bullets is not None else "default"
        section.notes.append(
            f"Only {len(bullets)} of the {n} {asked} bullets have evidence in the knowledge "
            "base; nothing was invented to fill the gap."
        )
    return section


def taken_by(draft: Draft, slug: str) -> list[Taken]:
    """Bullets the draft's other sections have. The summary restates the role, so it only
    avoids repeating a responsibility word for word; the others ignore the summary."""
    if slug == "summary":
        return [
            Taken("responsibilities", b.text)
            for s in draft.sections
            if s.section == "responsibilities"
            for b in s.bullets
        ]
    return [
        Taken(s.section, b.text)
        for s in draft.sections
        if s.section not in (slug, "summary")
        for b in s.bullets
    ]


def topic_notes(ev: Evidence, draft: Draft) -> list[str]:
    """Emphasis topics (and the setting) the knowledge base has no evidence for say so."""
    chunks = {c.id: c for c in ev.a.all_chunks()}
    sentences = ev.a.sentences_for(list(chunks.values()))
    notes = []
    used = [b.text + " " + b.quote for s in draft.sections for b in s.bullets]
    for topic in ev.request.emphasis:
        parts = topic_parts(topic)
        found = [s for s in sentences if parts and on_topic(parts, s.text)]
        if found:
            if not any(on_topic(parts, u) for u in used):
                notes.append(
                    f"Emphasis \u201c{topic}\u201d: the knowledge base covers it, but no bullet "
                    "in these sections is about it; ask for more bullets on it in a section."
                )
            continue
        note = (
            f"Emphasis \u201c{topic}\u201d: the knowledge base has no evidence for it, so no "
            "bullet was written for it; add it yourself if the role includes it."
        )
        vec = ev.vector(topic)
        best = max(sentences, key=lambda s: (float(s.vector @ vec), s.chunk_id), default=None)
        if best is not None and float(best.vector @ vec) >= 0.4:
            c = chunks.get(best.chunk_id)
            where = f" ({c.title} \u203a {c.section})" if c else ""
            note += f" Closest passage{where}: \u201c{strip_markup(best.text)}\u201d"
        notes.append(note)
    if ev.request.setting:
        words = terms(ev.request.setting)
        hits = [s for s in sentences if words and words <= terms(s.text)]
        notes.append(
            f"Setting \u201c{ev.request.setting}\u201d: "
            + (
                f"mentioned in {len(hits)} knowledge-base sentence(s); "
                if hits
                else "not mentioned in the knowledge base; "
            )
            + "the bullets describe the Medical Director role as the sources do, and the setting "
            "appears only in the framing and the employer's lines."
        )
    return notes


Polish = Callable[[str, str], "str | None"]  # (bullet text, its passage) -> new wording


def apply_polish(draft: Draft, polish: Polish) -> None:
    """Optional rewording of bullets (the LLM backend's): a polished bullet replaces the
    extractive wording only when it verifies against its primary passage, else it stays."""
    done = tried = 0
    for section in draft.sections:
        for b in section.bullets:
            if b.pinned or b.edited or not b.citations:
                continue
            tried += 1
            new = polish(b.text, b.citations[0].text)
            if new and new != b.text and verify(new, b.citations):
                b.text, b.style, b.verified = new, "polished", True
                done += 1
    notice = str(getattr(polish, "notice", ""))
    if notice:
        draft.notes.append(notice)
    elif tried:
        draft.notes.append(
            f"LLM polish: {done} of {tried} bullets reworded; the others keep the extractive "
            "wording because their rewording did not verify against the passage."
        )


def build_draft(
    assistant: EvidenceSource,
    request: DraftRequest,
    sections: Sequence[str] = ("all",),
    polish: Polish | None = None,
) -> Draft:
    request = request.checked()
    slugs = check_sections(sections)
    ev = Evidence(assistant, request)
    draft = Draft.for_request(request)
    built: dict[str, DraftSection] = {}
    for slug in sorted(slugs, key=lambda s: BUILD_ORDER.index(s) if s in BUILD_ORDER else -1):
        draft.sections = list(built.values())
        built[slug] = build_section(ev, slug, taken=taken_by(draft, slug))
    draft.sections = [built[slug] for slug in slugs]
    draft.notes = topic_notes(ev, draft)
    if polish is not None:
        apply_polish(draft, polish)
    draft.renumber()
    return draft
