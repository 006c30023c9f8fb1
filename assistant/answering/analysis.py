"""How a question is read before retrieval: its kind, its focus terms, whether it follows up
an earlier turn, a drafting request, and spelling corrected against the knowledge base.

Follow-ups are told from the words themselves (a pronoun with no subject of its own, a
leading "and" / "what about", an ellipsis with no verb) and, when the only cue is a missing
subject, from how well the question retrieves on its own (the caller decides that part with
``weak``). Never from the question's length.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.answering.spelling import Speller
from assistant.text import DOMAIN_WORDS, content_terms, question_parts, words, words_of

# Words that say how a question is put, not what it is about.
QUESTION_WORDS = words_of(
    "do does did is are was were can could should would will must may might has have had "
    "what which who whom whose where when why how whats what's who's tell explain "
    "describe give list name show pls please thanks thx hi hello hey ok okay still "
    "actually really usually typically normally generally exactly specifically anything "
    "something stuff things thing kind kinds type types sort like also else need needs "
    "needed want wants know mean means our we us i me my you your they them their it its "
    "that this these those there here any some much many "
)
# The role's own names ("md", "med director") are the subject, not a focus.
ROLE_WORDS = DOMAIN_WORDS | {"med", "mds", "physician", "executive", "leader"}
_SUBJECT = re.compile(
    r"\b(medical directors?|med directors?|mds?|directors?|physician executives?|"
    r"chief medical officers?|cmos?)\b",
    re.I,
)
_BACK_REFERENCE = re.compile(
    r"\b(they|their|them|theirs|it|its|that|this|these|those|he|she|his|her|such|one)\b", re.I
)
_LEADING_LINK = re.compile(
    r"^\s*(and|also|ok(ay)?,? and|so|then|what about|how about|what else|plus|but)\b", re.I
)
VERB_HINT = re.compile(
    r"\b(do|does|did|is|are|was|were|can|could|should|would|will|must|has|have|had|need|"
    r"needs|make|makes|work|works|get|gets|handle|handles|report|reports|oversee|oversees|"
    r"lead|leads|manage|manages|supervise|supervises|include|includes|require|requires)\b",
    re.I,
)

_TASK_DRAFT = re.compile(
    r"\b(write|draft|create|generate|make|put together|prepare|compose|build|produce|need|"
    r"give me)\b.{0,60}?\b(job descriptions?|jds?|job postings?|postings?|job ads?|ads?|"
    r"adverts?|advertisements?|listings?|vacancy|responsibilities section|"
    r"(?:qualifications|skills|summary|kpis?) section)\b"
    r"|^\s*(jds?|job description|job posting) for\b",
    re.I,
)
TASK_OTHER = re.compile(
    r"\b(translate|translation|joke|poem|song|story|limerick|recipe|cover letter|resume|cv|"
    r"email|python|javascript|code|script|program|spreadsheet|excel|essay|slides?|"
    r"powerpoint|tweet|linkedin post)\b|"
    r"\bin (german|spanish|french|italian|portuguese|chinese|mandarin|japanese|korean|"
    r"arabic|hindi|russian|dutch|polish|tagalog|vietnamese)\b",
    re.I,
)
_TASK_VERB = re.compile(
    r"^\s*(please |pls |can you |could you )?(write|tell|translate|make|create|compose|"
    r"generate|give|turn|convert|rewrite|put)\b",
    re.I,
)
_SETTING_NOUN = (
    r"(?:hospitals?|clinics?|networks?|groups?|hospices?|facility|facilities|centers?|"
    r"centres?|practices?|systems?|chains?|departments?|units?|homes?|programs?|programmes?|"
    r"organi[sz]ations?|companies|company|services?)"
)
_SETTINGS = [
    re.compile(r"\b([a-z][\w-]*(?: [a-z][\w-]*){0,2}) setting\b", re.I),
    re.compile(
        r"\b(?:at|for|in) (?:a|an|our|the|my) ((?:[\w-]+ ){0,4}?" + _SETTING_NOUN + r")\b", re.I
    ),
    re.compile(r"\bwe(?:'re|’re| are) an? ((?:[\w-]+ ){0,4}?" + _SETTING_NOUN + r")\b", re.I),
    re.compile(r"\bfor an? ([\w-]+(?: [\w-]+)?) (?:medical|med) director\b", re.I),
]
_NOT_A_SETTING = {"associate", "senior", "new", "first", "good", "great", "medical", "med"}

# Kinds of question, tried in this order.
_KINDS: list[tuple[str, re.Pattern[str]]] = [
    (
        "comparison",
        re.compile(
            r"\b(vs\.?|versus|difference between|differ|compared?|"
            r"comparison)\b",
            re.I,
        ),
    ),  # fmt: skip
    (
        "figure",
        re.compile(
            r"\b(how many|how long|how fast|how big|how large|salary|salaries|paid|earn|earns|"
            r"compensation|wage|wages|cost|price|percent(age)?|ratio|stipend|bonus|any numbers|"
            r"figures|statistics|stats|size|dose|dosage|mg|dollars?)\b|\bhow much\b"
            r"(?=.{0,30}\b(make|makes|earn|earns|paid|pay|get|cost|money)\b)|"
            r"\b(pay|hourly) rate\b",
            re.I,
        ),
    ),  # fmt: skip
    (
        "yesno",
        re.compile(
            r"^\s*(do|does|did|is|are|can|could|should|would|will|must|has|have|"
            r"may)\b",
            re.I,
        ),
    ),  # fmt: skip
    ("which", re.compile(r"^\s*(who|whom|which|where|what comes)\b|\bwho\b", re.I)),
    ("how", re.compile(r"^\s*(how|why)\b", re.I)),
    (
        "definition",
        re.compile(
            r"^\s*(what is|what's|whats|define|definition|meaning of)\b|"
            r"^\s*(the\s+)?((medical|med) directors?|mds?)\s*(role|job|position|overview)?\s*\??$",
            re.I,
        ),
    ),  # fmt: skip
    (
        "list",
        re.compile(
            r"\b(which|list|what are|kinds?|types?|examples?|duties|responsibilities|skills|"
            r"qualifications|quals|kpis?|indicators|metrics|competencies|expectations|steps|ways)\b",
            re.I,
        ),
    ),  # fmt: skip
]


@dataclass(frozen=True)
class Reading:
    """A question as the answerer reads it."""

    question: str  # as typed (whitespace cleaned)
    corrected: str  # spelling corrected against the knowledge base ("" when unchanged)
    kind: str  # comparison | figure | yesno | which | how | definition | list | task | other
    focus: tuple[str, ...]  # the words that say what is asked (surface forms)
    ask_focus: tuple[str, ...]  # focus words of the asking part (no preamble, no examples)
    follow_up_of: str  # the earlier turn it is read with ("" for a new question)
    follow_up_cue: str  # "strong" (words), "weak" (only a missing subject), ""
    task: str  # "draft" for a drafting request, "other" for a task the sources cannot do
    task_setting: str  # the setting a drafting request names

    @property
    def text(self) -> str:
        """The question with corrections applied: what is searched for."""
        return self.corrected or self.question


def focus_words(text: str) -> list[str]:
    """Surface words that say what is asked (no function, question or role words)."""
    out: list[str] = []
    for w in words(text):
        w = w.strip("'’-")
        if len(w) < 2 or w in QUESTION_WORDS or w in ROLE_WORDS:
            continue
        if not content_terms(w):  # a stopword
            continue
        if w not in out:
            out.append(w)
    return out


_SEGMENT = re.compile(r"(?<=[.!?])\s+|\s+[-–—]\s+")
_ASKS = re.compile(
    r"\?|^\s*(what|which|who|whom|where|when|why|how|do|does|did|is|are|can|could|should|"
    r"would|will|must|may|has|have|tell|list|explain|describe|give)\b|\b(what|which|who|how)\b",
    re.I,
)
_EXAMPLE = re.compile(r"\b(like|such as|e\.g\.?|for example|for instance)\b.*$", re.I)


_CONTEXT = re.compile(r"\b(we|we're|we’re|i|i'm|i’m|our|us|here|my)\b", re.I)


def asking_part(text: str) -> str:
    """The part of a question that asks: a preamble about the asker ("recruiter here.",
    "we're restructuring our clinic group -") and examples ("like a covid surge") are
    context, not the topic; a bare topic ("hospice medical director - ...") is kept."""
    segments = [s for s in _SEGMENT.split(text) if s.strip()]
    asking = [
        s for s in segments if _ASKS.search(s) or not (_CONTEXT.search(s) or VERB_HINT.search(s))
    ] or segments
    return " ".join(_EXAMPLE.sub("", s) for s in asking)


def question_kind(text: str) -> str:
    for kind, pattern in _KINDS:
        if pattern.search(text):
            return kind
    return "other"


def drafting_setting(text: str) -> str:
    for pattern in _SETTINGS:
        m = pattern.search(text)
        if m:
            phrase = m.group(1).strip(" -")
            first = phrase.split()[0].lower() if phrase.split() else ""
            if first in _NOT_A_SETTING or phrase.lower() in ("job", "role", "position"):
                continue
            return phrase
    return ""


def task_of(text: str) -> str:
    why = re.match(r"\s*why\b", text, re.I)  # "why do we need a JD?" asks about one
    if _TASK_DRAFT.search(text) and not why and not re.search(r"\bcover letter\b", text, re.I):
        return "draft"
    if TASK_OTHER.search(text) and (_TASK_VERB.search(text) or len(focus_words(text)) <= 4):
        return "other"
    return ""


def names_role(text: str) -> bool:
    """The question names the role (or a sibling title) as its subject."""
    return bool(_SUBJECT.search(text))


def follow_up_cue(question: str) -> str:
    """ "strong" when the words point back (a leading "and"/"what about", or a pronoun with
    no subject of its own, or no verb at all); "weak" when only the subject is missing."""
    has_subject = bool(_SUBJECT.search(question))
    if _LEADING_LINK.search(question):
        return "strong"
    if not has_subject and _BACK_REFERENCE.search(question):
        return "strong"
    if not has_subject and not VERB_HINT.search(question):
        return "strong"  # an ellipsis: "any concrete examples?", "education wise?"
    if not has_subject:
        return "weak"
    return ""


def read_question(
    question: str,
    history: Sequence[str] = (),
    speller: Speller | None = None,
) -> Reading:
    """Read one turn; ``history`` holds the earlier user turns, oldest first."""
    corrected = speller.correct(question) if speller is not None else question
    text = corrected
    task = task_of(text)
    kind = "task" if task else question_kind(text)
    if not task and len(question_parts(text)) >= 2:
        kind = "multi"
    follow, cue = "", ""
    if history and not task:
        cue = follow_up_cue(text)
        if cue:
            follow = resolved_topic(history, speller)
    return Reading(
        question=question,
        corrected=corrected if corrected != question else "",
        kind=kind,
        focus=tuple(focus_words(text)),
        ask_focus=tuple(focus_words(asking_part(text))),
        follow_up_of=follow,
        follow_up_cue=cue,
        task=task,
        task_setting=drafting_setting(text) if task == "draft" else "",
    )


def resolved_topic(history: Sequence[str], speller: Speller | None = None) -> str:
    """The topic the conversation is on at its last turn: the last turn, read with the one
    before it when it was itself a follow-up (so a second follow-up keeps the thread)."""
    if not history:
        return ""
    turns = [speller.correct(h) if speller is not None else h for h in history[-3:]]
    topic, i = turns[-1], len(turns) - 1
    while i > 0 and follow_up_cue(turns[i]) and not task_of(turns[i - 1]):
        topic = f"{turns[i - 1]} {topic}"
        i -= 1
    return topic
