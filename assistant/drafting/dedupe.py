"""When two bullets make the same point in other words (pure functions; the eval uses them too).

Three tests, cheapest first:

- lexical: the same normalised text, the same two leading content words, or mostly the same
  content words (stemmed, with "M.D." / "Doctor of Medicine" / "MD" read as one word);
- concepts (short phrases only: qualifications, skills, KPIs): a posting's requirements are
  few well-known things (a medical degree, clinical experience, leadership ability …). A phrase
  whose requirements are all named by another phrase, which adds at most one more, repeats it
  ("Medical degree (MD or DO)" / "Licensed physician with a Doctor of Medicine (M.D.) …
  degree");
- vectors: embeddings closer than a cosine threshold (when the caller has them).
"""

from __future__ import annotations

import functools
import re
from typing import Any

import numpy as np

from assistant.text import content_terms

DUP_JACCARD = 0.5
DUP_OVERLAP = 0.8
DUP_COSINE = 0.86
# Sections whose bullets are short phrases, by what they list: the concept test compares
# requirements with requirements and measures with measures (a KPI "Regulatory compliance
# rates" does not repeat the skill "Knowledge of … regulations").
PHRASE_GROUPS: dict[str, str] = {
    "required-qualifications": "requirement",
    "preferred-qualifications": "requirement",
    "skills": "requirement",
    "kpis": "measure",
}
PHRASE_SECTIONS = tuple(PHRASE_GROUPS)


def comparable_phrases(slug_a: str, slug_b: str) -> bool:
    """Whether the concept test applies between bullets of these two sections."""
    group = PHRASE_GROUPS.get(slug_a)
    return group is not None and group == PHRASE_GROUPS.get(slug_b)


def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


# Spellings of one credential, read as one word before comparing content words.
_SYNONYMS = (
    (_re(r"\bdoctor\s+of\s+osteopathic\s+medicine\b|\bd\.\s?o\.?(?=\W)"), " osteopathic "),
    (_re(r"\bdoctor\s+of\s+medicine\b|\bm\.\s?d\.?(?=\W|$)|\bmd\b"), " md "),
    (_re(r"\bmedical\s+degree\b"), " md degree "),
)

# What a requirement phrase asks for. Experience of leading and the ability to lead are
# different requirements, so "leadership" counts as a skill unless "experience" follows it.
CONCEPTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("medical degree", _re(r"\bmd\b|osteopathic|medical\s+school")),
    ("licensure", _re(r"\blicen[cs]")),
    ("board certification", _re(r"board[\s-]+certif|\bcertification\b")),
    ("residency", _re(r"\bresidency\b")),
    ("postgraduate degree", _re(r"\bmba\b|\bmph\b|\bmaster|postgraduate")),
    (
        "clinical experience",
        _re(r"clinical\s+(?:experience|practice|expertise)|experience\s+in\s+clinical"),
    ),
    (
        "management experience",
        _re(
            r"(?:healthcare|health\s+care)\s+(?:management|administration)|"
            r"(?:management|administrative)\s+experience|"
            r"experience\s+in\s+(?:\w+\s+)?(?:management|administration)"
        ),
    ),
    (
        "leadership experience",
        _re(
            r"leadership\s+(?:experience|role|position)|experience\s+in\s+a\s+leadership|"
            r"chief\s+of\s+staff|department\s+head"
        ),
    ),
    (
        "leadership ability",
        _re(r"\bleadership\b(?![\s-]+(?:experience|roles?|positions?|team|training))"),
    ),
    ("communication", _re(r"communicat|interpersonal|\blisten")),
    ("strategic planning", _re(r"\bstrateg|long-term\s+planning")),
    ("data analysis", _re(r"\banaly[sz]|\bdata\b|measurements")),
    ("regulatory knowledge", _re(r"regulat|complian|legislation|\blaws?\b|hipaa|medicare")),
    ("finance", _re(r"financ|budget|\bcosts?\b|revenue")),
    ("quality improvement", _re(r"\bquality\b")),
    ("mentoring", _re(r"mentor|coach")),
    ("problem solving", _re(r"problem|decision")),
    ("patient satisfaction", _re(r"patient\s+(?:satisfaction|experience)")),
    ("clinical outcomes", _re(r"clinical\s+outcomes|patient\s+outcomes")),
    ("employee engagement", _re(r"employee\s+engagement|staff\s+(?:engagement|satisfaction)")),
)


# The summary's own lead-in ("The Medical Director will …") is not part of the point.
_LEAD_IN = _re(r"^\s*(?:the\s+(?:[\w-]+\s+)?medical\s+director\s+will|you\s+will(?:\s+also)?)\s+")


def normalise(text: str) -> str:
    """Lower case, credential spellings unified, punctuation and extra space dropped."""
    out = f" {_LEAD_IN.sub('', text).lower()} "
    for pattern, repl in _SYNONYMS:
        out = pattern.sub(repl, out)
    return " ".join(re.sub(r"[^\w\s-]", " ", out).split())


def concepts(text: str) -> frozenset[str]:
    norm = normalise(text)
    return frozenset(name for name, pattern in CONCEPTS if pattern.search(norm))


@functools.lru_cache(maxsize=8192)
def _lexical(text: str) -> tuple[str, tuple[str, ...]]:
    """Normalised text and its content terms; cached, as selection compares every candidate
    with every chosen bullet (thousands of pairs per section, few distinct texts)."""
    norm = normalise(text)
    return norm, tuple(content_terms(norm))


def lexical_duplicate(a: str, b: str) -> bool:
    (na, la), (nb, lb) = _lexical(a), _lexical(b)
    if na == nb:
        return True
    if len(la) >= 2 and len(lb) >= 2 and la[:2] == lb[:2]:
        return True
    ta, tb = set(la), set(lb)
    if not ta or not tb:
        return False
    overlap = len(ta & tb)
    if overlap / len(ta | tb) >= DUP_JACCARD:
        return True
    return min(len(ta), len(tb)) >= 2 and overlap / min(len(ta), len(tb)) >= DUP_OVERLAP


# The object of a duty ends where its complement starts; these heads say nothing without it
# ("Develop strategies to …", "Lead initiatives on …"), so they never make two duties one.
_OBJECT_END = frozenset(
    (
        "of", "on", "in", "for", "to", "that", "which", "who", "with", "and", "or", "by",
        "across", "within", "including", "such", "as", "through", "from", "at", "into",
        "among", "between", "so", "while", "when", "where", "whose",
    )
)  # fmt: skip
_DETERMINERS = frozenset(("the", "a", "an", "all", "any", "its", "their", "our"))
_GENERIC_HEADS = frozenset(
    (
        "strategies", "strategy", "programs", "program", "initiatives", "initiative", "plans",
        "plan", "processes", "process", "systems", "system", "efforts", "effort", "projects",
        "project", "activities", "activity", "measures", "measure", "aspects", "aspect",
        "needs", "issues", "areas", "goals", "practices", "services", "care", "role", "roles",
    )
)  # fmt: skip


@functools.lru_cache(maxsize=4096)
def duty_object(text: str) -> str | None:
    """The head noun a duty acts on, for an imperative bullet: "Draft and enforce policies on
    clinical procedures" and "Create and implement policies that govern patient care" both
    act on "policies". None when the bullet does not start with verbs or the head is generic."""
    from assistant.drafting.rewrite import verb_base

    words = re.findall(r"[a-z][a-z'-]*|[,;:()]", text.lower())
    i = verbs = 0
    while i < len(words):
        w = words[i]
        if verbs and w in ("and", "or", ","):
            i += 1
        elif verb_base(w) == w and not (verbs and w in _OBJECT_END):
            verbs += 1
            i += 1
        else:
            break
    if not verbs or verbs > 3:
        return None
    np_words: list[str] = []
    for w in words[i:]:
        if w in _OBJECT_END or w in ",;:(" or w.endswith("ing"):
            break
        if not np_words and (w in _DETERMINERS or w.endswith("ly")):  # "Work closely with"
            continue
        np_words.append(w)
    if not np_words or len(np_words) > 4:
        return None
    head = np_words[-1]
    return None if head in _GENERIC_HEADS else head


def same_duty(a: str, b: str) -> bool:
    """Two imperative duties acting on the same (specific) object are one duty in a posting."""
    oa = duty_object(a)
    return oa is not None and oa == duty_object(b)


def concept_duplicate(a: str, b: str) -> bool:
    """One phrase's requirements all named by the other, which adds at most one more."""
    ca, cb = concepts(a), concepts(b)
    if not ca or not cb:
        return False
    small, large = (ca, cb) if len(ca) <= len(cb) else (cb, ca)
    return small <= large and len(large - small) <= 1


def same_point(
    a: str,
    b: str,
    phrases: bool = False,
    a_vec: Any = None,
    b_vec: Any = None,
    cosine: float = DUP_COSINE,
) -> bool:
    """True when bullets a and b say the same thing (``phrases``: both are short
    requirement phrases, where the concept test applies)."""
    if lexical_duplicate(a, b) or (phrases and concept_duplicate(a, b)):
        return True
    if not phrases and same_duty(a, b):
        return True
    if a_vec is not None and b_vec is not None and len(a_vec) and len(b_vec):
        return float(np.dot(a_vec, b_vec)) >= cosine
    return False


def duplicate_pairs(
    sections: list[tuple[str, list[str]]], embed: Any = None, cosine: float = 0.9
) -> list[tuple[str, str]]:
    """Every pair of bullets, within and across sections, that makes the same point.

    The summary restates the role by design, so it is compared only with itself.
    """
    items = [(slug, text) for slug, texts in sections for text in texts]
    vecs = None
    if embed is not None and len(items) >= 2:
        vecs = np.asarray(embed([t for _, t in items]))
    out = []
    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            (sa, a), (sb, b) = items[i], items[j]
            if sa != sb and "summary" in (sa, sb):
                continue
            phrases = comparable_phrases(sa, sb)
            va = vecs[i] if vecs is not None else None
            vb = vecs[j] if vecs is not None else None
            if same_point(a, b, phrases, va, vb, cosine):
                out.append((a, b))
    return out
