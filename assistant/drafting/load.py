"""A saved draft coming back in (a ``--from`` file, a UI upload, the browser's autosave).

A saved draft is input from outside: anyone can edit the JSON. So it is parsed with a size
limit, held to the limits generation keeps (bullets per section, text lengths, unique ids),
and every bullet's citations are checked against the current index: a bullet is verified
only when each passage it cites is in the index, word for word, and the bullet's words are
found in its primary passage. The ``verified`` flags in the file are never trusted.

``check`` is a pure function of the draft and the index's chunks; the CLI and the UI call it
with ``Assistant.all_chunks()``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from pathlib import Path

from assistant.drafting.build import MAX_CITATIONS, verify
from assistant.drafting.model import INPUT_ONLY, MAX_BULLETS, Cite, Draft
from assistant.errors import InputError
from assistant.types import Chunk

MAX_DRAFT_BYTES = 2_000_000  # a full draft is ~100-200 kB; anything far larger is not one
MAX_TEXT = 600  # a bullet's text (the limit an edit has)
MAX_QUOTE = 2_000
MAX_PASSAGE = 20_000
MAX_NOTES = 40
MAX_NOTE = 2_000
MAX_REMOVED = 500
STYLES = ("rewritten", "verbatim", "item", "edited", "polished")
_ID = re.compile(r"[A-Za-z0-9_-]{1,40}")
# Prefix of the note a load adds; a second load replaces it rather than adding another.
LOAD_NOTE = "On loading, "


def dumps(draft: Draft) -> str:
    """The saved form of a draft (CLI ``--save`` and the UI's "Save draft" give these bytes)."""
    return json.dumps(draft.to_dict(), ensure_ascii=False, indent=2) + "\n"


def parse(raw: str | bytes, name: str = "The draft") -> Draft:
    """JSON text -> Draft (structure only; ``check`` re-verifies it). One clear InputError for
    anything that is too large, not text, not JSON or not a draft."""
    size = len(raw.encode("utf-8") if isinstance(raw, str) else raw)
    if size > MAX_DRAFT_BYTES:
        raise InputError(
            f"{name} is too large to be a draft ({size / 1e6:.1f} MB > "
            f"{MAX_DRAFT_BYTES / 1e6:g} MB)."
        )
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError(f"{name} is not a text file (it is not UTF-8).") from None
    if not raw.strip():
        raise InputError(f"{name} is empty.")
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, RecursionError) as exc:
        where = f" (line {exc.lineno}: {exc.msg})" if isinstance(exc, json.JSONDecodeError) else ""
        raise InputError(f"{name} is not valid JSON{where}.") from None
    try:
        return Draft.from_dict(data)
    except InputError as exc:
        raise InputError(f"{name}: {exc}") from None
    except RecursionError:
        raise InputError(f"{name}: Not a valid draft: nested too deeply.") from None


def read(path: str | Path) -> str:
    """A draft file's text, refusing one too large to be a draft before reading it."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_DRAFT_BYTES:
            raise InputError(
                f"{path} is too large to be a draft ({size / 1e6:.1f} MB > "
                f"{MAX_DRAFT_BYTES / 1e6:g} MB)."
            )
        return p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or "it is not a UTF-8 text file"
        raise InputError(f"Cannot read the draft {path}: {reason}.") from None


def _text(value: str, what: str, limit: int) -> None:
    if len(value) > limit:
        raise InputError(f"Not a valid draft: {what} is too long ({len(value)} > {limit}).")


def limits(draft: Draft) -> None:
    """The limits generation keeps; a draft outside them is an InputError (nothing loads)."""
    seen_sections: set[str] = set()
    seen_ids: set[str] = set()
    _notes(draft.notes, "the draft")
    for s in draft.sections:
        if s.section in seen_sections:
            raise InputError(f"Not a valid draft: the {s.section!r} section appears twice.")
        seen_sections.add(s.section)
        if s.section in INPUT_ONLY and s.bullets:
            raise InputError(
                f"Not a valid draft: the {s.section!r} section is written from the employer's "
                "inputs and has no bullets."
            )
        if len(s.bullets) > MAX_BULLETS:
            raise InputError(
                f"Not a valid draft: the {s.section!r} section has {len(s.bullets)} bullets "
                f"(at most {MAX_BULLETS})."
            )
        _notes(s.notes, f"the {s.section!r} section")
        if len(s.removed) > MAX_REMOVED:
            raise InputError(f"Not a valid draft: too many removed bullets in {s.section!r}.")
        _text(s.intro, "a section's intro", MAX_TEXT)
        for b in s.bullets:
            if not _ID.fullmatch(b.id):
                raise InputError(f"Not a valid draft: bad bullet id {b.id[:50]!r}.")
            if b.id in seen_ids:
                raise InputError(f"Not a valid draft: the bullet id {b.id!r} appears twice.")
            seen_ids.add(b.id)
            text = " ".join(b.text.split())
            if not text:
                raise InputError(f"Not a valid draft: bullet {b.id!r} has no text.")
            _text(text, f"bullet {b.id!r}", MAX_TEXT)
            if any(ord(c) < 32 for c in text):
                raise InputError(f"Not a valid draft: bullet {b.id!r} has control characters.")
            _text(b.quote, f"the quote of bullet {b.id!r}", MAX_QUOTE)
            _text(b.theme, f"the theme of bullet {b.id!r}", 80)
            if b.style not in STYLES:
                raise InputError(f"Not a valid draft: bullet {b.id!r} has style {b.style!r}.")
            if not math.isfinite(b.score):
                raise InputError(f"Not a valid draft: bullet {b.id!r} has a bad score.")
            if len(b.citations) > MAX_CITATIONS:
                raise InputError(
                    f"Not a valid draft: bullet {b.id!r} has {len(b.citations)} citations "
                    f"(at most {MAX_CITATIONS})."
                )
            for c in b.citations:
                _text(c.text, f"a passage cited by {b.id!r}", MAX_PASSAGE)
                for value in (c.source, c.title, c.section, c.chunk_id):
                    _text(value, f"a citation of {b.id!r}", 1_000)


def _notes(notes: list[str], where: str) -> None:
    if len(notes) > MAX_NOTES:
        raise InputError(
            f"Not a valid draft: {where} has {len(notes)} notes (at most {MAX_NOTES})."
        )
    for n in notes:
        _text(n, f"a note in {where}", MAX_NOTE)


def _in_index(c: Cite, chunks: dict[str, Chunk]) -> bool:
    chunk = chunks.get(c.chunk_id)
    return chunk is not None and (c.text, c.source) == (chunk.text, chunk.source)


def check(draft: Draft, chunks: Iterable[Chunk]) -> Draft:
    """A copy of the draft within generation's limits (else InputError), every bullet
    verified again against ``chunks`` (the current index): a bullet citing a passage the index
    does not hold, word for word, is unverified, and the draft's notes say how many."""
    limits(draft)
    index = {c.id: c for c in chunks}
    out = draft.copy()
    outside = 0
    for s in out.sections:
        for b in s.bullets:
            b.text = " ".join(b.text.split())
            known = all(_in_index(c, index) for c in b.citations)
            outside += not known
            b.verified = known and verify(b.text, b.citations)
            # Citation metadata a reviewer reads comes from the index, not the file.
            for c in b.citations:
                chunk = index.get(c.chunk_id)
                if known and chunk is not None:
                    c.title, c.section = chunk.title, chunk.section
    out.notes = [n for n in out.notes if not n.startswith(LOAD_NOTE)]
    if outside:
        out.notes.append(
            f"{LOAD_NOTE}{outside} bullet(s) cite passages that are not in the current "
            "knowledge base (changed, deleted, or edited in the file); they are marked "
            "unverified."
        )
    return out


def load(raw: str | bytes, chunks: Iterable[Chunk], name: str = "The draft") -> Draft:
    """Parse a saved draft and check it against the index (``parse`` then ``check``)."""
    return check(parse(raw, name), chunks)


__all__ = ["MAX_DRAFT_BYTES", "check", "dumps", "limits", "load", "parse", "read"]
