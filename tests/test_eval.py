"""The evaluation runner: real Chroma, real embeddings, a temp index over a copy of knowledge/.

The regression test runs the committed set through the facade and fails when a metric drops
more than its tolerance in eval/baseline.json; the gate test shows a crippled setting makes
`python -m assistant eval` exit non-zero.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from assistant import Assistant
from assistant.cli.main import main
from assistant.errors import InputError
from assistant.evaluation import metrics as m
from assistant.evaluation.baseline import compare, load_baseline, make_baseline, save_baseline
from assistant.evaluation.cases import load_cases
from assistant.evaluation.report import markdown_table, write_report
from assistant.evaluation.runner import run_eval
from tests.conftest import MODEL_CACHE, ROOT

CASES = ROOT / "eval" / "cases.jsonl"
BASELINE = ROOT / "eval" / "baseline.json"


@pytest.fixture(scope="module")
def report(built: Assistant) -> Any:
    return run_eval(built, CASES)


# -- the committed set ---------------------------------------------------------------------
def test_set_meets_the_issue_counts() -> None:
    cases = load_cases(CASES)
    by_type: dict[str, list[Any]] = {}
    for c in cases:
        by_type.setdefault(c.type, []).append(c)
    assert len(by_type["faq"]) == 14
    assert len(by_type["body"]) >= 30
    assert len(by_type["out_of_scope"]) >= 10
    assert len(by_type["followup"]) >= 5
    assert len(by_type["draft"]) >= 5
    sources = {c.source for c in by_type["body"]}
    assert sources == {f"knowledge/{p.name}" for p in (ROOT / "knowledge").glob("*.md")}
    assert any("ignore previous instructions" in c.question.lower() for c in cases)


# -- regression gate -----------------------------------------------------------------------
@pytest.mark.slow
def test_eval_does_not_regress_against_the_committed_baseline(report: Any) -> None:
    baseline = load_baseline(BASELINE)
    assert baseline is not None, "eval/baseline.json is missing"
    regressions = compare(report, baseline)
    assert not regressions, "\n".join(f"{r['metric']}: {r['why']}" for r in regressions)
    assert set(report.pipelines) == {"hybrid", "dense-llamaindex", "bm25"}
    hybrid = report.pipelines["hybrid"]
    for ref in ("dense-llamaindex", "bm25"):
        for metric in ("hit@5", "mrr"):
            assert hybrid[metric] >= report.pipelines[ref][metric]
    assert hybrid["citation_precision"] == 1.0
    # drafting metrics are either measured or absent with a reason, never silently zero
    for key in m.DRAFT_METRICS:
        assert (key in hybrid) != (key in report.absent)


@pytest.mark.slow
def test_report_files_are_written(report: Any, tmp_path: Path) -> None:
    baseline = load_baseline(BASELINE)
    paths = write_report(report, tmp_path / "out", baseline)
    assert set(paths) == {"json", "markdown", "chart"}
    data = json.loads(paths["json"].read_text())
    assert data["pipelines"]["hybrid"]["hit@5"] == report.pipelines["hybrid"]["hit@5"]
    assert data["regressions"] == []
    asked = sum(n for t, n in report.counts.items() if t not in ("draft", "review"))
    assert len(data["cases"]["hybrid"]) == asked  # drafts and reviews are not questions
    md = paths["markdown"].read_text()
    assert "| hit@5 |" in md and "dense-llamaindex" in md and "## Failures" in md
    assert paths["chart"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    table = markdown_table(report, baseline)
    assert "REGRESSED" not in table


@pytest.mark.slow
def test_update_baseline_round_trip_keeps_tolerances(report: Any, tmp_path: Path) -> None:
    old = load_baseline(BASELINE)
    assert old is not None
    path = save_baseline(make_baseline(report, old, "test"), tmp_path / "b.json")
    new = load_baseline(path)
    assert new is not None
    assert new["tolerances"] == {**new["tolerances"], **old["tolerances"]}
    assert compare(report, new) == []


@pytest.mark.slow
def test_crippled_settings_make_the_cli_gate_fail(built: Assistant, tmp_path: Path) -> None:
    env = dict(os.environ)
    env.update(
        ASSISTANT_DATA_DIR=str(built.settings.data_dir),
        ASSISTANT_KNOWLEDGE_DIR=str(built.settings.knowledge_dir),
        ASSISTANT_MODEL_CACHE_DIR=str(MODEL_CACHE),
        ASSISTANT_TOP_K="1",
        ASSISTANT_RETRIEVER="bm25",
    )
    out = tmp_path / "report"
    proc = subprocess.run(
        [sys.executable, "-m", "assistant", "eval", "--report", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 1, proc.stderr
    assert "regression: hit@5" in proc.stderr
    assert "REGRESSED" in proc.stdout
    assert (out / "report.json").exists() and (out / "report.png").exists()
    data = json.loads((out / "report.json").read_text())
    assert data["settings"]["retriever"] == "bm25" and data["regressions"]


# -- malformed sets: a clear error naming the line, nothing written -----------------------
GOOD = {"id": "x-1", "type": "out_of_scope", "question": "What is the capital of Peru?"}


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "invalid JSON"),
        (json.dumps({"type": "body", "question": "q"}), "missing key 'id'"),
        (json.dumps({**GOOD, "type": "essay"}), "unknown type 'essay'"),
        (json.dumps({**GOOD, "question": 3}), "'question' must be a string"),
        (json.dumps({**GOOD, "type": "body", "facts": []}), "missing key 'gold'"),
        (json.dumps({**GOOD, "type": "body", "gold": "a quote"}), "'gold' must be a list"),
        (json.dumps({**GOOD, "type": "body", "gold": ["q"], "facts": ["x"]}), "'facts'"),
        (json.dumps({**GOOD, "type": "followup", "gold": ["q"]}), "non-empty 'history'"),
        (json.dumps({**GOOD, "type": "draft", "section": "kpis"}), "missing key 'themes'"),
        (json.dumps(GOOD), "duplicate id 'x-1'"),
        ("[1, 2]", "must be a JSON object"),
    ],
)
def test_malformed_set_is_rejected_with_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, message: str
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(GOOD) + "\n\n" + line + "\n")
    with pytest.raises(InputError, match="line 3") as exc:
        load_cases(bad)
    assert message in str(exc.value)
    out, base = tmp_path / "report", tmp_path / "base.json"
    code = main(
        ["eval", "--set", str(bad), "--report", str(out), "--baseline", str(base),
         "--update-baseline"]
    )  # fmt: skip
    _, err = capsys.readouterr()
    assert code == 2 and "line 3" in err and message in err and "Traceback" not in err
    assert not out.exists() and not base.exists()


def test_missing_or_empty_set_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="No such eval set"):
        load_cases(tmp_path / "nope.jsonl")
    (tmp_path / "empty.jsonl").write_text("\n")
    with pytest.raises(InputError, match="no cases"):
        load_cases(tmp_path / "empty.jsonl")


def test_malformed_baseline_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    path.write_text('{"pipelines": {"hybrid": {"mrr": "high"}}, "tolerances": {}}')
    with pytest.raises(InputError, match="malformed"):
        load_baseline(path)


# -- metrics -------------------------------------------------------------------------------
def test_text_metrics() -> None:
    assert m.token_f1("the budget is set", "the budget is set") == 1.0
    assert m.token_f1("", "x") == 0.0
    assert m.rouge_l("a b c d", "a c d") == pytest.approx(2 * 0.75 * 1.0 / 1.75)
    assert m.rouge_l("x y", "a b") == 0.0
    assert m.fact_hits("They need 5–10 years", [["5-10 years"], ["MD"]]) == [True, False]
    assert m.percentile([1, 2, 3, 4, 100], 50) == 3
    assert m.percentile([1, 2, 3, 4, 100], 95) == 100


def test_retrieval_metrics_use_rank() -> None:
    s = m.retrieval_scores(["b"], ["a", "b", "c"])
    assert (s["hit@1"], s["hit@3"], s["hit@5"]) == (0.0, 1.0, 1.0)
    assert s["mrr"] == 0.5
    assert 0 < s["ndcg@5"] < 1
    assert m.retrieval_scores([], ["a"])["hit@5"] == 0.0


class _Run:
    def __init__(self, pipelines: dict[str, dict[str, float]]) -> None:
        self.pipelines, self.absent = pipelines, {}


def test_gate_is_direction_aware() -> None:
    base = {
        "pipelines": {"hybrid": {"mrr": 0.8, "latency_p50_ms": 30.0}},
        "tolerances": {"mrr": 0.02, "latency_p50_ms": 100.0},
    }
    assert compare(_Run({"hybrid": {"mrr": 0.79, "latency_p50_ms": 120.0}}), base) == []
    worse = compare(_Run({"hybrid": {"mrr": 0.9, "latency_p50_ms": 200.0}}), base)
    assert [r["metric"] for r in worse] == ["latency_p50_ms"]
    worse = compare(_Run({"hybrid": {"mrr": 0.7, "latency_p50_ms": 1.0}}), base)
    assert [r["metric"] for r in worse] == ["mrr"]
    beaten = compare(
        _Run({"hybrid": {"mrr": 0.8, "latency_p50_ms": 30.0}, "bm25": {"mrr": 0.85}}), base
    )
    assert [r["metric"] for r in beaten] == ["mrr"] and "bm25" in beaten[0]["why"]
    missing = compare(_Run({"hybrid": {"latency_p50_ms": 30.0}}), base)
    assert [r["metric"] for r in missing] == ["mrr"]


def test_draft_metrics_follow_the_draft_contract(built: Assistant) -> None:
    """Drafting metrics read Draft.to_dict(): a bullet counts only when it cites a passage
    that really contains it; themes are matched by alternatives; duplicates by cosine."""
    passage = "The medical director prepares the annual budget and leads quality improvement."
    cite = [{"id": 1, "source": "s", "title": "t", "section": "x", "text": passage}]
    draft = {
        "sections": [
            {
                "section": "responsibilities",
                "title": "Responsibilities",
                "bullets": [
                    {"id": "a", "text": "Prepares the annual budget.", "citations": cite,
                     "verified": True},
                    {"id": "b", "text": "Prepare the annual budget.", "citations": cite,
                     "verified": True},
                    {"id": "c", "text": "Flies helicopters to remote islands.", "citations": cite,
                     "verified": True},
                    {"id": "d", "text": "Leads quality improvement.", "citations": [],
                     "verified": False},
                ],
                "notes": [],
            }
        ]
    }  # fmt: skip
    scores = m.draft_scores(draft, [["budget"], ["quality"], ["telehealth"]], built.embedder.embed)
    assert scores["bullets"] == 4 and scores["cited_verified"] == 2
    assert scores["themes_covered"] == 2 and scores["missing_themes"] == [["telehealth"]]
    assert scores["near_duplicates"] == 1


def test_multi_part_questions_are_split_into_parts() -> None:
    from assistant.facade import readings
    from assistant.text import question_parts

    q = "What degree is needed for the job, and how much clinical experience?"
    assert question_parts(q) == [
        "What degree is needed for the job",
        "how much clinical experience",
    ]
    assert readings(q, []) == [q, *question_parts(q)]
    assert question_parts("Which legal and ethical matters does the director oversee?") == []
    assert question_parts("What is its role in quality, and can you give an example?") == []
