"""Report files of an eval run: JSON, a Markdown table and a PNG chart against the baseline."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from assistant.evaluation.baseline import GATED, compare
from assistant.evaluation.metrics import METRICS, direction
from assistant.evaluation.pipelines import PIPELINES


def _metrics(report: Any, baseline: dict[str, Any] | None) -> list[str]:
    names = {k for p in report.pipelines.values() for k in p} | set(report.absent)
    if baseline:
        names |= set(baseline["pipelines"].get(GATED, {}))
    order = list(METRICS)
    return sorted(names, key=lambda k: (order.index(k) if k in order else len(order), k))


def _fmt(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}" if abs(value) >= 10 else f"{value:.3f}"
    return f"{value:g}" if isinstance(value, float) else str(value)


def markdown_table(report: Any, baseline: dict[str, Any] | None) -> str:
    """One row per metric: hybrid now, baseline, change, tolerance, status, references."""
    base = (baseline or {}).get("pipelines", {}).get(GATED, {})
    tols = (baseline or {}).get("tolerances", {})
    failing = {r["metric"] for r in compare(report, baseline)}
    refs = [p for p in PIPELINES if p != GATED and p in report.pipelines]
    head = ["metric", "better", GATED, "baseline", "change", "tolerance", "status", *refs]
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for k in _metrics(report, baseline):
        now = report.pipelines.get(GATED, {}).get(k)
        was = base.get(k)
        change = "—" if now is None or was is None else f"{now - was:+.4g}"
        if k in report.absent and now is None:
            status = "absent"
        elif k in failing:
            status = "**REGRESSED**"
        elif was is None:
            status = "new"
        else:
            status = "ok"
        row = [
            k,
            "↑" if direction(k) == "higher" else "↓",
            _fmt(now),
            _fmt(was),
            change,
            _fmt(tols.get(k)) if k in tols else "—",
            status,
            *(_fmt(report.pipelines[p].get(k)) for p in refs),
        ]
        lines.append("| " + " | ".join(row) + " |")
    notes = []
    for k, why in sorted(report.absent.items()):
        notes.append(f"- `{k}` absent: {why}")
    for r in compare(report, baseline):
        if r["metric"] not in report.absent:
            notes.append(f"- `{r['metric']}`: {r['why']}")
    if baseline is None:
        notes.append("- no baseline yet: run with `--update-baseline` to create one")
    return "\n".join(lines + ([""] + notes if notes else [])) + "\n"


def markdown_report(report: Any, baseline: dict[str, Any] | None) -> str:
    counts = ", ".join(f"{n} {t}" for t, n in sorted(report.counts.items()))
    s = report.settings
    out = [
        f"# Evaluation report ({report.created})",
        "",
        f"Set `{report.set_path}` ({counts}); settings `{s.get('fingerprint')}` "
        f"(retriever {s.get('retriever')}, top_k {s.get('top_k')}, {s.get('chunks')} chunks); "
        f"{report.seconds:.1f} s.",
        "",
        markdown_table(report, baseline),
        *_by_type_table(report),
        f"## Failures ({len(report.failures)})",
        "",
    ]
    if not report.failures:
        out.append("None.")
    for f in report.failures:
        hist = f" (after: {' / '.join(f['history'])})" if f.get("history") else ""
        out.append(f"- **{f['id']}** {f['question']}{hist} — {f['failed']}")
        if f.get("answer"):
            answer = " ".join(f["answer"].split())
            out.append(f"  - answer: {answer[:300]}{'…' if len(answer) > 300 else ''}")
    return "\n".join(out) + "\n"


def _by_type_table(report: Any) -> list[str]:
    """The hybrid pipeline per case type (FAQ, body, follow-up, out-of-scope)."""
    by_type = getattr(report, "by_type", {}) or {}
    if not by_type:
        return []
    keys = ["cases", "hit@5", "mrr", "fact_recall", "token_f1", "refused", "answer_words"]
    lines = [
        f"## {GATED} by case type",
        "",
        "| type | " + " | ".join(keys) + " |",
        "|" + " --- |" * (len(keys) + 1),
    ]
    for ctype, stats in by_type.items():
        lines.append(f"| {ctype} | " + " | ".join(_fmt(stats.get(k)) for k in keys) + " |")
    return [*lines, ""]


def chart(report: Any, baseline: dict[str, Any] | None, path: Path) -> Path:
    """Bar chart: every metric, this run's pipelines next to the hybrid baseline."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = [k for k in _metrics(report, baseline) if k not in report.absent]
    rates = [k for k in names if METRICS.get(k, ("", ""))[1] not in ("latency",)]
    rates = [k for k in rates if k not in ("answer_words", "draft_near_duplicates")]
    others = [k for k in names if k not in rates]
    series: list[tuple[str, dict[str, float]]] = [
        (f"{p}", report.pipelines[p]) for p in PIPELINES if p in report.pipelines
    ]
    if baseline:
        series.insert(1, (f"{GATED} baseline", baseline["pipelines"].get(GATED, {})))
    fig, axes = plt.subplots(
        1,
        1 + len(others),
        figsize=(8 + 1.2 * len(others), 4.8),
        gridspec_kw={"width_ratios": [max(1, len(rates))] + [1] * len(others)},
        squeeze=False,
    )
    width = 0.8 / max(1, len(series))
    for ax, keys in zip(axes[0], [rates] + [[k] for k in others], strict=False):
        for i, (label, values) in enumerate(series):
            xs = [j + (i - (len(series) - 1) / 2) * width for j in range(len(keys))]
            ys = [values.get(k, 0.0) for k in keys]
            ax.bar(xs, ys, width, label=label)
        ax.set_xticks(range(len(keys)))
        ax.set_xticklabels(keys, rotation=45, ha="right", fontsize=8)
        if keys is rates:
            ax.set_ylim(0, 1.05)
            ax.set_title("quality (higher is better)", fontsize=9)
        else:
            ax.set_title("lower is better", fontsize=9)
        ax.grid(axis="y", alpha=0.3)
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=len(series), fontsize=8)
    fig.suptitle(f"Evaluation {report.created} — {report.set_path}", fontsize=10)
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def write_report(report: Any, out_dir: Path, baseline: dict[str, Any] | None) -> dict[str, Path]:
    """report.json, report.md and report.png in out_dir; returns their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    data = report.to_dict()
    data["regressions"] = compare(report, baseline)
    data["baseline"] = (baseline or {}).get("pipelines")
    paths = {
        "json": out_dir / "report.json",
        "markdown": out_dir / "report.md",
        "chart": out_dir / "report.png",
    }
    paths["json"].write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    paths["markdown"].write_text(markdown_report(report, baseline))
    chart(report, baseline, paths["chart"])
    return paths


def baseline_table(baseline: dict[str, Any]) -> str:
    """The baseline's metrics, one column per pipeline (the README's table)."""
    pipes = [p for p in PIPELINES if p in baseline["pipelines"]]
    names = sorted(
        {k for p in pipes for k in baseline["pipelines"][p]},
        key=lambda k: list(METRICS).index(k) if k in METRICS else len(METRICS),
    )
    lines = ["| metric | " + " | ".join(pipes) + " |", "|" + " --- |" * (len(pipes) + 1)]
    for k in names:
        cells = [_fmt(baseline["pipelines"][p].get(k)) for p in pipes]
        lines.append(
            f"| {k} {'↑' if direction(k) == 'higher' else '↓'} | " + " | ".join(cells) + " |"
        )
    return "\n".join(lines)


def load_baseline(path: Path | None = None) -> dict[str, Any] | None:
    """The committed baseline (default eval/baseline.json beside the default set), validated."""
    from assistant.evaluation import baseline as baseline_mod
    from assistant.evaluation.cases import default_set

    return baseline_mod.load_baseline(path or default_set().with_name("baseline.json"))
