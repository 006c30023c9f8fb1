"""Question + passages -> a cited extractive answer, or a structured coverage outcome.

The answer leads with the sentence that best answers the question's focus (for a yes/no
question, the one that decides it); further sentences are added only while they stay close
to the best one and add something new (maximal marginal relevance). Every sentence is a
verbatim quote of the passage it cites, and is verified as such before it is shown.

Sentences that carry no information of their own (greetings, conclusions, "A Medical Director
has a wide range of challenging duties.", headings read as sentences) are never chosen, and
a sentence that depends on the one before it ("Furthermore, ...", "This includes ...") is
never the lead and never stands alone. A leading label ("Tip 8:", "Expanded
Responsibilities:") is left out of the quote shown.

Coverage is said three ways: ``covered``; ``partial`` when the sources say something related
but not the asked thing (a figure they do not give, a setting they never name, a comparison
they do not make), which says what is missing and then quotes what they do say; and
``not_covered``, which names the words the knowledge base never mentions.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from assistant.answering.analysis import Reading
from assistant.answering.coverage import ABOUT_DOCUMENT, Verdict
from assistant.answering.ranking import SentenceModel, load_model
from assistant.answering.wording import NEXT_STEP
from assistant.citations import Numbering, is_quote, render
from assistant.settings import Settings
from assistant.text import content_terms
from assistant.types import Answer, Passage, Sentence, StoredSentence

NOT_COVERED = "The knowledge base does not cover this question."
# A number, or a number word, in a sentence that would answer a figure question.
_FIGURE = re.compile(
    r"\d|\b(two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty|"
    r"percent|dollars?)\b",
    re.I,
)
# A short Title-Case label before a colon: "Tip 8:", "Expanded Responsibilities:".
_LABEL = re.compile(r"^(?:[A-Z0-9][\w’'&/-]*\s*){1,5}:\s+(?=[A-Z])")
# Openers that need the sentence before them to make sense.
_DEPENDS = re.compile(
    r"^(However|This|These|That|Those|Such|It|Its|They|Their|He|She|Thus|Therefore|"
    r"Consequently|As a result|Similarly|Likewise|Another|Here|Then|"
    r"In (this|these|such) (case|cases|way|ways|role))\b"
)
# Connectives that only join a sentence to the one before: left out of the quote shown.
_CONNECTIVE = re.compile(r"^(Furthermore|Moreover|Additionally|In addition|Also|Besides),\s+")
# A sentence that says what the role is: the answer to "what is a medical director?"
_DEFINES = re.compile(
    r"^(A|The) (board-certified )?(medical director|doctor|physician)\b.{0,40}\b(is|are|"
    r"known as)\b|\bis known as a medical director\b",
    re.I,
)
_CONCLUDES = re.compile(
    r"^(In conclusion|To (summarize|summarise|sum up)|In summary|Overall|Ultimately)\b"
)
# Sentences about the document itself, greetings and sign-offs: never an answer.
_META = re.compile(
    r"\b(this|the following|the subsequent|these|our) (article|blog|guide|handbook|"
    r"sections?|part of the article|faqs?|blog post|web ?page|exploration)\b|"
    r"\b(we will|we'll|let's|let us) (delve|explore|discuss|look|examine)\b|"
    r"\bthank you for reading\b|\bwelcome to\b|"
    r"\b(outlined|mentioned|discussed) (in|above in) (this|the) (article|handbook|guide|post)\b",
    re.I,
)
_PRAISE = re.compile(
    r"\b(plays?|playing) an? (crucial|key|vital|pivotal|significant|important|central|"
    r"critical|integral) role\b|\b(is|are) (pivotal|integral|crucial|vital|paramount)\b|"
    r"\b(cornerstone|foundational pillar|key leader|wide range of)\b",
    re.I,
)
# "what is a medical director", "define medical director": the question is the role itself
_ASKS_ROLE = re.compile(
    r"^\s*(what is|what's|whats|define|definition of|who is)\s+(an?\s+|the\s+)?"
    r"(medical director|md|med director)s?\b\s*\??\s*(for\b.*)?$",
    re.I,
)
# A sentence about the document that describes the role ("This area of responsibility, when
# explicitly defined, ...", "as outlined", "within the specification"), not about the role.
_SPEC_TALK = re.compile(
    r"\b(when (explicitly )?(defined|articulated|outlined|specified)|as outlined|"
    r"(role|the) (outline|specifications?|definition)|(an?|the|any) outline of|"
    r"within (a|the) (comprehensive )?(outline|specification)|specified duties|"
    r"(clear )?delineation|(is|are|often) delineated|"
    r"(this|the) (aspect|part|section) of the (outline|specification))\b",
    re.I,
)
# Advice to a reader who wants the job ("aspiring Medical Directors", "develop your ..."):
# on the point only when the question is about becoming one.
_ADVICE = re.compile(
    r"\b(aspiring|aspire|(develop|improve|build|showcase) your|your (career|skills|"
    r"abilities|experience|leadership))\b",
    re.I,
)
_ASKS_CAREER = re.compile(
    r"\b(career|become|becoming|aspir\w*|path|get into|advanc\w*|interview\w*|job seekers?|"
    r"come from|background|before (becoming|they become)|specialt(y|ies)|"
    r"candidates? (should|need)|how (do|can) i|should i)\b",
    re.I,
)
ADVICE = 0.5  # such a sentence weighs this much for a question about the role itself
# A name in a sentence: an acronym (HIPAA, CMS) or a capitalised word inside it that is not
# the role's own title ("the Joint Commission"). A "which ...?" question asks for names.
_NAME = re.compile(
    r"(?<!^)(?<![.:] )\b(?!Medical\b|Directors?\b|Director’s\b)([A-Z][a-z]+|[A-Z]{2,})\b"
)
NAMES = 1.6  # a sentence that names things weighs this much more for a "which" question
# "any concrete examples?", "like what kind": the asker wants instances, and the sentences
# that give them say so ("for example", "such as", "this might involve ...").
_ASKS_EXAMPLES = re.compile(
    r"\b(examples?|like what|what kinds?|what sorts?|such as|for instance|concrete|"
    r"specifically|real[- ]world)\b",
    re.I,
)
_GIVES_EXAMPLES = re.compile(
    r"\b(for (example|instance)|such as|examples? (include|would)|an example|as an example|"
    r"e\.g\.|(might|may|could) (involve|include)|real-world)\b",
    re.I,
)
EXAMPLES = 2.0  # a sentence that gives instances weighs this much more when they are asked for
# ... and one that says it is an instance ("An example would include ...") this much again
_NAMES_AN_INSTANCE = re.compile(
    r"\b(for (example|instance)|an example|as an example|examples? (include|would)|"
    r"real-world examples?)\b",
    re.I,
)
_ASKS_INSTANCES = re.compile(r"\b(examples?|instances?|concrete|real[- ]world)\b", re.I)
INSTANCE = 2.0
YESNO_LEXICAL = 2.0  # a yes/no question: weight of the share of its focus words a sentence uses
PRAISE = 0.6  # a stock claim of importance weighs this much unless the role itself is asked
PRAISE_LEXICAL = 0.34  # ... or it uses this share of the focus words
SPEC_TALK = 0.5  # a sentence about the role's write-up weighs this much for a role question
_HEDGED = re.compile(r"\b(may|might|often|usually|typically|generally|limited|rarely|not)\b", re.I)
# Words that make a sentence sound weighty without saying anything checkable.
_FILLER_WORDS = frozenset(
    content_terms(
        "pivotal integral crucial vital essential important significant key critical central "
        "role responsibilities responsibility duties duty wide range challenging various "
        "variety many success successful great excellent extensive comprehensive information "
        "overall healthcare health care organization organizations institution institutions "
        "industry field world broad spectrum aspect aspects number multifaceted nature "
        "effective functioning advancement component cornerstone foundational pillar "
        "fundamental paramount area areas part parts play plays playing make makes "
        "ensure ensures ensuring involve involves involved require requires required need "
        "needs success thrive position leader leadership"
    )
)


@dataclass(frozen=True)
class Scored:
    sentence: StoredSentence
    passage: Passage
    rank: int
    sim: float  # cosine to the question (with its follow-up context)
    focus_sim: float  # cosine to the question's focus words
    score: float
    authored: bool = False  # its passage's heading states the question (an FAQ answer)
    text: str = ""  # what is shown: the sentence without a leading label
    features: tuple[float, ...] = ()  # ranking.FEATURES, for the model and for fitting it

    @property
    def key(self) -> tuple[str, int]:
        return self.sentence.chunk_id, self.sentence.position


def shown_text(text: str) -> str:
    """The sentence as shown: a leading label ("Tip 8: ") and a joining connective
    ("Furthermore, ") left out; what remains is still a verbatim part of the passage."""
    m = _LABEL.match(text)
    if m and len(text) - m.end() > 30:
        text = text[m.end() :]
    m = _CONNECTIVE.match(text)
    if m and len(text) - m.end() > 30:
        rest = text[m.end() :]
        text = rest[0].upper() + rest[1:]
    return text


# A list item's label before its lowercase description ("Working together: working together
# with other departments ...", "Adherence to the rules: ensuring adherence to ..."): the
# description is the item, shown from its first word.
_ITEM_LABEL = re.compile(r"^[A-Z][\w’'&/-]*(?:\s+[\w’'&/-]+){0,4}:\s+(?=[a-z])")


def displayed(text: str) -> str:
    """The sentence as it is printed: a list item without the label before its description
    (still a verbatim part of the passage, case aside)."""
    m = _ITEM_LABEL.match(text)
    if m and len(text) - m.end() > 30:
        rest = text[m.end() :]
        text = rest[0].upper() + rest[1:]
    return text


def informative(text: str) -> int:
    """Content words that carry information (domain and filler words aside)."""
    return len(set(content_terms(text, drop_domain=True)) - _FILLER_WORDS)


def is_meta(text: str) -> bool:
    """A sentence about the article itself ("In this article, we will delve into ...")."""
    return bool(_META.search(text))


_EMPTY_CLAIM = re.compile(
    r"\b(is|are) (the )?(key|crucial|essential|vital|important|critical|paramount)"
    r"( (elements?|components?|aspects?|parts?|factors?))?\.?$|"
    r"\b(forms?|is|are) an? (foundational|fundamental|key|crucial|vital|critical) "
    r"(pillar|component|aspect|part|element)\b|"
    # "is a highly specialized position that demands ...", "a variety of key tasks that ...":
    # says there is much to it, not what
    r"\b(is|are) an? (highly )?(specialized|specialised|demanding|challenging|complex|unique|"
    r"multifaceted) (position|role|job)s?\b|"
    r"\b(a (wide )?(variety|range|number|host)) of (key |important |challenging |critical )?"
    r"(tasks|duties|responsibilities)\b",
    re.I,
)


def is_filler(text: str) -> bool:
    """A sentence that says nothing checkable on its own: never chosen."""
    return (
        is_meta(text)
        or bool(_EMPTY_CLAIM.search(text))
        or bool(_CONCLUDES.match(text))
        or informative(text) < 3
        or text.rstrip().endswith(("?", ":"))  # a question or a list intro
        or len(text.split()) < 6
    )


# "... must understand these regulations ...", "... oversees this process": it refers to
# something said before it ("this role", "this position" are the role itself).
_REFERS_BACK = re.compile(
    r"^(\S+\s+){0,7}?(these|those|this (?!role|position|job|profession|post|field|career|"
    r"sector|industry|article|guide)[a-z]+)\b",
    re.I,
)


def depends(text: str) -> bool:
    """Opens by pointing back: it needs the sentence before it. (A sentence whose label was
    left out, "Supervising Clinical Staff: They oversee ...", has its antecedent in the
    label; the shown text is scored, so callers pass the original to check for one.)"""
    return bool(_DEPENDS.match(text) or _REFERS_BACK.match(text))


def _heading(p: Passage) -> str:
    return p.chunk.section.split(" > ")[-1]


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a) if a and b else 0.0


@dataclass(frozen=True)
class Weights:
    """How a sentence's score is made (tuned on the eval set; ANSWER_RECIPE names them)."""

    question: float = 0.35  # cosine to the whole question
    focus: float = 0.65  # cosine to its focus words
    lexical: float = 0.3  # share of the focus words it uses (rarer words weigh more)
    generic: float = 0.3  # how close it is to the knowledge base's average sentence
    defines: float = 0.15  # it says what the role is (definition and vague questions)
    heading: float = 0.1  # its section heading names the focus
    rank: float = 0.1  # its passage ranks high in retrieval
    prose_margin: float = 0.2  # further sentences stay this close to the lead's score
    list_margin: float = 0.25  # ... in a list answer
    floor: float = 0.3  # with the sentence model: a further sentence is this likely on point
    relative: float = 0.7  # ... and at least this share of the lead's probability
    list_relative: float = 0.6  # ... in a list answer, whose further items are the answer too
    close: float = 0.8  # a comparison: a further sentence this close to the lead is the other side
    general_lead: float = 0.8  # a general statement this close to an instance leads instead
    redundant: float = 0.9  # a further sentence this close to a chosen one says it again


WEIGHTS = Weights()
ELABORATION = 0.3  # with the sentence model: an elaboration is this share of the lead as likely


@dataclass(frozen=True)
class _Text:
    """What scoring needs of a sentence's text alone (the same for every question)."""

    shown: str
    filler: bool
    terms: frozenset[str]
    informative: int
    depends: bool
    defines: bool
    praise: bool
    hedged: bool
    words: int


@lru_cache(maxsize=32768)
def _text_facts(raw: str) -> _Text:
    text = shown_text(raw)
    return _Text(
        shown=text,
        filler=is_filler(text),
        terms=frozenset(content_terms(text)),
        informative=informative(text),
        depends=depends(raw),
        defines=bool(_DEFINES.search(text)),
        praise=bool(_PRAISE.search(text)),
        hedged=bool(_HEDGED.search(text)),
        words=len(text.split()),
    )


def score_sentences(
    reading: Reading,
    qvec: np.ndarray,
    fvec: np.ndarray,
    passages: Sequence[Passage],
    sentences: Sequence[StoredSentence],
    centroid: np.ndarray | None = None,
    rarity: Callable[[str], float] | None = None,
    w: Weights = WEIGHTS,
    model: SentenceModel | None = None,
    wordings: Sequence[str] = (),
) -> list[Scored]:
    """Every candidate sentence with its score: the sentence model's probability that it is
    on the point when a model is given, else the hand-set ``Weights``."""
    by_chunk = {p.chunk.id: (rank, p) for rank, p in enumerate(passages)}
    q_terms = set(content_terms(reading.text, drop_domain=True))
    f_terms = set(content_terms(" ".join(reading.focus))) or q_terms
    weight = {t: (rarity(t) if rarity else 1.0) for t in f_terms}
    total = math.fsum(weight.values()) or 1.0  # fsum: the same for any set order

    def rarity_of(t: str) -> float:
        return rarity(t) if rarity else 1.0

    alt = []
    for text in wordings:
        terms = set(content_terms(text, drop_domain=True))
        if terms:
            alt.append((terms, math.fsum(rarity_of(t) for t in sorted(terms))))
    wants_definition = reading.kind == "definition" or not reading.focus
    heading_match = {
        p.chunk.id: _overlap(q_terms, set(content_terms(_heading(p), drop_domain=True)))
        for p in passages
    }
    heading_focus = {
        p.chunk.id: _overlap(f_terms, set(content_terms(p.chunk.section, drop_domain=True)))
        for p in passages
    }
    out = []
    for s in sentences:
        if s.chunk_id not in by_chunk or not s.vector.size:
            continue
        rank, passage = by_chunk[s.chunk_id]
        facts = _text_facts(s.text)
        text = facts.shown
        if facts.filler:
            continue
        sim = float(s.vector @ qvec)
        fsim = float(s.vector @ fvec)
        lexical = math.fsum(weight[t] for t in f_terms & facts.terms) / total
        for terms, wtotal in alt:  # the question in the sources' words ("selection of ...")
            lexical = max(lexical, math.fsum(rarity_of(t) for t in terms & facts.terms) / wtotal)
        generic = float(s.vector @ centroid) - 0.64 if centroid is not None else 0.0
        authored = heading_match[s.chunk_id] >= 0.75
        defines = wants_definition and facts.defines
        features = (
            sim,
            fsim,
            lexical,
            heading_focus[s.chunk_id],
            float(authored),
            (len(passages) - rank) / len(passages),
            generic + 0.64 if centroid is not None else 0.64,
            float(defines),
            float(facts.depends),
            math.log(max(1, facts.words)),
            facts.informative / 10,
            float(text != s.text),
            sim * fsim,
            float(facts.praise),
            float(facts.hedged),
            lexical * float(reading.kind == "yesno"),
        )
        score = (
            w.question * sim
            + w.focus * fsim
            + w.lexical * lexical
            - w.generic * max(0.0, generic)
            + (w.defines if defines else 0.0)
            + w.heading * heading_focus[s.chunk_id]
            + w.rank * (len(passages) - rank) / len(passages)
            + (0.2 if authored else 0.0)
            - (0.04 if facts.depends else 0.0)
        )
        if model is not None:
            score = model.probability(features)
        out.append(Scored(s, passage, rank, sim, fsim, score, authored, text, features))
    return out


def choose(
    scored: Sequence[Scored],
    limit: int,
    margin: float,
    lead_pool: Sequence[Scored] | None = None,
    lam: float = 0.8,
    decide: bool = False,
) -> list[Scored]:
    """The lead (best independent sentence), then MMR picks within ``margin`` of it."""
    pool = sorted(scored, key=lambda s: (-s.score, s.key))
    leads = list(lead_pool if lead_pool is not None else pool)
    if not leads:
        return []
    if decide:  # a yes/no is decided by a concrete statement, not "plays a crucial role"
        leads = [s for s in leads if not _PRAISE.search(s.text)] or leads
    lead = min(leads, key=lambda s: (-s.score, s.key))
    chosen = [lead]
    floor = lead.score - margin
    while len(chosen) < limit:
        best, best_val = None, -1e9
        for cand in pool:
            if cand in chosen or cand.score < floor:
                continue
            redundancy = max(float(cand.sentence.vector @ c.sentence.vector) for c in chosen)
            said = {c.text.lower() for c in chosen}
            if redundancy > WEIGHTS.redundant or cand.text.lower() in said:
                continue
            val = lam * cand.score - (1 - lam) * redundancy
            if val > best_val:
                best, best_val = cand, val
        if best is None:
            break
        chosen.append(best)
    return chosen


def _follows_chosen(cand: Scored, chosen: Sequence[Scored]) -> bool:
    return any(
        c.sentence.chunk_id == cand.sentence.chunk_id
        and c.sentence.position == cand.sentence.position - 1
        for c in chosen
    )


# "For example, the director might ...": an instance of what the sentence before it says.
_EXAMPLE_OPENER = re.compile(r"^(For (example|instance)|As an example|A real-world example)\b")
_ELABORATES = re.compile(r"^(This|These|Such|Examples?|For (example|instance))\b", re.I)


def with_elaboration(
    chosen: list[Scored], scored: Sequence[Scored], limit: int, floor: float = -1e9
) -> list[Scored]:
    """Add the sentence that spells out a chosen one ("This includes tracking metrics such as
    ...") when it directly follows it in the same passage and scores at least ``floor``: it
    carries the specifics. An answer its author wrote under this very question is kept whole
    (up to 3 sentences)."""
    out = list(chosen)
    index = {s.key: s for s in scored}
    for s in chosen:
        pos, taken = s.sentence.position, 0
        while len(out) < limit and taken < (2 if s.authored else 1):
            pos += 1
            nxt = index.get((s.sentence.chunk_id, pos))
            if nxt is None or not (s.authored or _ELABORATES.match(nxt.text)):
                break
            if not s.authored and nxt.score < floor:
                break
            if nxt not in out:
                out.append(nxt)
            taken += 1
    return out


def with_antecedents(
    chosen: list[Scored], scored: Sequence[Scored], instances: bool = True
) -> list[Scored]:
    """A chosen sentence that points back ("This person is in charge of ...") is read with
    the sentence it points to, placed right before it; with ``instances``, an instance
    ("For example, the director might intervene ...") is read after the claim it
    illustrates. When that sentence points back in turn, the one before it comes too (two
    at most), and only a chain that starts with a sentence of its own is added."""
    index = {s.key: s for s in scored}

    def needs_before(s: Scored) -> bool:
        return depends(s.sentence.text) or (instances and bool(_EXAMPLE_OPENER.match(s.text)))

    out: list[Scored] = []
    for s in chosen:
        prev = index.get((s.sentence.chunk_id, s.sentence.position - 1))
        if depends(s.sentence.text) and prev in chosen and prev not in out:
            out.append(prev)  # chosen after it: read before it
        before: list[Scored] = []
        cur = s
        while needs_before(cur) and len(before) < ANTECEDENTS:
            prev = index.get((cur.sentence.chunk_id, cur.sentence.position - 1))
            if prev is None or prev in out or prev in chosen:
                break
            before.insert(0, prev)
            cur = prev
        if before and not depends(before[0].sentence.text):
            out.extend(before)
        elif before and not _EXAMPLE_OPENER.match(s.text):
            out.append(before[-1])  # as before: the sentence it points to, even if that one
            # points back too
        if s not in out:
            out.append(s)
    return out


ANTECEDENTS = 2  # sentences brought before a chosen one, at most


def reading_order(chosen: Sequence[Scored]) -> list[Scored]:
    """The lead first; each following sentence right after the one it continues."""
    if not chosen:
        return []
    out = [chosen[0]]
    rest = list(chosen[1:])
    while rest:
        nxt = next((c for c in rest if _follows_chosen(c, [out[-1]])), rest[0])
        out.append(nxt)
        rest.remove(nxt)
    return out


def suggestions(passages: Sequence[Passage], n: int = 3) -> tuple[str, ...]:
    """Nearest covered topics: the sections of the best passages, deduplicated."""
    out: list[str] = []
    for p in passages:
        topic = re.sub(r"^(Question \d+:|Expectation \d+:|\d+\.)\s*", "", _heading(p))
        if topic and topic not in out and not topic.endswith("?"):
            out.append(topic)
        if len(out) == n:
            break
    return tuple(out)


def refusal(
    reading: Reading,
    passages: Sequence[Passage],
    settings: Settings,
    verdict: Verdict | None = None,
) -> Answer:
    topics = suggestions(passages) if verdict is None or verdict.related else ()
    if verdict is not None and verdict.topics:
        topics = verdict.topics
    text = verdict.statement if verdict is not None and verdict.statement else NOT_COVERED
    if topics:
        text += " It covers, for example: " + "; ".join(topics) + "."
    answer = Answer(
        question=reading.question,
        answer=text,
        refused=True,
        suggestions=topics,
        settings=settings.fingerprint,
        coverage="not_covered",
        missing=verdict.missing if verdict is not None else (),
    )
    return with_reading(answer, reading)


def with_reading(answer: Answer, reading: Reading) -> Answer:
    """The answer, saying how its question was read."""
    interpreted = f"{reading.follow_up_of} — {reading.text}" if reading.follow_up_of else ""
    return replace(
        answer,
        interpreted_as=interpreted,
        follow_up_of=reading.follow_up_of,
        searched_for=reading.corrected,
        kind=reading.kind,
    )


def task_answer(reading: Reading, settings: Settings) -> Answer:
    """A drafting request: a pointer to drafting, with the setting it named."""
    setting = reading.task_setting
    where = f' --setting "{setting}"' if setting else ""
    text = (
        "Job descriptions are written by the drafting tool, not in the chat: open the Draft "
        f"tab{f' (setting: {setting})' if setting else ''}, or run "
        f"`python -m assistant draft all{where}`. Every bullet it writes is cited."
    )
    answer = Answer(
        question=reading.question,
        answer=text,
        refused=False,
        settings=settings.fingerprint,
        coverage="task",
        task_setting=setting,
    )
    return with_reading(answer, reading)


@dataclass(frozen=True)
class Evidence:
    """What one question's answer is chosen from."""

    reading: Reading
    question_vec: np.ndarray  # the question (a follow-up mixed with its topic)
    focus_vec: np.ndarray  # its focus words
    context_vec: np.ndarray  # the follow-up read with its topic: judges coverage
    part_vecs: tuple[np.ndarray, ...]  # each part of a multi-part question
    passages: tuple[Passage, ...]
    sentences: tuple[StoredSentence, ...]
    verdict: Verdict
    centroid: np.ndarray | None = None  # the knowledge base's average sentence vector
    rarity: Callable[[str], float] | None = None  # weight of a stemmed focus term
    wordings: tuple[str, ...] = ()  # the question in the sources' words (coverage.extra_readings)

    def scored(self, model: SentenceModel | None = None) -> list[Scored]:
        return score_sentences(
            self.reading,
            self.question_vec,
            self.focus_vec,
            self.passages,
            self.sentences,
            self.centroid,
            self.rarity,
            model=model,
            wordings=self.wordings,
        )


def reweigh(reading: Reading, verdict: Verdict, scored: Sequence[Scored]) -> list[Scored]:
    """The scores after what the question asks for: the role itself (its definition), a
    document (talk about the write-up), a career (advice to the reader), a decision (the
    focus words), instances, names, or what the coverage verdict prefers."""
    scored = list(scored)
    asks_role = not reading.ask_focus and not reading.follow_up_of  # "md role?", not "like what?"
    if asks_role or _ASKS_ROLE.search(reading.text):  # what the role is
        scored = [replace(s, score=s.score + 1.0) if _DEFINES.search(s.text) else s for s in scored]
    if not ABOUT_DOCUMENT.search(f"{reading.text} {reading.follow_up_of}"):
        scored = [replace(s, score=s.score * SPEC_TALK) if _SPEC_TALK.search(s.text) else s
                  for s in scored]  # fmt: skip
    asked = f"{reading.text} {reading.follow_up_of}"
    # advice on becoming one is off the point unless that is asked (not what comes after)
    if not _ASKS_CAREER.search(asked) or NEXT_STEP.search(reading.text):
        scored = [replace(s, score=s.score * ADVICE) if _ADVICE.search(s.text) else s
                  for s in scored]  # fmt: skip
    if not asks_role:  # a stock claim of importance says little, unless it is of the focus
        scored = [replace(s, score=s.score * PRAISE)  # ("a pivotal role in leading change")
                  if _PRAISE.search(s.text) and s.features[2] < PRAISE_LEXICAL else s
                  for s in scored]  # fmt: skip
    if reading.kind == "yesno":  # decided by the sentence that speaks of the focus words
        scored = [replace(s, score=s.score * (1 + YESNO_LEXICAL * s.features[2])) for s in scored]
    if _ASKS_EXAMPLES.search(reading.text):
        scored = [replace(s, score=s.score * EXAMPLES) if _GIVES_EXAMPLES.search(s.text) else s
                  for s in scored]  # fmt: skip
    if _ASKS_INSTANCES.search(reading.text):  # "examples pls", not "what kind of"
        scored = [replace(s, score=s.score * INSTANCE) if _NAMES_AN_INSTANCE.search(s.text)
                  else s for s in scored]  # fmt: skip
    if reading.kind == "which":
        scored = [replace(s, score=s.score * NAMES) if _NAME.search(s.text) else s
                  for s in scored]  # fmt: skip
    if verdict.prefer:  # e.g. a setting the sources never name: what they say of settings
        preferred = [s for s in scored if re.search(verdict.prefer, s.text, re.I)]
        scored = preferred or scored
    return scored


def extractive_answer(evidence: Evidence, settings: Settings) -> Answer:
    """The offline, deterministic answerer."""
    reading, verdict, passages = evidence.reading, evidence.verdict, evidence.passages
    part_vecs, context_vec = evidence.part_vecs, evidence.context_vec
    if verdict.coverage == "not_covered":
        return refusal(reading, passages, settings, verdict)
    model = load_model()
    scored = evidence.scored(model)
    if verdict.figure_terms:  # a figure question: only sentences that state one can answer
        with_figure = [s for s in scored if _FIGURE.search(s.text) and
                       verdict.figure_terms & set(content_terms(s.text))]  # fmt: skip
        if with_figure:
            scored = with_figure
        elif verdict.figure_or_nothing:  # a figure about something else than the role
            label = verdict.missing[0] if verdict.missing else "figures on this"
            about = f" ({verdict.topic})" if verdict.topic else ""
            return refusal(
                reading,
                passages,
                settings,
                replace(
                    verdict,
                    coverage="not_covered",
                    statement=f"The knowledge base is about the Medical Director role; it gives "
                    f"no {label}{about}.",
                ),
            )
        else:  # none gives the figure: say so, then quote what speaks of its subject
            if verdict.coverage == "covered":
                verdict = replace(verdict, coverage="partial")
            related = [s for s in scored if verdict.figure_terms & set(content_terms(s.text))]
            scored = related or scored
    scored = reweigh(reading, verdict, scored)
    best = max((float(s.sentence.vector @ context_vec) for s in scored), default=-1.0)
    if not scored or best < settings.min_score:
        return refusal(reading, passages, settings)
    as_list = reading.kind == "list" or bool(part_vecs)
    limit = settings.max_list_items if as_list else settings.max_sentences
    if verdict.coverage == "partial":
        limit = min(limit, 3)
    lead_pool = None
    wants_examples = bool(_ASKS_EXAMPLES.search(reading.text))
    if (
        reading.kind == "yesno" and model is None
    ):  # lead with the sentence that decides: it names the focus
        lead_pool = sorted(scored, key=lambda s: (-(s.focus_sim + 0.1 * s.score), s.key))[:3]
    if model is None and max(scored, key=lambda s: s.score).authored:
        authored = [s for s in scored if s.authored]
        chosen = with_elaboration(choose(authored, limit, margin=0.2), authored, limit)
    elif model is not None:
        best_p = max(s.score for s in scored)
        if not wants_examples:  # an instance ("For example, ...") leads only when no
            # general statement comes close to it
            general = [s for s in scored if not _EXAMPLE_OPENER.match(s.text)]
            if general and max(s.score for s in general) >= WEIGHTS.general_lead * best_p:
                lead_pool = general
        relative = WEIGHTS.list_relative if as_list else WEIGHTS.relative
        absolute = WEIGHTS.floor
        if reading.kind == "comparison":  # two sides: a second sentence nearly as likely as
            # the lead is the other side, however unsure the model is of both
            absolute = min(absolute, WEIGHTS.close * best_p)
        floor = max(absolute, relative * best_p)
        chosen = choose(
            scored,
            limit,
            margin=best_p - floor,
            lead_pool=lead_pool,
            decide=reading.kind == "yesno",
        )
    else:
        margin = WEIGHTS.list_margin if as_list else WEIGHTS.prose_margin
        chosen = choose(scored, limit, margin=margin, lead_pool=lead_pool)
    if not wants_examples:  # an instance is read after what it illustrates (added below
        # when it follows a chosen sentence), not on its own
        chosen = chosen[:1] + [s for s in chosen[1:] if not _EXAMPLE_OPENER.match(s.text)]
    elaboration_floor = ELABORATION * max(s.score for s in scored) if model is not None else -1e9
    chosen = with_elaboration(chosen, scored, limit + 1, elaboration_floor)
    for vec in part_vecs:  # a multi-part question: each part gets its best sentence
        if len(chosen) >= limit + 2:
            break
        part_best = max(
            (s for s in scored if s not in chosen),
            key=lambda s: float(s.sentence.vector @ vec),
            default=None,
        )
        if part_best is not None and all(
            float(part_best.sentence.vector @ vec) > float(c.sentence.vector @ vec) + 0.05
            for c in chosen
        ):
            chosen.append(part_best)
    picked = {s.key for s in chosen}
    chosen = with_antecedents(reading_order(chosen), scored, not wants_examples)[:limit]
    while chosen and chosen[-1].key not in picked:  # context whose sentence was cut: not shown
        chosen.pop()
    numbering = Numbering()
    out: list[Sentence] = []
    for s in chosen:
        if not is_quote(s.text, s.passage.chunk.text):
            continue  # never cite a passage that does not contain the sentence
        # context: shown only so that the next sentence ("This includes ...") can be read
        out.append(
            Sentence(displayed(s.text), (numbering.number(s.passage),), context=s.key not in picked)
        )
    if not out:
        return refusal(reading, passages, settings)
    body = render(out, as_list)
    lead_in = verdict.statement if verdict.coverage == "partial" else ""
    answer = Answer(
        question=reading.question,
        answer=f"{lead_in}\n\n{body}" if lead_in else body,
        refused=False,
        citations=numbering.citations(),
        sentences=tuple(out),
        as_list=as_list,
        settings=settings.fingerprint,
        coverage=verdict.coverage,
        missing=verdict.missing,
    )
    return with_reading(answer, reading)
