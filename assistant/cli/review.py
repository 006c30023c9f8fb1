"""`python -m assistant review FILE`: check an existing job description against the
knowledge base.

    review jd.docx                                  # the report (Markdown) on stdout
    review jd.txt --setting hospice --out report.docx
    review jd.md --json                             # the review as one JSON object
    review jd.md --add credentialing-and-privileging --add kpis --save draft.json
    review - < pasted.txt                           # the description on stdin

FILE is .txt, .md, .docx or .pdf, checked as a knowledge-base upload is; it is read, never
added to the knowledge base. `--add THEME` (repeatable, or `all`) turns the review into a
draft: the description's backed lines plus the chosen suggestions. That draft is printed,
or saved with `--save` and refined with `python -m assistant draft --from`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from assistant.cli.common import assistant_for
from assistant.drafting import load
from assistant.drafting.export import _atomic, _target, check_target
from assistant.drafting.export import to_markdown as draft_markdown
from assistant.drafting.jdtext import MAX_CHARS
from assistant.errors import InputError


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "review",
        help="check an existing job description against the knowledge base",
        description="Check a job description line by line against the knowledge base: "
        "supported, partly supported or not in the knowledge base, with citations; repeated "
        "lines; missing duty themes and sections with cited suggestions; posting sections "
        "to add.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1] if __doc__ else None,
    )
    p.add_argument("file", metavar="FILE", help="the description (.txt .md .docx .pdf), or -")
    p.add_argument("--setting", default="", help='setting or department, e.g. "hospice"')
    p.add_argument("--json", action="store_true", help="print the review (or draft) as JSON")
    p.add_argument("--out", metavar="FILE", help="write the report to FILE.md or FILE.docx")
    p.add_argument(
        "--add",
        action="append",
        default=[],
        metavar="THEME",
        help="make a draft with the suggestions for this missing theme (repeatable; 'all')",
    )
    p.add_argument("--save", metavar="DRAFT.json", help="with --add: save the draft JSON")
    p.set_defaults(func=cmd_review)


def _read(a: Any, name: str) -> str:
    from assistant.drafting.review import read_file
    from assistant.index.readers import Limits

    if name == "-":
        raw = sys.stdin.buffer.read(4 * MAX_CHARS + 1)
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError("The job description on stdin is not UTF-8 text.") from None
    return read_file(name, a.settings.max_upload_mb, Limits.of(a.settings))


def cmd_review(args: argparse.Namespace) -> int:
    # Everything the user typed is checked before any work, so nothing is half-done.
    if args.save and not args.add:
        raise InputError("--save writes the draft that --add THEME makes; add a theme.")
    out = check_target(args.out) if args.out else None
    save = _target(Path(args.save), ".json") if args.save else None
    a = assistant_for(args)
    text = _read(a, args.file)
    review = a.review(text, setting=args.setting)
    from assistant.drafting import review_report
    from assistant.drafting.review_draft import to_draft

    draft = to_draft(review, args.add) if args.add else None
    if out is not None:
        review_report.write(review, out)
    if draft is not None and save is not None:
        body = load.dumps(draft)
        _atomic(save, lambda p: Path(p).write_text(body, encoding="utf-8"))
    if args.json:
        data = draft.to_dict() if draft is not None else review.to_dict()
        print(json.dumps(data, ensure_ascii=False, indent=2))
    elif draft is not None and save is None:
        print(draft_markdown(draft, reviewed=True), end="")
    elif out is None and save is None:
        print(review_report.to_markdown(review), end="")
    if out is not None or save is not None:
        done = [f"wrote {p}" for p in (out, save) if p is not None]
        print(f"{'; '.join(done)}: {review_report.summary(review)}", file=sys.stderr)
    return 0
