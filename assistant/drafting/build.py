"""Knowledge base -> cited, verified job-description sections.

For each section: several retrieval queries (biased by the setting and emphasis topics) ->
the sentences of the retrieved passages, scored by cosine of their stored vectors to the
section's queries -> rewritten in job-description style (``rewrite``) -> verified against the
cited passage (content words found; a failed rewrite falls back to the verbatim sentence) ->
near-duplicates merged (one bullet, every citation) -> the best N, grouped by theme.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from assistant.citations import is_supported
from assistant.drafting import rewrite
from assistant.drafting.model import (
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
    EXAMPLE,
    META,
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
DUP_JACCARD = 0.5  # ... or bullets sharing this share of content words
MAX_CITATIONS = 3
MERGE_SUPPORT = 0.6
THEME_PENALTY = 0.06
SUMMARY_SENTENCES = 3
PHRASE_KINDS = ("qualification", "skill", "kpi")


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
    a_text: str, b_text: str, a_vec: Any = None, b_vec: Any = None, cosine: float = DUP_COSINE
) -> bool:
    """Same point twice: close vectors, mostly the same content words, or the same head
    ("Medical degree (MD or DO)" / "Medical degree from an approved college")."""
    la, lb = content_terms(a_text), content_terms(b_text)
    if len(la) >= 2 and len(lb) >= 2 and la[:2] == lb[:2]:
        return True
    ta, tb = set(la), set(lb)
    if ta and tb:
        overlap = len(ta & tb)
        if overlap / len(ta | tb) >= DUP_JACCARD:
            return True
        if min(len(ta), len(tb)) >= 2 and overlap / min(len(ta), len(tb)) >= 0.8:
            return True
    if a_vec is not None and b_vec is not None and len(a_vec) and len(b_vec):
        return float(np.dot(a_vec, b_vec)) >= cosine
    return False


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


def theme_of(spec: Spec, text: str, heading: str) -> str:
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
        for q in queries:
            for p in self.a.retrieve(q, k=6):
                passages.setdefault(p.chunk.id, p)
        qmat = np.stack([self.vector(q) for q in queries])
        emphasis = [terms(t) for t in (topics or self.request.emphasis)]
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
            score += 0.12 * any(t and t <= words for t in emphasis)
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
        if spec.kind in ("summary", "career"):
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
        return [Candidate(text, text, passage, vec, score - 0.1, "verbatim")]


def _is_excluded(c: Candidate, removed: Sequence[dict[str, str]], slug: str) -> bool:
    ids = {r["id"] for r in removed}
    if bullet_id(slug, c.quote, c.text) in ids:
        return True
    return any(near_duplicate(c.text, r.get("text") or r.get("quote", "")) for r in removed)


def select(
    slug: str,
    candidates: Sequence[Candidate],
    n: int,
    keep: Sequence[Bullet] = (),
    removed: Sequence[dict[str, str]] = (),
) -> list[Bullet]:
    """The best n bullets (kept ones count), merging near-duplicates' citations."""
    spec = SPECS[slug]
    chosen: list[tuple[Bullet, Candidate | None]] = [(b, None) for b in keep]
    pool = [(c, _theme(spec, c)) for c in candidates]
    while pool:
        # Theme diversity: a theme that already has bullets ranks its next candidate lower.
        counts: dict[str, int] = {}
        for b, _ in chosen:
            counts[b.theme] = counts.get(b.theme, 0) + 1
        best = max(
            range(len(pool)),
            key=lambda i: (pool[i][0].score - THEME_PENALTY * counts.get(pool[i][1], 0), -i),
        )
        c, theme = pool.pop(best)
        if _is_excluded(c, removed, slug):
            continue
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
                    DUP_PHRASE_COSINE if spec.kind in PHRASE_KINDS else DUP_COSINE,
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
            continue
        if len(chosen) >= n:
            continue
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
    return order(slug, [b for b, _ in chosen])


def _theme(spec: Spec, c: Candidate) -> str:
    return theme_of(spec, c.text, c.passage.chunk.section)


def order(slug: str, bullets: list[Bullet]) -> list[Bullet]:
    """Grouped by theme in the section's theme order; best first within a theme."""
    spec = SPECS[slug]
    if not spec.themes:  # the summary: the sentence that says what the role is comes first
        boost = spec.boost
        return sorted(bullets, key=lambda b: (not (boost and boost.search(b.text)), -b.score, b.id))
    rank = {name: i for i, (name, _) in enumerate(spec.themes)}
    return sorted(bullets, key=lambda b: (rank.get(b.theme, len(rank)), -b.score, b.id))


def intro(slug: str, request: DraftRequest) -> str:
    """Framing from the user's own inputs, where a real job description puts it; no claims."""
    role = " ".join(p for p in (request.seniority.lower(), "Medical Director") if p)
    org, setting = request.org, request.setting
    if slug == "summary":
        if org and setting:
            return f"{org} is seeking a {role} for its {setting}."
        if org:
            return f"{org} is seeking a {role}."
        if setting:
            return f"This {role} position is based in the {setting}."
        return f"This is a {role} position." if request.seniority else ""
    if slug == "reporting" and (org or setting):
        where = " ".join(
            p for p in (f"of the {setting}" if setting else "", f"at {org}" if org else "") if p
        )
        return f"The {role} {where} works within these reporting lines and relationships."
    return ""


def build_section(
    ev: Evidence,
    slug: str,
    keep: Sequence[Bullet] = (),
    removed: Sequence[dict[str, str]] = (),
    n: int | None = None,
) -> DraftSection:
    request = ev.request
    n = n or (min(SUMMARY_SENTENCES, request.bullets) if slug == "summary" else request.bullets)
    bullets = select(slug, ev.candidates(slug), max(n, len(keep)), keep, removed)
    section = DraftSection(slug, SECTIONS[slug], bullets, intro=intro(slug, request))
    section.removed = [dict(r) for r in removed]
    if len(bullets) < n:
        section.notes.append(
            f"Only {len(bullets)} of the {n} requested bullets have evidence in the knowledge "
            "base; nothing was invented to fill the gap."
        )
    return section


def topic_notes(ev: Evidence, draft: Draft) -> list[str]:
    """Emphasis topics (and the setting) the knowledge base has no evidence for say so."""
    chunks = {c.id: c for c in ev.a.all_chunks()}
    sentences = ev.a.sentences_for(list(chunks.values()))
    notes = []
    used = [terms(b.text + " " + b.quote) for s in draft.sections for b in s.bullets]
    for topic in ev.request.emphasis:
        words = terms(topic)
        found = [s for s in sentences if words and words <= terms(s.text)]
        if found:
            if not any(words <= u for u in used):
                notes.append(
                    f"Emphasis \u201c{topic}\u201d: the knowledge base covers it, but no bullet "
                    "in these sections is about it; ask for more bullets on it in a section."
                )
            continue
        note = (
            f"Emphasis \u201c{topic}\u201d: the knowledge base has no evidence for it, so no "
            "bullet was written for it."
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
            "appears only in the summary and reporting framing."
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
    draft = Draft(
        setting=request.setting,
        org=request.org,
        seniority=request.seniority,
        emphasis=list(request.emphasis),
        bullets=request.bullets,
        sections=[build_section(ev, slug) for slug in slugs],
    )
    draft.notes = topic_notes(ev, draft)
    if polish is not None:
        apply_polish(draft, polish)
    draft.renumber()
    return draft
