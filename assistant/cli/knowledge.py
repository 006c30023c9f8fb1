"""`delete`, `restore` and `trash`: knowledge documents from the command line (the same
transactions as the UI's Knowledge tab)."""

from __future__ import annotations

import argparse

from assistant.cli.common import assistant_for


def cmd_delete(args: argparse.Namespace) -> int:
    a = assistant_for(args)
    report = a.delete_document(args.source)
    kept = "kept in the trash for good" if a.is_core(args.source) else "kept in the trash"
    print(f"deleted {args.source} ({report.removed} chunks removed; {kept}: "
          f"`restore {args.source}` puts it back)")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    report = assistant_for(args).restore_document(args.source)
    print(f"restored {args.source} ({report.added} chunks indexed)")
    return 0


def cmd_trash(args: argparse.Namespace) -> int:
    for source in assistant_for(args).trashed():
        print(source)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("delete", help="move a knowledge document to the trash, drop its chunks")
    p.add_argument("source", help='e.g. "knowledge/uploads/notes.md"')
    p.set_defaults(func=cmd_delete)
    p = sub.add_parser("restore", help="put a deleted document back and index it")
    p.add_argument("source", help="as `trash` lists it")
    p.set_defaults(func=cmd_restore)
    p = sub.add_parser("trash", help="list deleted documents that can be restored")
    p.set_defaults(func=cmd_trash)
