"""The Draft tab's Review area in a real browser (Chromium through Playwright) over the real
UI (`python ui.py` on a copy of knowledge/): paste a description, read the verdicts, upload
a .docx, add the suggested bullets to a draft the rest of the tab refines."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.browser import ARTIFACTS, LOCAL, chromium

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def page(ui_server: Any) -> Iterator[Any]:
    with chromium() as browser:
        context = browser.new_context(viewport={"width": 1280, "height": 1000},
                                      accept_downloads=True)
        pg = context.new_page()
        pg.set_default_timeout(90_000)
        outside: list[str] = []
        pg.on("request", lambda r: None if r.url.startswith(LOCAL) else outside.append(r.url))
        pg.goto(ui_server.url)
        pg.wait_for_selector("#question textarea")
        pg.get_by_role("tab", name="Draft").first.click()
        pg.get_by_text("Review an existing description").first.click()
        pg.wait_for_selector("#review-text textarea")
        yield pg
        assert not outside, outside
        context.close()


def test_paste_a_description_and_read_each_lines_verdict(page: Any) -> None:
    text = (ROOT / "eval" / "reviews" / "messy-paste.txt").read_bytes().decode()
    page.fill("#review-text textarea", text)
    page.click("#review-btn")
    lines = page.locator("#review-view li.review-line")
    page.locator("#review-status").get_by_text("Reviewed:").wait_for()
    assert lines.count() == 14
    party = page.locator("#review-view li.review-line", has_text="annual holiday party")
    assert party.locator(".badge").inner_text() == "Not in the knowledge base"
    assert "possibly specific to your organisation" in party.inner_text()
    supported = page.locator('#review-view li.review-line[data-verdict="ok"]')
    assert supported.count() >= 8
    for i in range(supported.count()):  # every supported line cites and quotes its source
        assert supported.nth(i).locator("sup.cite").count() >= 1
        assert supported.nth(i).locator("blockquote").count() >= 1
    assert page.locator("#review-view .missing").count() >= 3
    assert page.locator("#review-view .placeholder", has_text="Reports to").count() == 1
    page.wait_for_function("!document.querySelector('#review-docx').disabled")
    with page.expect_download() as info:
        page.click("#review-md")
    target = ARTIFACTS / "review-report.md"
    info.value.save_as(str(target))
    assert "## Line by line" in target.read_text(encoding="utf-8")
    page.screenshot(path=str(ARTIFACTS / "review.png"), full_page=True)


def test_add_suggested_bullets_makes_a_draft_the_tab_refines(page: Any) -> None:
    boxes = page.locator("#review-themes input[type=checkbox]")
    assert boxes.count() >= 3 and all(boxes.nth(i).is_checked() for i in range(boxes.count()))
    for i in range(boxes.count()):  # keep only "How success is measured"
        label = boxes.nth(i).locator("xpath=..").inner_text()
        if boxes.nth(i).is_checked() != ("success" in label.lower()):
            boxes.nth(i).click()
    page.click("#review-add")
    page.locator("#draft-status").get_by_text("Made a draft from the review").wait_for()
    view = page.locator("#draft-view")
    assert "How success is measured" in view.locator("h3").all_inner_texts()
    assert view.locator("li.bullet", has_text="Oversee physicians, nurse practitioners").count()
    assert view.locator("li.bullet", has_text="annual holiday party").count() == 0
    # the draft is like any other: refine it with the tab's own controls
    page.locator("#sec-pick input").click()
    page.get_by_role("option", name="Key responsibilities").click()
    page.get_by_label("More on a topic").fill("peer review")
    page.get_by_role("button", name="Add bullets on this topic").click()
    page.locator("#draft-status").get_by_text("Added bullets on").wait_for()
    page.wait_for_function("!document.querySelector('#dl-json').disabled")


def test_upload_a_docx_description(page: Any, tmp_path: Path) -> None:
    import docx

    doc = docx.Document()
    doc.add_heading("Medical Director", level=0)
    doc.add_heading("Responsibilities", level=1)
    for line in ("Supervise clinical staff", "Plan the Lakeside summer gala"):
        doc.add_paragraph(line, style="List Bullet")
    path = tmp_path / "posting.docx"
    doc.save(str(path))
    with page.expect_file_chooser() as chooser:
        page.click("#review-upload")
    chooser.value.set_files(str(path))
    page.locator("#review-status").get_by_text("read posting.docx").wait_for()
    lines = page.locator("#review-view li.review-line")
    assert lines.count() == 2
    assert lines.nth(1).locator(".badge").inner_text() == "Not in the knowledge base"
    assert "Supervise clinical staff" in page.input_value("#review-text textarea")
