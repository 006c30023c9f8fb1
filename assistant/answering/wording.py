"""How people ask, and how the sources say it: further readings for a question.

A question is always retrieved by its own words. When it uses everyday or HR words for
something the sources word otherwise ("what comes after", "what numbers would we look at",
"hiring doctors"), it is also retrieved, and its focus read, in the sources' words. Each row
is a pattern of how people ask and a short reading of what they ask for; a row names a
topic, never a question of the eval set.
"""

from __future__ import annotations

import re

# The next step: "what comes after medical director", "can they move up".
NEXT_STEP = re.compile(
    r"\b(what comes (after|next)|next (step|role|move|level)s?|after (being )?"
    r"(a |the )?(medical director|md)\b|mov(e|ing) up|promot(ed|ion)s?|"
    r"where (can|do|does) .{0,25}\bgo from)",
    re.I,
)
ROWS: tuple[tuple[re.Pattern[str], str], ...] = (
    (NEXT_STEP, "career advancement to executive roles"),
    (  # judging the role: "what numbers would we look at", "how do we tell they're succeeding"
        re.compile(
            r"\b(numbers|scorecard|measur\w*|how (do|would|can|will|should) (we|you|i) "
            r"(tell|know|judge|evaluate)|doing (a )?(good|great|bad) job|succeeding|"
            r"judged? (on|by))\b",
            re.I,
        ),
        "key performance indicators and metrics for measuring success",
    ),
    (  # the case for taking the job: "perks of the job", "what can we put in a recruiting pitch"
        re.compile(
            r"\b(perks|benefits|selling points|draws?)\b.{0,25}\b(job|role|position|career)\b"
            r"(?!\s+(descriptions?|postings?|ads?|specifications?))|"
            r"\b(recruiting|sales) pitch\b|\bsell (the|this|our) (job|role|position)\b|"
            r"\bwhy would (a|an|any) (doctor|physician|candidate)\b",
            re.I,
        ),
        "benefits of becoming a medical director for candidates",
    ),
    (  # what the role is expected to do: "main expectations", "what is expected of them"
        re.compile(r"\b(main|key|core|big|top) expectations\b|\bexpected of (them|him|her|"
                   r"(a|the|our) (medical director|md))\b", re.I),
        "the primary responsibilities of a medical director",
    ),
    (  # when things go wrong: "when something goes wrong", "mistakes", "a bad outcome"
        re.compile(
            r"\b(go(es)? wrong|went wrong|mistakes?|screw[- ]?ups?|bad outcomes?|"
            r"something bad happens|(patient|safety) incidents?|near miss(es)?)\b",
            re.I,
        ),
        "investigation of adverse events, root cause analyses and corrective actions",
    ),
    (  # bringing people on: "do they get involved in hiring doctors"
        re.compile(
            r"\b(hir(e|es|ing)|recruit(s|ing)?|bring(ing)? on|onboard\w*)\s+(new\s+)?"
            r"(doctors|physicians|staff|clinicians|providers|nurses|docs)\b",
            re.I,
        ),
        "selection and evaluation of medical personnel",
    ),
    (  # hands-on care: "do they still see patients", "is it hands-on", "do they still practice"
        re.compile(
            r"\b(see(s|ing)?|treat(s|ing)?) (patients|people)\b|\bhands[- ]on\b|"
            r"\bstill (practi[cs]e|do clinical)\b|\bclinical (hours|shifts|time)\b",
            re.I,
        ),
        "face-to-face contact with patients and clinical duties",
    ),
    (  # beyond the must-haves: "preferred qualifications", "nice to have", "stand out"
        re.compile(
            r"\b(preferred|nice[- ]to[- ]have|desired|desirable|bonus) (qualifications?|quals|"
            r"skills|experience|requirements?|credentials)\b|\bnice to have\b|"
            r"\bstands? out\b|\bset (them|a candidate|candidates|one) apart\b",
            re.I,
        ),
        "employers often prefer candidates with experience that is highly valued or "
        "advantageous",
    ),
    (  # where the role is found: "which organizations hire them", "where do they work"
        re.compile(
            r"\b(kinds?|types?|sorts?) of (organi[sz]ations|employers|places|companies|"
            r"facilities)\b|\b(organi[sz]ations|employers|companies|places) (hire|employ|"
            r"need|have)\b|\bwho (hires|employs)\b|\bwhere (do|does|can|would) .{0,40}\bwork\b",
            re.I,
        ),
        "the healthcare settings medical directors work in, and how their work varies",
    ),
    (  # the road in: "what specialties do they come from", "what background do they have"
        re.compile(
            r"\b(specialt(y|ies)|fields?|backgrounds?)\b.{0,40}\b(come from|start|begin|"
            r"before)\b|\bcome from\b.{0,25}\b(specialt(y|ies)|fields?|backgrounds?)\b|"
            r"\bwhat (kind of )?(background|specialty)\b",
            re.I,
        ),
        "begin their careers with clinical experience in a specialty",
    ),
    (  # colleagues: "who do they work with day to day", "who do they work closely with"
        re.compile(
            r"\bwho (do|does|would|will) .{0,30}\b(work|collaborate|deal|interact) "
            r"(with|alongside)\b(?! (on|for) (that|this|it)\b)",
            re.I,
        ),
        "working with physicians, nurses, administrators and other department heads",
    ),
)


def source_readings(text: str) -> list[str]:
    """The readings, in the sources' words, of what this question asks for (often none)."""
    return [reading for pattern, reading in ROWS if pattern.search(text)]
