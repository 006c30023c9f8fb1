"""Fit the sentence model (assistant/answering/sentence_model.json) to the natural eval set.

    python scripts/train_sentence_model.py          # fit on every case, write the model
    python scripts/train_sentence_model.py --cv     # also print held-out accuracy (2 folds)

Each candidate sentence of each answerable natural-set case (natural, typo, chain) is a row:
its features (assistant.answering.ranking.FEATURES) and whether it contains one of the
case's gold quotes. Held-out numbers fit on half the cases (by position, odd/even) and test
on the other half; they are the honest estimate of how the model does on new questions.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from assistant import Assistant
from assistant.answering import ranking
from assistant.answering.extractive import WEIGHTS
from assistant.answering.ranking import SentenceModel, fit
from assistant.evaluation.cases import load_cases
from assistant.evaluation.metrics import on_point

TYPES = ("natural", "typo", "chain")


def rows_of(a: Assistant, set_path: Path) -> list[list[tuple[tuple[float, ...], bool]]]:
    out = []
    for case in load_cases(set_path):
        if case.type not in TYPES:
            continue
        scored = a.evidence(case.question, case.history).scored()
        out.append([(s.features, on_point(s.text, case.gold)) for s in scored])
    return out


def held_out(model: SentenceModel, cases: list[list[tuple[tuple[float, ...], bool]]]) -> dict:
    """Lead accuracy and precision of the model's top pick(s) on cases it was not fitted on
    (the answerer's floor and share of the lead's probability, at most 4 sentences)."""
    lead = prec = 0.0
    for rows in cases:
        if not rows:
            continue
        ranked = sorted(rows, key=lambda r: -model.probability(r[0]))
        top = model.probability(ranked[0][0])
        floor = max(WEIGHTS.floor, WEIGHTS.relative * top)
        chosen = [ranked[0]] + [r for r in ranked[1:] if model.probability(r[0]) >= floor][:3]
        lead += chosen[0][1]
        prec += sum(r[1] for r in chosen) / len(chosen)
    return {"lead": round(lead / len(cases), 3), "precision": round(prec / len(cases), 3)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--set", type=Path, default=Path("eval/cases.jsonl"))
    parser.add_argument("--cv", action="store_true", help="print held-out accuracy")
    args = parser.parse_args()
    cases = rows_of(Assistant(), args.set)
    flat = [r for rows in cases for r in rows]
    if args.cv:
        even, odd = cases[0::2], cases[1::2]
        for name, train, test in (("fit even, test odd", even, odd), ("fit odd, test even", odd, even)):
            m = fit([r[0] for c in train for r in c], [r[1] for c in train for r in c])
            print(f"{name}: held out {held_out(m, test)}, on its own cases {held_out(m, train)}")
    model = fit([r[0] for r in flat], [r[1] for r in flat])
    ranking.MODEL_PATH.write_text(json.dumps(model.to_dict(), indent=1) + "\n")
    print(f"{len(cases)} cases, {len(flat)} candidate sentences, {sum(r[1] for r in flat)} on the point")
    print(f"wrote {ranking.MODEL_PATH}")


if __name__ == "__main__":
    main()
