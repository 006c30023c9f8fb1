"""Measure the LLM answerer on the eval set: support before and after verification, and the
eval metrics of both answerers side by side (hybrid retrieval; the answer path differs).

    python scripts/llm_measure.py --base-url http://127.0.0.1:PORT/v1 --model NAME [--key K]

"Before verification" is what a reader would see if the model's own citations were trusted:
the share of its sentences whose cited sources (numbers that exist) support them.
"After verification" is what is shown: each sentence marked supported is re-checked
against the passages it is shown with (must be 100%), plus the share of sentences shown
as supported (the answer's support_ratio) and how many answers fell back to extractive.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from assistant import Assistant, load_settings
from assistant.answering import generative as llm_module
from assistant.citations import is_supported_generated
from assistant.evaluation.runner import run_eval

RECORDED: list[llm_module.Verifier] = []


class RecordingVerifier(llm_module.Verifier):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        RECORDED.append(self)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--base-url", required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--key", default=None)
    ap.add_argument("--out", type=Path, default=Path("/tmp/llm_measure.json"))
    ap.add_argument("--cases", default="", help="comma-separated case ids (default: all)")
    args = ap.parse_args()
    llm_module.Verifier = RecordingVerifier  # type: ignore[misc]

    ext = Assistant(load_settings(answerer="extractive"))
    gen = Assistant(
        load_settings(
            answerer="llm", llm_base_url=args.base_url, llm_model=args.model, llm_api_key=args.key
        )
    )
    set_path = None
    if args.cases:  # a subset of the eval set, e.g. when the machine is slow
        wanted = set(args.cases.split(","))
        lines = Path("eval/cases.jsonl").read_text().splitlines()
        keep = [x for x in lines if x.strip() and json.loads(x)["id"] in wanted]
        set_path = args.out.with_suffix(".cases.jsonl")
        set_path.write_text("\n".join(keep) + "\n")
    t0 = time.perf_counter()
    r_ext = run_eval(ext, set_path, pipelines=("hybrid",), drafting=False)
    t1 = time.perf_counter()
    r_llm = run_eval(gen, set_path, pipelines=("hybrid",), drafting=False)
    t2 = time.perf_counter()

    rows = r_llm.cases["hybrid"]
    generated = own = verified = shown_ok = shown_supported = 0
    answers_llm = answers_fallback = 0
    for v in RECORDED:
        for c in v.checked:
            generated += 1
            own += c.own
            verified += c.verified
        shown = [s for s in v.shown if s.verified]
        by_num = {c.id: c.text for c in v.numbering.citations()}
        for s in shown:
            shown_supported += 1
            shown_ok += is_supported_generated(s.text, [by_num[n] for n in s.citations])
        if any(s.verified for s in v.shown):
            answers_llm += 1
        else:
            answers_fallback += 1
    per_answer = [sum(c.own for c in v.checked) / len(v.checked) for v in RECORDED if v.checked]
    per_answer_after = [v.support_ratio for v in RECORDED if v.checked]
    summary = {
        "answers_generated": len(RECORDED),
        "answers_shown_from_llm": answers_llm,
        "answers_fell_back_to_extractive": answers_fallback,
        "sentences_generated": generated,
        "support_before_verification": own / generated if generated else 0.0,
        "support_before_mean_per_answer": sum(per_answer) / len(per_answer) if per_answer else 0,
        "support_ratio_after_mean_per_answer": (
            sum(per_answer_after) / len(per_answer_after) if per_answer_after else 0
        ),
        "sentences_verified_after": verified / generated if generated else 0.0,
        "shown_as_supported": shown_supported,
        "shown_as_supported_and_supported": shown_ok / shown_supported if shown_supported else 1,
        "seconds_extractive_eval": round(t1 - t0, 1),
        "seconds_llm_eval": round(t2 - t1, 1),
    }
    metrics = {
        "extractive": r_ext.pipelines["hybrid"],
        "llm": r_llm.pipelines["hybrid"],
    }
    args.out.write_text(json.dumps({"summary": summary, "metrics": metrics, "rows": rows}, indent=1))
    print(json.dumps(summary, indent=1))
    keys = list(metrics["extractive"])
    print("\n| metric | extractive | llm (SmolLM2-135M, verified) |\n| --- | --- | --- |")
    for k in keys:
        print(f"| {k} | {metrics['extractive'][k]} | {metrics['llm'].get(k)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
