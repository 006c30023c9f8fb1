"""Small text helpers shared by ingest, answering, citations and drafting."""

from __future__ import annotations

import re
from functools import lru_cache

_MARKUP = re.compile(r"(\*\*|__|`|^\s*(?:[-*+•]|\d+[.)])\s+|^#+\s*)", re.M)
_WORD = re.compile(r"[a-z0-9][a-z0-9'’\-]*")

# Function words plus words every question about this role shares: they say nothing about
# which passage answers it, so they count neither for coverage nor for lexical overlap.
STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "else",
        "ever",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "tell",
        "explain",
        "describe",
        "give",
        "list",
        "please",
        "typically",
        "usually",
        "generally",
        "kind",
        "kinds",
        "type",
        "types",
        "thing",
        "things",
        "way",
        "ways",
        "need",
        "needs",
        "mean",
        "means",
        "etc",
    ]
)
DOMAIN_WORDS = frozenset(
    [
        "medical",
        "director",
        "directors",
        "md",
        "role",
        "roles",
        "job",
        "position",
        "person",
        "someone",
    ]
)


def words_of(text: str) -> frozenset[str]:
    """A word list written as one string (data tables stay readable)."""
    return frozenset(text.split())


# A footnote reference in document text: "[12]", "[1, 2]", "[3-5]". It is not part of what a
# sentence says, and inside an answer it would read as one of the answer's own citations: it
# is dropped from sentences (split_sentences) and ignored when a quote is checked (is_quote).
FOOTNOTE = re.compile(r"[ \t]*\[\d{1,4}(?:[ \t]*[,;–-][ \t]*\d{1,4})*\]")


def strip_footnotes(text: str) -> str:
    """The text without bracketed numbers ("every quarter [99] [1]." -> "every quarter.")."""
    return FOOTNOTE.sub("", text)


# Characters Markdown (CommonMark, GFM tables and strikethrough, $ maths) reads as syntax
# anywhere in a line ("(" and "!" only next to an unescaped "]" or "[", "&" only as an
# entity, ">" only at the start of a line).
_MD_PUNCT = re.compile(r"([\\`*_\[\]<|~$]|&(?=#?\w+;))")
_MD_LINE_START = re.compile(r"^(\s*(?:\d+)?)([#>+=-]|(?<=\d)[.)])")
_MD_AUTOLINK = re.compile(r"(?i)\b(https?|ftp|mailto|javascript|data|file|www)([:.])")


def markdown_literal(text: str, line_start: bool = True) -> str:
    """Text that a Markdown renderer shows as exactly these characters: no emphasis, no image,
    no link (explicit, autolinked or bare), no heading or list (``line_start``: the text
    begins a line), no formula. Backslash escapes, so the rendered text is unchanged; used
    where document text goes into a Markdown file."""
    out = _MD_PUNCT.sub(r"\\\1", text)
    out = _MD_AUTOLINK.sub(r"\1\\\2", out)
    out = out.replace("@", "\\@")
    lines = out.split("\n")
    start = 0 if line_start else 1
    return "\n".join(lines[:start] + [_MD_LINE_START.sub(r"\1\\\2", ln) for ln in lines[start:]])


def strip_markup(text: str) -> str:
    """Drop Markdown emphasis, list markers and heading hashes; collapse whitespace."""
    return " ".join(_MARKUP.sub("", text).split())


def normalize(text: str) -> str:
    """Canonical form for containment checks: no markup, unified quotes, lower case."""
    text = strip_markup(text).replace("’", "'").replace("‘", "'").replace("“", '"')
    return text.replace("”", '"').replace("–", "-").replace("—", "-").lower()


@lru_cache(maxsize=1)
def _stemmer() -> object:
    import Stemmer  # PyStemmer, already a dependency of bm25s

    return Stemmer.Stemmer("english")


def stem(word: str) -> str:
    return str(_stemmer().stemWord(word))  # type: ignore[attr-defined]


def words(text: str) -> list[str]:
    return _WORD.findall(normalize(text))


def content_terms(text: str, drop_domain: bool = False) -> list[str]:
    """Stemmed content words, in order, without stopwords (and optionally domain words)."""
    out = []
    for w in words(text):
        w = w.strip("'’-")
        if len(w) < 2 or w in STOPWORDS or (drop_domain and w in DOMAIN_WORDS):
            continue
        out.append(stem(w))
    return out


ABBREVIATION = re.compile(r"\b(?:e\.g|i\.e|etc|vs|Dr|Mr|Mrs|Ms|St|No|approx|incl)\.$", re.I)
_BOUNDARY = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“(]?[A-Z0-9])")


def split_sentences(text: str) -> list[str]:
    """Sentences of a passage, markup removed; headings are skipped, list items stand alone."""
    out: list[str] = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        clean = strip_markup(strip_footnotes(line))
        start = 0
        for m in _BOUNDARY.finditer(clean):
            if ABBREVIATION.search(clean[start : m.start()]):
                continue  # "e.g. Foo" is not a sentence end
            out.append(clean[start : m.start()].strip())
            start = m.end()
        out.append(clean[start:].strip())
    return [s for s in out if len(words(s)) >= 3]


def sentence_pieces(text: str) -> list[str]:
    """Sentences with their trailing whitespace kept, so the pieces join back to ``text``.

    The chunker's sentence step (LlamaIndex's SentenceSplitter defaults to NLTK's punkt,
    whose import alone costs ~2 s and ~130 MB through scipy): same boundary rule as
    :func:`split_sentences`, plus a break after every line, so list items stay whole.
    """
    pieces: list[str] = []
    start = 0
    for m in _PIECE_BREAK.finditer(text):
        if "\n" not in m.group(0) and ABBREVIATION.search(text[start : m.start()]):
            continue  # "e.g. Foo" is not a sentence end
        pieces.append(text[start : m.end()])
        start = m.end()
    if start < len(text):
        pieces.append(text[start:])
    return [p for p in pieces if p]


_PIECE_BREAK = re.compile(r"\n+|(?<=[.!?])[\"”’)]?[ \t]+(?=[\"“(]?[A-Z0-9])")


# "What degree is needed, and how much experience?" / "What is X? How is Y measured?"
_PART_BREAK = re.compile(
    r",?\s+(?:and|or)\s+(?=(?:how|what|which|who|when|where|why|do|does|did|is|are|can|"
    r"could|should|must|will)\b)|,\s+(?=(?:how|what|which|who|when|where|why)\b)|;\s*|"
    r"\?\s+(?=\S)|\.\s+(?=(?:how|what|which|who|when|where|why|do|does|is|are|can|"
    r"should)\b)|\s*\(\d\)\s*",
    re.I,
)


def question_parts(question: str) -> list[str]:
    """The sub-questions of a multi-part question (empty when it asks one thing).

    A part counts only with at least two key terms of its own, so "..., and can you give an
    example?" stays one question.
    """
    parts = [p.strip(" ?,.;") for p in _PART_BREAK.split(question)]
    parts = [p for p in parts if len(set(content_terms(p, drop_domain=True))) >= 2]
    return parts if len(parts) >= 2 else []
