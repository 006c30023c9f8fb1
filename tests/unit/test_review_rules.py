"""Reviewing a job description: the pure parts (parsing pastes, style, verdict rule,
repeated lines, placeholders, choosing themes). No model, no Chroma."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.drafting import jdtext
from assistant.drafting.jdtext import Line, Style, check_text, detect_style, parse, restyle
from assistant.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
REVIEWS = ROOT / "eval" / "reviews"


def texts(raw: str) -> list[str]:
    return [ln.text for ln in parse(raw).lines]


def test_messy_paste_keeps_every_line_and_drops_every_marker() -> None:
    p = parse((REVIEWS / "messy-paste.txt").read_bytes().decode())
    assert p.title == "MEDICAL DIRECTOR"
    got = [(ln.slug, ln.text) for ln in p.lines]
    assert got == [
        (
            "summary",
            "We are looking for a Medical Director to oversee the clinical aspects of our "
            "practice.",
        ),
        ("summary", "It is a full-time role."),
        (
            "responsibilities",
            "Oversee physicians, nurse practitioners and other healthcare providers",
        ),
        ("responsibilities", "develop evidence-based treatment protocols to standardize care"),
        # a bullet wrapped onto the next line is one line
        (
            "responsibilities",
            "Review clinical performance and implement quality improvement initiatives",
        ),
        ("responsibilities", "Work closely with healthcare administrators to develop budgets"),
        ("responsibilities", "Maintain accreditation and prepare for inspections"),
        ("responsibilities", "Manage the annual holiday party and staff picnic"),
        # two bullets pasted on one line are two lines
        ("responsibilities", "Reduce medical errors"),
        ("responsibilities", "Improve patient satisfaction"),
        ("required-qualifications", "MD or DO"),
        ("required-qualifications", "board certified"),
        ("required-qualifications", "Experience with our eClinicalWorks EHR"),
        ("compensation", "Compensation: competitive, DOE"),
    ]
    assert [h for h, _ in p.headings] == [
        "JOB SUMMARY",
        "ESSENTIAL DUTIES AND RESPONSIBILITIES",
        "Qualifications",
    ]
    assert p.lines[-1].field == "compensation" and p.lines[-1].employer
    assert p.lines[2].row == 8 and p.lines[4].row == 10  # rows as given (for the report)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "Duties:\n1) Lead the team\n2. Audit charts\n(3) Chair meetings",
            ["Lead the team", "Audit charts", "Chair meetings"],
        ),
        (
            "RESPONSIBILITIES\n\u25aa Lead the team\n\u27a2 Audit charts\n\uf0b7 Chair meetings",
            ["Lead the team", "Audit charts", "Chair meetings"],
        ),
        (
            "**Responsibilities**\n* Lead the team\n+ Audit charts\n-- Chair meetings",
            ["Lead the team", "Audit charts", "Chair meetings"],
        ),
        (
            "## Duties\n\u2022\tLead the team\u00a0\u00a0now\r\n\r\n\r\no Audit charts",
            ["Lead the team now", "Audit charts"],
        ),
        (
            "Key Responsibilities\na. Lead the team\nb) Audit charts",
            ["Lead the team", "Audit charts"],
        ),
    ],
)
def test_bullet_characters_numbering_and_headings(raw: str, expected: list[str]) -> None:
    p = parse(raw)
    assert [ln.text for ln in p.lines] == expected
    assert all(ln.bullet and ln.slug == "responsibilities" for ln in p.lines)


def test_numbers_that_are_not_numbering_stay() -> None:
    assert texts("Duties:\n- 1.0 FTE with call\n- 24/7 coverage of the unit") == [
        "1.0 FTE with call",
        "24/7 coverage of the unit",
    ]


def test_paragraphs_are_split_into_sentences_and_lead_ins_are_not_lines() -> None:
    raw = "Medical Director\n\nJoin our team! The Medical Director will:\n- Lead the clinic staff"
    p = parse(raw)
    assert p.title == "Medical Director"
    assert [ln.text for ln in p.lines] == ["Join our team!", "Lead the clinic staff"]


def test_inline_section_labels_and_employer_labels() -> None:
    p = parse(
        "Position Summary: The role oversees clinical care.\nReports to: Chief Medical Officer\n"
        "Salary: $300,000\nLocation: Portland, OR"
    )
    assert [(ln.slug, ln.field) for ln in p.lines] == [
        ("summary", ""),
        ("reporting", "reports_to"),
        ("compensation", "compensation"),
        ("location", "location"),
    ]
    assert p.lines[0].text == "The role oversees clinical care."


def test_headings_name_the_posting_sections() -> None:
    cases = {
        "Preferred Qualifications": "preferred-qualifications",
        "Minimum Requirements": "required-qualifications",
        "Skills & Competencies": "skills",
        "How Success Is Measured": "kpis",
        "Equal Opportunity Employer": "eeo",
        "What We Offer": "compensation",
        "How to Apply": "apply",
        "About Us": "about",
        "Essential Functions": "responsibilities",
        "Job Summary": "summary",
        "Medical Director, Skilled Nursing": "",  # "skilled" is not a skills heading
    }
    assert {h: jdtext.heading_slug(h) for h in cases} == cases


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "empty"),
        ("   \n\t\n", "empty"),
        ("12345 - 678", "empty"),
        (b"\xff\xfe\x00bad", "not UTF-8"),
        ("text\x00with a NUL", "binary"),
        ("x " * 40_000, "too long"),
        ("# Responsibilities\n## Qualifications", "no lines"),
        (42, "must be text"),
    ],
)
def test_bad_input_gives_one_clear_message(raw: object, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse(raw)  # type: ignore[arg-type]


def test_too_many_lines_is_refused() -> None:
    raw = "\n".join(f"- Duty number {i} of the role" for i in range(jdtext.MAX_LINES + 5))
    with pytest.raises(InputError, match="more than"):
        parse(raw)


def test_check_text_normalises_line_ends_and_invisible_characters() -> None:
    assert check_text("a\r\nb\rc\u200bd\ufeff") == "a\nb\ncd"


def _lines(*texts: str, slug: str = "responsibilities") -> list[Line]:
    return [Line(i + 1, i + 1, "", slug, t, True) for i, t in enumerate(texts)]


def test_style_is_detected_from_the_duty_lines() -> None:
    assert detect_style(_lines("Oversee staff", "Develop policies")) == Style("imperative", False)
    assert detect_style(_lines("Oversees staff.", "Develops policies.")) == Style("third", True)
    assert detect_style(_lines("Overseeing staff", "Developing policies")).voice == "gerund"


def test_restyle_keeps_the_words_and_changes_only_verb_forms() -> None:
    third = Style("third", True)
    assert restyle(
        "Monitor key indicators and report progress", third, "monitoring … and reporting progress"
    ) == ("Monitors key indicators and reports progress.")
    assert restyle("Oversee policies and procedures", third) == "Oversees policies and procedures."
    assert restyle("Develop budgets", Style("gerund", False)) == "Developing budgets"
    # "program" could be a verb or a noun here: the bullet stays imperative, not ungrammatical
    assert restyle("Provide input on costs, and program development", third) == (
        "Provide input on costs, and program development."
    )
    assert restyle("Lead teams.", Style("imperative", False)) == "Lead teams"


def _kb(sentences: list[tuple[str, list[float]]]) -> object:
    from assistant.drafting.review import Knowledge
    from assistant.types import Chunk, StoredSentence

    chunk = Chunk(
        id="c1",
        text=" ".join(t for t, _ in sentences),
        source="knowledge/x.md",
        title="X",
        section="S",
        doc_hash="h",
        start_char=0,
        end_char=1,
    )
    stored = [
        StoredSentence("c1", i, t, np.asarray(v, dtype=np.float32) / np.linalg.norm(v))
        for i, (t, v) in enumerate(sentences)
    ]
    return Knowledge.of([chunk], stored)


def test_verdict_rule_needs_both_a_close_sentence_and_its_words() -> None:
    from assistant.drafting.review import ABSENT, PARTLY, SUPPORTED, judge

    kb = _kb(
        [
            ("Medical directors develop budgets for clinical services.", [1.0, 0.0, 0.0]),
            ("The Joint Commission inspects hospitals.", [0.0, 1.0, 0.0]),
        ]
    )
    v = np.asarray([1.0, 0.0, 0.0], dtype=np.float32)
    assert judge("Develop budgets for clinical services", v, kb).verdict == SUPPORTED  # type: ignore[arg-type]
    partly = judge("Develop budgets for the Lakeside radiology wing", v, kb)  # type: ignore[arg-type]
    assert partly.verdict == PARTLY
    assert {"Develop", "budgets"} <= set(partly.backed) and "Lakeside" in partly.unbacked
    assert "Lakeside" in partly.unknown  # a word the knowledge base never uses
    far = np.asarray([0.0, 0.0, 1.0], dtype=np.float32)
    assert judge("Develop budgets for clinical services", far, kb).verdict == ABSENT  # type: ignore[arg-type]
    # a two-word phrase the sources also say backs that part, though the vectors are far
    # apart (not orthogonal: above PHRASE_COSINE)
    near = np.asarray([0.0, 0.2, 1.0], dtype=np.float32) / np.linalg.norm([0.0, 0.2, 1.0])
    phrase = judge("Prepare for the Joint Commission survey in spring", near, kb)  # type: ignore[arg-type]
    assert phrase.verdict == PARTLY and "Joint" in phrase.backed and "spring" in phrase.unbacked


def test_repeated_lines_within_a_family_and_not_across_kinds() -> None:
    from assistant.drafting.review import duplicates

    lines = [
        Line(
            1,
            1,
            "",
            "responsibilities",
            "Ensure compliance with healthcare laws and regulations",
            True,
        ),
        Line(
            2,
            2,
            "",
            "responsibilities",
            "Make sure the facility complies with all state and federal healthcare regulations",
            True,
        ),
        Line(3, 3, "", "skills", "Knowledge of healthcare laws and regulations", True),
        Line(4, 4, "", "summary", "The Medical Director provides clinical leadership", False),
        Line(5, 5, "", "summary", "The Medical Director ensures that care is safe", False),
    ]
    vecs = np.eye(5, dtype=np.float32)  # no two vectors close: only the words decide
    assert duplicates(lines, vecs) == [(1, 2)]


def test_placeholders_for_missing_employer_sections() -> None:
    from assistant.drafting.review import placeholders

    got = {p.section: p.text for p in placeholders({"compensation"}, has_reports_to=False)}
    assert set(got) == {"reporting", "location", "eeo", "apply"}
    assert got["reporting"] == "[Reports-to title]"
    assert "equal opportunity employer" in got["eeo"]
    assert placeholders({"location", "compensation", "eeo", "apply"}, True) == []


def test_theme_keys() -> None:
    from assistant.drafting.review import theme_key

    assert theme_key("Credentialing and privileging") == "credentialing-and-privileging"
    assert theme_key(" KPIs ") == "kpis"
