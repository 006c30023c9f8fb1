"""UI rendering and error handling without a server (the served app is in test_ui.py)."""

from __future__ import annotations

import logging

import pytest

gr = pytest.importorskip("gradio")

from assistant.errors import InputError  # noqa: E402
from assistant.types import Answer, Chunk, Citation, Sentence  # noqa: E402
from assistant.web import render  # noqa: E402
from assistant.web.guard import GENERIC, guarded  # noqa: E402
from assistant.web.handlers import parse_history  # noqa: E402

CITE = Citation(1, "knowledge/a.md", "A <b>title</b>", "Intro > Duties", "Lead <script>x</script>")


def test_answer_message_has_markers_and_an_escaped_sources_block() -> None:
    answer = Answer("q", "Lead the team. [1]", False, (CITE,), (Sentence("Lead the team.", (1,)),))
    html = render.answer_message(answer)
    assert ('<span class="cite-wrap"><sup class="cite"><button type="button" class="cite-link"'
            ' aria-label="Source 1" aria-describedby="tip-a-1">[1]</button></sup>'
            '<span class="cite-tip" role="tooltip" id="tip-a-1"><span class="tip-head">[1] '
            'A &lt;b&gt;title&lt;/b&gt; › Intro › Duties</span>') in html
    assert '<details class="sources"><summary>Sources (1 passage)</summary>' in html
    assert "Intro › Duties" in html and "knowledge/a.md" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>title</b>" not in html


def test_refusal_is_rendered_apart_with_the_nearest_topics() -> None:
    answer = Answer("q", "The knowledge base does not cover this question.", True,
                    suggestions=("Budgets", "Staffing <x>"))
    html = render.answer_message(answer)
    assert 'class="not-covered"' in html and "Not covered" in html
    assert "<li>Budgets</li>" in html and "Staffing &lt;x&gt;" in html
    assert "Sources" not in html


def test_chunks_show_their_section_paths() -> None:
    chunks = [Chunk("abc", "Text one", "knowledge/a.md", "A", "A > B", 0, 8)]
    html = render.chunks_html("knowledge/a.md", chunks)
    assert "A &gt; B" in html and "1 chunks" in html and "chars 0–8" in html


def test_draft_html_shows_every_bullet_with_its_citation_and_state() -> None:
    draft = {
        "setting": "hospice", "org": "Acme", "seniority": "", "emphasis": ["telehealth"],
        "sections": [{
            "section": "responsibilities", "title": "Key responsibilities",
            "bullets": [
                {"id": "b1", "text": "Oversee care", "citations": [CITE.to_dict()],
                 "verified": True, "pinned": True, "edited": False, "theme": "clinical"},
                {"id": "b2", "text": "Set budgets", "citations": [CITE.to_dict()],
                 "verified": True, "pinned": False, "edited": True, "theme": "finance"},
            ],
            "notes": ["No evidence for telehealth in the knowledge base."],
        }],
    }
    html = render.draft_html(draft)
    assert html.count('<li class="bullet"') == 2
    assert html.count('<sup class="cite">[1]</sup>') == 2
    assert "pinned" in html and "edited" in html and "No evidence for telehealth" in html
    assert render.bullet_choices(draft, "responsibilities")[1] == ("#b2 Set budgets", "b2")
    assert render.find_bullet(draft, "responsibilities", "b2")["text"] == "Set budgets"


def test_history_must_be_a_json_list_of_questions() -> None:
    assert parse_history("") == [] and parse_history('["a", " "]') == ["a"]
    for bad in ("nope", "{}", "[1]"):
        with pytest.raises(InputError):
            parse_history(bad)


def test_unexpected_errors_become_a_generic_message_and_are_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    @guarded
    def boom() -> None:
        raise RuntimeError("secret internals at /srv/x.py line 3")

    with caplog.at_level(logging.ERROR, logger="assistant.ui"), pytest.raises(gr.Error) as err:
        boom()
    assert err.value.message == GENERIC
    assert "secret internals" in caplog.text

    @guarded
    def stream():  # type: ignore[no-untyped-def]
        yield 1
        raise InputError("Bad <input>.")

    gen = stream()
    assert next(gen) == 1
    with pytest.raises(gr.Error) as err2:
        next(gen)
    assert err2.value.message == "Bad &lt;input&gt;."


def test_passages_show_headings_as_text_not_markup() -> None:
    html = render.passage_html("## Budget <b>\nThe director   plans.\n\n### Next ##\nMore.")
    assert html == "<b>Budget &lt;b&gt;</b> The director plans. <b>Next</b> More."


def test_the_source_line_is_title_and_section_without_repeating_the_title() -> None:
    assert render.source_label("Guide", "Guide") == "Guide"
    assert render.source_label("Guide", " guide ") == "Guide"
    assert render.source_label("Guide", "Budgets > budgets > Q1") == "Guide › Budgets › Q1"
    assert render.source_label("Guide", "guide > Budgets > Q1") == "Guide › Budgets › Q1"
    assert render.source_label("Guide", "Intro > Duties") == "Guide › Intro › Duties"
    assert render.source_label("Guide", "") == "Guide"


LONG = ("## Duties\n" + "The director attends many meetings with the board of trustees. " * 5
        + "The director sets the   annual budget [3] with the finance team. "
        + "Other work fills the rest of the week for the director and staff. " * 5)


def test_the_quoted_sentence_is_marked_and_a_long_passage_is_trimmed_around_it() -> None:
    cite = Citation(1, "knowledge/g.md", "Guide", "Guide > Duties", LONG)
    quote = "The director sets the annual budget with the finance team."
    answer = Answer("q", f"{quote} [1]", False, (cite,), (Sentence(quote, (1,)),))
    html = render.answer_message(answer)
    head = html.split('<li id="src-1"')[1]
    assert "Guide › Duties" in head and "Guide › Guide" not in head
    excerpt, _, full = head.partition('<details class="full-passage">')
    assert 'class="excerpt"' in excerpt and excerpt.count("…") == 2
    assert len(excerpt) < len(LONG)  # trimmed
    marked = '<mark class="quote">The director sets the annual budget &#91;3&#93; with the ' \
             "finance team.</mark>"
    assert marked in excerpt and marked in full
    assert "Full passage" in full and full.count("board of trustees") == 5  # the whole text
    # a short passage is shown whole, marked, with no second copy
    short = Citation(1, "knowledge/g.md", "Guide", "Duties", f"Intro. {quote}")
    html = render.answer_message(Answer("q", f"{quote} [1]", False, (short,),
                                        (Sentence(quote, (1,)),)))
    assert "full-passage" not in html and f'<mark class="quote">{quote}</mark>' in html
    # a quote that cannot be found is not marked, and the passage is not trimmed
    other = Answer("q", "Something else. [1]", False, (cite,), (Sentence("Elsewhere.", (1,)),))
    html = render.answer_message(other)
    assert "<mark" not in html and "full-passage" not in html


def test_the_copy_text_is_the_plain_answer_with_a_markdown_sources_list() -> None:
    import html as html_lib

    text = "Lead the [team](http://x.example) *now*."
    answer = Answer(
        "q", f"{text} [1]", False, (CITE,), (Sentence(text, (1,)),), searched_for="lead teh team"
    )
    plain = render.answer_plain(answer)
    assert plain == (
        "Searched for: “lead teh team”\n\n"
        f"{text} [1]\n\n"
        "Sources:\n- [1] A <b>title</b> › Intro › Duties — knowledge/a.md"
    )
    bubble = render.answer_message(answer)
    hidden = bubble.split('<span class="copy-text" hidden>')[1].split("</span>")[0]
    assert "\n" not in hidden and "](" not in hidden and "http:" not in hidden
    assert html_lib.unescape(hidden) == plain  # what the browser hands to the clipboard
    refusal = Answer(
        "q", "The knowledge base does not cover this question.", True, suggestions=("Budgets",)
    )
    assert render.answer_plain(refusal) == (
        "Not covered. The knowledge base does not answer this question, so there is no cited "
        "answer.\n\nNearest topics the knowledge base does cover:\n- Budgets"
    )


def test_a_citation_preview_names_its_source_and_marks_the_quote() -> None:
    passage = "## Budgets\nThe director sets the annual budget with finance. " + "More. " * 40
    cite = Citation(2, "knowledge/g.md", "Guide", "Guide > Budgets", passage)
    answer = Answer("q", "The director sets the annual budget with finance. [2]", False,
                    (cite,), (Sentence("The director sets the annual budget with finance.", (2,)),))
    html = render.answer_message(answer, uid="7")
    tip = html.split('<span class="cite-tip"')[1].split("</span></span>")[0]
    assert 'role="tooltip" id="tip-7-1"' in tip and 'aria-describedby="tip-7-1"' in html
    assert '<span class="tip-head">[2] Guide › Budgets</span>' in tip
    assert '<mark class="quote">The director sets the annual budget with finance.</mark>' in tip
    assert len(tip) < 600  # a little context, not the whole passage
    # two markers in one answer: two previews, two ids
    two = render.answer_text("A. [2] B. [2]", False, {2: "x"}, "9")
    assert 'id="tip-9-1"' in two and 'id="tip-9-2"' in two
    assert "cite-tip" not in render.answer_text("A. [2]")  # a streamed text: no previews yet


def test_every_source_line_of_the_knowledge_base_says_nothing_twice(built: object) -> None:
    labels = {render.source_label(c.title, c.section) for c in built.all_chunks()}  # type: ignore[attr-defined]
    for label in labels:
        parts = [p.casefold() for p in label.split(" › ")]
        assert all(a != b for a, b in zip(parts, parts[1:], strict=False)), label


def test_each_draft_bullet_has_its_own_buttons_naming_it() -> None:
    draft = {"sections": [{"section": "responsibilities", "title": "Key responsibilities",
                           "bullets": [{"id": "b1", "text": "Oversee <care>", "pinned": True},
                                       {"id": "b2", "text": "Set budgets"}]}]}
    html = render.draft_html(draft)
    first, second = html.split('<li class="bullet"')[1:3]
    assert 'data-section="responsibilities" data-bullet="b1"' in first
    for label in ("Unpin bullet: Oversee &lt;care&gt;", "Move up bullet: Oversee &lt;care&gt;",
                  "Move down bullet: Oversee &lt;care&gt;", "Edit bullet: Oversee &lt;care&gt;",
                  "Remove bullet: Oversee &lt;care&gt;"):
        assert f'aria-label="{label}"' in first
    assert 'aria-pressed="true"' in first and 'aria-pressed="false"' in second
    assert 'data-action="up" aria-label="Move up bullet: Oversee &lt;care&gt;" disabled' in first
    assert 'data-action="down" aria-label="Move down bullet: Set budgets" disabled' in second
    assert first.count("<button") == second.count("<button") == 5


def test_a_refused_page_action_is_one_warning_and_changes_no_output() -> None:
    from assistant.web.guard import toasted

    def refuse(*_: object) -> tuple:
        raise InputError("Choose a bullet in the list first.")

    with pytest.warns(UserWarning, match="Choose a bullet"):  # gr.Warning outside a request
        out = toasted(refuse, 3)()
    assert isinstance(out, tuple) and len(out) == 3
    assert all(o == gr.skip() for o in out)
