"""Hostile knowledge files, generated offline and in memory: one endless heading line, DOCX
files with very many paragraphs or a member that inflates far past its compressed size,
one-line HTML, PDFs whose compressed text expands; and broken ones (DOCX members missing or
malformed, entity bombs, password-protected PDFs). Used by the bad-input table and by
``python -m bench --uploads`` (the worst-case upload table)."""

from __future__ import annotations

import io
import zipfile
from functools import lru_cache

WORDS = ["budget", "review", "staffing", "quality", "rota", "audit"]


def long_heading_md(size: int) -> bytes:
    """One Markdown heading line of ``size`` bytes (the issue's 512 KB file: 40,000 times
    "budget review ")."""
    body = ("budget review " * (size // 14 + 1))[: size - 2]
    return ("# " + body).encode()


def prose(size: int, sentence_words: int = 12) -> str:
    """Plain sentences of ordinary words, ``size`` characters."""
    out: list[str] = []
    n = 0
    i = 0
    while n < size:
        words = [WORDS[(i + k) % len(WORDS)] for k in range(sentence_words)]
        s = " ".join(words).capitalize() + ". "
        out.append(s)
        n += len(s)
        i += 1
    return "".join(out)[:size]


@lru_cache(maxsize=1)
def _docx_skeleton() -> dict[str, bytes]:
    import docx

    buf = io.BytesIO()
    docx.Document().save(buf)
    with zipfile.ZipFile(buf) as z:
        return {name: z.read(name) for name in z.namelist()}


def _docx(body_xml: str, level: int = 6) -> bytes:
    parts = dict(_docx_skeleton())
    doc = parts["word/document.xml"].decode()
    start = doc.index("<w:body>") + len("<w:body>")
    parts["word/document.xml"] = (doc[:start] + body_xml + doc[start:]).encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return buf.getvalue()


def docx_paragraphs(n: int, text: str = "The director reviews the budget.") -> bytes:
    """A DOCX of ``n`` short paragraphs (the issue's 41 KB file had 25,000)."""
    para = f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"
    return _docx(para * n)


def docx_inflating(expanded_mb: float) -> bytes:
    """A small DOCX whose document.xml inflates to ``expanded_mb`` MB (ignored whitespace
    between paragraphs; compresses about 1000:1)."""
    pad = " " * (1024 * 1024)
    chunks = int(expanded_mb)
    return _docx("<w:p><w:r><w:t>The director reviews the budget.</w:t></w:r></w:p>"
                 + pad * chunks, level=1)


def docx_prose(size: int) -> bytes:
    """An ordinary DOCX of ``size`` characters of prose in paragraphs of ~600 characters."""
    text = prose(size)
    paras = [text[i : i + 600] for i in range(0, len(text), 600)]
    return _docx("".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paras))


def one_line_html(size: int) -> bytes:
    """A single line of HTML: one paragraph of ``size`` bytes without a sentence end."""
    head = b"<html><head><title>Notes</title></head><body><p>"
    tail = b"</p></body></html>"
    body = ("budget review " * (size // 14 + 1)).encode()[: size - len(head) - len(tail)]
    return head + body + tail


def html_sentences(n: int) -> bytes:
    """HTML with ``n`` one-sentence paragraphs."""
    return b"<html><body>" + b"<p>The director reviews budgets.</p>" * n + b"</body></html>"


def pdf_text(chars: int, pages: int = 1, compress: bool = True) -> bytes:
    """A PDF whose pages draw ``chars`` characters of text in all (Helvetica); compressed
    content streams make a small file expand to much text (the issue's 7 KB PDF)."""
    from pypdf import PdfWriter
    from pypdf.generic import (
        DecodedStreamObject,
        DictionaryObject,
        NameObject,
    )

    writer = PdfWriter()
    font = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"),
        NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"),
    })
    font_ref = writer._add_object(font)
    per_page = max(1, chars // pages)
    line = "The director reviews the annual budget with the finance team. "
    for _ in range(pages):
        page = writer.add_blank_page(width=612, height=792)
        page[NameObject("/Resources")] = DictionaryObject({
            NameObject("/Font"): DictionaryObject({NameObject("/F1"): font_ref})
        })
        rows = []
        n = 0
        while n < per_page:
            rows.append(f"({line}) Tj T*")
            n += len(line)
        stream = DecodedStreamObject()
        stream.set_data(f"BT /F1 1 Tf 1 TL 10 780 Td {' '.join(rows)} ET".encode())
        page.replace_contents(stream)
        if compress:
            page.compress_content_streams()
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def docx_parts(drop: tuple[str, ...] = (), members: dict[str, bytes] | None = None) -> bytes:
    """python-docx's template with ``drop`` members left out and ``members`` replaced or
    added (e.g. ``{"word/document.xml": b"<broken"}``)."""
    parts = {k: v for k, v in _docx_skeleton().items() if k not in drop}
    parts.update(members or {})
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return buf.getvalue()


def docx_entity_bomb(levels: int = 7) -> bytes:
    """A DOCX whose document.xml declares nested entities ("billion laughs": 10^levels
    copies of a word if the parser expanded them)."""
    ents = ['<!ENTITY e0 "budget ">'] + [
        f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, levels + 1)
    ]
    doc = _docx_skeleton()["word/document.xml"].decode()
    head, _, rest = doc.partition("?>")
    doc = (head + "?><!DOCTYPE w:document [" + "".join(ents) + "]>" + rest).replace(
        "<w:body>", f"<w:body><w:p><w:r><w:t>&e{levels};</w:t></w:r></w:p>", 1
    )
    return docx_parts(members={"word/document.xml": doc.encode()})


def pdf_encrypted(user_password: str = "secret") -> bytes:
    """A one-page PDF that needs ``user_password`` to open."""
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(width=200, height=200)
    w.encrypt(user_password, owner_password="owner")
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()
