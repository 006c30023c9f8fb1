"""Uploads that would dominate retrieval are refused, naming why: a near-copy of a document
already in the knowledge base (its passages would crowd out the original's in every answer),
or low-information text (word salad, one phrase or a few lines repeated) whose many chunks
push real passages out of the top results.

The thresholds were set on the five core documents (every one passes with a wide margin:
29-35% common words, 4-9x the distinct words of the floor, no repeated lines) and on the
probe's junk (repeated headings, 5 MB of word salad, a repeated-paragraph DOCX).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from assistant.errors import InputError

_WORD = re.compile(r"[^\W_]+")
# Common English words: prose is a third of them or more; a list of content words is not.
_COMMON = (
    "a an the of and or to in on at by for with from as is are was were be been being it its "
    "this that these those they their them he she his her we our you your who which what when "
    "how not no all each every any also into over under such can could will would should must "
    "may has have had do does than then there so if"
)
COMMON = frozenset(_COMMON.split())
MIN_WORDS = 60  # shorter texts are judged only for being a copy
MIN_COMMON_SHARE = 0.12
DISTINCT_FLOOR = 1.5  # distinct words below 1.5 * sqrt(words): one phrase over and over
MAX_REPEATED_LINES = 0.5  # more than half of the (long) lines are repeats
SHINGLE = 5
NEAR_COPY = 0.8  # this share of the upload's 5-word runs already in one document


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def shingles(tokens: list[str]) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1)}


def check_quality(name: str, text: str, existing: Mapping[str, str]) -> None:
    """Raise InputError when the upload ``text`` would dominate retrieval; ``existing`` maps
    each indexed document to its text."""
    tokens = words(text)
    new = shingles(tokens)
    if len(new) >= 20:
        for source, other in sorted(existing.items()):
            share = len(new & shingles(words(other))) / len(new)
            if share >= NEAR_COPY:
                raise InputError(
                    f"{name}: refused, a near-copy of {source} ({share:.0%} of its text is "
                    "already in the knowledge base); a copy would crowd the original out of "
                    "answers."
                )
    if len(tokens) < MIN_WORDS:
        return
    lines = [" ".join(line.split()) for line in text.splitlines() if len(line.strip()) >= 20]
    if len(lines) >= 20:
        repeated = 1 - len(set(lines)) / len(lines)
        if repeated > MAX_REPEATED_LINES:
            raise InputError(
                f"{name}: refused as low-information text ({repeated:.0%} of its lines "
                "repeat earlier ones); it would crowd real passages out of answers."
            )
    common = sum(t in COMMON for t in tokens) / len(tokens)
    if common < MIN_COMMON_SHARE:
        raise InputError(
            f"{name}: refused as low-information text (only {common:.0%} common words such "
            "as 'the' or 'of': it reads as a list of words, not sentences); it would crowd "
            "real passages out of answers."
        )
    distinct = len(set(tokens))
    if distinct < DISTINCT_FLOOR * math.sqrt(len(tokens)):
        raise InputError(
            f"{name}: refused as low-information text ({distinct} distinct words in "
            f"{len(tokens)}: the same words over and over); it would crowd real passages out "
            "of answers."
        )
