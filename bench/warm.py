"""Child process: warm `ask` and `retrieve` latencies over a question list (JSON on stdout).

python -m bench.warm QUESTIONS.json [--repeat N]   (settings from ASSISTANT_* env)
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from assistant import Assistant


def main(argv: list[str]) -> int:
    items = json.loads(Path(argv[0]).read_text())  # [{"question", "history"}]
    repeat = int(argv[argv.index("--repeat") + 1]) if "--repeat" in argv else 1
    a = Assistant()
    for item in items[:3]:  # warm-up: model, Chroma, BM25 loaded
        a.ask(item["question"], history=item.get("history", []))
    ask_s, retrieve_s = [], []
    for _ in range(repeat):
        for item in items:
            t0 = time.perf_counter()
            a.ask(item["question"], history=item.get("history", []))
            ask_s.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            a.retrieve(item["question"], history=item.get("history", []))
            retrieve_s.append(time.perf_counter() - t0)
    print(json.dumps({"ask": ask_s, "retrieve": retrieve_s}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
