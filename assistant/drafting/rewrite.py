"""Deterministic job-description style: duties as imperatives, qualifications as noun phrases.

Rules only remove words (subjects, hedges, framing clauses) or change a verb's inflection
("is responsible for monitoring" -> "Monitor"), so a rewrite keeps the source's content words
and meaning; the caller verifies every rewrite against its passage and falls back to the
verbatim sentence when verification fails. ``None`` means "no rule fits this sentence".
"""

from __future__ import annotations

import re
from functools import lru_cache

_ADV = r"(?:often|typically|usually|also|ultimately|generally|frequently|actively|primarily|"
_ADV += r"directly|commonly|further|additionally|then|significantly|closely)"
_SUBJECT = (
    r"(?:(?:the|a|an|any|every|many|most|some)\s+)?(?:senior\s+|mid-career\s+)?"
    r"(?:medical\s+directors?|directors?|physician\s+leaders?)(?:’s|'s)?"
    r"|they|he\s+or\s+she|she\s+or\s+he|this\s+(?:person|individual|leader|leadership\s+position)"
    r"|such\s+an\s+individual|someone\s+in\s+this\s+position|one"
)
_MODAL = r"(?:might|may|can|will|must|should|would|could|need\s+to|needs\s+to|is\s+expected\s+to|"
_MODAL += r"are\s+expected\s+to)"
_LEAD = re.compile(
    r"^(?:for\s+example|for\s+instance|as\s+an\s+example|in\s+addition|additionally|furthermore|"
    r"moreover|also|typically|generally|likewise|similarly|in\s+practice|in\s+hospitals|overall|"
    r"in\s+addition\s+to\s+[^,]{1,40}|as\s+a\s+medical\s+director|for\s+medical\s+director\s+roles|"
    r"before\s+taking\s+on\s+this\s+post|to\s+[^,]{1,90}|during\s+this\s+phase|first)\s*,\s*",
    re.I,
)
_LABEL = re.compile(r"^(?:first,\s*)?(?:\d{1,2}\.\s*)?[A-Za-z][\w’'&/ -]{1,48}:\s*(?=\S)")
_RESPONSIBLE = re.compile(
    rf"^(?:{_SUBJECT})\s+(?:{_ADV}\s+)*(?:{_MODAL}\s+)?(?:{_ADV}\s+)*"
    r"(?:(?:is|are|be)\s+(?:{adv}\s+)*(?:responsible\s+for|tasked\s+with|in\s+charge\s+of|"
    r"accountable\s+for|charged\s+with|involved\s+in)|bears?\s+(?:\w+\s+)?responsibility\s+for|"
    r"plays?\s+an?\s+(?:\w+\s+)?role\s+in|(?:is|are)\s+(?:{adv}\s+)*tasked\s+with)\s+"
    r"(?P<rest>.+)$".replace("{adv}", _ADV),
    re.I,
)
_ACTOR = re.compile(
    rf"^(?:{_SUBJECT})\s+(?:{_ADV}\s+)*(?:{_MODAL}\s+)?(?:{_ADV}\s+)*(?P<rest>.+)$", re.I
)
_INVOLVES = re.compile(
    r"^(?:this|it|this\s+role|the\s+role|this\s+function)\s+(?:also\s+)?"
    r"(?:includes|involves|entails|encompasses)\s+(?P<rest>.+)$",
    re.I,
)
# Conversion of coordinated verbs stops for good at these (a subordinate clause follows) ...
_HARD_STOP = frozenset(
    [
        "such",
        "including",
        "include",
        "includes",
        "by",
        "through",
        "without",
        "thereby",
        "that",
        "which",
        "who",
        "when",
        "while",
        "because",
        "since",
        "whether",
        "if",
        "where",
        "like",
        "via",
        "whereas",
    ]
)
_NOT_VERBS = frozenset(
    [
        "is",
        "are",
        "be",
        "was",
        "were",
        "has",
        "have",
        "had",
        "do",
        "does",
        "play",
        "plays",
        "help",
        "helps",
        "include",
        "includes",
        "involve",
        "involves",
        "entail",
        "entails",
        "require",
        "requires",
    ]
)
_TOKEN = re.compile(r"[A-Za-z][A-Za-z’'-]*|[^\sA-Za-z]+|\s+")


@lru_cache(maxsize=4096)
def verb_base(word: str) -> str | None:
    """The base form of a verb form ("monitoring" -> "monitor"), or None if not a verb."""
    from lemminflect import getAllLemmas

    lemmas = getAllLemmas(word.lower(), upos="VERB")
    forms = lemmas.get("VERB") if lemmas else None
    if not forms:
        return None
    base = str(forms[0])
    return None if base in ("be", "have", "do") else base


def _verb_led(word: str) -> bool:
    """'Reports variances', 'Analyze the cost': a clause, not a measure."""
    from lemminflect import getAllLemmas

    low = word.lower()
    if _is_gerund(word) or low in {"reports", "tracks", "monitors", "analyzes"}:
        return True
    return (
        verb_base(low) == low
        and not getAllLemmas(low, upos="NOUN")
        and not getAllLemmas(low, upos="ADJ")
    )


def _is_gerund(word: str) -> bool:
    return word.lower().endswith("ing") and verb_base(word) is not None


def _imperative(rest: str, third_person: bool) -> str | None:
    """Turn 'monitoring X, reviewing Y and reporting Z' into 'Monitor X, review Y and report Z'."""
    tokens = _TOKEN.findall(rest)
    words = [i for i, t in enumerate(tokens) if t[0].isalpha()]
    if not words:
        return None
    first = tokens[words[0]]
    if first.lower() in _NOT_VERBS:
        return None
    base = verb_base(first)
    if base is None or (first.lower().endswith("ed") and not first.lower().endswith("eed")):
        return None
    if not (first.lower().endswith("ing") or third_person or first.lower() == base):
        return None
    tokens[words[0]] = base
    prev = ""
    gerunds: list[tuple[int, str]] = []  # (token index, what joins it: ",", "and" or "or")
    for i in words[1:]:
        word = tokens[i]
        low = word.lower()
        if low in _HARD_STOP:
            break
        joined = prev in {",", "and", "or"}
        if joined and _is_gerund(word):
            gerunds.append((i, prev))
        elif joined and third_person and low.endswith("s") and prev in {"and", "or"}:
            vb = verb_base(word)
            if vb and vb != low and low not in _NOT_VERBS:
                tokens[i] = vb
        prev = low
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        if nxt.strip() == ",":
            prev = ","
    # "X, ensuring that …" is a participle, not a list item: a gerund after a bare comma is
    # converted only when an "and/or" gerund follows ("A, reviewing B, and reporting C").
    for n, (i, joiner) in enumerate(gerunds):
        if joiner != "," or any(j != "," for _, j in gerunds[n + 1 :]):
            tokens[i] = verb_base(tokens[i]) or tokens[i]
    text = "".join(tokens)
    return text[0].upper() + text[1:]


def strip_lead(sentence: str) -> str:
    """Drop a list label ("Patient Safety: …") and framing openers ("For example, …")."""
    s = sentence.strip()
    s = _LABEL.sub("", s, count=1)
    for _ in range(2):
        s = _LEAD.sub("", s, count=1)
    return s


def _finish(text: str) -> str:
    text = " ".join(text.split()).rstrip(" .;:")
    return text[0].upper() + text[1:] if text else text


_GERUND_SUBJECT = re.compile(
    r"^(?P<g>.+?),?\s+(?:is|are)\s+(?:also\s+)?(?:a\s+|an\s+|the\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?:key|core|critical|crucial|vital|essential|fundamental|important|central|primary)\b.*$",
    re.I,
)


def duty(sentence: str) -> str | None:
    """A responsibility as an imperative bullet ("Monitor key performance indicators …")."""
    s = strip_lead(sentence)
    first = s.split()[0] if s.split() else ""
    if _is_gerund(first):  # "Ensuring X is a core responsibility" -> "Ensure X"
        m = _GERUND_SUBJECT.match(s)
        if m:
            out = _imperative(m.group("g"), third_person=False)
            return _finish(out) if out else None
        if s == sentence.strip():
            return None
    m = _RESPONSIBLE.match(s)
    if m:
        rest = m.group("rest")
        words = rest.split()
        if not words or not _is_gerund(words[0]):
            return None
        out = _imperative(rest, third_person=False)
        return _finish(out) if out else None
    m = _INVOLVES.match(s)
    if m and _is_gerund(m.group("rest").split()[0]):
        out = _imperative(m.group("rest"), third_person=False)
        return _finish(out) if out else None
    m = _ACTOR.match(s)
    if m:
        out = _imperative(m.group("rest"), third_person=True)
        return _finish(out) if out else None
    if _is_gerund(first):  # "Conducting regular reviews …" (a list item)
        out = _imperative(s, third_person=False)
        return _finish(out) if out else None
    return None


_QUAL_HAVE = re.compile(
    rf"^(?:(?:{_SUBJECT})|candidates|applicants|individuals(?:\s+aspiring\s+to\s+become\s+"
    rf"medical\s+directors)?|a\s+physician|physicians)\s+(?:{_ADV}\s+)*(?:{_MODAL}\s+)?"
    rf"(?:{_ADV}\s+)*(?:have|has|hold|holds|possess|possesses|need|needs|requires?)\s+"
    r"(?P<np>.+)$",
    re.I,
)
_QUAL_PREFER = re.compile(
    r"^(?:many\s+)?(?:employers|companies|organizations|organisations)\s+(?:also\s+)?"
    r"(?:generally\s+|often\s+)?prefer\s+(?:candidates|applicants)\s+with\s+(?P<np>.+)$",
    re.I,
)
_QUAL_IS = re.compile(
    r"^(?P<np>.+?)\s+(?:is|are|can\s+be|may\s+be|can\s+also\s+be|may\s+also\s+be|is\s+also|"
    r"are\s+also)\s+(?:\w+ly\s+)?(?:essential|required|necessary|non-negotiable|a\s+prerequisite|"
    r"preferred|advantageous|valuable|valued|crucial|critical|vital|important|beneficial|key)"
    r"(?P<tail>.*)$",
    re.I,
)
_QUAL_BE = re.compile(
    rf"^(?:{_SUBJECT})\s+(?:{_ADV}\s+)*(?:{_MODAL}\s+)?(?:{_ADV}\s+)*be\s+"
    r"(?P<np>(?:familiar|capable|able|knowledgeable|skilled|proficient)\s+.+)$",
    re.I,
)
_QUAL_IS_MD = re.compile(r"^(?P<np>.+?)\s+is\s+(?:often\s+)?a\s+medical\s+director$", re.I)
_TAIL_CUT = re.compile(
    r",?\s+(?:since|because|as\s+they|as\s+medical|in\s+order\s+to|which|this\s+is)\b.*$", re.I
)
_SUBJECTIVE = re.compile(
    r"^(?:\S+\s+){0,3}?(?:is|are|was|were|has|have|will|can|may|must|should)\b", re.I
)


def noun_phrase(sentence: str) -> str | None:
    """A qualification or skill as a noun phrase ("Board certification in a relevant …")."""
    had_label = bool(_LABEL.match(sentence.strip()))
    s = strip_lead(sentence).rstrip(" .")
    np: str | None = None
    for pattern in (_QUAL_PREFER, _QUAL_BE, _QUAL_IS_MD, _QUAL_HAVE):
        m = pattern.match(s)
        if m:
            np = m.group("np")
            break
    if np is None:
        m = _QUAL_IS.match(s)
        if m and len(m.group("np").split()) <= 16:
            tail = m.group("tail").strip()
            np = m.group("np")
            after = tail.split()[1] if len(tail.split()) > 1 else ""
            if tail.lower().startswith("to ") and verb_base(after) == after.lower():
                np = f"{np} {tail}"
    if np is None and had_label and s and s[0].islower() and not _SUBJECTIVE.match(s):
        np = s  # a list item that is already a phrase: "ability to analyze measurements …"
    if np is None:
        return None
    if _is_gerund(np.split()[0]) if np.split() else True:
        return None  # "Ensuring compliance … is essential" is a duty, not a qualification
    np = _TAIL_CUT.sub("", np)
    np = re.sub(r"\s+and\s+(?:have|has)\s+", "; ", np)
    np = re.sub(r"^(?:a|an|the)\s+", "", np.strip(), flags=re.I)
    if len(np.split()) < 2 or re.search(r"\b(?:you|your|we|our)\b", np, re.I):
        return None
    return _finish(np)


_LIST_INTRO = re.compile(
    r"\b(?:include|includes|including|such\s+as|data\s+on|measured\s+through)\s+"
    r"(?P<list>[^.;]+)",
    re.I,
)
_METRIC = re.compile(
    r"\b(?:rates?|scores?|satisfaction|outcomes?|performance|length\s+of\s+stay|costs?|"
    r"revenue|errors?|infections?|readmissions?|mortality|compliance|engagement|metrics?|"
    r"indicators?|adherence|variances?)\b",
    re.I,
)


_GENERIC_METRIC = re.compile(r"\b(?:metrics?|indicators?|success|used|specific)\b", re.I)
_OUTCOME = re.compile(
    r"\b(?:reduce|reducing|reduces|improve|improving|lower|lowering|decrease|decreasing)\s+"
    r"(?:the\s+)?(?P<np>(?:[\w-]+\s+){0,3}?(?:rates?|costs|errors|length\s+of\s+stay))\b",
    re.I,
)


def metric_items(sentence: str) -> list[str]:
    """Measures named in an enumeration ("KPIs may include A, B, and C") -> ["A", "B", "C"]."""
    out: list[str] = []
    for m in _LIST_INTRO.finditer(strip_lead(sentence)):
        body = re.split(
            r",\s+to\s+|\s+(?:in\s+order\s+to|so\s+that|which|that)\s+", m.group("list")
        )[0]
        for part in re.split(r",\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+", body):
            item = re.sub(r"^(?:the|a|an|key|other)\s+", "", part.strip(), flags=re.I)
            n = len(item.split())
            head = item.split()[0] if n else ""
            if (
                1 <= n <= 6
                and _METRIC.search(item)
                and not _GENERIC_METRIC.search(item)
                and not _verb_led(head)
            ):
                item = _finish(item)
                if item not in out:
                    out.append(item)
    for m in _OUTCOME.finditer(sentence):  # "to reduce hospital readmission rates"
        item = _finish(re.sub(r"^(?:the|a|an)\s+", "", m.group("np"), flags=re.I))
        if item not in out and len(item.split()) >= 2 and not _GENERIC_METRIC.search(item):
            out.append(item)
    return out


def strip_label(sentence: str) -> str:
    """Only the list label ("Quality Improvement Initiatives: …") — the rest stays verbatim."""
    return _LABEL.sub("", sentence.strip(), count=1)
