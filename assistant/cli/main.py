"""The command line: `python -m assistant …` or the `md-assistant` console script."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence

from assistant.citations import render_sources
from assistant.cli import draft, eval, knowledge, review
from assistant.cli.common import assistant_for as _assistant
from assistant.cli.common import progress_bar as _progress_bar
from assistant.errors import AssistantError
from assistant.types import Answer

Handler = Callable[[argparse.Namespace], int]


def cmd_ingest(args: argparse.Namespace) -> int:
    report = _assistant(args).ingest(progress=None if args.quiet else _progress_bar())
    print(json.dumps(report.__dict__, default=list) if args.json else report.summary())
    return 0


def cmd_retrieve(args: argparse.Namespace) -> int:
    a = _assistant(args)
    passages = a.retrieve(args.question, k=args.k)
    if args.json:
        results = [p.to_dict() for p in passages]
        print(json.dumps({"question": args.question, "results": results}, ensure_ascii=False))
        return 0
    for n, p in enumerate(passages, start=1):
        text = " ".join(p.chunk.text.split())
        print(f"{n}. [{p.score:.3f}] {p.chunk.title} — {p.chunk.section} ({p.chunk.source})")
        print(f"   {text[:300]}{'…' if len(text) > 300 else ''}")
    return 0


def _print_answer(answer: Answer, as_json: bool) -> None:
    if as_json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False), flush=True)
        return
    if answer.notice:
        print(f"note: {answer.notice}")
    print(answer.answer)
    if answer.citations:
        print("\nSources:")
        print(render_sources(answer.citations, width=400))


def cmd_ask(args: argparse.Namespace) -> int:
    a = _assistant(args)
    history: list[str] = list(args.history or [])
    if args.question != "-":
        _print_answer(a.ask(args.question, history=history), args.json)
        return 0
    failures = 0
    for raw in sys.stdin.buffer:
        line = raw.decode("utf-8", errors="surrogateescape").rstrip("\r\n")
        if not line.strip():
            continue
        try:
            _print_answer(a.ask(line, history=history), args.json)
        except AssistantError as exc:
            failures += 1
            if args.json:
                print(
                    json.dumps(
                        {"question": line.encode("utf-8", "replace").decode(), "error": str(exc)},
                        ensure_ascii=False,
                    ),
                    flush=True,
                )
            else:
                print(f"error: {exc}", file=sys.stderr)
    return 1 if failures else 0


def cmd_documents(args: argparse.Namespace) -> int:
    docs = _assistant(args).documents()
    if args.json:
        print(json.dumps([d.__dict__ for d in docs]))
    for d in docs if not args.json else []:
        print(f"{d.chunks:4d} chunks  {d.source}  ({d.title})")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="md-assistant",
        description="Cited answers and job-description drafts from the Medical Director "
        "knowledge base (offline).",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="(re)build the index from the knowledge dir")
    p.add_argument("--json", action="store_true")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("retrieve", help="show the passages retrieved for a question")
    p.add_argument("question")
    p.add_argument("-k", type=int, default=None, help="number of passages")
    p.add_argument("--mode", choices=["hybrid", "dense", "bm25"], default=None)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_retrieve)

    p = sub.add_parser("ask", help="answer a question with citations ('-' reads stdin)")
    p.add_argument("question", help="the question, or - for one question per line on stdin")
    p.add_argument(
        "--history",
        action="append",
        metavar="EARLIER_QUESTION",
        help="an earlier question of the conversation (repeatable)",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("documents", help="list indexed documents and their chunk counts")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_documents)

    draft.register(sub)
    review.register(sub)
    eval.register(sub)
    knowledge.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
