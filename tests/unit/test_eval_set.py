"""eval/cases.jsonl is the only source of the regression set: it must load, and every gold
quote must be a real passage of knowledge/ (so a hit is checkable and a typo is caught)."""

from __future__ import annotations

import json
from pathlib import Path

from assistant.evaluation.cases import NATURAL, TYPES, load_cases
from assistant.text import normalize, split_sentences, strip_markup

ROOT = Path(__file__).resolve().parents[2]
SET = ROOT / "eval" / "cases.jsonl"


def knowledge_text() -> str:
    return " ".join(
        normalize(p.read_text(encoding="utf-8")) for p in (ROOT / "knowledge").rglob("*.md")
    )


def test_the_set_loads_with_unique_ids_and_known_types() -> None:
    cases = load_cases(SET)  # raises on bad JSON, missing keys, duplicate ids
    assert len(cases) >= 80
    assert {c.type for c in cases} <= set(TYPES)
    raw = [json.loads(line) for line in SET.read_text(encoding="utf-8").splitlines() if line]
    assert len({r["id"] for r in raw}) == len(raw)


def test_every_gold_quote_is_in_the_knowledge_base() -> None:
    text = knowledge_text()
    missing = [(c.id, g) for c in load_cases(SET) for g in c.gold if normalize(g) not in text]
    assert not missing, f"gold quotes not found in knowledge/: {missing[:10]}"


def test_answerable_cases_have_gold_and_refusals_have_none() -> None:
    for c in load_cases(SET):
        if c.answerable:
            assert c.gold, c.id
        elif c.type == "out_of_scope":
            assert not c.gold, c.id


def knowledge_sentences() -> list[str]:
    out: list[str] = []
    for p in (ROOT / "knowledge").rglob("*.md"):
        for line in p.read_text(encoding="utf-8").splitlines():
            out += [normalize(s) for s in split_sentences(strip_markup(line))]
    return out


def test_natural_gold_quotes_each_lie_inside_one_sentence() -> None:
    """Answer precision counts an answer sentence as on the point when it contains a gold
    quote, so every quote must sit inside one sentence of the knowledge base."""
    sentences = knowledge_sentences()
    spanning = [
        (c.id, g)
        for c in load_cases(SET)
        if c.type in NATURAL
        for g in c.gold
        if not any(normalize(g) in s for s in sentences)
    ]
    assert not spanning, f"gold quotes not inside one sentence: {spanning[:10]}"


def test_natural_cases_are_labelled_for_what_they_measure() -> None:
    for c in load_cases(SET):
        if c.type not in NATURAL:
            continue
        assert c.form, c.id
        if c.type in ("near_oos", "task"):
            assert not c.gold and not c.facts, c.id
        else:
            assert c.gold and c.facts, c.id
            gold = " ".join(normalize(g) for g in c.gold)
            sentences = [s for s in knowledge_sentences() if any(normalize(g) in s for g in c.gold)]
            for fact in c.facts:  # a key fact is something an on-the-point sentence says
                assert any(
                    normalize(a) in gold or any(normalize(a) in s for s in sentences) for a in fact
                ), (c.id, fact)
        if c.type == "chain":
            assert c.history, c.id
        if c.type == "partial":
            assert c.missing, c.id


def test_the_natural_set_covers_every_kind_of_question() -> None:
    cases = [c for c in load_cases(SET) if c.type in NATURAL]
    assert len(cases) >= 120
    counts = {t: sum(c.type == t for c in cases) for t in NATURAL}
    assert min(counts.values()) >= 8, counts
    forms = {c.form for c in cases}
    assert {"yesno", "which", "comparison", "vague", "multi", "followup", "new_topic"} <= forms
