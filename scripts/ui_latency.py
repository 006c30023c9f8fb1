"""Single-user latency of the running UI: submit -> first streamed text, and -> full answer.

    python scripts/ui_latency.py http://127.0.0.1:7860/ [N]

Asks the eval set's questions (or a built-in list) one at a time through the chat event
(`/chat`, the same streaming generator the browser uses) with gradio_client and prints p50/p95
of the time to the first update that holds answer text, and to the final answer.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

from gradio_client import Client

FALLBACK = [
    "What are the main responsibilities of a medical director?",
    "How many years of clinical experience does a medical director need?",
    "Which key performance indicators measure a medical director's success?",
    "What qualifications are required to become a medical director?",
]


def questions(n: int) -> list[str]:
    path = Path("eval/cases.jsonl")
    qs = []
    if path.exists():
        for line in path.read_text().splitlines():
            if line.strip():
                case = json.loads(line)
                if case.get("question") and not case.get("history"):
                    qs.append(case["question"])
    qs = qs or FALLBACK
    return [qs[i % len(qs)] for i in range(n)]


def text_of(message: dict) -> str:  # type: ignore[type-arg]
    content = message["content"]
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content)
    return str(content)


def main() -> None:
    url = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:7860/"
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    client = Client(url, verbose=False)
    first, total = [], []
    for q in questions(n):
        t0 = time.perf_counter()
        job = client.submit(q, [], api_name="/chat")
        got = None
        for messages, _box in job:
            if got is None and len(messages) >= 2 and text_of(messages[-1]) not in ("", "…"):
                got = time.perf_counter() - t0
        job.result()
        total.append(time.perf_counter() - t0)
        first.append(got if got is not None else total[-1])

    def pct(xs: list[float], p: float) -> float:
        return statistics.quantiles(xs, n=100)[int(p) - 1] * 1000 if len(xs) > 1 else xs[0] * 1000

    print(f"{n} questions, one at a time, via /chat (gradio_client streaming)")
    print(f"submit -> first streamed text: p50 {pct(first, 50):.0f} ms, p95 {pct(first, 95):.0f} ms")
    print(f"submit -> complete answer:     p50 {pct(total, 50):.0f} ms, p95 {pct(total, 95):.0f} ms")


if __name__ == "__main__":
    main()
