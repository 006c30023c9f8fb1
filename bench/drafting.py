"""Child process: warm drafting latencies through the calls the Draft tab makes (JSON on stdout).

python -m bench.drafting [--repeat N]   (settings from ASSISTANT_* env; an ingested index)

A full draft is ``Assistant.draft`` (all 12 posting sections, three emphasis topics); each
refinement is ``Assistant.revise`` on that draft. The UI's handler adds the JSON round trip
and the five downloads it writes after every change; that path (``Handlers.refine`` +
``Handlers.exports``) is timed too.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from assistant import Assistant

REQUEST: dict[str, Any] = {
    "setting": "urgent care network",
    "org": "Northwind Clinics",
    "emphasis": ("patient safety", "physician recruitment", "quality improvement"),
}
# (row name, revise action, its arguments; "{id}" is the first responsibility's id)
REFINEMENTS: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("regenerate section", "regenerate", {"section": "responsibilities"}),
    ("add bullets on topic", "more",
     {"section": "responsibilities", "topic": "peer review and credentialing"}),
    ("remove", "remove", {"section": "responsibilities", "bullet_id": "{id}"}),
    ("pin", "pin", {"section": "responsibilities", "bullet_id": "{id}"}),
)
UI_ACTIONS = {"regenerate": "regenerate", "more": "more", "remove": "remove", "pin": "pin"}


def timed(fn: Callable[[], Any], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def main(argv: list[str]) -> int:
    repeat = int(argv[argv.index("--repeat") + 1]) if "--repeat" in argv else 3
    a = Assistant()
    a.ask("What does a medical director do?")  # model, Chroma and BM25 loaded
    draft = a.draft(**REQUEST)  # warm-up: drafting modules imported, first draft built
    sections = len(draft.sections)
    bullets = sum(len(s.bullets) for s in draft.sections)
    result: dict[str, Any] = {
        "sections": sections,
        "bullets": bullets,
        "full": timed(lambda: a.draft(**REQUEST), repeat),
        "refine": {},
        "ui_refine": {},
    }
    first = draft.section("responsibilities").bullets[0].id

    def args(kwargs: dict[str, Any]) -> dict[str, Any]:
        return {k: (first if v == "{id}" else v) for k, v in kwargs.items()}

    for name, action, kwargs in REFINEMENTS:
        kw = args(kwargs)
        result["refine"][name] = timed(
            lambda action=action, kw=kw: a.revise(draft, action, **kw), repeat
        )

    # The Draft tab's path: JSON dict in, revise, JSON dict out, then the downloads.
    from assistant.web.handlers import Handlers

    h = Handlers(a)
    saved = draft.to_dict()
    for name, action, kwargs in REFINEMENTS:
        kw = args(kwargs)

        def ui(action: str = action, kw: dict[str, Any] = kw) -> None:
            new, _ = h.refine(saved, UI_ACTIONS[action], kw["section"], kw.get("bullet_id"),
                              kw.get("topic", ""), "")
            h.exports(new)

        result["ui_refine"][name] = timed(ui, repeat)
    result["ui_full"] = timed(
        lambda: h.exports(h.draft(["all"], REQUEST["setting"], REQUEST["org"], "",
                                  ", ".join(REQUEST["emphasis"]), 0)), repeat)
    result["medians"] = {k: statistics.median(v) for k, v in result["refine"].items()}
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
