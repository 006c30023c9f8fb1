"""Question + passages -> a cited extractive answer, or a structured "not covered" outcome.

Sentences are chosen from the retrieved passages by relevance to the question (cosine of the
stored sentence vectors, plus a lexical bonus), with maximal-marginal-relevance diversity so a
point is not made twice, and are printed in document order. Every sentence is a verbatim
quote of the passage it cites, and is verified as such before it is shown.

Sentences about the article itself ("In this article, we will delve ...") are never chosen;
a chosen sentence that points back ("However, ...", "This ...") brings the sentence it points
to; when the best sentence sits under a heading that asks the question (an FAQ), the answer
is taken from such authored passages only. Margins and weights were chosen on the eval set.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from assistant.citations import Numbering, is_quote, render
from assistant.settings import Settings
from assistant.text import content_terms
from assistant.types import Answer, Passage, Sentence, StoredSentence

_LIST_Q = re.compile(
    r"\b(which|list|what are|what kinds?|what types?|name|examples?|duties|responsibilities|"
    r"skills|qualifications|kpis?|indicators|metrics|competencies|expectations|steps|ways)\b",
    re.I,
)

# Questions that ask for a figure can only be answered by a sentence that states one: the
# documents mention "competitive salaries" but give no salary, and that is "not covered".
_FIGURE_Q = re.compile(
    r"\b(how many|salary|salaries|pay|paid|earn|earns|compensation|wage|wages|cost|price|"
    r"percent(age)?|dose|dosage|mg|dollars?)\b|\bhow much\b(?=.*\b(make|earn|paid|cost|get)\b)",
    re.I,
)
_FIGURE = re.compile(
    r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty)\b",
    re.I,
)

NOT_COVERED = "The knowledge base does not cover this question."


@dataclass(frozen=True)
class Scored:
    sentence: StoredSentence
    passage: Passage
    rank: int
    sim: float
    score: float
    authored: bool = False  # its passage's heading states the question (an FAQ answer)


def wants_list(question: str) -> bool:
    return bool(_LIST_Q.search(question))


def coverage(question: str, passages: Sequence[Passage]) -> float:
    """Share of the question's key terms (domain words aside) found in the passages."""
    terms = set(content_terms(question, drop_domain=True))
    if not terms:
        return 1.0
    found: set[str] = set()
    for p in passages:
        found |= set(content_terms(f"{p.chunk.section} {p.chunk.text}"))
    return len(terms & found) / len(terms)


def suggestions(passages: Sequence[Passage], n: int = 3) -> tuple[str, ...]:
    """Nearest covered topics: the sections of the best passages, deduplicated."""
    out: list[str] = []
    for p in passages:
        topic = re.sub(r"^(Question \d+:|Expectation \d+:|\d+\.)\s*", "", _heading(p))
        if topic and topic not in out:
            out.append(topic)
        if len(out) == n:
            break
    return tuple(out)


def refusal(question: str, passages: Sequence[Passage], settings: Settings) -> Answer:
    topics = suggestions(passages)
    text = NOT_COVERED
    if topics:
        text += " It covers, for example: " + "; ".join(topics) + "."
    return Answer(
        question=question,
        answer=text,
        refused=True,
        suggestions=topics,
        settings=settings.fingerprint,
    )


def _heading(p: Passage) -> str:
    return p.chunk.section.split(" > ")[-1]


def _overlap(a: set[str], b: set[str]) -> float:
    """Share of a's terms found in b (Jaccard would punish short headings)."""
    return len(a & b) / len(a) if a and b else 0.0


def score_sentences(
    question: str,
    qvec: np.ndarray,
    passages: Sequence[Passage],
    sentences: Sequence[StoredSentence],
) -> list[Scored]:
    by_chunk = {p.chunk.id: (rank, p) for rank, p in enumerate(passages)}
    q_terms = set(content_terms(question, drop_domain=True))
    # A passage whose own heading asks this question (an FAQ entry, a section titled by it)
    # is the answer the author wrote for it.
    # Domain words ("medical director") are in most headings, so they do not count.
    heading_match = {
        p.chunk.id: _overlap(q_terms, set(content_terms(_heading(p), drop_domain=True)))
        for p in passages
    }
    out = []
    for s in sentences:
        if s.chunk_id not in by_chunk or not s.vector.size:
            continue
        rank, passage = by_chunk[s.chunk_id]
        sim = float(s.vector @ qvec)
        lexical = len(q_terms & set(content_terms(s.text))) / len(q_terms) if q_terms else 0.0
        authored = heading_match[s.chunk_id] >= 0.75
        score = (
            sim
            + 0.25 * lexical
            - (0.05 if _CONCLUDES.match(s.text) else 0.0)
            + 0.04 * (len(passages) - rank) / len(passages)
            + (0.2 if authored else 0.0)
        )
        out.append(Scored(s, passage, rank, sim, score, authored))
    return out


def select(
    scored: Sequence[Scored], limit: int, lam: float = 0.75, margin: float = 0.12
) -> list[Scored]:
    """Maximal marginal relevance over sentence vectors; near-duplicates are never both kept."""
    pool = sorted(scored, key=lambda s: -s.score)
    if not pool:
        return []
    floor = pool[0].score - margin  # keep answers short: nothing much weaker than the best
    chosen: list[Scored] = []
    seen_text: set[str] = set()
    while pool and len(chosen) < limit:
        best, best_val = None, -1e9
        for cand in pool:
            if cand.score < floor:
                continue
            redundancy = max(
                (float(cand.sentence.vector @ c.sentence.vector) for c in chosen), default=0.0
            )
            if redundancy > 0.9:
                continue
            val = lam * cand.score - (1 - lam) * redundancy
            if val > best_val:
                best, best_val = cand, val
        if best is None:
            break
        pool.remove(best)
        key = best.sentence.text.lower()
        if key not in seen_text:
            seen_text.add(key)
            chosen.append(best)
    return chosen


_ELABORATES = re.compile(r"^(This|These|Such|Examples?|For (example|instance))\b", re.I)
# A sentence that opens by pointing back ("However, the modern ...", "This ensures ...") is
# read with the sentence it points to.
_POINTS_BACK = re.compile(
    r"^(However|This|These|That|Those|Such|It|Its|Thus|Therefore|Consequently|As a result)\b"
)
# A concluding sentence restates rather than informs: it ranks a little lower.
_CONCLUDES = re.compile(r"^(In conclusion|To (summarize|summarise|sum up)|In summary|Overall)\b")
# Sentences about the document itself, not about the role: never an answer.
_META = re.compile(
    r"\b(this|the following|the subsequent|these|our) (article|blog|guide|handbook|"
    r"sections?|part of the article|faqs?)\b|\b(we will|we'll|let's|let us) (delve|explore|"
    r"discuss|look|examine)\b|\bthank you for reading\b|\b(outlined|mentioned|discussed) "
    r"(in|above in) (this|the) (article|handbook|guide|post)\b",
    re.I,
)


def with_elaboration(chosen: list[Scored], scored: Sequence[Scored], limit: int) -> list[Scored]:
    """Add the sentence that spells out a chosen one ("This includes tracking metrics such as
    ...") when it directly follows it in the same passage; it carries the specifics."""
    out = list(chosen)
    index = {(s.sentence.chunk_id, s.sentence.position): s for s in scored}
    for s in chosen:
        pos, taken = s.sentence.position, 0
        # An answer its author wrote under this very question is kept whole (up to 3).
        while len(out) < limit and taken < (2 if s.authored else 1):
            pos += 1
            nxt = index.get((s.sentence.chunk_id, pos))
            if nxt is None or not (s.authored or _ELABORATES.match(nxt.sentence.text)):
                break
            if nxt not in out:
                out.append(nxt)
            taken += 1
    return out


def with_antecedents(chosen: list[Scored], scored: Sequence[Scored], limit: int) -> list[Scored]:
    """Add the sentence a chosen one points back to (same passage, just before it)."""
    out = list(chosen)
    index = {(s.sentence.chunk_id, s.sentence.position): s for s in scored}
    for s in chosen:
        if len(out) >= limit:
            break
        if not _POINTS_BACK.match(s.sentence.text):
            continue
        prev = index.get((s.sentence.chunk_id, s.sentence.position - 1))
        if prev is not None and prev not in out:
            out.append(prev)
    return out


def is_meta(text: str) -> bool:
    """A sentence about the article itself ("In this article, we will delve into ...")."""
    return bool(_META.search(text))


def extractive_answer(
    question: str,
    qvec: np.ndarray,
    passages: Sequence[Passage],
    sentences: Sequence[StoredSentence],
    settings: Settings,
) -> Answer:
    """The offline, deterministic answerer."""
    scored = [
        s
        for s in score_sentences(question, qvec, passages, sentences)
        if not s.sentence.text.rstrip().endswith(("?", ":"))  # not questions or list intros
        and not is_meta(s.sentence.text)
    ]
    if _FIGURE_Q.search(question):  # a figure, about what was asked
        key = set(content_terms(_FIGURE_Q.sub(" ", question), drop_domain=True))
        scored = [
            s
            for s in scored
            if _FIGURE.search(s.sentence.text) and key & set(content_terms(s.sentence.text))
        ]
    best = max((s.sim for s in scored), default=-1.0)
    cov = coverage(question, passages)
    if not scored or best < settings.min_score or (cov < settings.min_coverage and best < 0.55):
        return refusal(question, passages, settings)
    as_list = wants_list(question)
    limit = settings.max_list_items if as_list else settings.max_sentences
    pool = scored
    if max(scored, key=lambda s: s.score).authored:
        pool = [s for s in scored if s.authored]  # the author answered this very question
    # Margins (how much weaker than the best a sentence may be and still be kept) were
    # chosen on the eval set: shorter answers, same key-fact recall (README, Evaluation).
    chosen = with_elaboration(select(pool, limit, margin=0.15 if as_list else 0.12), pool, limit)
    chosen = with_antecedents(chosen, scored, limit + 1)
    chosen.sort(key=lambda s: (s.rank, s.sentence.position))  # document order reads best
    numbering = Numbering()
    out: list[Sentence] = []
    for s in chosen:
        if not is_quote(s.sentence.text, s.passage.chunk.text):
            continue  # never cite a passage that does not contain the sentence
        out.append(Sentence(s.sentence.text, (numbering.number(s.passage),)))
    if not out:
        return refusal(question, passages, settings)
    return Answer(
        question=question,
        answer=render(out, as_list),
        refused=False,
        citations=numbering.citations(),
        sentences=tuple(out),
        as_list=as_list,
        settings=settings.fingerprint,
    )
