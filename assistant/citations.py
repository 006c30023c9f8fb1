"""Numbering, rendering and verification of citations. A citation is checked, not trusted."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.text import content_terms, normalize, strip_footnotes
from assistant.types import Citation, Passage, Sentence

MARKER = re.compile(r"\[(\d+)\]")


def is_quote(sentence: str, passage: str) -> bool:
    """True when the sentence appears verbatim in the passage (markup, case and footnote
    numbers aside: "... every quarter [99] [1]." is quoted as "... every quarter.")."""
    s = normalize(strip_footnotes(sentence)).strip()
    return bool(s) and s in normalize(strip_footnotes(passage))


def support(text: str, passage: str) -> float:
    """Share of the text's content words (stemmed) that occur in the passage."""
    terms = set(content_terms(MARKER.sub("", text)))
    if not terms:
        return 0.0
    return len(terms & set(content_terms(passage))) / len(terms)


def is_supported(text: str, passages: Sequence[str], threshold: float = 0.7) -> bool:
    """Verified when a sentence is quoted, or its content words are found, in its passages."""
    if any(is_quote(text, p) for p in passages):
        return True
    return bool(passages) and support(text, "\n".join(passages)) >= threshold


_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NEGATION = re.compile(r"\b(?:not|no|never|none|neither|nor|without|cannot)\b|n't\b", re.I)


_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
)
_TENS = "thirty forty fifty sixty seventy eighty ninety"
_NUMBER_WORDS = (
    {w: str(n) for n, w in enumerate(_UNITS.split())}
    | {w: str(10 * n) for n, w in enumerate(_TENS.split(), start=3)}
    | {"hundred": "100"}
)
_NUMBER_WORD = re.compile(r"\b(" + "|".join(_NUMBER_WORDS) + r")\b")


def _digits(text: str) -> str:
    """Small numbers written as words become digits, so "five years" meets "5-10 years"."""
    return _NUMBER_WORD.sub(lambda m: _NUMBER_WORDS[m.group(1)], text)


def is_supported_generated(text: str, passages: Sequence[str], threshold: float = 0.7) -> bool:
    """``is_supported`` for text a language model wrote, which paraphrases: besides sharing
    the content words, every figure it states must occur in the passages, and a negation must
    have one in the passages to come from (stopwords such as "not" are otherwise ignored)."""
    if not is_supported(text, passages, threshold):
        return False
    if any(is_quote(text, p) for p in passages):
        return True
    body = _digits(normalize(MARKER.sub("", text)))
    joined = _digits(normalize("\n".join(passages)))
    if any(n not in _NUMBER.findall(joined) for n in _NUMBER.findall(body)):
        return False
    return not (_NEGATION.search(body) and not _NEGATION.search(joined))


class Numbering:
    """Assigns [n] to passages in order of first use, and builds the Sources list."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}
        self._passages: list[Passage] = []

    def number(self, passage: Passage) -> int:
        cid = passage.chunk.id
        if cid not in self._ids:
            self._ids[cid] = len(self._ids) + 1
            self._passages.append(passage)
        return self._ids[cid]

    def citations(self) -> tuple[Citation, ...]:
        return tuple(
            Citation(
                id=n,
                source=p.chunk.source,
                title=p.chunk.title,
                section=p.chunk.section,
                text=p.chunk.text,
                score=p.score,
                chunk_id=p.chunk.id,
            )
            for n, p in enumerate(self._passages, start=1)
        )


def markers(ids: Sequence[int]) -> str:
    return "".join(f"[{n}]" for n in ids)


def render(sentences: Sequence[Sentence], as_list: bool) -> str:
    """Answer text: every sentence followed by its markers; unverified ones are flagged.
    Bracketed numbers inside a sentence are dropped, so every [n] in the text is a citation."""
    parts = []
    for s in sentences:
        flag = "" if s.verified else " (unsupported)"
        text = strip_footnotes(s.text)
        parts.append(" ".join(p for p in (text, markers(s.citations)) if p) + flag)
    return "\n".join(f"- {p}" for p in parts) if as_list else " ".join(parts)


def render_sources(citations: Sequence[Citation], width: int = 0) -> str:
    """The Sources list under a readable answer: [n] title — section, then the passage
    (without its footnote numbers, which would read as citations here)."""
    lines = []
    for c in citations:
        text = " ".join(strip_footnotes(c.text).split())
        if width and len(text) > width:
            text = text[: width - 1] + "…"
        lines.append(f"[{c.id}] {c.title} — {c.section} ({c.source})\n    {text}")
    return "\n".join(lines)
