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


def _label(metric: str, name: str) -> str:
    """ "Right passage first (hit@1)"; the code is left out when the name already has it."""
    return name if metric.lower() in name.lower() else f"{name} ({metric})"


# The chart's colours (colour-blind safe): the gated pipeline strong, the references muted.
COLOURS = {GATED: "#1f5fa8", "dense-llamaindex": "#e69f00", "bm25": "#8c8c8c"}
SERIES_LABELS = {
    GATED: f"{GATED} \u2014 the assistant, this run",
    "dense-llamaindex": "dense-llamaindex \u2014 reference: vector search only",
    "bm25": "bm25 \u2014 reference: keyword search only",
}


def chart(report: Any, baseline: dict[str, Any] | None, path: Path) -> Path:
    """Horizontal bars, one row per metric, grouped as the UI's table is: this run's pipelines,
    the hybrid baseline as a black tick and its tolerance as a grey band. Shares (0-1) share
    one scale; each count or time gets its own; metrics that are 0 everywhere are named in a
    footnote instead of drawing an empty panel."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch, Rectangle

    from assistant.evaluation import explain

    base = (baseline or {}).get("pipelines", {}).get(GATED, {})
    tols = (baseline or {}).get("tolerances", {})
    failing = {r["metric"] for r in compare(report, baseline)}
    series = [p for p in PIPELINES if p in report.pipelines]
    measured = [k for k in _metrics(report, baseline) if k not in report.absent
                and any(k in report.pipelines[p] for p in series)]

    def values(k: str) -> list[float]:
        return [v for p in series if (v := report.pipelines[p].get(k)) is not None] + (
            [base[k]] if k in base else [])

    zero = [k for k in measured if not explain.is_rate(k) and not any(values(k))]
    panels: list[tuple[str, list[str], bool]] = []  # (title, metrics, shares 0-1)
    for title, names in explain.GROUPS:
        rates = [k for k in names if k in measured and explain.is_rate(k)]
        if rates:
            panels.append((title, rates, True))
    grouped = {k for _, names in explain.GROUPS for k in names}
    rest = [k for k in measured if k not in grouped and explain.is_rate(k)]
    if rest:
        panels.append(("Other", rest, True))
    for k in measured:
        if not explain.is_rate(k) and k not in zero:
            panels.append(("", [k], False))

    heights = [len(keys) + (0.9 if title else 0.6) for title, keys, _ in panels]
    fig, axes = plt.subplots(
        len(panels), 1, figsize=(9, 1.6 + 0.3 * sum(heights)), squeeze=False,
        gridspec_kw={"height_ratios": heights}, layout="constrained",
    )
    bar = 0.8 / max(1, len(series))
    for ax, (title, keys, shares) in zip(axes[:, 0], panels, strict=True):
        for row, k in enumerate(keys):
            for i, p in enumerate(series):
                v = report.pipelines[p].get(k)
                if v is None:
                    continue
                y = row + (i - (len(series) - 1) / 2) * bar
                ax.barh(y, v, bar * 0.92, color=COLOURS.get(p, "#555555"), zorder=2)
                if p == GATED:
                    ax.annotate(_fmt(v), (v, y), xytext=(3, 0), textcoords="offset points",
                                va="center", fontsize=7, zorder=4)
            if k in base:
                b = base[k]
                tol = float(tols.get(k, 0.0))
                low = b - tol if direction(k) == "higher" else b
                ax.add_patch(Rectangle((low, row - 0.48), tol, 0.96, color="#bdbdbd",
                                       alpha=0.55, zorder=1, linewidth=0))
                ax.plot([b, b], [row - 0.48, row + 0.48], color="black", lw=1.6, zorder=3)
        labels = [_label(k, explain.plain_name(k)) + (" \u25bc fell" if k in failing else "")
                  for k in keys]
        ax.set_yticks(range(len(keys)), labels, fontsize=8)
        for tick, k in zip(ax.get_yticklabels(), keys, strict=True):
            if k in failing:
                tick.set_color("#b91c1c")
                tick.set_fontweight("bold")
        ax.set_ylim(len(keys) - 0.5, -0.5)
        top = max(values(keys[0]) + [0.0]) if not shares else 1.0
        tol_top = (base.get(keys[0], 0.0) + float(tols.get(keys[0], 0.0))) if not shares else 0
        ax.set_xlim(0, (1.0 if shares else max(top, tol_top) or 1.0) * 1.14)
        if shares:
            ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0])
        ax.tick_params(axis="x", labelsize=7)
        ax.grid(axis="x", alpha=0.3, zorder=0)
        ax.spines[["top", "right"]].set_visible(False)
        if title:
            ax.set_title(f"{title} (0 to 1, higher is better)" if shares else title,
                         fontsize=9, loc="left", fontweight="bold")
        elif keys[0] in explain.TIMES:
            ax.set_xlabel("milliseconds, lower is better", fontsize=7)
        else:
            ax.set_xlabel(f"count, {direction(keys[0])} is better", fontsize=7)
    handles: list[Any] = [Patch(color=COLOURS.get(p, "#555555"), label=SERIES_LABELS.get(p, p))
                          for p in series]
    if baseline:
        handles += [
            Line2D([0], [0], color="black", lw=1.6, label=f"{GATED} baseline (committed)"),
            Patch(color="#bdbdbd", alpha=0.55,
                  label="allowed drop: falling inside the band is not a regression"),
        ]
    fig.legend(handles=handles, loc="outside upper center", ncol=2, fontsize=8,
               frameon=False, title=f"Evaluation {report.created} \u2014 {report.set_path}",
               title_fontproperties={"size": 10, "weight": "bold"})
    if zero:
        fig.supxlabel("0 in every pipeline (as wanted), not drawn: " + ", ".join(zero),
                      fontsize=7, ha="center")
    fig.savefig(path, dpi=100, bbox_inches="tight", pad_inches=0.15)
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
