"""Does the knowledge base cover what is asked? ``covered``, ``partial`` or ``not_covered``.

Checked from the question's focus words against the knowledge base's own vocabulary, before
any sentence is chosen:

- a task the sources cannot do (translate, write code, a joke) is not covered;
- a focus word the knowledge base never uses, and that is a name, a place or a rare word
  (a named hospital, a state, "malpractice", a drug), makes the question not covered, and
  the answer names the word: "The knowledge base does not mention malpractice insurance.";
- when the only such words name a care setting (hospice, urgent care), the question is
  partly covered: the sources speak of the role in general;
- a figure question (how much, how many, salary) is partly covered when no sentence gives
  a figure (decided after retrieval, in extractive.py);
- a comparison with another role that the sources never set side by side is partly
  covered.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from assistant.answering.analysis import (
    TASK_OTHER,
    VERB_HINT,
    Reading,
    focus_words,
    names_role,
)
from assistant.answering.spelling import english_counts
from assistant.answering.wording import source_readings
from assistant.text import content_terms, stem, words_of
from assistant.types import StoredSentence

# Words rarer than this in English (symspellpy's frequency list) that the knowledge base
# never uses are names or specialist terms: what the question is about is not there.
RARE = 6_000_000
JURISDICTIONS = words_of(
    "alabama alaska arizona arkansas california colorado connecticut delaware florida "
    "georgia hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland "
    "massachusetts michigan minnesota mississippi missouri montana nebraska nevada "
    "hampshire jersey mexico york carolina dakota ohio oklahoma oregon pennsylvania rhode "
    "tennessee texas utah vermont virginia washington wisconsin wyoming boston chicago "
    "houston dallas seattle atlanta denver phoenix miami philadelphia london toronto "
    "canada uk england scotland ireland australia india germany france europe "
)
# First words of two-word place names ("new york", "north carolina", "rhode island").
_PLACE_PREFIX = words_of("new north south west rhode")
# Care settings: the sources describe the role across settings without naming these.
SETTINGS = words_of(
    "hospice hospices palliative urgent pediatric paediatric rural nursing dialysis "
    "ambulatory telehealth telemedicine oncology cardiology dermatology behavioral "
    "psychiatric orthopedic surgical surgery radiology obstetrics maternity geriatric snf "
    "ltc ltac asc fqhc "
)
_COMPARE = re.compile(r"\s+(?:vs\.?|versus|compared (?:to|with)|or)\s+", re.I)
_OTHER_ROLE = re.compile(
    r"\b(officer|cmo|manager|administrator|nurse|chief|president|coordinator|supervisor|"
    r"ceo|coo|cfo|head|chair)\b",
    re.I,
)
# A kind of medical director ("associate medical director", "regional medical director"):
# set against another kind, it is a comparison of two roles too.
_VARIANT = re.compile(
    r"\b(associate|assistant|deputy|regional|site|senior|junior|lead|system|area|divisional|"
    r"national|corporate) (medical|med) directors?\b",
    re.I,
)
MAIN_TOPICS = (
    "Responsibilities",
    "Qualifications and experience",
    "Skills",
    "Compliance and quality",
    "Career path",
)


@dataclass(frozen=True)
class Verdict:
    coverage: str  # covered | partial | not_covered
    missing: tuple[str, ...] = ()
    statement: str = ""  # said before the quotes (partial) or instead of them
    figure_terms: frozenset[str] = frozenset()  # a figure question's subject (stems)
    related: bool = True  # suggest the nearest topics (False: far outside the domain)
    topics: tuple[str, ...] = ()  # suggestions when the question is far off
    prefer: str = ""  # a pattern: quote sentences matching it first (when any does)
    # a figure question not about the role: when no sentence gives the figure, not covered
    figure_or_nothing: bool = False
    topic: str = ""  # what a figure question is about, in its own words


class Vocabulary:
    """The words (and stems) the knowledge base uses."""

    def __init__(self, counts: Counter[str]) -> None:
        self.counts = counts
        self.stem_counts: Counter[str] = Counter()
        for w, n in counts.items():
            self.stem_counts[stem(w)] += n
        self.stems = set(self.stem_counts)

    def rarity(self, term: str) -> float:
        """Weight of a (stemmed) focus term: rarer in the knowledge base weighs more."""
        n = self.stem_counts.get(term, 0)
        return 1.0 / math.log(2.0 + n)

    def knows(self, word: str) -> bool:
        w = word.lower()
        return w in self.counts or stem(w) in self.stems

    def knows_prefix(self, word: str) -> bool:
        """A clipped form of a word the knowledge base uses ("pharma", "admin")."""
        return len(word) >= 5 and any(w.startswith(word) for w in self.counts)

    def salient_unknown(self, word: str) -> bool:
        """Never used by the knowledge base, and a name, a place or a rare word."""
        w = word.lower()
        if not w.isalpha() or self.knows(w) or self.knows_prefix(w):
            return False
        counts = english_counts()  # loaded only when a word is new to the knowledge base
        if len(w) < 4:  # an acronym nobody in the sources uses ("ehr", "fte"), not "wat",
            # and not a plural of a two-letter one ("nps")
            return len(w) == 3 and w not in counts and not w.endswith("s")
        if w in JURISDICTIONS:
            return True
        if any(self.knows(b) for b in base_forms(w)):
            return False
        return max((counts.get(b, 0) for b in (w, *base_forms(w))), default=0) < RARE


def base_forms(word: str) -> list[str]:
    """Candidate base forms of an inflected word ("disciplining" -> "discipline")."""
    out: list[str] = []
    for suffix in ("ing", "ed", "es", "s", "er", "ers"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem_ = word[: -len(suffix)]
            out += [stem_, stem_ + "e"]
            if len(stem_) > 3 and stem_[-1] == stem_[-2]:
                out.append(stem_[:-1])  # "hurtting" style doubling: "stopped" -> "stop"
    return out


def _phrases(question: str, unknown: Sequence[str]) -> list[str]:
    """Each unknown word with the focus word right after it ("malpractice insurance")."""
    ws = [w.strip("'’-?.,!") for w in question.lower().split()]
    focus = set(focus_words(question))
    out: list[str] = []
    for u in unknown:
        if u not in ws:
            out.append(u)
            continue
        i = ws.index(u)
        phrase = u
        if u in JURISDICTIONS and i > 0 and ws[i - 1] in _PLACE_PREFIX:  # "new york"
            phrase = f"{ws[i - 1]} {u}"
        nxt = ws[i + 1] if i + 1 < len(ws) else ""
        # a two-word name ("kaiser permanente") or a noun phrase ("malpractice insurance")
        if nxt in unknown or (nxt in focus and not VERB_HINT.search(nxt)):
            phrase = f"{phrase} {nxt}"
        if not any(phrase in p or p in phrase for p in out):
            out.append(phrase)
    return out


def _join(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


# Questions tied to a date: the sources are undated reference text.
_DATED = re.compile(
    r"\b(this|last|next) (year|month|week|quarter)\b|\b(19|20)\d\d\b|\b(today|tomorrow|"
    r"yesterday|right now|currently in effect)\b(?!['’]s)",
    re.I,
)
# The reporting line: whom the role reports to (the sources never name it; they say what the
# role reports, and to whom) and who reports to the role (the staff it oversees).
_ROLE = r"((the |a |an |our |their |your )?(medical director|med director|md|director)s?|they)"
_REPORTS_UP = re.compile(
    rf"\b(who|whom) (does|do|will|would|should|is) {_ROLE} (usually |typically |normally )?"
    rf"(report|answer|accountable)( to)?\b|\b{_ROLE} (reports?|answers?) to (whom|who)\b|"
    r"\breporting (line|structure|relationship)s?\b|\bwho('s| is) (their|the md'?s?) boss\b|"
    rf"\b(does|do|will|would|should) {_ROLE} (usually |typically |directly )?(report|answer) "
    r"(directly )?to (the |a )?(ceo|cmo|coo|board|chief|president|administrator|vp|executive)",
    re.I,
)
_REPORTS_DOWN = re.compile(
    rf"\bwho (reports|answers) (in)?to {_ROLE}\b|\bdirect reports\b|\bspan of control\b",
    re.I,
)
# The question is about the document itself: a job description, posting or specification.
ABOUT_DOCUMENT = re.compile(
    r"\b(job descriptions?|jds?|postings?|specifications?|outlines?|write-?ups?|ads?)\b", re.I
)
# What the sources say of reporting; and of the staff the role oversees.
_SAYS_REPORTING = r"\breport\w*\b.{0,40}\bto (senior leadership|the board)\b|\bsenior leadership\b"
_SAYS_OVERSEES = (
    r"\b(oversee|oversees|supervis\w+|managing and supervising|lead\w* (the )?medical staff)\b"
)
# An unknown word right before one of these names an institution ("mayo clinic").
_INSTITUTION = re.compile(
    r"^(clinic|clinics|hospital|hospitals|health|healthcare|medical|university|system|"
    r"permanente|foundation|institute)$"
)
# Unknown words do not sink a question that the knowledge base answers this well.
STRONG_MATCH = 0.68


def _names_institution(question: str, word: str, vocabulary: Vocabulary) -> bool:
    """A word the sources never use, right before "clinic", "hospital", ... (however common
    a word it is: "cleveland clinic", "mercy hospital"), or a product the sources never
    name ("credentialing software", "recruiting firms")."""
    if vocabulary.knows(word) or word in SETTINGS:
        return False
    if english_counts().get(word, 0) > NAME_LIKE:  # "to cut hospital readmissions"
        return False
    ws = [w.strip("'’-?.,!()") for w in question.lower().split()]
    if word not in ws:
        return False
    i = ws.index(word)
    nxt = ws[i + 1] if i + 1 < len(ws) else ""
    return bool(_PLACE.match(nxt) or _PRODUCT.match(nxt) or _PRODUCT.match(word))


# A sum of money in the question ("is $350k reasonable?"): the sources give no figures.
_AMOUNT = re.compile(
    r"[$£€]\s?\d[\d,.]*\s?[km]?\b|\b(?!401k)\d+(\.\d+)?\s?k\b(?! ?(steps|miles))", re.I
)
# A request for a recommendation of something to buy or hire ("best ehr for ...").
_RECOMMEND = re.compile(
    r"\b(best|top|recommended|cheapest|leading)\s+([\w-]+\s+){0,3}?(software|ehrs?|emrs?|"
    r"electronic (health|medical) records?|apps?|platforms?|vendors?|tools?|firms?|products?|"
    r"brands?|recruiters?|(recruiting|search|staffing) (firms?|agenc(y|ies)|companies))\b",
    re.I,
)
# Nouns that end a place's name ("mercy hospital"; not "medical", as in "hire medical ...").
_PLACE = re.compile(r"^(clinic|clinics|hospital|hospitals|university|foundation|institute)$")
# Words more frequent in English than this are everyday words, not parts of a name
# ("cut hospital readmissions", "teaching hospital"); "cleveland", "mercy" are rarer.
NAME_LIKE = 40_000_000
# What is bought or hired rather than done: the sources recommend none.
_PRODUCT = re.compile(
    r"^(software|apps?|platforms?|vendors?|firms?|agenc(y|ies)|tools?|products?|brands?)$"
)


def _named(question: str, word: str, unknown: Sequence[str]) -> bool:
    """A place, or part of a name (two unknown words in a row, or one before "clinic")."""
    if word in JURISDICTIONS:
        return True
    ws = [w.strip("'’-?.,!()") for w in question.lower().split()]
    if word not in ws:
        return False
    i = ws.index(word)
    nxt = ws[i + 1] if i + 1 < len(ws) else ""
    return bool(_INSTITUTION.match(nxt)) or nxt in unknown


# Rules that differ by place, asked for all of them at once ("licensed in every state we
# operate in"): the sources speak of licensing in general, never state by state.
_EVERY_PLACE = re.compile(
    r"\b(every|each|all|multiple|several|different|other|all the|all our) "
    r"(states?|countr(y|ies)|jurisdictions?|provinces?)\b",
    re.I,
)
# Where a question lists its examples: after a dash, "like", "such as", "e.g." or "(".
_LIST_START = re.compile(r"\s[-–—]\s|\b(like|such as|e\.g\.?|for example|including)\b|\(", re.I)


def _listed_examples(question: str, words: Sequence[str]) -> bool:
    """Every word is a short acronym named as an example of what is asked ("which leadership
    certs should we look for - CPE? CMQ?"): the sources may cover the kind, not the names."""
    starts = [m.end() for m in _LIST_START.finditer(question)]
    if not starts or not words:
        return False
    tail = question[starts[-1] :].lower()
    return all(len(w) <= 4 and re.search(rf"\b{re.escape(w)}\b", tail) for w in words)


# What the sources speak of only from another side, as rows: the pattern of the question,
# what is missing, what the answer says first, which sentences to quote first, and how the
# sources word what they do say (a further reading, as extra_readings gives).
_GAPS: tuple[tuple[re.Pattern[str], str, str, str, str], ...] = (
    (  # running the hiring: the sources give interview tips to candidates only
        re.compile(
            r"\b(interview|hiring|selection|search) (process|structure|format|panels?|rounds?|"
            r"stages?|committee)\b|\bhow many (interview )?(rounds|interviews|stages)\b|"
            r"\bwho (should )?(sits?|be|is|goes) on the (interview |hiring |search )?"
            r"(panel|committee)\b",
            re.I,
        ),
        "how to run the interview process",
        "The knowledge base does not say how to run the interview process (rounds, panel); "
        "what it says about interviews, from the candidate's side:",
        r"\binterview",
        "",
    ),
    (  # the whole road in years: the sources give the years of experience expected
        re.compile(r"\bhow (long|many years) (does it|would it|will it|did it) take to "
                   r"(become|be|get to be)\b", re.I),
        "a timeline from start to finish",
        "The knowledge base gives no timeline from start to finish; what it says:",
        r"\byears\b",
        "",
    ),
    (  # working with the top: the sources speak of senior leadership, not a CEO or board
        re.compile(
            r"\b(work|works|working|relationship|interact\w*|collaborat\w*) (w/|with|between)"
            r"( the| our| their)? (ceo|board|board of directors|cfo|coo|president|c-suite)\b",
            re.I,
        ),
        "the working relationship with the CEO and board",
        "The knowledge base does not describe how the medical director works with a CEO or "
        "board; what it says about senior leadership:",
        r"\b(senior leadership|top management|leadership team)\b",
        "collaborate with top management and report progress to senior leadership",
    ),
)
# "can a nurse practitioner be a medical director": whether another profession may hold the
# role; the sources say what medical directors are, never who else may be one.
_ELIGIBLE = re.compile(
    r"\b(can|could|may|should) (?P<a>an?|our|the) (?P<who>nurse practitioner|np|"
    r"physician assistant|pa|nurse|rn|pharmacist|administrator|non-?physician|manager|"
    r"psychologist|dentist|chiropractor)s? (be|serve as|become|act as) (a |an |the |our )?"
    r"((medical|med) director|md)\b",
    re.I,
)
# Word endings of nouns, and of words that modify a noun (adjectives, participles).
_NOUN_END = re.compile(r"(tion|sion|ment|ance|ence|ity|ness|ship|[^s]s|el)$")
_MODIFIER_END = re.compile(r"(al|ing|ed|ive|ic|ful|ous|ary|able)$")


def _unnamed_thing(reading: Reading, vocabulary: Vocabulary) -> str | None:
    """A thing asked about that the knowledge base never names, though it speaks of what
    qualifies it ("their own DEA registration", "patient complaints"): a noun the sources
    never use, right after a noun they do use. Returns the two words."""
    ws = [w.strip("'’-?.,!()/") for w in reading.text.lower().split()]
    for i, word in enumerate(ws[1:], 1):
        known = ws[i - 1]
        if (
            len(word) < 4
            or word not in reading.ask_focus
            or known not in reading.ask_focus
            or vocabulary.knows(word)
            or vocabulary.knows_prefix(word)
            or not _NOUN_END.search(word)
            or word.replace("is", "iz") != word and vocabulary.knows(word.replace("is", "iz"))
            or not vocabulary.knows(known)
            or VERB_HINT.fullmatch(known)
            or _MODIFIER_END.search(known)
            or any(f"{known}{end}" in vocabulary.counts for end in ("d", "ed", "ing"))
        ):
            continue
        return f"{known.upper() if len(known) <= 4 else known} {word}"
    return None


def assess(
    reading: Reading,
    vocabulary: Vocabulary,
    sentences: Sequence[StoredSentence],
    qvec: np.ndarray | None = None,
) -> Verdict:
    """The coverage outcome for a read question and its retrieved passages' sentences."""
    if reading.task == "other":
        m = TASK_OTHER.search(reading.text)
        what = m.group(0).lower() if m else "that"
        return Verdict(
            "not_covered",
            missing=(what,),
            statement=(
                "The knowledge base holds reference text about the Medical Director role: a "
                f"request like this ({what}) is not something it covers. This assistant "
                "answers questions about the role, with citations, and drafts job "
                "descriptions in the Draft tab."
            ),
            related=False,
            topics=MAIN_TOPICS,
        )
    focus = list(reading.focus)
    for pattern, missing, say in _OUT_OF_REACH:  # what no reference text can answer
        m = pattern.search(reading.text)
        if m:
            return Verdict("not_covered", missing=(missing(m),), statement=say(m))
    unknown = [
        w
        for w in reading.ask_focus
        if vocabulary.salient_unknown(w) or _names_institution(reading.text, w, vocabulary)
    ]
    settings = [w for w in reading.ask_focus if w in SETTINGS and not vocabulary.knows(w)]
    others = [w for w in unknown if w not in SETTINGS]
    if others and qvec is not None and not any(_named(reading.text, w, others) for w in others):
        known = set(content_terms(" ".join(w for w in focus if w not in unknown)))
        best = max(sentences, key=lambda x: float(x.vector @ qvec), default=None)
        if best is not None and float(best.vector @ qvec) >= STRONG_MATCH:
            said = set(content_terms(" ".join(x.text for x in _top(sentences, qvec, 3))))
            if not known or len(known & said) / len(known) >= 0.5:
                others = []  # the sources answer the rest of the question well
    if others and _listed_examples(reading.text, others):
        kind = [w for w in reading.ask_focus if w not in others and vocabulary.knows(w)]
        if kind:
            names = [w.upper() for w in others]
            return Verdict(
                "partial",
                missing=tuple(names),
                statement=(
                    f"The knowledge base does not mention {_join(names)}; what it says "
                    f"about {' '.join(kind)}:"
                ),
            )
    if others:
        phrases = _phrases(reading.text, others)
        return Verdict(
            "not_covered",
            missing=tuple(phrases),
            statement=f"The knowledge base does not mention {_join(phrases)}.",
            related=len(others) < len(focus),
        )
    if settings and reading.kind != "multi":  # in a question of several asks ("for our
        # hospice req: does the md need ..., and what are ...?") the setting is the asker's
        # context, not what is asked
        phrases = _phrases(reading.text, settings)
        return Verdict(
            "partial",
            missing=tuple(phrases),
            statement=(
                f"The knowledge base has nothing specific to {_join(phrases)}; "
                "what it says about the role in general:"
            ),
            prefer=r"\bsettings?\b|\bvar(y|ies)\b|\bdepending on\b",
        )
    place = _EVERY_PLACE.search(reading.text)
    if place:
        return Verdict(
            "partial",
            missing=(f"rules for {place.group(0).lower()}",),
            statement=(
                "The knowledge base does not go state by state or country by country; "
                "what it says in general:"
            ),
        )
    if _REPORTS_DOWN.search(reading.text) and reading.kind != "figure":
        return Verdict("covered", prefer=_SAYS_OVERSEES)
    if _REPORTS_UP.search(reading.text) and not ABOUT_DOCUMENT.search(reading.text):
        return Verdict(
            "partial",
            missing=("reporting line",),
            statement=(
                "The knowledge base does not say whom the medical director reports to; "
                "what it says about their reporting:"
            ),
            prefer=_SAYS_REPORTING,
        )
    for gap, lacking, statement, prefer, _ in _GAPS:
        if gap.search(reading.text):
            return Verdict("partial", missing=(lacking,), statement=statement, prefer=prefer)
    other = _ELIGIBLE.search(reading.text)
    if other:
        who = other.group("who").lower()
        who = who.upper() if len(who) <= 2 else who
        return Verdict(
            "partial",
            missing=(f"whether {other.group('a').lower()} {who} can be a medical director",),
            statement=(
                f"The knowledge base does not say whether {other.group('a').lower()} {who} "
                "can be a medical director; what it says:"
            ),
        )
    thing = _unnamed_thing(reading, vocabulary)
    if thing:
        return Verdict(
            "partial",
            missing=(thing,),
            statement=f"The knowledge base does not mention {thing}; what it does say:",
        )
    if reading.kind == "figure":
        subject = set(content_terms(" ".join(focus))) - _FIGURE_WORDS
        label = _figure_label(reading.text)
        said = set(content_terms(" ".join(x.text for x in sentences)))
        items = [w for w in _PAY_ITEM.findall(reading.text.lower()) if not vocabulary.knows(w)]
        if items:  # a pay item the sources never name ("sign-on bonus", "stipend")
            return Verdict(
                "not_covered",
                missing=tuple(items),
                statement=f"The knowledge base does not mention {_join(items)}.",
            )
        weight = {t: vocabulary.rarity(t) for t in subject}
        found = math.fsum(weight[t] for t in subject & said) / (math.fsum(weight.values()) or 1.0)
        if money_question(reading.text):
            subject = set(_MONEY_STEMS)
        elif subject and found < 0.5:  # the sources hardly speak of what is to be counted
            return Verdict(
                "not_covered",
                missing=(label,),
                statement=f"The knowledge base gives no {label} and does not discuss it.",
            )
        return Verdict(
            "covered",
            missing=(label,),
            statement=f"The knowledge base gives no {label}; what it does say:",
            figure_terms=frozenset(subject or set(content_terms(" ".join(focus)))),
            figure_or_nothing=not names_role(reading.text) and not reading.follow_up_of,
            topic=" ".join(w for w in reading.ask_focus
                           if not set(content_terms(w)) <= _FIGURE_WORDS),  # fmt: skip
        )
    if reading.kind == "comparison":
        verdict = _comparison(reading, sentences)
        if verdict is not None:
            return verdict
    return Verdict("covered")


_MONEY = re.compile(
    r"\b(salary|salaries|pay|paid|earn|earns|make|makes|compensation|wage|wages|stipend|"
    r"bonus|money|dollars?|rate)\b",
    re.I,
)


# Pay items beyond "salary": the sources name none of them.
_PAY_ITEM = re.compile(
    r"\b(bonus|bonuses|stipend|stipends|hourly|equity|relocation|retention|incentives?|"
    r"overtime|pto|401k|pension)\b"
)
_MONEY_STEMS = frozenset(content_terms("salary salaries compensation pay paid wage dollars"))
PAY_WORDS = "competitive salaries compensation benefits"  # how the sources speak of pay
# How the sources speak of the staff the role oversees, and of what it reports upward.
OVERSEES_WORDS = "oversee and supervise physicians, nurse practitioners and medical staff"
REPORTING_WORDS = "reporting progress to senior leadership"


def extra_readings(reading: Reading) -> list[str]:
    """Further queries for questions whose answer the sources word otherwise: pay as
    "competitive salaries", the staff who report to the role as the staff it oversees, and
    the everyday wordings of answering/wording.py."""
    if reading.kind == "figure" and money_question(reading.text):
        return [PAY_WORDS]
    if _REPORTS_DOWN.search(reading.text):
        return [OVERSEES_WORDS]
    if _REPORTS_UP.search(reading.text) and not ABOUT_DOCUMENT.search(reading.text):
        return [REPORTING_WORDS]
    gaps = [wording for gap, *_, wording in _GAPS if wording and gap.search(reading.text)]
    return gaps or source_readings(reading.text)


# Legal questions: the sources describe the role; they give no legal advice.
_LEGAL = re.compile(
    r"\b(liable|liability|sue|suing|lawsuit|litigation|enforceable|breach of contract|"
    r"legal advice|legally)\b",
    re.I,
)


# Questions no reference text can answer, in the order they are checked: each is a
# pattern, what is missing (from the match), and what the answer says instead.
_OUT_OF_REACH: tuple[
    tuple[re.Pattern[str], Callable[[re.Match[str]], str], Callable[[re.Match[str]], str]], ...
] = (
    (
        _DATED,
        lambda m: m.group(0),
        lambda m: (
            "The knowledge base is undated reference text: it cannot answer for a "
            f"particular date ({m.group(0)})."
        ),
    ),
    (
        _AMOUNT,
        lambda m: m.group(0),
        lambda m: (
            "The knowledge base gives no salary or pay figures, so it cannot judge "
            f"{m.group(0)}; it says only that the role offers competitive salaries."
        ),
    ),
    (
        _RECOMMEND,
        lambda m: m.group(0).lower(),
        lambda m: (
            "The knowledge base recommends no products, vendors or firms: it describes "
            "the role, not what to buy or whom to hire."
        ),
    ),
    (
        _LEGAL,
        lambda m: "legal advice",
        lambda m: (
            "The knowledge base gives no legal advice: it describes the role, not what "
            f"the law says ({m.group(0).lower()})."
        ),
    ),
)


def money_question(text: str) -> bool:
    return bool(_MONEY.search(text))


def _figure_label(text: str) -> str:
    """What kind of figure was asked for: "salary or pay figures", "figures on working
    hours", else plain "figures on this"."""
    if _MONEY.search(text):
        return "salary or pay figures"
    if re.search(r"\bhours?\b", text, re.I):
        return "figures on working hours"
    return "figures on this"


def _top(sentences: Sequence[StoredSentence], qvec: np.ndarray, n: int) -> list[StoredSentence]:
    return sorted(sentences, key=lambda x: -float(x.vector @ qvec))[:n]


_FIGURE_WORDS = frozenset(
    content_terms(
        "how many much long fast big large typical typically average avg number numbers "
        "figures figure size rate ratio percent percentage stats statistics per hour year "
        "annual amount total"
    )
)


def _comparison(reading: Reading, sentences: Sequence[StoredSentence]) -> Verdict | None:
    """A comparison with another role is partial when no sentence names both roles."""
    text = re.sub(r"^.*?\bdifference between\s+", "", reading.text, flags=re.I)
    text = re.sub(r"\s+and\s+", " vs ", text, count=1) if "difference" in reading.text else text
    text = re.split(r"\s+[-–—]\s+|[,;:]\s+", text)[0]  # "... vs practice manager - who does what"
    sides = [s.strip(" ?.") for s in _COMPARE.split(text) if s.strip(" ?.")]
    if len(sides) != 2:
        return None
    variants = [s for s in sides if _VARIANT.search(s)]
    if not any(_OTHER_ROLE.search(s) for s in sides) and not variants:
        return None
    terms = [set(content_terms(s, drop_domain=True)) for s in sides]
    other = next(
        t for s, t in zip(sides, terms, strict=True) if _OTHER_ROLE.search(s) or _VARIANT.search(s)
    )
    if not other:
        return None
    contrast = re.compile(r"\b(unlike|whereas|while|compared|differ|than)\b", re.I)
    role = re.compile(r"\bmedical directors?\b", re.I)
    for s in sentences:
        if other <= set(content_terms(s.text)) and role.search(s.text) and contrast.search(s.text):
            return None  # a sentence sets the two side by side
    names = list(sides)
    return Verdict(
        "partial",
        missing=(f"a comparison of {names[0]} and {names[1]}",),
        statement=(f"The knowledge base does not compare {names[0]} and {names[1]}; what it says:"),
    )
