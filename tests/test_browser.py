"""End to end in a real browser: Debian's Chromium (headless) driven by Playwright.

Types a question, sees the cited answer and its Sources, asks an out-of-scope question, drafts
a section, downloads the DOCX and opens it with python-docx, reloads the page and finds the
draft again, saves and loads it (a tampered file loads with the bullet unverified), and
browses the knowledge base.
A screenshot of each step goes to artifacts/browser/ (git-ignored); the README's screenshots
are written by tests/test_browser_draft_actions.py. No request may leave the loopback
interface.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest

from tests.support.browser import ARTIFACTS, LOCAL, chromium

pytestmark = [pytest.mark.browser, pytest.mark.slow]

QUESTION = "What are the main responsibilities of a medical director?"

# Set when Enter is pressed; read when the new answer's first streamed text is in the DOM.
FIRST_TOKEN_PROBE = """() => {
  const box = document.querySelector('#question textarea');
  const bots = () => document.querySelectorAll('#chatbot [data-testid="bot"]');
  window.__firstToken = null;
  box.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter' || window.__t0) return;
    window.__t0 = performance.now();
    const n = bots().length;
    const seen = () => { const m = bots()[n]; const t = m ? m.innerText.trim() : '';
                         return t && t !== '…'; };
    const obs = new MutationObserver(() => {
      if (seen()) { window.__firstToken = performance.now() - window.__t0; obs.disconnect(); }
    });
    obs.observe(document.querySelector('#chatbot'),
                {subtree: true, childList: true, characterData: true});
  }, {capture: true});
}"""


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
        pg.outside = outside  # type: ignore[attr-defined]
        yield pg
        context.close()


def shot(page: Any, name: str, **kwargs: Any) -> Path:
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), **kwargs)
    return path


def test_chat_shows_a_cited_answer_with_sources(page: Any) -> None:
    shot(page, "01-start")
    page.fill("#question textarea", "Who won the 2018 football world cup?")
    page.press("#question textarea", "Enter")
    refusal = page.locator("#chatbot .not-covered")
    refusal.wait_for()
    assert "Not covered" in refusal.inner_text()
    assert refusal.locator("li").count() >= 1  # the nearest covered topics
    assert page.locator("#chatbot details.sources").count() == 0

    page.evaluate(FIRST_TOKEN_PROBE)
    page.fill("#question textarea", QUESTION)
    page.press("#question textarea", "Enter")
    answer = page.locator('#chatbot [data-testid="bot"]').nth(1)
    answer.locator("details.sources").wait_for()
    first_token_ms = page.evaluate("window.__firstToken")
    assert first_token_ms is not None
    logging.getLogger(__name__).warning("submit -> first streamed token: %.0f ms", first_token_ms)
    (ARTIFACTS / "first-token-ms.txt").write_text(f"{first_token_ms:.0f}\n")

    assert page.locator('#chatbot [data-testid="user"]').nth(1).inner_text().strip() == QUESTION
    markers = answer.locator("sup.cite")
    assert markers.count() >= 1 and markers.first.inner_text() == "[1]"
    sources = answer.locator("details.sources")
    assert not sources.locator("blockquote").first.is_visible()  # collapsed by default
    sources.locator("> summary").click()
    first = sources.locator("ol.src-list li").first
    assert first.locator("blockquote").first.is_visible()  # whole, or trimmed around the quote
    assert first.locator(".src-file").inner_text().startswith("knowledge/")
    assert "[1]" in first.locator(".src-head").inner_text()
    shot(page, "02-answer-with-sources")

    page.set_viewport_size({"width": 1280, "height": 1500})
    page.locator('#chatbot [data-testid="user"]').first.scroll_into_view_if_needed()
    shot(page, "02b-chat-tall")
    page.set_viewport_size({"width": 1280, "height": 1000})


def test_follow_up_example_click_and_new_chat(page: Any) -> None:
    bots = page.locator('#chatbot [data-testid="bot"]')
    n = bots.count()
    page.fill("#question textarea", "And what about their budget duties?")
    page.click("#ask-btn")
    bots.nth(n).locator("details.sources").wait_for()
    assert "budget" in bots.nth(n).inner_text().lower()

    page.click("#clear-btn")
    page.wait_for_function(
        "document.querySelectorAll('#chatbot [data-testid=\"bot\"]').length === 0"
    )
    page.locator("#chatbot").get_by_text("How many years of clinical experience").first.click()
    bots.first.locator("details.sources").wait_for()
    assert "5-10 years" in bots.first.inner_text()
    assert page.locator('#chatbot [data-testid="user"]').count() == 1


def test_a_drafting_request_in_the_chat_opens_the_draft_tab_prefilled(page: Any) -> None:
    page.click("#clear-btn")
    page.fill("#question textarea", "write me a job posting for a hospice medical director")
    page.press("#question textarea", "Enter")
    page.locator("#chatbot p.task").wait_for()
    assert "Draft tab" in page.locator("#chatbot p.task").inner_text()
    button = page.locator("#open-draft")
    button.wait_for(state="visible")
    button.click()
    setting = page.locator("#draft-setting textarea, #draft-setting input").first
    setting.wait_for(state="visible")
    page.wait_for_function(
        "() => { const e = document.querySelector('#draft-setting textarea, #draft-setting input');"
        " return e && e.value === 'hospice'; }"
    )
    page.get_by_role("tab", name="Chat").first.click()
    page.click("#clear-btn")
    button.wait_for(state="hidden")


def test_draft_a_section_and_download_the_docx(page: Any) -> None:
    page.get_by_role("tab", name="Draft").first.click()
    page.fill("#draft-setting textarea, #draft-setting input", "emergency department")
    boxes = page.locator("#draft-sections input[type=checkbox]")
    for i in range(boxes.count()):  # keep only "Key responsibilities"
        label = boxes.nth(i).locator("xpath=..").inner_text()
        if boxes.nth(i).is_checked() != ("responsibilities" in label.lower()):
            boxes.nth(i).click()
    page.click("#gen-btn")
    bullets = page.locator("#draft-view li.bullet")
    bullets.first.wait_for()
    assert bullets.count() >= 3
    for i in range(bullets.count()):
        assert bullets.nth(i).locator("sup.cite").count() >= 1, bullets.nth(i).inner_text()
    assert page.locator("#draft-view h3").all_inner_texts() == ["Key responsibilities"]
    shot(page, "03-draft")

    dl = page.locator("#dl-docx")
    page.wait_for_function("!document.querySelector('#dl-docx').disabled")
    with page.expect_download() as info:
        dl.click()
    target = ARTIFACTS / "draft-reviewed.docx"
    info.value.save_as(str(target))
    document = docx.Document(str(target))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Key responsibilities" in text and "Sources" in text
    first_text = bullets.first.inner_text()
    theme = bullets.first.locator(".theme")
    if theme.count():  # the theme label is shown inside the bullet, not part of its text
        first_text = first_text.replace(theme.inner_text(), "", 1)
    first_bullet = first_text.split("[")[0].strip()
    assert first_bullet[:40] in text

    # pin the second bullet through the refine controls; it gets a "pinned" badge
    page.locator("#bullet-pick input").click()
    page.get_by_role("option").nth(1).click()
    page.get_by_role("button", name="Pin / unpin").click()
    page.locator("#draft-view .badge.pin").first.wait_for()
    assert page.locator("#draft-view li.bullet").nth(1).locator(".badge.pin").count() == 1
    page.set_viewport_size({"width": 1280, "height": 1250})
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "03b-draft-pinned")
    page.set_viewport_size({"width": 1280, "height": 1000})


def _bullet_ids(page: Any) -> list[str]:
    ids: list[str] = page.eval_on_selector_all(
        "#draft-view .bullet[data-id]", "els => els.map(e => e.dataset.id)"
    )
    return ids


def _status(page: Any, text: str) -> str:
    status = page.locator("#draft-status")
    status.get_by_text(text).first.wait_for()
    return str(status.inner_text())


def _load_file(page: Any, path: Path) -> None:
    with page.expect_file_chooser() as chooser:
        page.click("#load-draft")
    chooser.value.set_files(str(path))


def test_the_draft_survives_a_reload_and_saves_and_loads(page: Any, tmp_path: Path) -> None:
    import json

    page.get_by_role("tab", name="Draft").first.click()
    page.fill("#draft-setting textarea, #draft-setting input", "urgent care network")
    page.click("#gen-btn")
    _status(page, "Drafted")
    ids = _bullet_ids(page)
    assert len(ids) >= 3
    page.wait_for_function("() => !!localStorage.getItem('md-assistant-draft')")

    # A reload of the page brings the draft back (checked again on the way in).
    page.reload()
    page.wait_for_selector("#question textarea")
    page.get_by_role("tab", name="Draft").first.click()
    assert "Restored your last draft" in _status(page, "Restored your last draft")
    assert _bullet_ids(page) == ids
    assert page.locator("#draft-view .badge.warn").count() == 0
    assert page.input_value("#draft-setting textarea, #draft-setting input") == (
        "urgent care network"
    )

    # Save: the download is the draft's JSON; loading it back shows the same draft.
    page.wait_for_function("!document.querySelector('#dl-json').disabled")
    with page.expect_download() as info:
        page.click("#dl-json")
    assert info.value.suggested_filename == "Urgent-Care-Network-Medical-Director.json"
    saved = tmp_path / "saved.json"
    info.value.save_as(str(saved))
    data = json.loads(saved.read_text())
    assert [b["id"] for s in data["sections"] for b in s["bullets"]] == ids
    _load_file(page, saved)
    status = _status(page, "Loaded the draft")
    assert f"{len(ids)} bullets, {len(ids)} verified" in status
    assert _bullet_ids(page) == ids

    # A tampered file loads, with the tampered bullet marked unverified.
    resp = next(s for s in data["sections"] if s["section"] == "responsibilities")
    first = resp["bullets"][0]
    first["citations"][0]["text"] = "The medical director flies the hospital helicopter."
    first["text"] = "Fly the hospital helicopter"
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(data))
    _load_file(page, tampered)
    assert "1 unverified" in _status(page, "1 unverified")
    assert page.locator("#draft-view .badge.warn").count() == 1
    tampered_bullet = page.locator(f'#draft-view li.bullet[data-id="{first["id"]}"]')
    assert "Fly the hospital helicopter" in tampered_bullet.inner_text()
    assert tampered_bullet.locator(".badge.warn").count() == 1
    shot(page, "05-draft-loaded-unverified")

    # Garbage gives one message and changes nothing on screen.
    before = page.inner_html("#draft-view .draft")
    garbage = tmp_path / "garbage.json"
    garbage.write_text("{this is not a draft")
    _load_file(page, garbage)
    toast = page.locator('[data-testid="toast-body"]').filter(has_text="garbage.json")
    toast.first.wait_for()
    assert "not valid JSON" in toast.first.inner_text()
    assert "Traceback" not in toast.first.inner_text()
    assert page.inner_html("#draft-view .draft") == before
    assert "1 unverified" in page.inner_text("#draft-status")  # the last load's status stays

    # What the browser keeps is checked on the way back in too: still unverified after a reload.
    page.reload()
    page.wait_for_selector("#question textarea")
    page.get_by_role("tab", name="Draft").first.click()
    _status(page, "Restored your last draft")
    assert page.locator("#draft-view .badge.warn").count() == 1


def test_knowledge_tab_lists_documents_and_their_chunks(page: Any) -> None:
    page.get_by_role("tab", name="Knowledge").click()
    table = page.locator("#docs-table")
    table.get_by_text("knowledge/medical-director-job-title.md").first.wait_for()
    page.locator("#doc-pick input").click()
    page.get_by_role("option", name="knowledge/medical-director-job-title.md").click()
    page.locator("#chunks-view .chunk").first.wait_for()
    heads = page.locator("#chunks-view .chunk-head").all_inner_texts()
    assert len(heads) >= 5
    # section paths: "Qualifications & Skills Required for a Medical Director > Relevant Experience"
    assert any("Required for a Medical Director > Relevant Experience" in h for h in heads)
    shot(page, "04-knowledge")


def test_nothing_was_fetched_from_outside(page: Any) -> None:
    assert page.outside == [], page.outside  # type: ignore[attr-defined]
