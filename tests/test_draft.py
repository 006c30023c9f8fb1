"""Drafting: real Chroma + real embeddings over a copy of knowledge/ (the session `built`)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from assistant.citations import support
from assistant.text import content_terms

SETTING = "emergency department"


@pytest.fixture(scope="module")
def ed_draft(built: Any) -> Any:
    return built.draft(
        setting=SETTING, org="Riverside Health", emphasis=["quality improvement"], bullets=6
    )


def _all_bullets(draft: Any) -> list[Any]:
    return [b for s in draft.sections for b in s.bullets]


def test_every_section_and_every_bullet_cited_and_verified(ed_draft: Any) -> None:
    from assistant.drafting.model import INPUT_ONLY, OPT_IN, SECTIONS

    # "all" is every posting section but the opt-in growth section; the employer-input
    # sections carry uncited lines, never bullets.
    assert [s.section for s in ed_draft.sections] == [s for s in SECTIONS if s not in OPT_IN]
    for s in ed_draft.sections:
        if s.section in INPUT_ONLY:
            assert not s.bullets and s.lines, s.section
            continue
        assert s.bullets, f"{s.section} is empty"
        for b in s.bullets:
            assert b.citations, b.text
            assert b.verified, b.text
            # independent check: every content word of the bullet is in its cited passage
            words = set(content_terms(b.text))
            passage = set(content_terms(b.citations[0].text))
            assert words <= passage, (b.text, words - passage)
            assert support(b.text, b.citations[0].text) == 1.0


def test_citation_numbers_are_consistent_across_the_draft(ed_draft: Any) -> None:
    by_number: dict[int, str] = {}
    for b in _all_bullets(ed_draft):
        for c in b.citations:
            assert by_number.setdefault(c.id, c.chunk_id) == c.chunk_id
    assert sorted(by_number) == list(range(1, len(by_number) + 1))


def test_responsibilities_are_imperative_and_qualifications_are_noun_phrases(
    ed_draft: Any,
) -> None:
    from assistant.drafting.rewrite import verb_base

    for b in ed_draft.section("responsibilities").bullets:
        first = b.text.split()[0]
        assert verb_base(first) == first.lower(), b.text
        assert not b.text.lower().startswith(("the medical director", "medical directors")), b.text
    for slug in ("required-qualifications", "preferred-qualifications"):
        for b in ed_draft.section(slug).bullets:
            assert not b.text.lower().startswith(("the ", "a ", "medical directors")), b.text


def test_no_near_duplicates_within_a_section(built: Any, ed_draft: Any) -> None:
    import numpy as np

    for s in ed_draft.sections:
        texts = [b.text for b in s.bullets]
        vecs = np.asarray(built.embedder.embed(texts))
        for i in range(len(texts)):
            for j in range(i + 1, len(texts)):
                a, b = set(content_terms(texts[i])), set(content_terms(texts[j]))
                assert len(a & b) / len(a | b) < 0.5, (texts[i], texts[j])
                assert float(vecs[i] @ vecs[j]) < 0.9, (texts[i], texts[j])


def test_near_duplicates_from_different_passages_are_merged(ed_draft: Any) -> None:
    merged = [b for b in _all_bullets(ed_draft) if len(b.citations) > 1]
    assert merged, "expected at least one bullet supported by several passages"
    for b in merged:
        assert len({c.chunk_id for c in b.citations}) == len(b.citations)


def test_setting_and_org_only_in_framing(ed_draft: Any) -> None:
    summary = ed_draft.section("summary")
    assert "Riverside Health" in summary.intro and SETTING in summary.intro
    about = {ln.label: ln.text for ln in ed_draft.section("about").lines}
    assert about["Organisation"] == "Riverside Health" and SETTING in about["Setting"].lower()
    for b in _all_bullets(ed_draft):
        assert "Riverside" not in b.text
    assert summary.summary.startswith(summary.intro)


def test_emphasis_without_evidence_yields_a_note_not_a_bullet(built: Any) -> None:
    d = built.draft(sections=["responsibilities"], emphasis=["telehealth"], bullets=4)
    notes = " ".join(d.notes)
    assert "telehealth" in notes and "no evidence" in notes
    assert not any("telehealth" in b.text.lower() for b in _all_bullets(d))


def test_emphasis_with_evidence_biases_the_bullets(built: Any) -> None:
    plain = built.draft(sections=["responsibilities"], bullets=5)
    biased = built.draft(sections=["responsibilities"], emphasis=["budget"], bullets=5)

    def on_topic(d: Any) -> int:
        return sum("budget" in (b.text + b.quote).lower() for b in _all_bullets(d))

    assert on_topic(biased) > on_topic(plain)
    assert not any("budget" in n for n in biased.notes)


def test_json_round_trip_and_shape(ed_draft: Any) -> None:
    from assistant.drafting.model import Draft

    d = ed_draft.to_dict()
    text = json.dumps(d)
    assert {"setting", "org", "seniority", "emphasis", "sections", "notes"} <= set(d)
    s0 = d["sections"][0]
    assert s0["section"] == "summary" and "summary" in s0
    assert d["version"] == 2 and "[Reports-to title]" in d["placeholders"]
    resp = next(s for s in d["sections"] if s["section"] == "responsibilities")
    b0 = resp["bullets"][0]
    assert {"id", "text", "citations", "verified", "pinned", "edited", "theme"} <= set(b0)
    assert {"id", "source", "title", "section", "text"} <= set(b0["citations"][0])
    assert Draft.from_dict(json.loads(text)).to_dict() == d


def test_output_is_deterministic(built: Any, ed_draft: Any) -> None:
    again = built.draft(
        setting=SETTING, org="Riverside Health", emphasis=["quality improvement"], bullets=6
    )
    assert json.dumps(again.to_dict()) == json.dumps(ed_draft.to_dict())


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"sections": ["benefits"]}, "Unknown section"),
        ({"bullets": 0}, "between 1 and"),
        ({"bullets": 99}, "between 1 and"),
        ({"setting": "x" * 500}, "too long"),
    ],
)
def test_bad_requests_are_input_errors(built: Any, kwargs: dict[str, Any], message: str) -> None:
    from assistant.errors import InputError

    with pytest.raises(InputError, match=message):
        built.draft(**kwargs)


# -- refinement ----------------------------------------------------------------------------
def test_pinned_and_edited_bullets_survive_regeneration(built: Any) -> None:
    d = built.draft(sections=["responsibilities", "skills"], bullets=4)
    resp = d.section("responsibilities").bullets
    pinned, edited = resp[-1], resp[0]
    d2 = built.revise(d, "pin", section="responsibilities", bullet_id=pinned.id)
    d2 = built.revise(
        d2, "edit", section="responsibilities", bullet_id=edited.id, text="Lead the clinical team"
    )
    assert d.section("responsibilities").bullets[0].text == edited.text  # original untouched
    d3 = built.revise(d2, "regenerate", section="responsibilities", bullets=6)
    after = {b.id: b for b in d3.section("responsibilities").bullets}
    assert after[pinned.id].pinned and after[pinned.id].text == pinned.text
    e = after[edited.id]
    assert e.edited and e.text == "Lead the clinical team"
    assert [c.chunk_id for c in e.citations] == [c.chunk_id for c in edited.citations]
    assert len(after) == 6

    def plain(section: Any) -> list[Any]:
        return [(b.id, b.text, [c.chunk_id for c in b.citations]) for b in section.bullets]

    assert plain(d3.section("skills")) == plain(d.section("skills"))  # other sections unchanged


def test_edit_is_reverified_against_its_citation(built: Any) -> None:
    d = built.draft(sections=["responsibilities"], bullets=3)
    b = d.section("responsibilities").bullets[0]
    d2 = built.revise(
        d,
        "edit",
        section="responsibilities",
        bullet_id=b.id,
        text=b.text + " across twelve telehealth hubs",
    )
    e = d2.section("responsibilities").find(b.id)
    assert e.edited and not e.verified and e.citations


def test_removed_bullets_do_not_come_back(built: Any) -> None:
    d = built.draft(sections=["responsibilities"], bullets=4)
    gone = d.section("responsibilities").bullets[1]
    d2 = built.revise(d, "remove", section="responsibilities", bullet_id=gone.id)
    assert gone.id not in {b.id for b in d2.section("responsibilities").bullets}
    d3 = built.revise(d2, "regenerate", section="responsibilities")
    texts = [b.text for b in d3.section("responsibilities").bullets]
    assert gone.text not in texts and len(texts) == 4


def test_more_reorder_unpin_and_bad_actions(built: Any) -> None:
    from assistant.errors import InputError

    d = built.draft(sections=["responsibilities"], bullets=3)
    d2 = built.revise(d, "more", section="responsibilities", topic="budget")
    added = d2.section("responsibilities").bullets
    assert len(added) > 3
    assert any("budget" in (b.text + b.quote).lower() for b in added)
    d3 = built.revise(d2, "more", section="responsibilities", topic="telehealth")
    assert len(d3.section("responsibilities").bullets) == len(added)
    assert any("telehealth" in n for n in d3.section("responsibilities").notes)
    ids = [b.id for b in added][::-1]
    d4 = built.revise(d2, "reorder", section="responsibilities", order=ids)
    assert [b.id for b in d4.section("responsibilities").bullets] == ids
    d5 = built.revise(
        built.revise(d4, "pin", section="responsibilities", bullet_id=ids[0]),
        "unpin",
        section="responsibilities",
        bullet_id=ids[0],
    )
    assert not d5.section("responsibilities").find(ids[0]).pinned
    for action, kwargs in [
        ("explode", {"section": "responsibilities"}),
        ("pin", {"section": "responsibilities", "bullet_id": "resp-nope"}),
        ("reorder", {"section": "responsibilities", "order": ["resp-nope"]}),
        ("edit", {"section": "responsibilities", "bullet_id": ids[0], "text": "  "}),
        ("regenerate", {"section": "benefits"}),
    ]:
        with pytest.raises(InputError):
            built.revise(d2, action, **kwargs)


def test_malformed_draft_json_is_an_input_error() -> None:
    from assistant.drafting.model import Draft
    from assistant.errors import InputError

    for bad in [
        [],
        {"sections": "x"},
        {"sections": [{"section": "nope"}]},
        {
            "sections": [
                {"section": "skills", "bullets": [{"id": "a", "text": "t", "citations": []}]}
            ]
        },
    ]:
        with pytest.raises(InputError):
            Draft.from_dict(bad)


# -- export --------------------------------------------------------------------------------
def test_markdown_reviewed_and_clean(ed_draft: Any) -> None:
    import re

    from assistant.drafting.export import to_markdown

    md = to_markdown(ed_draft, reviewed=True)
    for s in ed_draft.sections:
        assert f"## {s.title}" in md
    assert "## Sources" in md
    for c in ed_draft.sources():
        assert f"{c.id}. **{c.title}** — {c.section}" in md
    clean = to_markdown(ed_draft, reviewed=False)
    assert not re.search(r"\[\d+\]", clean) and "Sources" not in clean and "Note" not in clean
    assert ed_draft.section("responsibilities").bullets[0].text in clean


def test_docx_reads_back_with_every_section_and_the_sources(ed_draft: Any, tmp_path: Any) -> None:
    import re

    import docx

    from assistant.drafting.export import to_docx

    path = to_docx(ed_draft, tmp_path / "jd.docx", reviewed=True)
    doc = docx.Document(str(path))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert [s.title for s in ed_draft.sections] + ["Sources"] == headings
    body = "\n".join(p.text for p in doc.paragraphs)
    for c in ed_draft.sources():
        assert f"[{c.id}] {c.title}" in body
    for b in ed_draft.section("kpis").bullets:
        assert b.text in body
    clean = docx.Document(str(to_docx(ed_draft, tmp_path / "clean.docx", reviewed=False)))
    text = "\n".join(p.text for p in clean.paragraphs)
    assert not re.search(r"\[\d+\]", text) and "Sources" not in text
    assert sorted(x.name for x in tmp_path.iterdir()) == ["clean.docx", "jd.docx"]


def test_export_errors_leave_nothing_behind(ed_draft: Any, tmp_path: Any) -> None:
    from assistant.drafting.export import to_docx, write
    from assistant.errors import InputError

    with pytest.raises(InputError, match=".md or .docx"):
        write(ed_draft, tmp_path / "jd.pdf")
    with pytest.raises(InputError, match="does not exist"):
        write(ed_draft, tmp_path / "missing" / "jd.md")
    with pytest.raises(InputError, match="extension"):
        to_docx(ed_draft, tmp_path / "jd.md")
    assert list(tmp_path.iterdir()) == []


# -- command line --------------------------------------------------------------------------
@pytest.fixture()
def cli(built: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Any:
    from assistant.cli.main import main
    from tests.conftest import MODEL_CACHE

    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(built.settings.data_dir))
    monkeypatch.setenv("ASSISTANT_KNOWLEDGE_DIR", str(built.settings.knowledge_dir))
    monkeypatch.setenv("ASSISTANT_MODEL_CACHE_DIR", str(MODEL_CACHE))

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(["draft", *argv])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_cli_json_shape_and_exports(cli: Any, tmp_path: Any) -> None:
    import docx

    code, out, _ = cli(
        "kpis", "skills", "--setting", "hospice", "--org", "Acme", "--json", "--bullets", "3"
    )
    data = json.loads(out)
    assert code == 0 and data["setting"] == "hospice" and data["org"] == "Acme"
    assert [s["section"] for s in data["sections"]] == ["skills", "kpis"]
    for s in data["sections"]:
        assert {"section", "title", "bullets", "notes"} <= set(s) and len(s["bullets"]) <= 3
        for b in s["bullets"]:
            assert b["citations"] and b["verified"]
    code, out, err = cli("kpis", "--bullets", "3", "--out", str(tmp_path / "k.docx"))
    assert code == 0 and out == "" and "wrote" in err
    assert "Key performance indicators" in "\n".join(
        p.text for p in docx.Document(str(tmp_path / "k.docx")).paragraphs
    )
    code, out, _ = cli("kpis", "--bullets", "3", "--clean")
    assert code == 0 and out.startswith("# Medical Director") and "[1]" not in out


def test_cli_refines_a_saved_draft(cli: Any, tmp_path: Any) -> None:
    saved = tmp_path / "d.json"
    code, _, _ = cli("responsibilities", "--bullets", "3", "--save", str(saved))
    assert code == 0
    first = json.loads(saved.read_text())["sections"][0]["bullets"]
    code, _, _ = cli(
        "--from",
        str(saved),
        "--pin",
        first[2]["id"],
        "--remove",
        first[0]["id"],
        "--edit",
        first[1]["id"],
        "Lead the clinical team",
        "--regenerate",
        "responsibilities",
        "--save",
        str(saved),
    )
    assert code == 0
    after = {b["id"]: b for b in json.loads(saved.read_text())["sections"][0]["bullets"]}
    assert after[first[2]["id"]]["pinned"]
    assert after[first[1]["id"]]["edited"] and after[first[1]["id"]]["citations"]
    assert first[0]["id"] not in after and len(after) == 3
    code, out, _ = cli("--from", str(saved), "--more", "responsibilities", "budget", "--json")
    assert code == 0 and len(json.loads(out)["sections"][0]["bullets"]) > 3


def test_cli_from_reverifies_every_bullet_against_the_index(cli: Any, tmp_path: Any) -> None:
    saved = tmp_path / "d.json"
    code, _, _ = cli("responsibilities", "--bullets", "4", "--save", str(saved))
    assert code == 0
    # Loading and saving again changes nothing, byte for byte.
    again = tmp_path / "again.json"
    assert cli("--from", str(saved), "--save", str(again))[0] == 0
    assert again.read_bytes() == saved.read_bytes()

    data = json.loads(saved.read_text())
    b = data["sections"][0]["bullets"]
    b[0]["text"] = "Fly the hospital helicopter"  # says more than its passage
    b[1]["citations"][0]["chunk_id"] = "knowledge/gone.md#0"  # a passage the index lacks
    b[2]["citations"][0]["text"] += " The medical director flies the helicopter."
    b[3]["verified"] = False  # the file's flag is not trusted either way
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(data))
    code, out, _ = cli("--from", str(tampered), "--json")
    assert code == 0
    loaded = json.loads(out)
    got = [x["verified"] for x in loaded["sections"][0]["bullets"]]
    by_id = {x["id"]: x["verified"] for x in loaded["sections"][0]["bullets"]}
    assert [by_id[x["id"]] for x in b] == [False, False, False, True], got
    assert any("2 bullet(s) cite passages that are not in" in n for n in loaded["notes"])


def test_cli_from_holds_a_draft_to_the_limits_of_generation(cli: Any, tmp_path: Any) -> None:
    saved = tmp_path / "d.json"
    assert cli("responsibilities", "--bullets", "2", "--save", str(saved))[0] == 0
    data = json.loads(saved.read_text())
    bullets = data["sections"][0]["bullets"]
    bullets[1]["id"] = bullets[0]["id"]
    (tmp_path / "dup.json").write_text(json.dumps(data))
    code, out, err = cli("--from", str(tmp_path / "dup.json"), "--save", str(tmp_path / "o.json"))
    assert code == 2 and out == "" and "appears twice" in err and err.count("\n") == 1
    assert not (tmp_path / "o.json").exists()


@pytest.mark.parametrize(
    "argv, message",
    [
        (["benefits"], "Unknown section"),
        (["all", "--out", "{tmp}/jd.pdf"], ".md or .docx"),
        (["all", "--out", "{tmp}/missing/jd.md"], "does not exist"),
        (["all", "--bullets", "0"], "between 1 and"),
        (["--pin", "resp-1"], "need --from"),
        (["--from", "{tmp}/bad.json"], "not valid JSON"),
        (["--from", "{tmp}/shape.json"], "Not a valid draft"),
        (["--from", "{tmp}/none.json"], "Cannot read"),
        (["--from", "{tmp}/shape.json", "kpis"], "not both"),
    ],
)
def test_cli_errors_are_one_line_and_write_nothing(
    cli: Any, tmp_path: Any, argv: list[str], message: str
) -> None:
    (tmp_path / "bad.json").write_text("{bad")
    (tmp_path / "shape.json").write_text('{"sections": [{"section": "nope"}]}')
    before = sorted(p.name for p in tmp_path.iterdir())
    code, out, err = cli(*(a.replace("{tmp}", str(tmp_path)) for a in argv))
    assert code == 2 and out == ""
    assert err.startswith("error: ") and message in err and err.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == before


# -- the posting a recruiter would publish -----------------------------------------------
@pytest.fixture(scope="module")
def posting_draft(built: Any) -> Any:
    return built.draft(
        setting="urgent care network",
        org="Northwind Clinics",
        emphasis=["quality improvement", "telehealth"],
        reports_to="Chief Medical Officer",
        compensation="",
    )


def test_full_posting_structure_and_placeholders(posting_draft: Any) -> None:
    from assistant.drafting.export import to_markdown

    slugs = [s.section for s in posting_draft.sections]
    assert slugs[:3] == ["summary", "about", "responsibilities"] and slugs[-1] == "apply"
    assert "career-path" not in slugs  # growth opportunities are opt-in
    clean = to_markdown(posting_draft, reviewed=False)
    assert "**Reports to:** Chief Medical Officer" in clean
    assert "[Compensation range and benefits]" in clean and "[Location]" in clean
    assert "equal opportunity employer" in clean
    reviewed = to_markdown(posting_draft, reviewed=True)
    assert "Fill in before posting:" in reviewed and "[Reports-to title]" not in reviewed
    for s in posting_draft.sections:  # employer lines are never cited
        assert all(not hasattr(ln, "citations") for ln in s.lines)
    summary = posting_draft.section("summary")
    assert (
        summary.intro
        == "Northwind Clinics is hiring a Medical Director for its urgent care network."
    )
    assert 1 <= len(summary.bullets) <= 2
    assert not any("healthcare industry" in b.text.lower() for b in summary.bullets)


def test_default_responsibilities_cover_the_duty_families(posting_draft: Any) -> None:
    from assistant.drafting.build import family_of
    from assistant.drafting.specs import SPECS

    resp = posting_draft.section("responsibilities").bullets
    assert 8 <= len(resp) <= 12
    themes = {b.theme for b in resp}
    assert 3 <= len(themes) <= 5
    spec = SPECS["responsibilities"]
    families = {family_of(spec, b.text, "")[0] for b in resp}
    assert len(families) >= 6, families
    for b in resp:  # the label is the bullet's own family's theme
        assert b.theme == family_of(spec, b.text, b.citations[0].section)[1], b.text


def test_no_paraphrase_duplicates_within_or_across_sections(posting_draft: Any) -> None:
    from assistant.drafting.dedupe import duplicate_pairs

    sections = [(s.section, [b.text for b in s.bullets]) for s in posting_draft.sections]
    assert duplicate_pairs(sections) == []


def test_growth_opportunities_are_opt_in_and_for_the_candidate(built: Any) -> None:
    d = built.draft(sections=["career-path"], setting="hospital")
    s = d.section("career-path")
    assert s.title == "Growth opportunities"
    for b in s.bullets:
        assert "aspiring" not in b.text.lower() and "path to success" not in b.text.lower()


def test_regenerate_offers_alternatives_or_says_there_are_none(built: Any) -> None:
    d = built.draft(sections=["responsibilities"], bullets=4)
    before = [b.text for b in d.section("responsibilities").bullets]
    d2 = built.revise(d, "regenerate", section="responsibilities")
    after = [b.text for b in d2.section("responsibilities").bullets]
    assert len(after) == 4 and after != before
    assert any("Regenerated" in n for n in d2.section("responsibilities").notes)
    d3 = built.draft(sections=["kpis"], bullets=20)  # every KPI the sources name
    d4 = built.revise(d3, "regenerate", section="kpis")
    assert any("No alternative" in n for n in d4.section("kpis").notes)


def test_more_accepts_natural_phrases_and_keeps_citation_numbers(built: Any) -> None:
    d = built.draft(sections=["responsibilities", "skills"], bullets=3)
    numbers = {c.chunk_id: c.id for b in _all_bullets(d) for c in b.citations}
    d2 = built.revise(d, "more", section="responsibilities", topic="peer review and credentialing")
    added = [
        b
        for b in d2.section("responsibilities").bullets
        if b.id not in {x.id for x in d.section("responsibilities").bullets}
    ]
    assert added, d2.section("responsibilities").notes
    assert any(
        w in (b.text + b.quote).lower() for b in added for w in ("peer review", "credential")
    )
    for b in _all_bullets(d2):
        for c in b.citations:
            if c.chunk_id in numbers:
                assert c.id == numbers[c.chunk_id]


def test_version_1_drafts_still_load(ed_draft: Any) -> None:
    from assistant.drafting.model import Draft

    old = ed_draft.to_dict()
    old["version"] = 1
    for key in ("reports_to", "location", "placeholders"):
        old.pop(key)
    old["sections"] = [s for s in old["sections"] if s["section"] != "about"]
    loaded = Draft.from_dict(old)
    assert loaded.reports_to == "" and loaded.section("reporting").lines[0].placeholder


def test_download_names_and_neutral_docx_properties(posting_draft: Any, tmp_path: Any) -> None:
    import docx

    from assistant.drafting.export import file_stem, to_docx

    assert file_stem(posting_draft) == "Northwind-Clinics-Medical-Director"
    assert file_stem(posting_draft, reviewed=False) == "Northwind-Clinics-Medical-Director-clean"
    path = to_docx(posting_draft, tmp_path / f"{file_stem(posting_draft)}.docx")
    props = docx.Document(str(path)).core_properties
    assert props.author == "Northwind Clinics" and "python-docx" not in (props.comments or "")
