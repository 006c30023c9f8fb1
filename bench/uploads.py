"""The worst-case upload table: what one upload costs (peak RSS, time) and whether it is
accepted, for ~10 MB files of every accepted type and for the hostile files of issue 17.

  python -m bench --uploads            # only this table (about 10 minutes on 2 busy CPUs)

Each row is a fresh process (``python -m bench.uploads --one FILE``) over a one-document
knowledge base with the default settings (10 MB upload limit, the per-document limits of
docs/operations.md); it ingests that base, then uploads the file as the Knowledge tab does
(``Assistant.add_file``). The time is the upload alone; the peak RSS is the whole process
(model and store included) or the parser's child process, whichever is higher (each
process's VmHWM). Files are
generated offline: python-docx's template, pypdf's writer, plain bytes.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from bench.util import env_for, run_child
from tests.support import hostile

MB = 1024 * 1024
BASE = (
    "# Alpha Guide\n\n## Budgets\n\nThe director prepares the annual budget and reviews "
    "spending every quarter with the finance team.\n"
)


def _random_prose(size: int, seed: int = 7) -> str:
    """Sentences of words drawn at random from a few thousand made-up words: compresses
    about as well as ordinary text (~2:1 as DOCX XML), so a 10 MB DOCX holds ~20 MB of text."""
    rng = random.Random(seed)
    vocab = ["".join(rng.choice("abcdefghijklmnoprstuvw") for _ in range(rng.randint(3, 9)))
             for _ in range(4000)]
    out, n = [], 0
    while n < size:
        s = " ".join(rng.choice(vocab) for _ in range(12)).capitalize() + ". "
        out.append(s)
        n += len(s)
    return "".join(out)[:size]


def _docx_random_words(size: int) -> bytes:
    text = _random_prose(size * 2)  # deflates about 2:1 in the zip (measured)
    paras = "".join(f"<w:p><w:r><w:t>{text[i:i + 600]}</w:t></w:r></w:p>"
                    for i in range(0, len(text), 600))
    return hostile._docx(paras)


def _docx_with_image(size: int) -> bytes:
    """A normal one-page DOCX plus an incompressible media member (a photo-sized blob)."""
    import io

    base = hostile.docx_prose(3000)
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(buf, "w") as out:
        for item in src.infolist():
            out.writestr(item, src.read(item.filename))
        out.writestr("word/media/image1.jpeg", os.urandom(size - len(base) - 200))
    return buf.getvalue()


def _pdf_pages(size: int) -> bytes:
    chars = int(size * 0.8)  # an uncompressed text page is ~1.2 bytes a character
    return hostile.pdf_text(chars, pages=max(1, chars // 60_000), compress=False)


# name shown, file name, generator
ROWS: list[tuple[str, str, Callable[[], bytes]]] = [
    (".md, 512 KB, one heading line (issue)", "h.md", lambda: hostile.long_heading_md(512 * 1024)),
    (".md, 10 MB of prose", "p.md", lambda: hostile.prose(10 * MB).encode()),
    (".md, 990 KB of prose (at the 1M-character limit)", "limit.md",
     lambda: hostile.prose(990_000).encode()),
    (".txt, 10 MB, one line", "l.txt", lambda: hostile.long_heading_md(10 * MB)[2:]),
    (".html, 2 MB, one line (issue)", "l.html", lambda: hostile.one_line_html(2 * MB)),
    (".html, 10 MB, one line", "l10.html", lambda: hostile.one_line_html(10 * MB)),
    (".html, 10 MB, 280k paragraphs", "p.html", lambda: hostile.html_sentences(280_000)),
    (".docx, 42 KB, 25k paragraphs (issue)", "p.docx", lambda: hostile.docx_paragraphs(25_000)),
    (".docx, 0.9 MB, expands to 190 MB (issue)", "z.docx", lambda: hostile.docx_inflating(189)),
    (".docx, 10 MB of random-word prose", "r.docx", lambda: _docx_random_words(10 * MB)),
    (".docx, 10 MB, mostly one image", "i.docx", lambda: _docx_with_image(10 * MB)),
    (".pdf, 9 KB, expands to 1.9M characters (issue)", "s.pdf",
     lambda: hostile.pdf_text(1_860_000, pages=4)),
    (".pdf, 130 pages of text", "t.pdf", lambda: _pdf_pages(int(9.5 * MB))),
]


def _one(path: Path) -> None:
    """Child: ingest the one-document base, then upload ``path``; print one JSON line."""
    import logging

    from assistant import Assistant
    from assistant.errors import AssistantError
    from assistant.settings import load_settings

    peaks: list[int] = [0]

    class Peak(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            peaks.append(int(getattr(record, "parser_peak_kb", 0) or 0))

    logger = logging.getLogger("assistant.index.readers")
    logger.setLevel(logging.DEBUG)
    logger.addHandler(Peak())
    a = Assistant(load_settings())
    a.ingest()
    t0 = time.perf_counter()
    try:
        report = a.add_file(path.name, path.read_bytes())
        result = {"accepted": True, "message": f"{report.added} passages, "
                  f"{report.embedded} embeddings"}
    except AssistantError as exc:
        result = {"accepted": False, "message": str(exc)}
    result["seconds"] = time.perf_counter() - t0
    result["parser_mb"] = max(peaks) / 1024
    # this process's own peak (VmHWM: wait4's ru_maxrss would also count the bench process
    # it was forked from, which generated the files)
    status = Path("/proc/self/status").read_text()
    result["rss_mb"] = int(status.split("VmHWM:")[1].split()[0]) / 1024
    print(json.dumps(result))


def uploads(work: Path) -> str:
    out = [
        "### Worst-case uploads (one upload each, default limits)",
        "",
        "| upload | size | peak RSS | time | result |",
        "| --- | --- | --- | --- | --- |",
    ]
    for label, name, make in ROWS:
        root = work / "uploads" / name
        shutil.rmtree(root, ignore_errors=True)
        kdir = root / "knowledge"
        kdir.mkdir(parents=True)
        (kdir / "alpha.md").write_text(BASE)
        path = root / name
        path.write_bytes(make())
        child = run_child(["-m", "bench.uploads", "--one", str(path)], env_for(root / "data", kdir))
        r = child.json()
        peak = max(r["rss_mb"], r["parser_mb"])
        verdict = "accepted" if r["accepted"] else "refused"
        message = r["message"].split(": ", 1)[-1].replace("|", "/")
        size = path.stat().st_size
        shown = f"{size / MB:.1f} MB" if size >= MB else f"{size / 1024:.0f} KB"
        out.append(f"| {label} | {shown} | {peak:.0f} MB | {r['seconds']:.1f} s | "
                   f"{verdict}: {message} |")
        print(out[-1], file=sys.stderr, flush=True)
        shutil.rmtree(root, ignore_errors=True)
    out += [
        "",
        "Peak RSS includes the embedding model and the store (a one-document base alone peaks "
        "at about the same as the smallest row); time is the upload alone, parse to indexed.",
    ]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.uploads")
    p.add_argument("--one", type=Path, required=True, help="upload this file (child process)")
    _one(p.parse_args(argv).one)
    return 0


if __name__ == "__main__":
    sys.exit(main())
