"""`python -m assistant draft …`: generate a job-description draft, refine a saved one, export.

    draft all --setting "emergency department" --org "Riverside Health" --out jd.docx
    draft responsibilities kpis --emphasis "quality improvement" --json
    draft all --save jd.json                          # keep the draft for refinement
    draft --from jd.json --pin resp-1a2b3c4d --regenerate responsibilities --save jd.json
    draft --from jd.json --clean --out jd-clean.md   # export a saved draft

Refinement options apply in the order given on the command line.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from assistant.cli.common import assistant_for
from assistant.drafting import load
from assistant.drafting.export import _atomic, _target, check_target, to_markdown, write
from assistant.drafting.model import SECTIONS, Draft, check_sections
from assistant.errors import InputError
from assistant.facade import Assistant

_INPUTS = (
    ("about", "a sentence or two about the organisation"),
    ("reports_to", 'the title the role reports to, e.g. "Chief Medical Officer"'),
    ("location", 'e.g. "Portland, OR (on site)"'),
    ("schedule", 'e.g. "Mon-Fri days; 1 in 4 weekends on call"'),
    ("fte_split", 'e.g. "1.0 FTE: 60%% clinical, 40%% administrative"'),
    ("compensation", 'e.g. "$300,000-$340,000 plus bonus; full benefits"'),
    ("contact", "how to apply: an e-mail address or a link"),
)
_REFINE = ("regenerate", "more", "pin", "unpin", "remove", "edit", "reorder")


class _Op(argparse.Action):
    """Collect refinement options in command-line order: [(action, values), …]."""

    def __call__(self, parser: Any, namespace: Any, values: Any, option: Any = None) -> None:
        ops = list(getattr(namespace, "ops", None) or [])
        ops.append((self.dest, values if isinstance(values, list) else [values]))
        namespace.ops = ops


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "draft",
        help="draft Medical Director job-description sections (every bullet cited)",
        description="Draft job-description sections from the knowledge base, or refine a "
        f"saved draft (--from). Sections: all, {', '.join(SECTIONS)}.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1] if __doc__ else None,
    )
    p.add_argument("sections", nargs="*", metavar="SECTION", help="section slugs or 'all'")
    p.add_argument("--setting", default="", help='setting or department, e.g. "hospice"')
    p.add_argument("--org", default="", help="organisation name")
    p.add_argument("--seniority", default="", help='e.g. "senior", "associate"')
    p.add_argument(
        "--emphasis",
        action="append",
        default=[],
        metavar="TOPIC",
        help="emphasis topic (repeatable)",
    )
    p.add_argument(
        "--bullets",
        type=int,
        default=None,
        metavar="N",
        help="bullets per section (default: 10 responsibilities, 2 summary sentences, 4-6 others)",
    )
    e = p.add_argument_group(
        "employer lines (never cited; an empty one is a [placeholder] in the posting)"
    )
    for name, example in _INPUTS:
        e.add_argument(f"--{name.replace('_', '-')}", dest=name, default="", help=example)
    p.add_argument("--json", action="store_true", help="print the draft as JSON")
    p.add_argument("--out", metavar="FILE", help="export to FILE.md or FILE.docx")
    p.add_argument(
        "--clean",
        action="store_true",
        help="clean version for posting (no citations, notes or Sources)",
    )
    p.add_argument(
        "--from",
        dest="source",
        metavar="DRAFT.json",
        help="refine or export a saved draft instead of generating one",
    )
    p.add_argument("--save", metavar="DRAFT.json", help="save the draft JSON for later refinement")
    g = p.add_argument_group("refinement (with --from; applied in the order given)")
    g.add_argument(
        "--regenerate",
        action=_Op,
        metavar="SECTION",
        help="rebuild a section; pinned and edited bullets stay, removed ones stay out",
    )
    g.add_argument(
        "--more",
        action=_Op,
        nargs=2,
        metavar=("SECTION", "TOPIC"),
        help="add bullets on a topic to a section",
    )
    g.add_argument("--pin", action=_Op, metavar="ID", help="pin a bullet (survives regenerate)")
    g.add_argument("--unpin", action=_Op, metavar="ID", help="unpin a bullet")
    g.add_argument("--remove", action=_Op, metavar="ID", help="remove a bullet for good")
    g.add_argument(
        "--edit",
        action=_Op,
        nargs=2,
        metavar=("ID", "TEXT"),
        help="replace a bullet's text (marked edited; keeps its citation)",
    )
    g.add_argument(
        "--reorder",
        action=_Op,
        nargs=2,
        metavar=("SECTION", "ID,ID,…"),
        help="put these bullets first, in this order",
    )
    p.set_defaults(func=cmd_draft, ops=[])


def _load(a: Assistant, path: str) -> Draft:
    """A saved draft, held to generation's limits and re-verified against the current index."""
    return load.load(load.read(path), a.all_chunks(), name=path)


def _apply(a: Assistant, draft: Draft, action: str, values: list[str]) -> Draft:
    if action in ("regenerate",):
        return a.revise(draft, action, section=values[0])
    if action == "more":
        return a.revise(draft, action, section=values[0], topic=values[1])
    if action == "reorder":
        ids = [i.strip() for i in values[1].split(",") if i.strip()]
        return a.revise(draft, action, section=values[0], order=ids)
    section, _ = draft.find_bullet(values[0])
    if action == "edit":
        return a.revise(draft, action, section=section.section, bullet_id=values[0], text=values[1])
    return a.revise(draft, action, section=section.section, bullet_id=values[0])


def _check_json_target(path: str) -> Path:
    return _target(Path(path), ".json")


def cmd_draft(args: argparse.Namespace) -> int:
    # Everything the user typed is checked before any work, so nothing is half-done.
    if args.source and args.sections:
        raise InputError("Give either SECTION names (a new draft) or --from DRAFT.json, not both.")
    if args.ops and not args.source:
        raise InputError("Refinement options (--pin, --regenerate, …) need --from DRAFT.json.")
    sections = check_sections(args.sections or ["all"])
    for action, values in args.ops:
        if action in ("regenerate", "more", "reorder"):
            check_sections([values[0]])
    out = check_target(args.out) if args.out else None
    save = _check_json_target(args.save) if args.save else None
    a = assistant_for(args)
    if args.source:
        draft = _load(a, args.source)
        for action, values in args.ops:
            draft = _apply(a, draft, action, values)
    else:
        draft = a.draft(
            sections=sections,
            setting=args.setting,
            org=args.org,
            seniority=args.seniority,
            emphasis=args.emphasis,
            bullets=args.bullets,
            **{name: getattr(args, name) for name, _ in _INPUTS},
        )
    text = load.dumps(draft)
    if save is not None:
        _atomic(save, lambda p: Path(p).write_text(text, encoding="utf-8"))
    if out is not None:
        write(draft, out, reviewed=not args.clean)
    if args.json:
        print(text, end="")
    elif out is None and save is None:
        print(to_markdown(draft, reviewed=not args.clean), end="")
    else:
        bullets = [b for s in draft.sections for b in s.bullets]
        verified = sum(b.verified for b in bullets)
        done = [f"wrote {p}" for p in (out, save) if p is not None]
        print(
            f"{'; '.join(done)}: {len(draft.sections)} sections, {len(bullets)} bullets "
            f"({verified} verified), {len(draft.sources())} sources",
            file=sys.stderr,
        )
    return 0
