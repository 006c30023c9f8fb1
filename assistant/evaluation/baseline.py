"""The committed baseline (eval/baseline.json): metrics per pipeline plus per-metric
tolerances, and the gate that compares a run with it (direction-aware)."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from assistant.errors import InputError
from assistant.evaluation.metrics import METRICS, direction

GATED = "hybrid"  # the pipeline the gate protects; the others are references
# Quality metrics get tight tolerances (about one case of the set); latency depends on the
# machine (a loaded 2-core CI box is several times slower), so it only catches blow-ups.
DEFAULT_TOLERANCES: dict[str, float] = {
    "hit@1": 0.02,
    "hit@3": 0.02,
    "hit@5": 0.02,
    "mrr": 0.02,
    "ndcg@5": 0.02,
    "fact_recall": 0.02,
    "token_f1": 0.02,
    "rouge_l": 0.02,
    "citation_precision": 0.0,
    "citation_coverage": 0.0,
    "refusal_precision": 0.0,
    "refusal_recall": 0.0,
    "answer_words": 8.0,
    "latency_p50_ms": 250.0,
    "latency_p95_ms": 750.0,
    "draft_cited_verified": 0.02,
    "draft_theme_coverage": 0.05,
    "draft_near_duplicates": 1.0,
    # the natural set (questions as people type them): about one case of each group
    "answer_precision": 0.03,
    "sentence_precision": 0.03,
    "lead_accuracy": 0.03,
    "natural_hit@5": 0.03,
    "natural_fact_recall": 0.03,
    "natural_accuracy": 0.04,
    "followup_accuracy": 0.06,
    "typo_accuracy": 0.07,
    "near_domain_refusal": 0.04,
    "partial_accuracy": 0.08,
    "task_accuracy": 0.0,
    # the recruiter rubric on full drafts
    "draft_structure_complete": 0.0,
    "draft_responsibilities_min": 0.0,
    "draft_duty_themes_min": 0.0,
    "draft_paraphrase_duplicates": 0.0,
    "draft_style": 0.02,
    "draft_full_cited_verified": 0.0,
    "draft_emphasis_handled": 0.0,
    "draft_posting_coverage": 0.08,
}
# Our hybrid must be at least as good as every reference pipeline on these.
MUST_BEAT = ("hit@5", "mrr")


def default_baseline(set_path: Path, default_set: Path) -> Path:
    """eval/baseline.json for the default set; FILE.baseline.json beside any other set."""
    if set_path.resolve() == default_set.resolve():
        return default_set.with_name("baseline.json")
    return set_path.with_name(set_path.stem + ".baseline.json")


def load_baseline(path: Path) -> dict[str, Any] | None:
    """The baseline, None when there is none yet, InputError when it is malformed."""
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"Cannot read baseline {path}: {exc}") from None
    pipes = data.get("pipelines") if isinstance(data, dict) else None
    tols = data.get("tolerances") if isinstance(data, dict) else None
    ok = (
        isinstance(pipes, dict)
        and isinstance(tols, dict)
        and all(
            isinstance(v, dict)
            and all(isinstance(x, int | float) and not isinstance(x, bool) for x in v.values())
            for v in pipes.values()
        )
        and all(isinstance(x, int | float) and not isinstance(x, bool) for x in tols.values())
    )
    if not ok:
        raise InputError(
            f"Baseline {path} is malformed: it needs 'pipelines' (pipeline -> metric -> number) "
            "and 'tolerances' (metric -> number)."
        )
    return data


def compare(report: Any, baseline: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Every gated metric that dropped more than its tolerance, and any reference pipeline
    that beats the hybrid on hit@5 or MRR. Empty means the gate passes."""
    out: list[dict[str, Any]] = []
    current = report.pipelines.get(GATED, {})
    if baseline is not None:
        tolerances = baseline.get("tolerances", {})
        for metric, base in baseline["pipelines"].get(GATED, {}).items():
            tol = float(tolerances.get(metric, DEFAULT_TOLERANCES.get(metric, 0.0)))
            if metric not in current:
                why = report.absent.get(metric, "not measured in this run")
                out.append({"metric": metric, "baseline": base, "value": None, "why": why})
                continue
            value = current[metric]
            drop = (base - value) if direction(metric) == "higher" else (value - base)
            if drop > tol + 1e-9:
                out.append(
                    {
                        "metric": metric,
                        "baseline": base,
                        "value": value,
                        "tolerance": tol,
                        "why": f"{'fell' if direction(metric) == 'higher' else 'rose'} by "
                        f"{abs(value - base):.4g} (tolerance {tol:g})",
                    }
                )
    for metric in MUST_BEAT:
        for name, values in report.pipelines.items():
            if name == GATED or metric not in values or metric not in current:
                continue
            if values[metric] > current[metric] + 1e-9:
                out.append(
                    {
                        "metric": metric,
                        "baseline": values[metric],
                        "value": current[metric],
                        "why": f"the {name} reference pipeline beats {GATED} "
                        f"({values[metric]:.4f} > {current[metric]:.4f})",
                    }
                )
    return out


def make_baseline(report: Any, old: dict[str, Any] | None, command: str) -> dict[str, Any]:
    """A new baseline from a run; tolerances are kept from the old file where it had them."""
    tolerances = dict(DEFAULT_TOLERANCES)
    if old:
        tolerances.update(old.get("tolerances", {}))
    measured = {k for p in report.pipelines.values() for k in p}
    return {
        "about": "Committed eval baseline; `python -m assistant eval` fails when a hybrid "
        "metric drops more than its tolerance (absolute; direction-aware).",
        "set": report.set_path,
        "created": report.created,
        "command": command,
        "settings": report.settings,
        "counts": report.counts,
        "directions": {k: direction(k) for k in METRICS if k in measured},
        "tolerances": {k: v for k, v in tolerances.items() if k in measured or k in METRICS},
        "pipelines": report.pipelines,
        "absent": report.absent,
    }


def save_baseline(data: dict[str, Any], path: Path) -> Path:
    """Write atomically (temp file + rename): a crash leaves the old baseline intact."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".baseline-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=2, sort_keys=False)
        f.write("\n")
    os.replace(tmp, path)
    return path
