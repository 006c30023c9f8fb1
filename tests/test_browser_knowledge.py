"""The Knowledge tab in a real browser (Chromium via Playwright, the real UI as in
tests/test_browser_ui.py), at a phone's 390x844:

* no sideways scroll with a document's chunks shown and the delete confirmation open; the
  Delete and Confirm buttons are on screen;
* core documents are marked in the documents table;
* Delete asks first, naming the document and its chunk count; Cancel keeps it; Confirm
  deletes it and Restore brings it back;
* a refused upload leaves the file picker empty (it is not sent again with the next file).
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from gradio_client import Client
from playwright.sync_api import expect

from tests.support.browser import ARTIFACTS, chromium
from tests.test_browser_ui import open_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 390, "height": 844}
CORE = "knowledge/medical-director-job-title.md"
UPLOAD = "knowledge/uploads/browser-kiwi-ledger.md"
WIDTHS = "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"


@pytest.fixture(scope="module")
def pg(ui_server: Any) -> Iterator[Any]:
    text = b"# Kiwi ledger\n\nThe finance lead audits the kiwi pharmacy ledger every month.\n"
    Client(ui_server.url, verbose=False).predict(
        "browser-kiwi-ledger.md", base64.b64encode(text).decode(), api_name="/upload"
    )
    with chromium() as b:
        page = open_page(b, ui_server.url, PHONE)
        page.get_by_role("tab", name="Knowledge", exact=True).click()
        page.locator("#docs-table").get_by_text(CORE).first.wait_for()
        yield page
        page.context.close()


def pick(pg: Any, source: str) -> None:
    pg.locator("#doc-pick input").click()
    pg.get_by_role("option", name=source).click()


def on_screen(pg: Any, selector: str) -> None:
    box = pg.locator(selector).bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1


def no_sideways_scroll(pg: Any) -> None:
    w = pg.evaluate(WIDTHS)
    assert w["scroll"] <= w["inner"], w


def test_core_documents_are_marked(pg: Any) -> None:
    text = " ".join(pg.locator("#docs-table").inner_text().split())
    assert "Kind" in text and "core" in text  # the shipped documents
    assert "upload" in text  # and the one uploaded for this test


def test_no_sideways_scroll_at_390_and_delete_is_reachable(pg: Any) -> None:
    pick(pg, CORE)
    pg.locator("#chunks-view .chunk").first.wait_for()
    no_sideways_scroll(pg)
    on_screen(pg, "#delete-btn")
    pg.locator("#delete-btn").click()
    pg.locator("#delete-confirm-text").get_by_text("Delete").wait_for()
    no_sideways_scroll(pg)
    on_screen(pg, "#delete-confirm-btn")
    pg.screenshot(path=str(ARTIFACTS / "knowledge-390-confirm.png"), full_page=True)
    text = pg.locator("#delete-confirm-text").inner_text()
    n = len(pg.locator("#chunks-view .chunk").all())
    assert CORE in text and f"({n} chunks)" in text and "core document" in text
    pg.locator("#delete-cancel-btn").click()
    # the confirm box is hidden (counted: while Gradio re-renders the group, two copies of
    # it can be in the page for a moment, which a strict single-element wait rejects)
    expect(pg.locator("#delete-confirm >> visible=true")).to_have_count(0)
    assert pg.locator("#docs-table").get_by_text(CORE).count() >= 1  # Cancel kept it


def test_delete_is_confirmed_and_restore_undoes_it(pg: Any) -> None:
    pick(pg, UPLOAD)
    pg.locator("#delete-btn").click()
    pg.locator("#delete-confirm-text").get_by_text("(1 chunk)").wait_for()
    pg.locator("#delete-confirm-btn").click()
    pg.locator("#knowledge-status").get_by_text("Deleted").wait_for()
    pg.locator("#docs-table").get_by_text("browser-kiwi-ledger").wait_for(state="detached")
    assert pg.locator("#trash-pick input").input_value() == UPLOAD
    pg.locator("#restore-btn").click()
    pg.locator("#knowledge-status").get_by_text("Restored").wait_for()
    pg.locator("#docs-table").get_by_text("browser-kiwi-ledger").first.wait_for()


def test_a_refused_upload_leaves_the_picker(pg: Any, tmp_path: Path) -> None:
    bad = tmp_path / "corrupt.pdf"
    bad.write_bytes(b"%PDF-1.7\n1 0 obj <</Type /Catalog>> garbage without xref\n")
    pg.locator("#upload input[type=file]").set_input_files(str(bad))
    has_file = "() => document.querySelector('#upload').innerText.includes('corrupt')"
    pg.wait_for_function(has_file)  # shown as "corrupt" ".pdf" "57 B"
    pg.locator("#add-btn").click()
    pg.get_by_text("corrupt.pdf").last.wait_for()  # the toast names it
    pg.wait_for_timeout(1000)
    pg.wait_for_function(f"() => !({has_file})()", timeout=60_000)
    no_sideways_scroll(pg)
