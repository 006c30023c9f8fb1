"""The UI's readability and chat basics in a real browser (Debian's Chromium via Playwright,
the real UI over real Chroma and real embeddings, as tests/test_browser.py).

* every tab, light and dark, passes axe-core (bundled by axe-playwright-python: nothing is
  fetched) with no serious or critical violation;
* a ``[n]`` in an answer opens its source and scrolls to it; the quoted sentence is marked in
  the passage; the source line reads "title › section" and the file;
* "Copy" puts the answer's plain text with ``[n]`` and a Markdown Sources list on the
  clipboard, not HTML;
* *Ask* is disabled while the box is empty, a counter shows the length against the limit, a
  validation problem shows one toast however often it is repeated, and the examples are
  shown once.
Layout checks run at 1280 px and at 390 px (a phone).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.browser import ARTIFACTS, LOCAL, chromium

pytestmark = [pytest.mark.browser, pytest.mark.slow]

QUESTION = "What qualifications are required to become a medical director?"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def browser(ui_server: Any) -> Iterator[Any]:
    with chromium() as b:
        yield b


def open_page(browser: Any, url: str, viewport: dict[str, int], theme: str = "light") -> Any:
    context = browser.new_context(viewport=viewport)
    context.grant_permissions(["clipboard-read", "clipboard-write"],
                              origin=url.rstrip("/"))
    pg = context.new_page()
    pg.set_default_timeout(90_000)
    outside: list[str] = []
    pg.on("request", lambda r: None if r.url.startswith(LOCAL) else outside.append(r.url))
    pg.goto(f"{url}?__theme={theme}")
    pg.wait_for_selector("#question textarea")
    pg.outside = outside  # type: ignore[attr-defined]
    return pg


@pytest.fixture(params=["desktop", "phone"])
def page(request: pytest.FixtureRequest, browser: Any, ui_server: Any) -> Iterator[Any]:
    pg = open_page(browser, ui_server.url, DESKTOP if request.param == "desktop" else PHONE)
    pg.width = request.param  # type: ignore[attr-defined]
    yield pg
    assert pg.outside == [], pg.outside  # type: ignore[attr-defined]
    pg.context.close()


def ask(pg: Any, question: str) -> Any:
    """Type a question, send it, and return the new answer's bubble once it is final."""
    bots = pg.locator('#chatbot [data-testid="bot"]')
    n = bots.count()
    pg.fill("#question textarea", question)
    pg.press("#question textarea", "Enter")
    answer = bots.nth(n)
    answer.locator("details.sources, .not-covered, p.task").first.wait_for()
    return answer


# -- 1. colours: axe-core on every tab, light and dark -----------------------------------------
def axe_problems(pg: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    pg.wait_for_timeout(400)  # let tab and message transitions finish
    result = Axe().run(pg)
    return [
        f"{v['id']} ({v['impact']}): {n['target']} {n.get('failureSummary', '')[:200]}"
        for v in result.response["violations"]
        if v["impact"] in ("serious", "critical")
        for n in v["nodes"]
    ]


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_tab_passes_axe_in_light_and_dark_mode(
    browser: Any, ui_server: Any, theme: str
) -> None:
    pg = open_page(browser, ui_server.url, DESKTOP, theme)
    try:
        assert pg.evaluate("document.body.classList.contains('dark')") == (theme == "dark")
        ask(pg, "Who won the 2018 football world cup?")
        answer = ask(pg, "wat qualifcations does a medcal directer ned")  # "Searched for" line
        answer.locator("details.sources > summary").click()
        answer.locator("ol.src-list li").first.wait_for()
        problems = {"Chat": axe_problems(pg)}
        pg.get_by_role("tab", name="Draft").first.click()
        pg.fill("#draft-setting textarea, #draft-setting input", "hospice")
        pg.get_by_label("Emphasis topics (comma-separated)").fill("underwater basket weaving")
        pg.click("#gen-btn")
        pg.locator("#draft-view li.bullet .bullet-src").first.wait_for()
        pg.locator("#draft-view .note").first.wait_for()  # the emphasis without evidence
        pg.locator("#draft-view details.sources > summary").first.click()
        problems["Draft"] = axe_problems(pg)
        for tab in ("Knowledge", "Evaluation"):
            pg.get_by_role("tab", name=tab).first.click()
            problems[tab] = axe_problems(pg)
        pg.screenshot(path=str(ARTIFACTS / f"axe-{theme}.png"))
        assert problems == {tab: [] for tab in problems}, problems
    finally:
        pg.context.close()


# -- 2. citations a reader can check in one move ----------------------------------------------
IN_VIEW = """e => { const r = e.getBoundingClientRect();
  let box = {top: 0, bottom: innerHeight};
  for (let p = e.parentElement; p; p = p.parentElement) {
    const s = getComputedStyle(p);
    if (/(auto|scroll)/.test(s.overflowY)) { const q = p.getBoundingClientRect();
      box = {top: Math.max(box.top, q.top), bottom: Math.min(box.bottom, q.bottom)}; }
  }
  return r.top >= box.top - 1 && r.top < box.bottom - 20; }"""


def test_a_citation_opens_its_source_with_the_quote_marked(page: Any) -> None:
    answer = ask(page, "What are the main responsibilities of a medical director?")
    sources = answer.locator("details.sources")
    assert sources.evaluate("d => !d.open")  # collapsed until asked for
    cites = answer.locator("button.cite-link")
    assert cites.count() >= 2
    last = cites.nth(cites.count() - 1)
    n = last.inner_text().strip("[]")
    sentence = last.evaluate("b => b.closest('li, p').innerText")  # the sentence it ends
    last.click()
    source = answer.locator(f"li.src#src-{n}")
    assert sources.evaluate("d => d.open")
    source.wait_for(state="visible")
    page.wait_for_timeout(300)
    assert source.evaluate(IN_VIEW), "the cited source is scrolled into view"
    assert page.evaluate("document.activeElement.id") == f"src-{n}"

    head = source.locator(".src-head").inner_text()
    parts = head.removeprefix(f"[{n}]").strip().split(" › ")
    assert len(parts) >= 2 and all(a != b for a, b in zip(parts, parts[1:], strict=False))
    assert source.locator(".src-file").inner_text().startswith("knowledge/")
    mark = source.locator("mark.quote").first
    assert mark.is_visible()
    assert " ".join(mark.inner_text().split()) in " ".join(sentence.split())

    # A long passage is trimmed around the quote; the full text is one click away.
    excerpt = answer.locator("blockquote.excerpt")
    assert excerpt.count() >= 1
    trimmed = excerpt.first.locator("xpath=..")
    full = trimmed.locator("details.full-passage blockquote")
    assert not full.is_visible()
    trimmed.locator("details.full-passage > summary").click()
    assert full.is_visible()
    assert len(full.inner_text()) > len(excerpt.first.inner_text().replace("…", "")) + 40
    assert full.locator("mark.quote").count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    page.screenshot(path=str(ARTIFACTS / f"citation-{page.width}.png"))  # type: ignore[attr-defined]

    # From the keyboard: a [n] is a button; Enter on it moves the focus to its source.
    first = cites.first
    first.focus()
    page.keyboard.press("Enter")
    m = first.inner_text().strip("[]")
    page.wait_for_function(f"document.activeElement.id === 'src-{m}'")
    assert answer.locator(f"li.src#src-{m}").evaluate(IN_VIEW)


# -- 3. "Copy" gives clean text ---------------------------------------------------------------
def test_copy_puts_the_plain_answer_and_its_sources_on_the_clipboard(
    browser: Any, ui_server: Any
) -> None:
    pg = open_page(browser, ui_server.url, DESKTOP)
    try:
        answer = ask(pg, "What are the main responsibilities of a medical director?")
        assert pg.locator("#chatbot button[aria-label='Copy message']").count() == 0
        answer.locator("button.copy-answer").click()
        answer.get_by_role("button", name="Copied").wait_for()
        text = pg.evaluate("navigator.clipboard.readText()")
        body, _, sources = text.partition("\n\nSources:\n")
        assert sources, text
        assert not re.search(r"<[a-z/]|&#?\w+;", text), text  # no HTML, no entities
        assert len(text) < 3000
        shown = answer.locator("ul, p").first.inner_text()
        first_line = body.split("\n")[0].removeprefix("- ")
        assert first_line.split(" [")[0] in " ".join(shown.split())
        cited = {int(n) for n in re.findall(r"\[(\d+)\]", body)}
        listed = re.findall(r"^- \[(\d+)\] (.+) — (knowledge/\S+)$", sources, re.M)
        assert cited and cited == {int(n) for n, _, _ in listed}, text
        heads = answer.locator("li.src .src-head").all_text_contents()  # Sources closed
        assert [f"[{n}] {label}" for n, label, _ in listed] == [" ".join(h.split()) for h in heads]
        # a refusal copies its plain text too
        refusal = ask(pg, "Who won the 2018 football world cup?")
        refusal.locator("button.copy-answer").click()
        refusal.get_by_role("button", name="Copied").wait_for()
        text = pg.evaluate("navigator.clipboard.readText()")
        assert "Not covered." in text and "\n- " in text and "<" not in text
    finally:
        pg.context.close()


# -- 4. the chat box: Ask, the counter, one toast, one set of examples --------------------------
def test_ask_is_disabled_for_an_empty_box_and_a_counter_shows_the_limit(page: Any) -> None:
    ask_btn, count = page.locator("#ask-btn"), page.locator("#question-count")
    assert ask_btn.is_disabled() and count.inner_text() == "0 / 1,000 characters"
    box = "#question textarea"
    page.fill(box, "   ")
    page.wait_for_function("document.querySelector('#question-count').innerText.startsWith('3 ')")
    assert ask_btn.is_disabled()
    page.fill(box, "What is HIPAA?")
    page.wait_for_function("!document.querySelector('#ask-btn').disabled")
    assert count.inner_text() == "14 / 1,000 characters"
    page.fill(box, "x" * 1003)
    page.wait_for_function("document.querySelector('#ask-btn').disabled")
    assert count.inner_text() == "1,003 / 1,000 characters — 3 too many"
    assert count.locator(".over").count() == 1
    for _ in range(3):  # Enter still sends: one toast, however often it is pressed
        page.press(box, "Enter")
        page.wait_for_timeout(700)
    toasts = page.locator('[data-testid="toast-body"]')
    assert toasts.count() == 1
    assert toasts.locator(".toast-message-item").count() == 1, toasts.inner_text()
    assert "too long" in toasts.inner_text() and "(2)" not in toasts.inner_text()
    assert page.locator('#chatbot [data-testid="user"]').count() == 0  # nothing was sent
    page.fill(box, "")
    page.press(box, "Enter")  # an empty box: nothing at all, no second toast
    page.wait_for_timeout(700)
    assert toasts.locator(".toast-message-item").count() == 1
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for element in (ask_btn, count, page.locator(box)):
        r = element.bounding_box()
        assert r and r["x"] >= 0 and r["x"] + r["width"] <= width
    page.screenshot(path=str(ARTIFACTS / f"chat-box-{page.width}.png"))  # type: ignore[attr-defined]


def test_examples_are_shown_once_and_a_click_asks_them(page: Any) -> None:
    from assistant.web.handlers import EXAMPLES

    for q in EXAMPLES:
        assert page.get_by_text(q, exact=True).count() == 1, q
    example = EXAMPLES[1]
    page.get_by_text(example, exact=True).click()
    answer = page.locator('#chatbot [data-testid="bot"]').first
    answer.locator("details.sources").wait_for()
    assert page.locator('#chatbot [data-testid="user"]').first.inner_text().strip() == example
    assert answer.locator("button.cite-link").count() >= 1
    assert "5-10 years" in answer.inner_text()
    assert page.get_by_text(EXAMPLES[0], exact=True).count() == 0  # gone once a chat started
    assert page.locator("#ask-btn").is_disabled()  # the box was emptied by the send
    page.click("#clear-btn")
    page.get_by_text(EXAMPLES[0], exact=True).wait_for()
    assert page.get_by_text(EXAMPLES[0], exact=True).count() == 1
