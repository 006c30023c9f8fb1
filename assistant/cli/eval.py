"""`python -m assistant eval`: run the set, write the report, gate on the baseline."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from assistant.cli.common import assistant_for, progress_bar
from assistant.evaluation.baseline import (
    compare,
    default_baseline,
    load_baseline,
    make_baseline,
    save_baseline,
)
from assistant.evaluation.cases import default_set, load_cases
from assistant.evaluation.report import markdown_table, write_report
from assistant.evaluation.runner import run_eval

EXIT_REGRESSION = 1


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "eval",
        help="run the evaluation set and compare with the committed baseline",
        description="Run every case through the hybrid pipeline and the two reference "
        "pipelines (LlamaIndex dense, BM25), write a report (JSON, Markdown, PNG) and exit "
        f"{EXIT_REGRESSION} when a metric dropped more than its tolerance in the baseline.",
    )
    p.add_argument("--set", type=Path, default=None, metavar="FILE", help="eval set (JSONL)")
    p.add_argument(
        "--baseline",
        type=Path,
        default=None,
        metavar="FILE",
        help="baseline to compare with (default eval/baseline.json for the default set, "
        "FILE.baseline.json beside another set)",
    )
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument(
        "--report",
        type=Path,
        default=None,
        metavar="DIR",
        help="where to write report.json/.md/.png (default eval/reports/<timestamp>/)",
    )
    p.add_argument(
        "--update-baseline",
        action="store_true",
        help="rewrite the baseline with this run's metrics (keeps its tolerances)",
    )
    p.set_defaults(func=cmd_eval)


def cmd_eval(args: argparse.Namespace) -> int:
    set_path = args.set or default_set()
    load_cases(set_path)  # a malformed set is reported before any work
    baseline_path = args.baseline or default_baseline(set_path, default_set())
    baseline = load_baseline(baseline_path)
    report = run_eval(assistant_for(args), set_path, progress=progress_bar())
    out_dir = args.report or Path("eval/reports") / datetime.now().strftime("%Y%m%d-%H%M%S")
    if args.update_baseline:
        command = "python -m assistant eval --update-baseline" + (
            f" --set {args.set}" if args.set else ""
        )
        save_baseline(make_baseline(report, baseline, command), baseline_path)
        baseline = load_baseline(baseline_path)
    paths = write_report(report, out_dir, baseline)
    regressions = compare(report, baseline)
    if args.json:
        data = report.to_dict()
        data["regressions"] = regressions
        data["report"] = {k: str(v) for k, v in paths.items()}
        print(json.dumps(data, ensure_ascii=False))
    else:
        print(markdown_table(report, baseline))
        print(f"{len(report.failures)} failing case(s); report: {paths['markdown']}")
        if args.update_baseline:
            print(f"baseline updated: {baseline_path}")
    if regressions:
        for r in regressions:
            print(f"regression: {r['metric']}: {r['why']}", file=sys.stderr)
        return EXIT_REGRESSION
    return 0
