"""Spelling tolerance against the knowledge base's own vocabulary (symspellpy).

symspellpy (SymSpell's symmetric-delete lookup) is a maintained, pure-Python package with no
model or download; it also ships an English frequency list, used here only to know which
words are real English words and so must not be "corrected". A word is corrected only when
it is neither in the knowledge base nor in that list, and only to a word of the knowledge
base within edit distance 1 (words of 4-6 letters) or 2 (longer words).
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from assistant.index.profile import WORD, word_counts

MIN_LENGTH = 4  # shorter words ("wat", "ned", "md") are too ambiguous to correct


# Short forms and casual words people type in HR chat, read as the word the sources use,
# before anything else reads the question.
ABBREVIATIONS = {
    "quals": "qualifications",
    "qual": "qualification",
    "reqs": "requirements",
    "req": "requirement",
    "yrs": "years",
    "yr": "year",
    "exp": "experience",
    "mgmt": "management",
    "admin": "administrative",
    "certs": "certifications",
    "cert": "certification",
    "docs": "doctors",
    "responsibilites": "responsibilities",
    "meds": "medications",
    "ops": "operations",
    "org": "organization",
    "orgs": "organizations",
    "dept": "department",
    "depts": "departments",
    "ehr": "electronic health record",
    "ehrs": "electronic health records",
    "emr": "electronic medical record",
    "cmo": "chief medical officer",
    "cmos": "chief medical officers",
    # casual words for what the sources name otherwise
    "perks": "benefits",
    "perk": "benefit",
    "headcount": "staffing",
    "telehealth": "telemedicine",
}
# Misspellings that are words themselves, told by their neighbours: "how dose the ...",
# "over see".
REAL_WORD_SLIPS = (
    (re.compile(r"\b(how|what|why|when|where|who|which|it|that|she|he) dose\b", re.I), r"\1 does"),
    (re.compile(r"\bover see(s|ing)?\b", re.I), r"oversee\1"),
)


@lru_cache(maxsize=1)
def english_counts() -> dict[str, int]:
    """English word frequencies shipped with symspellpy (82,765 words)."""
    import symspellpy

    path = os.path.join(os.path.dirname(symspellpy.__file__), "frequency_dictionary_en_82_765.txt")
    out: dict[str, int] = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            word, _, count = line.strip().partition(" ")
            if word:
                out[word] = int(count or 0)
    return out


def vocabulary(texts: Iterable[str]) -> Counter[str]:
    """Word counts of the knowledge base (lower case)."""
    return word_counts(texts)


class Speller:
    """Corrects misspelt words of a question to words the knowledge base uses."""

    def __init__(self, counts: Counter[str]) -> None:
        self.counts = counts
        self._sym: object | None = None  # built on the first unknown word

    def known(self, word: str) -> bool:
        w = word.lower()
        return w in self.counts or w in english_counts() or w.rstrip("s") in self.counts

    def _index(self) -> object:
        if self._sym is None:
            from symspellpy import SymSpell

            sym = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
            for word, count in self.counts.items():
                if len(word) >= 3 and word.isalpha():
                    sym.create_dictionary_entry(word, count)
            self._sym = sym
        return self._sym

    def suggest(self, word: str) -> str | None:
        from symspellpy import Verbosity

        w = word.lower()
        if len(w) < MIN_LENGTH or not w.isalpha() or self.known(w):
            return None
        distance = 1 if len(w) <= 6 else 2
        found = self._index().lookup(w, Verbosity.CLOSEST, max_edit_distance=distance)  # type: ignore[attr-defined]
        return str(found[0].term) if found else None

    def correct(self, text: str) -> str:
        def fix(m: re.Match[str]) -> str:
            word = m.group(0)
            better = ABBREVIATIONS.get(word.lower()) or self.suggest(word)
            if better is None:
                return word
            return better.capitalize() if word[:1].isupper() and not word.isupper() else better

        for pattern, repl in REAL_WORD_SLIPS:
            text = pattern.sub(repl, text)
        return WORD.sub(fix, text)
