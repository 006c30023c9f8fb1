"""HTML of the Evaluation tab: the verdict, the score table, the glossary, the failed cases.

Plain words come from ``evaluation.explain``; this module only lays them out. Every value is
escaped; the class names are styled in ``web/style.py`` ("Evaluation tab" block).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from assistant.evaluation import explain
from assistant.evaluation.baseline import GATED, compare
from assistant.evaluation.metrics import direction
from assistant.evaluation.pipelines import PIPELINES

ANSWER_PREVIEW = 400  # characters of the given answer shown under a failed case
FAILURES_SHOWN = 10  # failed cases listed at once; the others are one click away


def verdict_html(v: explain.Verdict) -> str:
    mark, cls = {True: ("\u2714", "pass"), False: ("\u2716", "fail"), None: ("\u2139", "none")}[
        v.passed
    ]
    details = "".join(f"<li>{escape(d)}</li>" for d in v.details)
    return (
        f'<div class="eval-verdict {cls}">'
        f'<p class="eval-headline"><span class="eval-mark" aria-hidden="true">{mark}</span> '
        f"{escape(v.headline)}</p>"
        f'<ul class="eval-details">{details}</ul></div>'
    )


def _value(value: Any, metric: str) -> str:
    if value is None:
        return "\u2014"
    if metric in explain.TIMES:
        return f"{value:.0f} ms"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.3f}" if explain.is_rate(metric) else f"{value:.1f}"
    return f"{value:g}"


def _result(metric: str, now: Any, was: Any, tol: float, failing: set[str],
            absent: Mapping[str, str]) -> tuple[str, str]:
    """(text, class) of the Result column."""
    if now is None:
        return ("not measured", "absent") if metric in absent or was is not None else ("", "")
    if metric in failing:
        return "\u25bc fell below the baseline", "regressed"
    if was is None:
        return "new", "new"
    gain = (now - was) if direction(metric) == "higher" else (was - now)
    if gain > tol + 1e-9 and metric not in explain.TIMES:
        return "\u25b2 better", "better"
    return "\u2714 ok", "ok"


def scores_html(report: Any, baseline: dict[str, Any] | None) -> str:
    """The gated pipeline's scores by group: now, baseline, allowed drop, result; the
    reference pipelines as extra columns (hidden on a phone, where the chart shows them)."""
    base = (baseline or {}).get("pipelines", {}).get(GATED, {})
    tols = (baseline or {}).get("tolerances", {})
    failing = {r["metric"] for r in compare(report, baseline)}
    now = report.pipelines.get(GATED, {})
    refs = [p for p in PIPELINES if p != GATED and p in report.pipelines]
    shown = set(now) | set(base) | set(report.absent)
    grouped = [(t, [k for k in names if k in shown]) for t, names in explain.GROUPS]
    others = sorted(shown - {k for _, names in explain.GROUPS for k in names})
    if others:
        grouped.append(("Other", others))
    head = (
        '<tr><th scope="col">Score</th><th scope="col">This run</th>'
        '<th scope="col">Baseline</th><th scope="col" class="tol-col">Allowed drop</th>'
        '<th scope="col">Result</th>'
        + "".join(f'<th scope="col" class="ref-col">{escape(p)}</th>' for p in refs)
        + "</tr>"
    )
    rows = []
    for title, keys in grouped:
        if not keys:
            continue
        rows.append(f'<tr class="group"><th scope="colgroup" colspan="{5 + len(refs)}">'
                    f"{escape(title)}</th></tr>")
        for k in keys:
            tol = float(tols.get(k, 0.0))
            text, cls = _result(k, now.get(k), base.get(k), tol, failing, report.absent)
            better = "higher" if direction(k) == "higher" else "lower"
            rows.append(
                f'<tr class="{cls}"><th scope="row"><span class="score-name">'
                f"{escape(explain.plain_name(k))}</span> "
                f'<code class="score-code">{escape(k)}</code>'
                f'<span class="score-dir"> ({better} is better)</span></th>'
                f"<td>{_value(now.get(k), k)}</td><td>{_value(base.get(k), k)}</td>"
                f'<td class="tol-col">{_value(tol, k) if k in tols else chr(0x2014)}</td>'
                f'<td class="result">{escape(text)}</td>'
                + "".join(f'<td class="ref-col">{_value(report.pipelines[p].get(k), k)}</td>'
                          for p in refs)
                + "</tr>"
            )
    caption = (f"Scores of the {GATED} pipeline (the assistant) against the committed baseline"
               + ("" if baseline else " (there is no baseline yet)"))
    return (
        '<div class="eval-scores"><table>'
        f"<caption>{escape(caption)}</caption><thead>{head}</thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def glossary_html() -> str:
    """Every score and pipeline in plain words, grouped as the table is."""
    parts = ['<div class="eval-glossary">',
             "<p>Most scores are shares from 0 (never) to 1 (always). The baseline is the "
             "score committed with the code; a score may drop by its <em>allowed drop</em> "
             "before it counts as a regression.</p>"]
    for title, keys in explain.GROUPS:
        parts.append(f"<h4>{escape(title)}</h4><dl>")
        for k in keys:
            parts.append(f"<dt><code>{escape(k)}</code> {escape(explain.plain_name(k))}</dt>"
                         f"<dd>{escape(explain.describe(k))}</dd>")
        parts.append("</dl>")
    parts.append("<h4>Pipelines (the colours of the chart)</h4><dl>")
    for name, what in explain.PIPELINE_GLOSSARY.items():
        parts.append(f"<dt><code>{escape(name)}</code></dt><dd>{escape(what)}</dd>")
    parts.append("</dl></div>")
    return "".join(parts)


def failures_html(failures: Sequence[explain.PlainFailure]) -> str:
    if not failures:
        return ('<h3>Cases with a problem</h3>'
                '<p class="eval-nofail">None: every case was fully right.</p>')
    items = []
    for f in failures:
        history = "".join(f"<li>{escape(h)}</li>" for h in f.history)
        before = (f'<p class="fail-history">After:</p><ol class="fail-history">{history}</ol>'
                  if history else "")
        problems = "".join(f"<li>{escape(p)}</li>" for p in f.problems)
        expected = (f'<p class="fail-expected"><strong>Expected:</strong> {escape(f.expected)}'
                    "</p>" if f.expected else "")
        answer = ""
        if f.answer:
            text = f.answer if len(f.answer) <= ANSWER_PREVIEW else (
                f.answer[:ANSWER_PREVIEW].rsplit(" ", 1)[0] + "\u2026")
            answer = (f'<details class="fail-answer"><summary>The answer it gave</summary>'
                      f"<p>{escape(text)}</p></details>")
        items.append(
            f'<li class="eval-failure"><p class="fail-question">'
            f"<strong>{escape(f.question)}</strong></p>{before}"
            f'<p class="fail-case">{escape(f.kind)} \u00b7 <code>{escape(f.id)}</code></p>'
            f'<ul class="fail-problems">{problems}</ul>{expected}{answer}</li>'
        )
    n = len(failures)
    rest = ""
    if n > FAILURES_SHOWN:
        rest = (f'<details class="fail-rest"><summary>Show the other {n - FAILURES_SHOWN} '
                f'cases</summary><ol start="{FAILURES_SHOWN + 1}">'
                f'{"".join(items[FAILURES_SHOWN:])}</ol></details>')
    return ('<div class="eval-failures"><h3>Cases with a problem</h3>'
            f'<p>{n} case{"s" if n != 1 else ""} with a problem, in the order of the set:</p>'
            f'<ol>{"".join(items[:FAILURES_SHOWN])}</ol>{rest}</div>')

