"""The Evaluation tab's plain words (evaluation/explain.py) and the chart (report.chart):
a verdict a non-engineer can act on, a glossary entry for every metric, failure phrases as
sentences with what was expected, and a chart with nothing clipped and no empty panel."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from assistant.evaluation import explain
from assistant.evaluation.cases import Case
from assistant.evaluation.metrics import METRICS
from assistant.evaluation.pipelines import PIPELINES
from assistant.evaluation.report import chart
from assistant.web import evaluation_view


def run(**hybrid: float) -> Any:
    values = {"hit@1": 0.8, "mrr": 0.9, "lead_accuracy": 0.83, "answer_words": 50.0,
              "latency_p50_ms": 40.0, "draft_near_duplicates": 0.0,
              "draft_responsibilities_min": 12.0, **hybrid}
    return SimpleNamespace(
        pipelines={"hybrid": values,
                   "dense-llamaindex": {"hit@1": 0.7, "mrr": 0.8, "answer_words": 48.0,
                                        "latency_p50_ms": 30.0},
                   "bm25": {"hit@1": 0.6, "mrr": 0.7, "answer_words": 44.0,
                            "latency_p50_ms": 20.0}},
        absent={}, counts={"faq": 3, "natural": 5}, created="2026-12-01T00:00:00Z",
        set_path="eval/cases.jsonl",
        failures=[{"id": "nat-1", "type": "natural", "question": "q", "failed": "x"}],
    )


BASELINE = {
    "pipelines": {"hybrid": {"hit@1": 0.8, "mrr": 0.9, "lead_accuracy": 0.83,
                             "answer_words": 50.0, "latency_p50_ms": 40.0,
                             "draft_near_duplicates": 0.0, "draft_responsibilities_min": 12.0}},
    "tolerances": {"hit@1": 0.02, "mrr": 0.02, "lead_accuracy": 0.03, "answer_words": 8.0,
                   "latency_p50_ms": 250.0, "draft_near_duplicates": 1.0,
                   "draft_responsibilities_min": 0.0},
}


def test_every_metric_and_pipeline_has_a_glossary_entry() -> None:
    assert set(METRICS) <= set(explain.GLOSSARY)
    assert set(PIPELINES) == set(explain.PIPELINE_GLOSSARY)
    assert set(METRICS) <= {k for _, names in explain.GROUPS for k in names}
    for k in METRICS:
        line = explain.describe(k)
        assert ("higher is better" in line) != ("lower is better" in line), k
    html = evaluation_view.glossary_html()
    for k in ("hit@1", "mrr", "ndcg@5", "rouge_l", "answer_precision", "lead_accuracy",
              "natural_fact_recall", "followup_accuracy", "typo_accuracy",
              "near_domain_refusal", "partial_accuracy", "citation_precision",
              "draft_style", "review_verdict_accuracy", "dense-llamaindex", "bm25"):
        assert f"<code>{k}</code>" in html


def test_the_verdict_says_no_regressions_and_counts_the_cases_fully_right() -> None:
    v = explain.verdict(run(), BASELINE)
    assert v.passed is True
    assert v.headline == "No regressions against the baseline \u2014 7 of 8 cases fully right."
    assert any("not regressions by themselves" in d for d in v.details)


def test_the_verdict_names_each_score_that_fell() -> None:
    v = explain.verdict(run(lead_accuracy=0.70, mrr=0.85), BASELINE)
    assert v.passed is False
    assert v.headline.startswith("2 scores fell below the baseline: ")
    assert "Rank of the right passage (MRR) (mrr) is 0.85, baseline 0.90" in v.headline
    assert "Answer leads with the point (lead_accuracy) is 0.70" in v.headline
    html = evaluation_view.scores_html(run(lead_accuracy=0.70), BASELINE)
    assert html.count('class="regressed"') == 1


def test_without_a_baseline_the_verdict_says_so() -> None:
    v = explain.verdict(run(), None)
    assert v.passed is None and v.headline.startswith("No baseline to compare with yet")


@pytest.mark.parametrize(
    ("raw", "plain"),
    [
        ("missing key facts: barcode",
         "The answer did not mention \u201cbarcode\u201d (expected among its key facts)."),
        ("missing key facts: hospitals, laboratories",
         "The answer did not mention \u201chospitals\u201d or \u201claboratories\u201d (both "
         "expected among its key facts)."),
        ("no gold passage in the top 5",
         "The search did not find the passage that holds the answer among its top 5 results."),
        ("answered as partial, expected covered",
         "It gave a partial answer (saying what the knowledge base lacks); a full answer was "
         "expected."),
        ("3 of 3 sentences off the point", "None of its 3 sentences addresses the question."),
        ("1 of 4 sentences off the point", "1 of its 4 sentences does not address the question."),
        ("line \u201cActive Oregon license\u201d: expected partly supported, got not in the "
         "knowledge base",
         "The line \u201cActive Oregon license\u201d was marked not in the knowledge base; "
         "partly supported was expected."),
        ("something new", "Something new."),
    ],
)
def test_failure_phrases_read_as_sentences(raw: str, plain: str) -> None:
    assert explain.plain_problems(raw) == [plain]


def test_a_failure_carries_the_question_and_what_was_expected() -> None:
    case = Case(id="body-44", type="body", question="What part does the director play?",
                reference="An example is a barcode medication system.")
    [f] = explain.plain_failures(
        [{"id": "body-44", "type": "body", "question": case.question, "history": [],
          "failed": "missing key facts: barcode; 2 of 4 sentences off the point",
          "answer": "It leads. [1]"}],
        [case],
    )
    assert f.problems == ("The answer did not mention \u201cbarcode\u201d (expected among its "
                          "key facts).", "2 of its 4 sentences do not address the question.")
    assert f.expected == "An answer like: \u201cAn example is a barcode medication system.\u201d"
    html = evaluation_view.failures_html([f])
    assert "What part does the director play?" in html and "Expected:" in html
    assert "missing key facts" not in html


def test_the_chart_has_a_legend_a_tolerance_band_no_empty_panel_and_nothing_clipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import matplotlib.figure

    figures: list[Any] = []
    real = matplotlib.figure.Figure.savefig

    def keep(self: Any, *args: Any, **kwargs: Any) -> Any:
        figures.append(self)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", keep)
    path = chart(run(), BASELINE, tmp_path / "c.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    [fig] = figures
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend[:3] == ["hybrid \u2014 the assistant, this run",
                          "dense-llamaindex \u2014 reference: vector search only",
                          "bm25 \u2014 reference: keyword search only"]
    assert any("allowed drop" in t for t in legend) and any("baseline" in t for t in legend)
    for ax in fig.axes:
        assert ax.patches, f"empty panel: {ax.get_title()}"  # bars or the tolerance band
    labels = [t.get_text() for ax in fig.axes for t in ax.get_yticklabels()]
    assert not any("draft_near_duplicates" in t for t in labels)  # 0 everywhere: a footnote
    assert "draft_near_duplicates" in fig.get_supxlabel()
    # a grey band per baselined row (the 0.02 tolerance of hit@1 is 0.02 wide)
    bands = [p for ax in fig.axes for p in ax.patches if p.get_facecolor()[:3] != (0, 0, 0)
             and abs(p.get_width() - 0.02) < 1e-9]
    assert bands
    # saved with a tight bounding box and a margin: nothing touches an edge of the image
    from PIL import Image

    img = Image.open(path).convert("L")
    w, h = img.size
    for box in ((0, 0, 6, h), (w - 6, 0, w, h), (0, 0, w, 6), (0, h - 6, w, h)):
        assert img.crop(box).getextrema() == (255, 255), f"something is cut at {box}"
