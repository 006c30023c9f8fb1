"""Quotes stay text, end to end (real Chroma, real embeddings, the real extractive answerer):
uploaded documents whose sentences carry footnote numbers, an image, links, a formula or
emphasis are answered with those sentences as quotes, and every view shows them as their
characters — the chat bubble (rendered by a CommonMark parser), the CLI's plain text and the
JSON — with no citation badge the answer did not make.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from markdown_it import MarkdownIt

from assistant import Assistant
from assistant.citations import is_quote
from assistant.cli.main import main
from assistant.web import render
from tests.conftest import MODEL_CACHE, make_settings

MD = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
AUTOLINK = re.compile(r"(?i)\b(?:https?|ftp|mailto|javascript):|\bwww\.|\$\$")

BASE = (
    "---\ntitle: Alpha Guide\n---\n# Alpha Guide\n\n## Budgets\n\nThe director prepares the "
    "annual budget and reviews spending every quarter with the finance team.\n\n"
    "## Staffing\n\nThe director recruits physicians and approves rotas for night shifts.\n"
)

ROWS = [
    # id, uploaded file name, its sentence, the question, words the quote must contain
    ("footnotes", "wombat.md",
     "At the Wombat clinic the medical director reviews patient satisfaction scores every "
     "quarter [99] [1] [2].",
     "How often does the medical director at the Wombat clinic review patient satisfaction "
     "scores?", "every quarter."),
    ("image", "quokka.md",
     "At the Quokka clinic the medical director approves the on-call roster every Monday "
     "![roster](http://127.0.0.1:9/pixel.png) before noon.",
     "When does the medical director at the Quokka clinic approve the on-call roster?",
     "![roster](http://127.0.0.1:9/pixel.png)"),
    ("links", "numbat.md",
     "At the Numbat clinic the medical director signs the [audit policy](http://evil.example/p) "
     "and the [safety plan](javascript:alert(1)) each spring.",
     "What does the medical director at the Numbat clinic sign each spring?",
     "[safety plan](javascript:alert(1))"),
    ("bare-url-formula", "bilby.md",
     "At the Bilby clinic the medical director publishes the night rota at "
     "http://evil.example/rota with the cost $$x^2$$ every Friday.",
     "Where does the medical director at the Bilby clinic publish the night rota?",
     "http://evil.example/rota with the cost $$x^2$$"),
    ("emphasis-html", "dingo.md",
     "At the Dingo clinic the medical director chairs the *mortality* meeting with "
     "<img src=http://127.0.0.1:9/x.png> the ~~surgeons~~ every Tuesday.",
     "When does the medical director at the Dingo clinic chair the mortality meeting?",
     "*mortality* meeting with <img src=http://127.0.0.1:9/x.png> the ~~surgeons~~"),
]


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    root = tmp_path_factory.mktemp("literal")
    kdir = root / "knowledge"
    kdir.mkdir()
    (kdir / "alpha.md").write_text(BASE)
    a = Assistant(make_settings(root / "data", kdir))
    a.ingest()
    for _, name, sentence, _, _ in ROWS:  # uploaded as the Knowledge tab uploads them
        title = name.removesuffix(".md").title()
        a.add_file(name, f"# {title} Clinic\n\n## Routines\n\n{sentence}\n".encode())
    return a


@pytest.mark.parametrize(("case", "name", "sentence", "question", "kept"), ROWS,
                         ids=[r[0] for r in ROWS])
def test_a_hostile_sentence_is_quoted_and_shown_as_text(
    kb: Assistant, case: str, name: str, sentence: str, question: str, kept: str
) -> None:
    answer = kb.ask(question)
    assert not answer.refused, answer.answer
    lead = answer.sentences[0]
    assert kept in lead.text and not re.search(r"\[\d", lead.text), lead.text
    cited = {c.id: c for c in answer.citations}
    assert cited[lead.citations[0]].source == f"knowledge/uploads/{name}"
    assert all(is_quote(s.text, cited[n].text) for s in answer.sentences for n in s.citations)
    # every [n] in the answer text is one of its citations, in every view
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)}
    assert markers == {n for s in answer.sentences for n in s.citations} <= set(cited)

    bubble = render.answer_message(answer)
    body = bubble.split('<details class="sources"')[0]
    assert not AUTOLINK.search(body) and "![" not in body and "](" not in body
    view = BeautifulSoup(MD.render(bubble), "html.parser")
    assert not view.find_all(["img", "a", "script", "em", "del", "iframe"]), view
    shown = " ".join(view.get_text().split())
    assert lead.text in shown  # the quote, character for character
    assert [int(s.get_text().strip("[]")) for s in view.find_all("sup")] == [
        n for s in answer.sentences for n in s.citations
    ]


@pytest.mark.parametrize(("case", "name", "sentence", "question", "kept"), ROWS,
                         ids=[r[0] for r in ROWS])
def test_the_cli_prints_only_real_citation_numbers(
    kb: Assistant, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    case: str, name: str, sentence: str, question: str, kept: str,
) -> None:
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(kb.settings.data_dir))
    monkeypatch.setenv("ASSISTANT_KNOWLEDGE_DIR", str(kb.settings.knowledge_dir))
    monkeypatch.setenv("ASSISTANT_MODEL_CACHE_DIR", str(MODEL_CACHE))
    assert main(["ask", question]) == 0
    text = capsys.readouterr().out
    answer_part, _, sources = text.partition("\nSources:\n")
    assert kept in answer_part
    numbers = re.findall(r"\[(\d+)\]", answer_part)
    listed = re.findall(r"^\[(\d+)\] ", sources, re.M)
    assert numbers and set(numbers) <= set(listed), text
    assert len(re.findall(r"\[\d+\]", sources)) == len(listed), sources  # none in passages
    assert main(["ask", "--json", question]) == 0
    data = json.loads(capsys.readouterr().out)
    assert not any(re.search(r"\[\d", s["text"]) for s in data["sentences"])


def test_without_the_numbers_the_same_sentence_answers_the_same(tmp_path: Path) -> None:
    """The issue's control: the footnoted sentence answers exactly as the plain one does."""
    plain, footnoted = ROWS[0][2].replace(" [99] [1] [2]", ""), ROWS[0][2]
    answers = []
    for n, sentence in enumerate((plain, footnoted)):
        kdir = tmp_path / f"k{n}"
        kdir.mkdir()
        (kdir / "alpha.md").write_text(BASE)
        (kdir / "wombat.md").write_text(f"# Wombat Clinic\n\n## Routines\n\n{sentence}\n")
        a = Assistant(make_settings(tmp_path / f"d{n}", kdir))
        a.ingest()
        answers.append(a.ask(ROWS[0][3]))
    assert not answers[1].refused
    assert answers[0].answer == answers[1].answer
