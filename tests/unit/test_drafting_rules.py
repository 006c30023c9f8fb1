"""Pure drafting rules: paraphrase de-duplication, posting lines, topics, rubric style checks.

No model: the vector test is exercised with a tiny fake embedder.
"""

from __future__ import annotations

import numpy as np
import pytest

from assistant.drafting.dedupe import concepts, duplicate_pairs, same_point
from assistant.drafting.model import Draft, DraftRequest, check_sections
from assistant.drafting.posting import framing, lines, where

# The paraphrases a recruiter flagged in a real draft (issue 14) ...
PARAPHRASES = [
    (
        "Medical degree (MD or DO)",
        "Licensed physician with a Doctor of Medicine (M.D.) or Doctor of Osteopathic "
        "Medicine (D.O.) degree",
    ),
    (
        "At least 5-10 years of experience in clinical practice or healthcare management",
        "Significant clinical experience",
    ),
    (
        "Excellent leadership abilities",
        "Strong leadership and communication skills, as well as the ability to work "
        "collaboratively",
    ),
]
# ... and requirements that only share a word or two.
DISTINCT = [
    ("Medical degree (MD or DO)", "Board certification in a pertinent specialty"),
    ("Prior leadership experience", "Excellent leadership abilities"),
    (
        "Ability to analyze measurements and data related to medicine",
        "Capacity for strategic planning and long-term planning",
    ),
    ("Patient satisfaction scores", "Clinical outcomes"),
]


@pytest.mark.parametrize("a, b", PARAPHRASES)
def test_paraphrased_requirements_are_the_same_point(a: str, b: str) -> None:
    assert same_point(a, b, phrases=True) and same_point(b, a, phrases=True)


@pytest.mark.parametrize("a, b", DISTINCT)
def test_different_requirements_are_kept(a: str, b: str) -> None:
    assert not same_point(a, b, phrases=True)


def test_credential_spellings_are_one_concept() -> None:
    assert concepts("Doctor of Medicine (M.D.)") == concepts("MD") == {"medical degree"}
    assert "leadership experience" in concepts("Prior leadership experience")
    assert "leadership ability" not in concepts("Prior leadership experience")


def test_the_eval_metric_counts_the_flagged_pairs_within_and_across_sections() -> None:
    sections = [
        ("required-qualifications", [PARAPHRASES[0][0], PARAPHRASES[1][0]]),
        ("preferred-qualifications", [PARAPHRASES[1][1]]),
        ("skills", [PARAPHRASES[2][0], PARAPHRASES[2][1]]),
        ("responsibilities", ["Oversee the administrative aspects of healthcare facilities"]),
        ("reporting", ["Oversee the administrative aspects of healthcare facilities"]),
        ("kpis", ["Regulatory compliance rates"]),
    ]
    pairs = duplicate_pairs(sections)
    assert len(pairs) == 3, pairs  # the KPI does not repeat a skill
    assert ("Oversee the administrative aspects of healthcare facilities",) * 2 in pairs


def test_vectors_catch_what_words_miss() -> None:
    def embed(texts: list[str]) -> np.ndarray:  # a fake: one direction per first letter
        vecs = np.array([[1.0, 0.0] if t.startswith("O") else [0.0, 1.0] for t in texts])
        return vecs

    sections = [("responsibilities", ["Oversee clinicians", "Organise rotas", "Budget"])]
    assert duplicate_pairs(sections, embed) == [("Oversee clinicians", "Organise rotas")]
    assert duplicate_pairs(sections) == []


def test_the_summary_is_compared_only_with_itself() -> None:
    text = "Maintain and improve the quality of care delivered to patients"
    sections = [
        ("summary", [f"The Medical Director will {text.lower()}."]),
        ("responsibilities", [text]),
    ]
    assert duplicate_pairs(sections) == []
    assert same_point(sections[0][1][0], text)  # the lead-in is not part of the point


def test_posting_lines_come_from_inputs_or_are_placeholders() -> None:
    empty = DraftRequest(org="Northwind Clinics").checked()
    assert [ln.text for ln in lines("reporting", empty)] == ["[Reports-to title]"]
    filled = DraftRequest(reports_to="Chief Medical Officer", compensation="$300k").checked()
    assert lines("reporting", filled)[0].text == "Chief Medical Officer"
    assert not lines("compensation", filled)[0].placeholder
    eeo = lines("eeo", empty)[0]
    assert eeo.kind == "template" and eeo.text.startswith("Northwind Clinics is an equal")
    assert lines("responsibilities", filled) == []


@pytest.mark.parametrize(
    "setting, org, expected",
    [
        ("hospice", "", "We are hiring a Medical Director for our hospice program."),
        (
            "emergency department",
            "Riverside Health",
            "Riverside Health is hiring a Medical Director for its emergency department.",
        ),
        (
            "urgent care network",
            "",
            "We are hiring a Medical Director for our urgent care network.",
        ),
        ("", "Acme", "Acme is hiring a Medical Director."),
    ],
)
def test_framing_reads_naturally_for_any_setting(setting: str, org: str, expected: str) -> None:
    assert framing(DraftRequest(setting=setting, org=org)) == expected
    assert where("palliative care") == "palliative care program"


def test_all_leaves_out_the_opt_in_growth_section() -> None:
    assert "career-path" not in check_sections("all")
    assert check_sections(["all", "career-path"])[-3:] == ("career-path", "eeo", "apply")


def test_default_bullet_counts_and_explicit_counts() -> None:
    assert DraftRequest().count("responsibilities") >= 8
    assert DraftRequest().count("summary") == 2
    assert DraftRequest(bullets=4).count("responsibilities") == 4
    assert DraftRequest(bullets=4).count("summary") == 2


def test_topic_phrases_name_alternatives() -> None:
    from assistant.drafting.build import on_topic, topic_parts

    parts = topic_parts("peer review and credentialing")
    assert on_topic(parts, "Chair the credentialing committee")
    assert on_topic(parts, "Conduct peer reviews of physicians")
    assert not on_topic(topic_parts("recruiting physicians"), "Supervise physicians")


def test_download_name_and_stable_citation_numbers() -> None:
    from assistant.drafting.export import file_stem, numbered
    from assistant.drafting.model import Bullet, Cite, DraftSection

    d = Draft(org="Northwind Clinics", setting="urgent care network")
    assert file_stem(d) == "Northwind-Clinics-Medical-Director"
    assert file_stem(Draft(setting="hospice"), reviewed=False) == "Hospice-Medical-Director-clean"

    def bullet(i: str, chunk: str, n: int) -> Bullet:
        return Bullet(i, "t", [Cite(n, "s", "T", "S", "x", chunk)], True)

    d.sections = [DraftSection("skills", "Skills", [bullet("a", "c1", 1), bullet("b", "c3", 3)])]
    d.sections[0].bullets.insert(0, bullet("new", "c9", 0))
    d.renumber(stable=True)
    assert [b.citations[0].id for b in d.sections[0].bullets] == [4, 1, 3]
    assert [b.citations[0].id for b in numbered(d).sections[0].bullets] == [1, 2, 3]


def test_rubric_style_checks() -> None:
    from assistant.evaluation.drafting import in_style

    assert in_style("responsibilities", "Oversee clinical peer review")
    assert not in_style("responsibilities", "The medical director oversees peer review")
    assert in_style("skills", "Excellent leadership abilities")
    assert not in_style("skills", "Medical directors must be good leaders.")
    assert not in_style(
        "career-path", "For aspiring Medical Directors, the path to success involves study."
    )


# -- loading a saved draft (drafting.load): limits and re-verification, no model ----------
PASSAGE = (
    "The medical director leads peer review and oversees the credentialing of physicians. "
    "They also chair the patient safety committee."
)


def _chunk(cid: str = "c1", text: str = PASSAGE) -> object:
    from assistant.types import Chunk

    return Chunk(cid, text, "knowledge/a.md", "A", "A > Duties", 0, len(text))


def _saved(*bullets: dict[str, object], section: str = "responsibilities") -> dict[str, object]:
    return {"sections": [{"section": section, "bullets": list(bullets)}]}


def _bullet(bid: str, text: str, cid: str = "c1", passage: str = PASSAGE,
            verified: bool = True) -> dict[str, object]:
    cite = {"id": 1, "source": "knowledge/a.md", "title": "A", "section": "A > Duties",
            "text": passage, "chunk_id": cid}
    return {"id": bid, "text": text, "citations": [cite], "verified": verified}


def test_loading_reverifies_every_bullet_against_the_index() -> None:
    import json

    from assistant.drafting.load import LOAD_NOTE, dumps, load

    good = _bullet("resp-00000001", "Lead peer review", verified=False)  # the flag is ignored
    unknown = _bullet("resp-00000002", "Chair the patient safety committee", cid="gone")
    tampered = _bullet("resp-00000003", "Fly the helicopter", passage=PASSAGE + " Fly the "
                       "helicopter.")
    overstated = _bullet("resp-00000004", "Lead peer review and the budget")
    draft = load(json.dumps(_saved(good, unknown, tampered, overstated)), [_chunk()])
    got = {b.id: b.verified for b in draft.section("responsibilities").bullets}
    assert got == {"resp-00000001": True, "resp-00000002": False, "resp-00000003": False,
                   "resp-00000004": False}
    notes = [n for n in draft.notes if n.startswith(LOAD_NOTE)]
    assert len(notes) == 1 and "2 bullet(s)" in notes[0]
    # a second load replaces the note; with the passage gone from the index nothing verifies
    again = load(dumps(draft), [_chunk("other")])
    assert not any(b.verified for b in again.section("responsibilities").bullets)
    assert [n for n in again.notes if n.startswith(LOAD_NOTE)] == [
        notes[0].replace("2 bullet(s)", "4 bullet(s)")
    ]


def test_check_does_not_change_the_draft_it_is_given() -> None:
    from assistant.drafting.load import check

    draft = Draft.from_dict(_saved(_bullet("resp-00000001", "Lead peer review")))
    before = draft.to_dict()
    checked = check(draft, [])
    assert draft.to_dict() == before and not checked.sections[0].bullets[0].verified


@pytest.mark.parametrize(
    "saved, message",
    [
        (_saved(*(_bullet(f"resp-{i:08x}", "Lead peer review") for i in range(21))),
         "at most 20"),
        (_saved(_bullet("resp-1", "Lead peer review"), _bullet("resp-1", "Lead peer review")),
         "appears twice"),
        (_saved(_bullet("resp-1", "Lead " + "peer review " * 60)), "too long"),
        (_saved(_bullet("resp-1", "  ")), "has no text"),
        (_saved(_bullet("<script>", "Lead peer review")), "bad bullet id"),
        (_saved(_bullet("eeo-1", "Lead peer review"), section="eeo"), "has no bullets"),
        ({"sections": [{"section": "kpis"}, {"section": "kpis"}]}, "appears twice"),
        ({"sections": [{"section": "kpis", "bullets": [
            {**_bullet("kpi-1", "Peer review"),
             "citations": [_bullet("x", "y")["citations"][0]] * 4}]}]}, "at most 3"),
        ({"sections": [], "notes": ["n"] * 41}, "notes"),
    ],
)
def test_loading_holds_a_draft_to_the_limits_of_generation(saved: object, message: str) -> None:
    import json

    from assistant.drafting.load import load
    from assistant.errors import InputError

    with pytest.raises(InputError, match=message):
        load(json.dumps(saved), [_chunk()])


@pytest.mark.parametrize(
    "raw, message",
    [
        ("", "is empty"),
        ("{not json", "not valid JSON"),
        (b"\xff\xfe{}", "not UTF-8"),
        ("[" * 100_000, "not valid JSON|nested too deeply"),
        ('{"sections": [{"section": "nope"}]}', "Not a valid draft"),
        ("[1, 2]", "Not a valid draft"),
        ('{"sections": []}' + " " * 2_000_001, "too large"),
    ],
)
def test_garbage_is_one_clear_input_error(raw: str | bytes, message: str) -> None:
    from assistant.drafting.load import load
    from assistant.errors import InputError

    with pytest.raises(InputError, match=message) as err:
        load(raw, [_chunk()], name="upload.json")
    assert str(err.value).startswith("upload.json") and "\n" not in str(err.value)


# -- duties acting on the same object are one duty (found in a Northwind Clinics draft) -----
@pytest.mark.parametrize(
    "a, b",
    [
        (
            "Draft and enforce policies on clinical procedures, patient safety, and resource "
            "allocation",
            "Create and implement policies that govern patient care, medical protocols, and the "
            "use of clinical resources",
        ),
        ("Monitor key performance indicators and report progress",
         "Track the key performance indicators of each clinic"),
    ],
)
def test_duties_on_the_same_object_are_the_same_point(a: str, b: str) -> None:
    assert same_point(a, b) and same_point(b, a)


@pytest.mark.parametrize(
    "a, b",
    [
        ("Develop strategies to minimize risks and ensure patient safety",
         "Develop strategies to improve patient satisfaction"),  # a generic head needs its rest
        ("Oversee physicians, nurse practitioners, and other healthcare providers",
         "Oversee the budget of the clinical departments"),
        ("Work closely with healthcare administrators to set organizational goals",
         "Work closely with the compliance team"),
        ("Ensure compliance with healthcare laws and regulations",
         "Ensure that clinical staff are informed about administrative decisions"),
    ],
)
def test_duties_on_different_objects_are_kept(a: str, b: str) -> None:
    from assistant.drafting.dedupe import same_duty

    assert not same_duty(a, b) and not same_duty(b, a)
