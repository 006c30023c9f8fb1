"""Per-case scores and their aggregation; no language-model judge.

Retrieval scores use LlamaIndex's retrieval metrics (HitRate, MRR, NDCG) over chunk ids: the
relevant ids of a case are the chunks that contain one of its gold quotes, so re-chunking
does not break the set. Answer scores compare the answer text (citation markers removed)
with the reference and the key facts; citation precision re-checks every citation with
assistant.citations instead of trusting the answer's own flags.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from assistant.citations import MARKER, is_quote, is_supported
from assistant.drafting.dedupe import duplicate_pairs
from assistant.text import normalize, words
from assistant.types import Answer, Chunk, Sentence

# metric -> (direction, group, description); "higher" or "lower" is better.
METRICS: dict[str, tuple[str, str, str]] = {
    "hit@1": ("higher", "retrieval", "a gold passage ranked first"),
    "hit@3": ("higher", "retrieval", "a gold passage in the top 3"),
    "hit@5": ("higher", "retrieval", "a gold passage in the top 5"),
    "mrr": ("higher", "retrieval", "mean reciprocal rank of the first gold passage"),
    "ndcg@5": ("higher", "retrieval", "nDCG over the top 5 (binary relevance)"),
    "fact_recall": ("higher", "answer", "share of key facts found in the answer"),
    "token_f1": ("higher", "answer", "token F1 against the reference answer"),
    "rouge_l": ("higher", "answer", "ROUGE-L F1 against the reference answer"),
    "citation_precision": ("higher", "answer", "cited sentences found in their passage"),
    "citation_coverage": ("higher", "answer", "answer sentences that carry a citation"),
    "refusal_precision": ("higher", "refusal", "refusals that were out-of-scope questions"),
    "refusal_recall": ("higher", "refusal", "out-of-scope questions refused"),
    "answer_words": ("lower", "answer", "mean words per (non-refused) answer"),
    "latency_p50_ms": ("lower", "latency", "median ask() wall time"),
    "latency_p95_ms": ("lower", "latency", "95th percentile ask() wall time"),
    "answer_precision": (
        "higher",
        "natural",
        "answer sentences on the point (a context sentence counts with the one it introduces)",
    ),
    "sentence_precision": (
        "higher",
        "natural",
        "answer sentences on the point, every shown sentence counted on its own",
    ),
    "lead_accuracy": (
        "higher",
        "natural",
        "answers whose first sentence (with the one it introduces) is on the point",
    ),
    "natural_hit@5": ("higher", "natural", "a passage with an on-the-point sentence in the top 5"),
    "natural_fact_recall": ("higher", "natural", "key facts found in natural-question answers"),
    "natural_accuracy": ("higher", "natural", "plain questions answered, leading on the point"),
    "followup_accuracy": ("higher", "natural", "last turns of conversations answered right"),
    "typo_accuracy": ("higher", "natural", "misspelt questions answered right"),
    "near_domain_refusal": ("higher", "natural", "near-domain questions answered 'not covered'"),
    "partial_accuracy": ("higher", "natural", "partly covered questions answered as partial"),
    "task_accuracy": ("higher", "natural", "drafting requests pointed to drafting"),
    "draft_cited_verified": ("higher", "drafting", "bullets cited and verified"),
    "draft_theme_coverage": ("higher", "drafting", "required themes present in the bullets"),
    "draft_near_duplicates": ("lower", "drafting", "near-duplicate bullet pairs"),
    "draft_structure_complete": ("higher", "drafting", "full drafts with every posting section"),
    "draft_responsibilities_min": ("higher", "drafting", "fewest responsibilities in a draft"),
    "draft_duty_themes_min": ("higher", "drafting", "fewest duty themes in a draft"),
    "draft_paraphrase_duplicates": ("lower", "drafting", "paraphrase pairs in full drafts"),
    "draft_style": ("higher", "drafting", "bullets in their section's style"),
    "draft_full_cited_verified": ("higher", "drafting", "full-draft bullets cited and verified"),
    "draft_emphasis_handled": ("higher", "drafting", "emphasis topics reflected or noted"),
    "draft_posting_coverage": ("higher", "drafting", "real-posting duties covered (evidenced)"),
    "review_verdict_accuracy": ("higher", "review", "description lines given the expected verdict"),
    "review_missing_theme_recall": ("higher", "review", "expected missing themes reported"),
}
DRAFT_METRICS = ("draft_cited_verified", "draft_theme_coverage", "draft_near_duplicates")
NEAR_DUPLICATE_COSINE = 0.9


def direction(metric: str) -> str:
    return METRICS.get(metric, ("higher", "", ""))[0]


# -- retrieval -----------------------------------------------------------------------------
def relevant_ids(gold: Sequence[str], chunks: Iterable[Chunk]) -> list[str]:
    """Ids of the chunks that contain one of the gold quotes (markup, case, spacing aside)."""
    quotes = [normalize(g) for g in gold if g.strip()]
    return [c.id for c in chunks if any(q in normalize(c.text) for q in quotes)]


def retrieval_scores(expected: Sequence[str], retrieved: Sequence[str]) -> dict[str, float]:
    """hit@1/3/5, MRR and nDCG@5 through LlamaIndex's metric classes."""
    from llama_index.core.evaluation.retrieval.metrics import MRR, NDCG, HitRate

    if not expected or not retrieved:
        return {"hit@1": 0.0, "hit@3": 0.0, "hit@5": 0.0, "mrr": 0.0, "ndcg@5": 0.0}
    exp, ret = list(expected), list(retrieved)
    hit = HitRate()
    return {
        "hit@1": hit.compute(expected_ids=exp, retrieved_ids=ret[:1]).score,
        "hit@3": hit.compute(expected_ids=exp, retrieved_ids=ret[:3]).score,
        "hit@5": hit.compute(expected_ids=exp, retrieved_ids=ret[:5]).score,
        "mrr": MRR().compute(expected_ids=exp, retrieved_ids=ret[:5]).score,
        "ndcg@5": NDCG().compute(expected_ids=exp, retrieved_ids=ret[:5]).score,
    }


# -- answers -------------------------------------------------------------------------------
def answer_text(answer: Answer) -> str:
    """The answer without citation markers and list bullets."""
    return " ".join(MARKER.sub(" ", answer.answer).replace("(unsupported)", " ").split())


def tokens(text: str) -> list[str]:
    return [w.strip("'’-") for w in words(text) if w.strip("'’-")]


def token_f1(prediction: str, reference: str) -> float:
    """SQuAD-style bag-of-tokens F1."""
    p, r = tokens(prediction), tokens(reference)
    if not p or not r:
        return 0.0
    common = sum((Counter(p) & Counter(r)).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(p), common / len(r)
    return 2 * precision * recall / (precision + recall)


def rouge_l(prediction: str, reference: str) -> float:
    """ROUGE-L F1: longest common token subsequence (Lin 2004, beta = 1)."""
    p, r = tokens(prediction), tokens(reference)
    if not p or not r:
        return 0.0
    prev = [0] * (len(r) + 1)
    for a in p:
        cur = [0] * (len(r) + 1)
        for j, b in enumerate(r, start=1):
            cur[j] = prev[j - 1] + 1 if a == b else max(prev[j], cur[j - 1])
        prev = cur
    lcs = prev[-1]
    if lcs == 0:
        return 0.0
    precision, recall = lcs / len(p), lcs / len(r)
    return 2 * precision * recall / (precision + recall)


def fact_hits(text: str, facts: Sequence[Sequence[str]]) -> list[bool]:
    """For each key fact: is one of its accepted alternatives in the text?"""
    norm = normalize(text)
    return [any(normalize(alt) in norm for alt in fact) for fact in facts]


def on_point(sentence: str, gold: Sequence[str]) -> bool:
    """An answer sentence is on the point when it contains one of the case's gold quotes
    (the natural set lists a quote for every on-the-point sentence)."""
    norm = normalize(sentence)
    return any(normalize(g) in norm for g in gold if g.strip())


def answer_units(sentences: Sequence[Sentence], marks: Sequence[bool]) -> list[bool]:
    """Whether each unit of an answer is on the point. A unit is a sentence, or a context
    sentence together with the sentence after it that points back to it ("... overseeing
    the administrative aspects. This includes managing budgets, staffing levels ..."): the
    context is shown only so that sentence can be read, so the two are judged as one."""
    units: list[bool] = []
    i = 0
    while i < len(marks):
        if sentences[i].context and i + 1 < len(marks):
            units.append(marks[i] or marks[i + 1])
            i += 2
        else:
            units.append(marks[i])
            i += 1
    return units


def citation_checks(answer: Answer) -> tuple[int, int, int, int]:
    """(citations checked, citations whose passage contains the sentence,
    sentences, sentences that carry a citation rendered in the answer text)."""
    by_id = {c.id: c for c in answer.citations}
    checked = good = cited = 0
    for s in answer.sentences:
        marks = "".join(f"[{n}]" for n in s.citations)
        if s.citations and f"{s.text} {marks}" in answer.answer:
            cited += 1
        for n in s.citations:
            checked += 1
            c = by_id.get(n)
            good += bool(c is not None and is_quote(s.text, c.text))
    return checked, good, len(answer.sentences), cited


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def mean(values: Iterable[float]) -> float:
    vals = list(values)
    return sum(vals) / len(vals) if vals else 0.0


# -- drafting (contract: Draft.to_dict() of assistant.drafting.model) ----------------------
def draft_scores(draft: dict[str, Any], themes: Sequence[Sequence[str]], embed: Any) -> dict:
    """Bullets cited and verified, themes covered and near-duplicate pairs of one draft.

    A bullet counts as verified only when it has citations, the draft marks it verified,
    and assistant.citations confirms its text against the cited passages.
    """
    bullets = [b for s in draft.get("sections", []) for b in s.get("bullets", [])]
    ok = 0
    for b in bullets:
        passages = [str(c.get("text", "")) for c in b.get("citations", [])]
        ok += bool(passages and b.get("verified") and is_supported(str(b["text"]), passages))
    text = " ".join(str(b.get("text", "")) for b in bullets)
    covered = fact_hits(text, themes)
    # Paraphrases count too ("Medical degree (MD or DO)" / "Licensed physician with a Doctor
    # of Medicine (M.D.) … degree"), within and across sections, besides close vectors.
    sections = [
        (str(s.get("section", "")), [str(b.get("text", "")) for b in s.get("bullets", [])])
        for s in draft.get("sections", [])
    ]
    dups = len(duplicate_pairs(sections, embed, NEAR_DUPLICATE_COSINE))
    return {
        "bullets": len(bullets),
        "cited_verified": ok,
        "themes": len(themes),
        "themes_covered": sum(covered),
        "missing_themes": [list(t) for t, hit in zip(themes, covered, strict=True) if not hit],
        "near_duplicates": dups,
    }
