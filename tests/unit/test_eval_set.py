"""eval/cases.jsonl is the only source of the regression set: it must load, and every gold
quote must be a real passage of knowledge/ (so a hit is checkable and a typo is caught)."""

from __future__ import annotations

import json
from pathlib import Path

from assistant.evaluation.cases import TYPES, load_cases
from assistant.text import normalize

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
