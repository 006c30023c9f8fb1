"""Run an eval set through the three pipelines and collect metrics, per-case rows and failures."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant.errors import AssistantError
from assistant.evaluation import drafting
from assistant.evaluation import metrics as m
from assistant.evaluation.cases import LEGACY, NATURAL, Case, default_set, load_cases
from assistant.evaluation.pipelines import PIPELINES, build
from assistant.facade import Assistant
from assistant.types import Answer, Chunk, Progress

ANSWERED = ("natural", "typo", "chain")  # answerable natural-set questions


@dataclass
class EvalReport:
    """Metrics per pipeline (name -> metric -> value), what failed, and every case's row."""

    set_path: str
    settings: dict[str, Any]
    counts: dict[str, int]
    pipelines: dict[str, dict[str, float]]
    absent: dict[str, str] = field(default_factory=dict)  # metric -> why it is not measured
    failures: list[dict[str, Any]] = field(default_factory=list)
    cases: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    by_type: dict[str, dict[str, float]] = field(default_factory=dict)  # hybrid, per case type
    seconds: float = 0.0
    created: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "set": self.set_path,
            "created": self.created,
            "seconds": round(self.seconds, 2),
            "settings": self.settings,
            "counts": self.counts,
            "pipelines": self.pipelines,
            "absent": self.absent,
            "by_type": self.by_type,
            "failures": self.failures,
            "cases": self.cases,
        }


def run_eval(
    assistant: Assistant,
    path: Path | None = None,
    progress: Progress | None = None,
    pipelines: Sequence[str] = PIPELINES,
    drafting: bool = True,
) -> EvalReport:
    """Evaluate every case of the set (default eval/cases.jsonl); nothing is written."""
    t0 = time.perf_counter()
    set_path = path or default_set()
    cases = load_cases(set_path)  # a malformed file stops here, before any work
    chunks = assistant.store.all_chunks()
    built = build(assistant)
    counts: dict[str, int] = {}
    for c in cases:
        counts[c.type] = counts.get(c.type, 0) + 1
    report = EvalReport(
        set_path=str(set_path),
        settings={
            "fingerprint": assistant.settings.fingerprint,
            "retriever": assistant.settings.retriever,
            "top_k": assistant.settings.top_k,
            "min_score": assistant.settings.min_score,
            "chunk_size": assistant.settings.chunk_size,
            "chunks": len(chunks),
        },
        counts=counts,
        pipelines={},
        created=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    asked = [c for c in cases if c.type not in ("draft", "review")]
    for name in pipelines:
        if asked:  # the first call loads the indexes: not timed
            built[name].ask(asked[0].question, history=asked[0].history)
        rows = [_ask_case(built[name], c, chunks) for c in _progress(asked, name, progress)]
        report.pipelines[name] = _aggregate(rows)
        report.cases[name] = rows
        if name == "hybrid":
            report.failures.extend(r["failure"] for r in rows if r.get("failure"))
            report.by_type = _by_type(rows)
    drafts = [c for c in cases if c.type == "draft"]
    if drafting and drafts and "hybrid" in pipelines:
        _drafting(assistant, drafts, report, progress)
    reviews = [c for c in cases if c.type == "review"]
    if drafting and reviews and "hybrid" in pipelines:
        _reviews(assistant, reviews, report, progress)
    for row in report.cases.values():
        for r in row:
            r.pop("failure", None)
    report.seconds = time.perf_counter() - t0
    return report


def _progress(cases: Sequence[Case], stage: str, progress: Progress | None) -> Any:
    for n, c in enumerate(cases):
        if progress:
            progress(stage, n, len(cases))
        yield c
    if progress:
        progress(stage, len(cases), len(cases))


def _ask_case(a: Assistant, case: Case, chunks: Sequence[Chunk]) -> dict[str, Any]:
    """One question through retrieve() and ask(); the row carries every per-case score."""
    row: dict[str, Any] = {"id": case.id, "type": case.type, "question": case.question}
    problems: list[str] = []
    if case.answerable:
        expected = m.relevant_ids(case.gold, chunks)
        retrieved = [p.chunk.id for p in a.retrieve(case.question, history=case.history)]
        row.update(m.retrieval_scores(expected, retrieved))
        rank = next((i for i, cid in enumerate(retrieved, 1) if cid in expected), None)
        row["gold_rank"] = rank
        if not expected:
            problems.append("no indexed passage contains a gold quote")
        elif rank is None:
            problems.append(f"no gold passage in the top {len(retrieved)}")
    t = time.perf_counter()
    answer = a.ask(case.question, history=case.history)
    row["latency_ms"] = (time.perf_counter() - t) * 1000
    text = m.answer_text(answer)
    checked, good, sentences, cited = m.citation_checks(answer)
    row.update(
        refused=answer.refused,
        answer=answer.answer,
        words=0 if answer.refused else len(m.tokens(text)),
        citations_checked=checked,
        citations_ok=good,
        sentences=sentences,
        sentences_cited=cited,
    )
    if checked > good:
        problems.append(f"{checked - good} citation(s) not found in the cited passage")
    if case.answerable:
        hits = m.fact_hits("" if answer.refused else text, case.facts)
        row["facts"] = len(hits)
        row["facts_found"] = sum(hits)
        missing = [f[0] for f, h in zip(case.facts, hits, strict=True) if not h]
        if answer.refused:
            problems.append("refused an answerable question")
        elif missing:
            problems.append("missing key facts: " + ", ".join(missing))
        if case.reference:
            ref_text = "" if answer.refused else text
            row["token_f1"] = m.token_f1(ref_text, case.reference)
            row["rouge_l"] = m.rouge_l(ref_text, case.reference)
    elif case.type == "out_of_scope" and not answer.refused:
        problems.append("answered an out-of-scope question")
    row["coverage"] = answer.coverage
    row["declined"] = answer.refused or answer.coverage != "covered"
    if case.type in NATURAL:
        problems = _natural_checks(case, answer, row, problems)
    if problems:
        row["failure"] = {
            "id": case.id,
            "type": case.type,
            "question": case.question,
            "history": list(case.history),
            "failed": "; ".join(problems),
            "answer": answer.answer,
        }
    return row


def _natural_checks(
    case: Case, answer: Answer, row: dict[str, Any], problems: list[str]
) -> list[str]:
    """The natural set: is each answer sentence on the point, does the answer lead with one,
    and is the coverage outcome (covered / partial / not covered / task) the right one."""
    expected = {"partial": "partial", "near_oos": "not_covered", "task": "task"}
    want = expected.get(case.type, "covered")
    sentences = answer.sentences if not answer.refused else ()
    shown = [s.text for s in sentences]
    marks = [m.on_point(t, case.gold) for t in shown]
    units = m.answer_units(sentences, marks)
    problems = [p for p in problems if not p.startswith("refused an answerable")]
    if case.type in ANSWERED:
        row["precision"] = sum(units) / len(units) if units else 0.0
        row["sentence_precision"] = sum(marks) / len(marks) if marks else 0.0
        row["lead_ok"] = bool(units and units[0])
        row["right"] = want == answer.coverage and row["lead_ok"]
        if answer.coverage != "covered":
            problems.append(f"answered as {answer.coverage}, expected covered")
        elif not row["lead_ok"]:
            problems.append("the first sentence is off the point")
        off = [t for t, ok in zip(shown, marks, strict=True) if not ok]
        if off:
            row["off_point"] = off
            problems.append(f"{len(off)} of {len(shown)} sentences off the point")
    else:
        row["right"] = answer.coverage == want
        if case.type == "task" and case.setting and row["right"]:
            row["right"] = case.setting.lower() in answer.task_setting.lower()
        if not row["right"]:
            problems.append(f"answered as {answer.coverage}, expected {want}")
    return problems


def _aggregate(rows: Sequence[dict[str, Any]]) -> dict[str, float]:
    out = _aggregate_legacy([r for r in rows if r["type"] in LEGACY])
    out.update(_aggregate_natural([r for r in rows if r["type"] in NATURAL]))
    return out


def _aggregate_natural(rows: Sequence[dict[str, Any]]) -> dict[str, float]:
    """The natural set's metrics (questions as people type them)."""
    if not rows:
        return {}
    answered = [r for r in rows if r["type"] in ANSWERED]
    out: dict[str, float] = {
        "answer_precision": m.mean(
            r["precision"] for r in answered if "precision" in r and not r["declined"]
        ),
        "sentence_precision": m.mean(
            r["sentence_precision"]
            for r in answered
            if "sentence_precision" in r and not r["declined"]
        ),
        "lead_accuracy": m.mean(float(r["lead_ok"]) for r in answered),
        "natural_hit@5": m.mean(r["hit@5"] for r in answered),
    }
    facts = sum(r.get("facts", 0) for r in answered)
    out["natural_fact_recall"] = (
        sum(r.get("facts_found", 0) for r in answered) / facts if facts else 0.0
    )
    for name, ctype in (
        ("natural_accuracy", "natural"),
        ("followup_accuracy", "chain"),
        ("typo_accuracy", "typo"),
        ("near_domain_refusal", "near_oos"),
        ("partial_accuracy", "partial"),
        ("task_accuracy", "task"),
    ):
        part = [r for r in rows if r["type"] == ctype]
        if part:
            out[name] = m.mean(float(r["right"]) for r in part)
    return {k: round(v, 4) for k, v in out.items()}


def _aggregate_legacy(rows: Sequence[dict[str, Any]]) -> dict[str, float]:
    """Today's metrics, on the first set (a partly covered or task answer is not a plain
    answer: it declines what was asked, so the refusal metrics count it as declined)."""
    answerable = [r for r in rows if "hit@5" in r]
    out: dict[str, float] = {}
    for key in ("hit@1", "hit@3", "hit@5", "mrr", "ndcg@5"):
        out[key] = m.mean(r[key] for r in answerable)
    facts = sum(r.get("facts", 0) for r in rows)
    out["fact_recall"] = sum(r.get("facts_found", 0) for r in rows) / facts if facts else 0.0
    out["token_f1"] = m.mean(r["token_f1"] for r in rows if "token_f1" in r)
    out["rouge_l"] = m.mean(r["rouge_l"] for r in rows if "rouge_l" in r)
    checked = sum(r["citations_checked"] for r in rows)
    out["citation_precision"] = sum(r["citations_ok"] for r in rows) / checked if checked else 0.0
    sentences = sum(r["sentences"] for r in rows)
    cited = sum(r["sentences_cited"] for r in rows)
    out["citation_coverage"] = cited / sentences if sentences else 0.0
    refused = [r for r in rows if r["declined"]]
    oos = [r for r in rows if r["type"] == "out_of_scope"]
    true_refusals = sum(1 for r in refused if r["type"] == "out_of_scope")
    out["refusal_precision"] = true_refusals / len(refused) if refused else 1.0
    out["refusal_recall"] = true_refusals / len(oos) if oos else 1.0
    out["answer_words"] = m.mean(r["words"] for r in rows if not r["refused"])
    latencies = [r["latency_ms"] for r in rows]
    out["latency_p50_ms"] = m.percentile(latencies, 50)
    out["latency_p95_ms"] = m.percentile(latencies, 95)
    return {k: round(v, 4) for k, v in out.items()}


def _by_type(rows: Sequence[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """A few headline numbers per case type, to see where a change helped or hurt."""
    out: dict[str, dict[str, float]] = {}
    for ctype in dict.fromkeys(r["type"] for r in rows):
        part = [r for r in rows if r["type"] == ctype]
        facts = sum(r.get("facts", 0) for r in part)
        stats = {"cases": float(len(part)), "refused": m.mean(float(r["refused"]) for r in part)}
        if any("hit@5" in r for r in part):
            stats["hit@5"] = m.mean(r["hit@5"] for r in part)
            stats["mrr"] = m.mean(r["mrr"] for r in part)
        if facts:
            stats["fact_recall"] = sum(r.get("facts_found", 0) for r in part) / facts
        if any("token_f1" in r for r in part):
            stats["token_f1"] = m.mean(r["token_f1"] for r in part if "token_f1" in r)
        if any("right" in r for r in part):
            stats["right"] = m.mean(float(r["right"]) for r in part)
        if any("precision" in r for r in part):
            stats["precision"] = m.mean(r["precision"] for r in part if "precision" in r)
            stats["lead"] = m.mean(float(r["lead_ok"]) for r in part if "lead_ok" in r)
        if any(not r["refused"] for r in part):
            stats["answer_words"] = m.mean(r["words"] for r in part if not r["refused"])
        out[ctype] = {k: round(v, 4) for k, v in stats.items()}
    return out


def _drafting(
    a: Assistant, drafts: Sequence[Case], report: EvalReport, progress: Progress | None
) -> None:
    rows: list[dict[str, Any]] = []
    for case in _progress(drafts, "drafting", progress):
        row: dict[str, Any] = {"id": case.id, "type": "draft", "question": case.question}
        try:
            draft = a.draft(sections=(case.section,), setting=case.setting, emphasis=case.emphasis)
            row.update(m.draft_scores(draft.to_dict(), case.themes, a.embedder.embed))
        except AssistantError as exc:
            row.update(bullets=0, cited_verified=0, themes=len(case.themes), themes_covered=0)
            row.update(near_duplicates=0, missing_themes=[list(t) for t in case.themes])
            row["error"] = str(exc)
        problems = []
        if row.get("error"):
            problems.append(f"draft failed: {row['error']}")
        if row["bullets"] == 0:
            problems.append("no bullets")
        if row["cited_verified"] < row["bullets"]:
            problems.append(f"{row['bullets'] - row['cited_verified']} bullet(s) not verified")
        if row["missing_themes"]:
            problems.append("missing themes: " + ", ".join(t[0] for t in row["missing_themes"]))
        if row["near_duplicates"]:
            problems.append(f"{row['near_duplicates']} near-duplicate bullet pair(s)")
        if problems:
            report.failures.append(
                {
                    "id": case.id,
                    "type": "draft",
                    "question": case.question,
                    "history": [],
                    "failed": "; ".join(problems),
                    "answer": "",
                }
            )
        rows.append(row)
    bullets = sum(r["bullets"] for r in rows)
    themes = sum(r["themes"] for r in rows)
    hybrid = report.pipelines.setdefault("hybrid", {})
    hybrid["draft_cited_verified"] = round(
        sum(r["cited_verified"] for r in rows) / bullets if bullets else 0.0, 4
    )
    hybrid["draft_theme_coverage"] = round(
        sum(r["themes_covered"] for r in rows) / themes if themes else 0.0, 4
    )
    hybrid["draft_near_duplicates"] = float(sum(r["near_duplicates"] for r in rows))
    report.cases["drafting"] = rows
    drafting.add_to_report(a, drafts, report)  # the recruiter's rubric on full drafts


def _reviews(
    a: Assistant, cases: Sequence[Case], report: EvalReport, progress: Progress | None
) -> None:
    """``Assistant.review`` on each description: its lines' verdicts against the expected
    ones (matched by the line's text) and the expected missing themes among those reported."""
    from assistant.drafting.review import read_file, theme_key
    from assistant.index.readers import Limits

    rows: list[dict[str, Any]] = []
    right = lines = found = expected = 0
    for case in _progress(cases, "review", progress):
        row: dict[str, Any] = {"id": case.id, "type": "review", "question": case.question}
        problems: list[str] = []
        try:
            text = read_file(case.file, a.settings.max_upload_mb, Limits.of(a.settings))
            review = a.review(text, setting=case.setting)
        except AssistantError as exc:
            review, row["error"] = None, str(exc)
            problems.append(f"review failed: {exc}")
        verdicts = {lr.line.text: lr.verdict for lr in review.lines} if review else {}
        reported = {m.slug for m in review.missing} if review else set()
        wrong = [(t, v, verdicts.get(t, "(no such line)")) for t, v in case.verdicts]
        wrong = [w for w in wrong if w[1] != w[2]]
        absent = [t for t in case.missing if theme_key(t) not in reported]
        right += len(case.verdicts) - len(wrong)
        lines += len(case.verdicts)
        found += len(case.missing) - len(absent)
        expected += len(case.missing)
        row.update(
            lines=len(case.verdicts),
            verdicts_right=len(case.verdicts) - len(wrong),
            wrong=[{"line": t, "expected": v, "got": g} for t, v, g in wrong],
            missing_expected=len(case.missing),
            missing_found=len(case.missing) - len(absent),
            missing_absent=absent,
            reported=sorted(reported),
        )
        problems += [f"line \u201c{t}\u201d: expected {v}, got {g}" for t, v, g in wrong]
        if absent:
            problems.append("missing themes not reported: " + ", ".join(absent))
        if problems:
            report.failures.append(
                {
                    "id": case.id,
                    "type": "review",
                    "question": case.question,
                    "history": [],
                    "failed": "; ".join(problems),
                    "answer": "",
                }
            )
        rows.append(row)
    hybrid = report.pipelines.setdefault("hybrid", {})
    hybrid["review_verdict_accuracy"] = round(right / lines if lines else 0.0, 4)
    hybrid["review_missing_theme_recall"] = round(found / expected if expected else 0.0, 4)
    report.cases["review"] = rows
