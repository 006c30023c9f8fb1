"""Child process: a warm review of a 40-line job description (JSON on stdout).

python -m bench.review [--repeat N]   (settings from ASSISTANT_* env; an ingested index)

The description is eval/reviews/long-template.md (34 lines, every posting section) with six
organisation-specific duties of eval/reviews/org-specific.md appended: 40 reviewed lines.
The short three-bullet posting (eval/reviews/short-posting.txt) is the other extreme: few
lines, but almost every theme and section missing, so most of the suggestions to write.
Timed: ``Assistant.review`` (every line judged, repeats, missing themes with suggestions),
then the Markdown report and the DOCX export, in a process where the model, Chroma and BM25
are loaded and one review has been made.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from assistant import Assistant

REVIEWS = Path(__file__).resolve().parents[1] / "eval" / "reviews"


def description() -> str:
    extra = [
        ln
        for ln in (REVIEWS / "org-specific.md").read_text(encoding="utf-8").splitlines()
        if ln.startswith("- ")
    ][:6]
    base = (REVIEWS / "long-template.md").read_text(encoding="utf-8")
    return base + "\n## Additional duties\n\n" + "\n".join(extra) + "\n"


def main(argv: list[str]) -> int:
    from assistant.drafting import review_report

    repeat = int(argv[argv.index("--repeat") + 1]) if "--repeat" in argv else 3
    a = Assistant()
    a.ask("What does a medical director do?")  # model, Chroma and BM25 loaded
    text = description()
    first = a.review(text)  # warm-up: review modules imported
    lines = len(first.lines)
    assert lines == 40, lines
    times, report = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(repeat):
            t0 = time.perf_counter()
            r = a.review(text)
            times.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            review_report.to_markdown(r)
            review_report.to_docx(r, Path(tmp) / "report.docx")
            report.append(time.perf_counter() - t0)
        short_text = (REVIEWS / "short-posting.txt").read_text(encoding="utf-8")
        short = a.review(short_text)
        short_times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            a.review(short_text)
            short_times.append(time.perf_counter() - t0)
    print(
        json.dumps(
            {
                "lines": lines,
                "counts": first.counts(),
                "missing": len(first.missing),
                "review": times,
                "report": report,
                "median": statistics.median(times),
                "short": short_times,
                "short_missing": len(short.missing),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
