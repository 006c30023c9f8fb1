"""Quotes stay text: document text is shown as its characters in every view (chat bubble,
sources, draft view, Markdown/DOCX exports, CLI text), never as live Markdown; bracketed
numbers in a document never look like citations, and a sentence carrying them can still be
quoted. Pure functions; the views are rendered by a real CommonMark parser (markdown-it-py,
raw HTML allowed, as the chat allows it) and read back as text.
"""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
from bs4 import BeautifulSoup
from markdown_it import MarkdownIt

from assistant.citations import is_quote, render, render_sources
from assistant.drafting.export import to_docx, to_markdown
from assistant.drafting.model import Bullet, Cite, Draft, DraftSection
from assistant.text import markdown_literal, split_sentences
from assistant.types import Answer, Citation, Sentence
from assistant.web import render as web

MD = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
# What a GFM renderer (Gradio's marked) turns into a link or a formula in raw Markdown source.
AUTOLINK = re.compile(r"(?i)\b(?:https?|ftp|mailto|javascript):|\bwww\.|\w@\w|\$\$")

HOSTILE = [
    # id, document text (one sentence, as stored)
    ("image", "The director approves the roster ![pixel](http://127.0.0.1:9/b.png) every week."),
    ("link", "The director signs the [audit policy](http://evil.example/p) each spring."),
    ("js-link", "The director reads the [safety plan](javascript:alert(1)) each month."),
    ("html-img", 'The director checks <img src="http://127.0.0.1:9/x.png"> the budget.'),
    ("html-anchor", "The director meets <a href='http://evil.example'>the board</a> monthly."),
    ("autolink", "The rota is published at <http://evil.example/rota> by the director."),
    ("bare-url", "The rota is published at http://evil.example/rota by the director."),
    ("www", "The rota is published at www.evil.example by the director."),
    ("email", "Questions go to director@evil.example before Friday."),
    ("emphasis", "The director chairs the *morbidity* and _mortality_ meeting on ~~Tuesday~~."),
    ("code", "The director files the `weekly` report with the board."),
    ("latex", "The director models cost as $$x^2$$ in the annual budget."),
    ("entity", "The director signs the &copy; notice and the &#169; form."),
    ("table-pipes", "The director | reviews | budgets | every quarter."),
    ("ordered", "2024. The director reviews the budget every quarter."),
    ("heading", "# The director reviews the budget every quarter."),
    ("dash-item", "- The director reviews the budget every quarter."),
    ("plus-item", "+ The director reviews the budget every quarter."),
    ("setext", "=== The director reviews the budget every quarter."),
    ("reference", "The director reads [the guide][g] every week."),
]


def _view(markup: str) -> BeautifulSoup:
    return BeautifulSoup(MD.render(markup), "html.parser")


def _assert_inert(markup: str, text: str) -> None:
    """The markup, rendered as Markdown, shows exactly ``text``: nothing fetched, nothing to
    click, nothing formatted."""
    view = _view(markup)
    assert not view.find_all(["img", "a", "script", "em", "strong", "code", "del", "h1",
                              "h2", "table", "ol", "iframe"]), view
    assert not AUTOLINK.search(markup), markup
    assert text in " ".join(view.get_text().split())


@pytest.mark.parametrize(("case", "text"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_chat_answer_shows_a_hostile_quote_as_its_characters(case: str, text: str) -> None:
    sentence = Sentence(text, (1,))
    cite = Citation(1, "knowledge/h.md", f"Title {text}", f"Section {text}", f"Intro. {text}")
    answer = Answer("q", render([sentence], False), False, (cite,), (sentence,))
    bubble = web.answer_message(answer)
    _assert_inert(bubble.split('<details class="sources"')[0], f"{text} [1]")
    view = _view(bubble)
    assert not view.find_all(["img", "a", "script", "iframe"])
    assert [s.get_text() for s in view.find_all("sup")] == ["[1]"]
    source = view.find("li", id="src-1")
    assert source is not None and text in source.get_text()  # title, section and passage
    assert source.find("blockquote").get_text() == f"Intro. {text}"


@pytest.mark.parametrize(("case", "text"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_list_answer_and_stream_keep_their_structure_only(case: str, text: str) -> None:
    sentences = [Sentence(text, (1,)), Sentence("The director plans the budget.", (2,))]
    markup = web.answer_text(render(sentences, as_list=True))
    view = _view(markup)
    items = [" ".join(li.get_text().split()) for li in view.find_all("li")]
    assert items == [f"{text} [1]", "The director plans the budget. [2]"]
    assert not view.find_all(["img", "a", "em", "strong", "code", "del", "table", "ol"])
    assert not AUTOLINK.search(markup), markup


@pytest.mark.parametrize(("case", "text"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_markdown_export_shows_a_hostile_quote_as_its_characters(case: str, text: str) -> None:
    draft = _draft(text)
    for reviewed in (True, False):
        md = to_markdown(draft, reviewed=reviewed)
        body = md.split("## Sources")[0].split("## Key responsibilities")[1]
        _assert_inert(body, text)
    sources = to_markdown(draft, reviewed=True).split("## Sources")[1]
    assert not _view(sources).find_all(["img", "a", "script"]) and not AUTOLINK.search(sources)
    if not text.startswith("#"):  # an excerpt leaves heading lines out
        assert text in " ".join(_view(sources).get_text().split())


@pytest.mark.parametrize(("case", "text"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_markdown_literal_round_trips(case: str, text: str) -> None:
    _assert_inert(markdown_literal(text), text)
    assert web.literal(text) != text or text.isalnum()


FOOTNOTED = [
    # id, passage, the sentence as quoted
    ("spaced", "At the Wombat clinic the director reviews scores every quarter [99] [1] [2].",
     "At the Wombat clinic the director reviews scores every quarter."),
    ("packed", "The director reviews scores every quarter[1][2][3].",
     "The director reviews scores every quarter."),
    ("list-range", "The director reviews scores every quarter [1, 2] and yearly [3-5].",
     "The director reviews scores every quarter and yearly."),
    ("after-period", "The director reviews scores every quarter. [4] The board meets in May.",
     "The director reviews scores every quarter."),
    ("mid-sentence", "The director [12] reviews scores every quarter.",
     "The director reviews scores every quarter."),
]


@pytest.mark.parametrize(("case", "passage", "quoted"), FOOTNOTED, ids=[f[0] for f in FOOTNOTED])
def test_a_sentence_with_bracketed_numbers_is_quoted_without_them(
    case: str, passage: str, quoted: str
) -> None:
    sentences = split_sentences(f"## Reviews\n\n{passage}\n")
    assert sentences[0] == quoted
    assert not any(re.search(r"\[\d", s) for s in sentences)
    assert is_quote(quoted, passage) and is_quote(f"{quoted} [1]", passage)
    assert not is_quote("The director reviews scores every month.", passage)
    # an answer built from the stored sentence (or from one stored before this rule, which
    # kept the numbers) has only its own markers; the CLI's Sources list shows none of them
    for stored in (quoted, passage):
        text = render([Sentence(stored, (1,))], False)
        assert re.findall(r"\[\d+\]", text) == ["[1]"], text
        bubble = web.answer_text(text)
        assert bubble.count('<sup class="cite">') == 1
    cite = Citation(1, "knowledge/w.md", "Wombat", "Reviews", passage)
    listing = render_sources([cite])
    assert re.findall(r"\[\d+\]", listing) == ["[1]"], listing


def test_footnote_rule_leaves_other_sentences_alone() -> None:
    text = "## A\n\nThe director (MD or DO) reviews 5-10 cases, e.g. audits. Then the [board] met."
    assert split_sentences(text) == [
        "The director (MD or DO) reviews 5-10 cases, e.g. audits.",
        "Then the [board] met.",
    ]


def _draft(text: str) -> Draft:
    passage = f"## Duties\n\n{text} More [7] text."
    cite = Cite(1, "knowledge/h.md", "Hostile", "Duties", passage, "c1")
    bullets = [
        Bullet("b1", text, [cite], True),
        Bullet("b2", "Reviews budgets every quarter [99] [1] [2].", [cite], True),
    ]
    return Draft(setting="hospital", sections=[
        DraftSection("responsibilities", "Key responsibilities", bullets)
    ])


def test_exports_carry_no_fake_citations(tmp_path: Path) -> None:
    draft = _draft("The director plans the budget.")
    clean = to_markdown(draft, reviewed=False)
    assert not re.search(r"\[\s*\d", clean) and "Reviews budgets every quarter." in clean
    reviewed = to_markdown(draft, reviewed=True)
    body = reviewed.split("## Sources")[0]
    assert re.findall(r"\[\d+\]", body) == ["[1]", "[1]"]
    assert "[7]" not in reviewed.split("## Sources")[1]
    for is_reviewed, expected in ((False, []), (True, ["[1]", "[1]"])):
        doc = docx.Document(str(to_docx(draft, tmp_path / "jd.docx", reviewed=is_reviewed)))
        paragraphs = "\n".join(p.text for p in doc.paragraphs)
        bullets = paragraphs.split("Key responsibilities")[1].split("Sources")[0]
        assert re.findall(r"\[\d+\]", bullets) == expected, bullets
        assert "[99]" not in paragraphs and "[7]" not in paragraphs


def test_draft_view_shows_no_fake_badges() -> None:
    html = web.draft_html(_draft("The director plans the budget.").to_dict())
    assert html.count('<sup class="cite">') == 2
    assert "[99]" not in html.split("<details")[0]
