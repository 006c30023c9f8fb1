"""The flood table: chat latency in the real UI process while one client floods another
endpoint, against chat on a quiet server (issue 17, "one client locks everyone out").

  python -m bench --flood              # only this table (4 UI starts + 4 × 10 s of chat)

A `python ui.py` over a copy of knowledge/ (tests/support/uiserver.py, as the UI tests
start it), started afresh for each flood over the same data dir (the first start builds the
index), so no flood's leftover queue or CPU reaches the next. A chat client asks questions
one after another through `/ask` (the chat box's concurrency group) and times each from
submit to answer: first on the quiet server, then while a second client has ``FLOOD``
calls to one endpoint in flight at once (its own gradio_client with a thread for every
call), for a fixed window. What became of the flood's calls is read when the window closes.

A chat call that is refused ("Queue is full") or not answered within the window counts as
not answered; the percentiles are over the answered calls only, so read them with the
answered column.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.util import ROOT, model_dir, percentile

FLOOD = 70  # the flood: 70 queued calls from one client
WINDOW = 10.0  # seconds of chat sampling per scenario
QUIET_SAMPLES = 20


def questions(n: int) -> list[str]:
    out = []
    for line in (ROOT / "eval" / "cases.jsonl").read_text().splitlines():
        if line.strip():
            case = json.loads(line)
            if case.get("type") == "faq" and not case.get("history"):
                out.append(str(case["question"]))
    return out[:n]


@dataclass
class Chat:
    """Latencies of the answered chat calls and the reasons of the others."""

    seconds: list[float] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def row(self, name: str, flood: str) -> list[str]:
        asked = len(self.seconds) + len(self.failed)
        cell = (lambda q: f"{percentile(self.seconds, q) * 1000:,.0f} ms") if self.seconds \
            else (lambda q: "—")
        reasons = ", ".join(f"{self.failed.count(r)}× {r}" for r in sorted(set(self.failed)))
        return [name, cell(50), cell(95), f"{len(self.seconds)} / {asked}",
                reasons or "none", flood]

    def p95(self) -> float | None:
        return percentile(self.seconds, 95) if self.seconds else None


def ask_until(chat: Any, qs: list[str], *, samples: int = 0, window: float = 0.0) -> Chat:
    """Ask ``qs`` in turn: ``samples`` calls, or as many as fit in ``window`` seconds."""
    out = Chat()
    end = time.monotonic() + window
    i = 0
    while (samples and i < samples) or (window and time.monotonic() < end):
        q = qs[i % len(qs)]
        i += 1
        t0 = time.perf_counter()
        job = chat.submit(q, "[]", api_name="/ask")
        try:
            answer = job.result(timeout=max(1.0, end - time.monotonic()) if window else 120)
        except TimeoutError:
            job.cancel()
            out.failed.append(f"no answer within the {window:.0f} s window")
            continue
        except Exception as exc:  # gradio_client: QueueError("Queue is full! …"), AppError
            out.failed.append(_reason(exc))
            time.sleep(0.2)  # a refused call returns at once; do not spin
            continue
        if isinstance(answer, dict) and answer.get("answer") is not None:
            out.seconds.append(time.perf_counter() - t0)
        else:
            out.failed.append("no answer")
    return out


def _reason(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    if "Queue is full" in text:
        return "queue full"
    busy = re.search(r"(\w+) is busy", text)
    if busy:  # web/wiring.Gate: "Drafting is busy (4 already running); ..."
        return f'refused at once ("{busy.group(1)} is busy")'
    if "already running" in text:
        return 'refused at once ("An evaluation is already running")'
    line = text.splitlines()[0]
    return line if len(line) <= 60 else line[:59] + "…"


def outcomes(jobs: list[Any]) -> str:
    """What became of the flood's calls when the chat window closed: ran, refused (and
    why), or still queued or running."""
    seen: list[str] = []
    for job in jobs:
        if not job.future.done():
            seen.append("still queued or running")
            continue
        exc = job.future.exception()
        seen.append("ran" if exc is None else _reason(exc))
    return ", ".join(f"{seen.count(r)} {r}" for r in sorted(set(seen), key=seen.index))


def _upload_args(i: int) -> tuple[str, str]:
    text = f"# Flood note {i}\n\nNote {i}: the director reviews item {i} of the rota log.\n"
    return f"flood-{i}.md", base64.b64encode(text.encode()).decode()


def _evaluation(flooder: Any) -> Any:
    """A running evaluation (as tests/test_fair_queue.py starts one)."""
    job = flooder.submit(api_name="/evaluate")
    start = time.monotonic()
    while not job.done() and time.monotonic() - start < 5:
        time.sleep(0.05)
    return job


# name, how one flood call is sent (client, i) -> job
SCENARIOS: list[tuple[str, Callable[[Any, int], Any]]] = [
    ("`/draft` (Generate draft, all sections)",
     lambda c, i: c.submit("all", "", "", "", "", 6, api_name="/draft")),
    ("`/review` (Check a pasted description)",
     lambda c, i: c.submit("Lead the clinical governance committee.\nManage the budget.\n"
                           f"Item {i}.", "", api_name="/review")),
    ("`/upload` (small distinct Markdown files)",
     lambda c, i: c.submit(*_upload_args(i), api_name="/upload")),
    ("`/evaluate` (Run the evaluation; the first one runs)",
     lambda c, i: c.submit(api_name="/evaluate")),
]


def flood(work: Path, window: float = WINDOW, n: int = FLOOD, **env: str) -> str:
    """One UI process per flood, over the same data dir (the first start builds the index,
    unless the core table's store is there to copy), so no flood's leftover queue or CPU
    reaches the next; quiet chat on the first one. ``env``: extra ASSISTANT_* settings."""
    from gradio_client import Client

    from tests.support.uiserver import start_ui

    os.environ.setdefault("ASSISTANT_MODEL_CACHE_DIR", str(model_dir()))
    base = work / "flood"
    base.mkdir(parents=True, exist_ok=True)
    core = work / "core"
    if (core / "data").is_dir() and not (base / "data").exists():
        shutil.copytree(core / "knowledge", base / "knowledge")
        shutil.copytree(core / "data", base / "data")
    t_start = time.monotonic()
    qs = questions(40)
    rows: list[list[str]] = []
    starts: list[float] = []
    for name, send in SCENARIOS:
        t0 = time.monotonic()
        server = start_ui(base, ROOT / "knowledge", **env)
        starts.append(time.monotonic() - t0)
        try:
            chat = Client(server.url, verbose=False)
            ask_until(chat, qs, samples=3)  # the first calls open the session
            if not rows:
                quiet = ask_until(chat, qs, samples=QUIET_SAMPLES)
                rows.append(quiet.row("none (quiet server)", ""))
                rows[-1].insert(3, "1.0×")
            flooder = Client(server.url, verbose=False, max_workers=n + 10)
            first = [_evaluation(flooder)] if "evaluate" in name else []
            with ThreadPoolExecutor(16) as pool:
                jobs = list(pool.map(lambda i, f=flooder, s=send: s(f, i), range(n)))
            time.sleep(1.0)  # the flood is in the queue before chat asks
            sample = ask_until(chat, qs, window=window)
            rows.append(sample.row(f"{n} × {name}", outcomes(jobs)))
            q95, f95 = quiet.p95(), sample.p95()
            rows[-1].insert(3, f"{f95 / q95:.1f}×" if q95 and f95 else "—")
            if first:
                rows[-1][-1] += "; the first run: " + outcomes(first)
        finally:
            server.stop()
    took = time.monotonic() - t_start
    head = ["one client floods", "chat p50", "chat p95", "p95 ÷ quiet", "chat answered / asked",
            "chat not answered", "the flood's calls when the window closed"]
    out = [f"### Flood: chat while one client floods another endpoint ({window:.0f} s of "
           f"chat per flood, {n} calls at once)", "",
           "| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    settings = ", ".join(f"{k}={v}" for k, v in env.items()) or "default settings"
    out += ["", f"Whole flood run {took:.0f} s, of which UI starts "
            + ", ".join(f"{t:.0f}" for t in starts) + f" s (one per flood; {settings})."]
    return "\n".join(out)

