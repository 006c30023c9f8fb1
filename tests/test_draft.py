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
    from assistant.draft import SECTIONS

    assert [s.section for s in ed_draft.sections] == list(SECTIONS)
    for s in ed_draft.sections:
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
    assert SETTING in ed_draft.section("reporting").intro
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
    from assistant.draft import Draft

    d = ed_draft.to_dict()
    text = json.dumps(d)
    assert {"setting", "org", "seniority", "emphasis", "sections", "notes"} <= set(d)
    s0 = d["sections"][0]
    assert s0["section"] == "summary" and "summary" in s0
    b0 = d["sections"][1]["bullets"][0]
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
