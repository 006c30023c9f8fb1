"""The page's layout in a real browser (Chromium via Playwright, the real UI as in
tests/test_browser_ui.py), at a phone's 390x844 and a desktop's 1280x800:

* no tab scrolls sideways (``documentElement.scrollWidth <= innerWidth``);
* all four tabs are in the tab bar and clickable at 390 px (none behind a "…" menu, none
  shown twice after a visit);
* the page keeps its width when switching tabs at 1280 px;
* the chatbot's "Conversation" label does not cover the first message;
* after a real evaluation run: a plain verdict line, the glossary, the score table's headers
  whole at 390 px, the chart drawn whole, failed cases with what was expected, and axe-core
  finds no serious or critical violation in light or dark mode.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import pytest

from assistant.evaluation.metrics import METRICS
from tests.support.browser import ARTIFACTS, chromium
from tests.test_browser_ui import ask, axe_problems, open_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
TABS = ("Chat", "Draft", "Knowledge", "Evaluation")
EVAL_TIMEOUT_MS = 20 * 60_000  # the whole set through three pipelines on a shared CI box

WIDTHS = "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"


@pytest.fixture(scope="module")
def browser(ui_server: Any) -> Iterator[Any]:
    with chromium() as b:
        yield b


def show(pg: Any, tab: str) -> None:
    pg.get_by_role("tab", name=tab, exact=True).click()
    pg.wait_for_function(
        "name => [...document.querySelectorAll('[role=tab]')].some("
        "t => t.innerText.trim() === name && t.getAttribute('aria-selected') === 'true')",
        arg=tab,
    )
    pg.wait_for_timeout(400)  # let the tab's components mount and lay out


# -- no sideways scroll, every tab reachable, one width -----------------------------------------
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_no_tab_scrolls_sideways(browser: Any, ui_server: Any, viewport: dict[str, int]) -> None:
    pg = open_page(browser, ui_server.url, viewport)
    try:
        answer = ask(pg, "What qualifications are required to become a medical director?")
        answer.locator("details.sources > summary").click()  # the sources' file paths too
        widths = {}
        for tab in TABS:
            show(pg, tab)
            widths[tab] = pg.evaluate(WIDTHS)
            pg.screenshot(path=str(ARTIFACTS / f"layout-{viewport['width']}-{tab.lower()}.png"),
                          full_page=True)
        print(f"scrollWidth at {viewport['width']} px:", widths)
        wide = {t: w for t, w in widths.items() if w["scroll"] > w["inner"]}
        assert not wide, wide
    finally:
        pg.context.close()


def test_every_tab_is_in_the_bar_and_clickable_at_390(browser: Any, ui_server: Any) -> None:
    pg = open_page(browser, ui_server.url, PHONE)
    try:
        for _ in range(2):  # a visit must not add a copy of a tab to the bar
            for tab in TABS:
                show(pg, tab)
            names = pg.locator("[role=tab]").all_inner_texts()
            assert [n.strip() for n in names] == list(TABS), names
        assert not pg.get_by_role("button", name="More tabs").is_visible()
        for tab in reversed(TABS):
            button = pg.get_by_role("tab", name=tab, exact=True)
            assert button.is_visible()
            box = button.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (tab, box)
            button.click(trial=True)  # actionable: visible, enabled, not covered
            show(pg, tab)
    finally:
        pg.context.close()


def test_the_page_keeps_its_width_across_tabs_at_1280(browser: Any, ui_server: Any) -> None:
    pg = open_page(browser, ui_server.url, DESKTOP)
    try:
        measure = """() => {
          const c = document.querySelector('.gradio-container').getBoundingClientRect();
          const bar = document.querySelector('[role=tablist]').getBoundingClientRect();
          return {container: Math.round(c.width), left: Math.round(c.left),
                  bar: Math.round(bar.width), scroll: document.documentElement.scrollWidth};
        }"""
        seen = {}
        for tab in (*TABS, "Chat"):
            show(pg, tab)
            seen[tab] = pg.evaluate(measure)
        print("width at 1280 px:", seen)
        assert len({tuple(v.values()) for v in seen.values()}) == 1, seen
    finally:
        pg.context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_the_conversation_label_does_not_cover_the_first_message(
    browser: Any, ui_server: Any, viewport: dict[str, int]
) -> None:
    pg = open_page(browser, ui_server.url, viewport)
    try:
        ask(pg, "What does a medical director do?")
        ask(pg, "What qualifications are required to become a medical director?")
        boxes = pg.evaluate("""() => {
          const chat = document.querySelector('#chatbot');
          const label = chat.querySelector('[data-testid="block-label"]');
          const first = chat.querySelector('[data-testid="user"], [data-testid="bot"]');
          const r = (e) => e.getBoundingClientRect();
          const scroller = [...chat.querySelectorAll('*')].find(
            (e) => e.contains(first) && e.scrollHeight > e.clientHeight + 1
                   && getComputedStyle(e).overflowY !== 'visible');
          if (scroller) scroller.scrollTop = 0;  // the first message at the top of the list
          return {label: r(label).bottom, first: r(first).top,
                  scroller: scroller ? r(scroller).top : null};
        }""")
        assert boxes["label"] <= boxes["first"], boxes
        if boxes["scroller"] is not None:  # a scrolled message cannot slide under it either
            assert boxes["label"] <= boxes["scroller"] + 1, boxes
    finally:
        pg.context.close()


# -- the Evaluation tab after a real run ------------------------------------------------------
@pytest.fixture(scope="module")
def evaluated(browser: Any, ui_server: Any) -> Iterator[Any]:
    """One page at 1280 px that has run the whole evaluation set once (minutes)."""
    pg = open_page(browser, ui_server.url, DESKTOP)
    pg.set_default_timeout(EVAL_TIMEOUT_MS)
    show(pg, "Evaluation")
    headline = pg.locator("#eval-verdict .eval-headline")
    deadline = time.monotonic() + EVAL_TIMEOUT_MS / 1000
    while True:  # another test's run may hold the one-at-a-time lock: try again after it
        pg.click("#eval-btn")
        try:
            headline.wait_for(timeout=60_000)
            break
        except Exception:
            if "already running" not in pg.locator("body").inner_text():
                headline.wait_for()
                break
            assert time.monotonic() < deadline, "the evaluation never got its turn"
            pg.wait_for_timeout(10_000)
    pg.locator("#eval-chart img").wait_for()
    pg.wait_for_function("document.querySelector('#eval-chart img').complete")
    yield pg
    pg.context.close()


HEADLINE = re.compile(
    r"^(No regressions against the baseline|\d+ scores? fell below the baseline: .+|"
    r"No baseline to compare with yet) \u2014 (\d+) of (\d+) cases fully right\.$"
)


def test_the_evaluation_shows_a_plain_verdict_and_a_glossary(evaluated: Any) -> None:
    pg = evaluated
    text = pg.locator("#eval-verdict .eval-headline").inner_text()
    m = HEADLINE.match(text.lstrip("\u2714\u2716\u2139 ").strip())
    assert m, text
    assert 0 <= int(m[2]) <= int(m[3])
    failed = int(pg.locator("#eval-status").inner_text().split(";")[1].split()[0])
    shown = pg.locator("#eval-failures li.eval-failure").count()
    assert shown == failed
    if failed:
        first = pg.locator("#eval-failures li.eval-failure").first
        assert first.locator(".fail-question").inner_text().strip()
        assert first.locator(".fail-problems li").count() >= 1
        assert "missing key facts" not in pg.locator("#eval-failures").inner_text()
    # the score table: the plain name of each score, the baseline, a result per row
    table = pg.locator("#eval-table table")
    assert table.locator("tbody tr:not(.group)").count() >= 30
    assert "Right passage first" in table.inner_text()
    # the glossary: every metric and the pipeline names, one click away
    pg.get_by_text("What the scores mean").click()
    glossary = pg.locator("#eval-glossary .eval-glossary")
    glossary.wait_for()
    terms = glossary.locator("dt code").all_inner_texts()
    assert set(METRICS) <= set(terms), set(METRICS) - set(terms)
    assert {"hybrid", "dense-llamaindex", "bm25"} <= set(terms)
    assert "higher is better" in glossary.inner_text()
    pg.evaluate("window.scrollTo(0, 0)")
    pg.locator("#eval-verdict").scroll_into_view_if_needed()
    pg.screenshot(path=str(ARTIFACTS / "evaluation.png"))
    pg.get_by_text("What the scores mean").click()  # closed again for the next tests


def test_the_chart_is_drawn_whole(evaluated: Any) -> None:
    pg = evaluated
    for viewport in (DESKTOP, PHONE):
        pg.set_viewport_size(viewport)
        pg.wait_for_timeout(500)
        img = pg.locator("#eval-chart img")
        img.scroll_into_view_if_needed()
        box = img.evaluate("""(i) => {
          const r = i.getBoundingClientRect();
          const block = i.closest('#eval-chart').getBoundingClientRect();
          return {nw: i.naturalWidth, nh: i.naturalHeight, w: r.width, h: r.height,
                  left: r.left, right: r.right, top: r.top, bottom: r.bottom,
                  bl: block.left, br: block.right, bt: block.top, bb: block.bottom,
                  fit: getComputedStyle(i).objectFit, inner: window.innerWidth};
        }""")
        assert box["nw"] > 600 and box["nh"] > 600, box
        assert box["left"] >= box["bl"] - 1 and box["right"] <= box["br"] + 1, box
        assert box["top"] >= box["bt"] - 1 and box["bottom"] <= box["bb"] + 1, box
        assert box["right"] <= box["inner"], box
        # the whole picture: at its own proportions, or letter-boxed by "contain", not cropped
        same_shape = abs(box["w"] / box["h"] - box["nw"] / box["nh"]) < 0.02
        assert same_shape or box["fit"] == "contain", box
    pg.set_viewport_size(DESKTOP)


def test_the_evaluation_fits_a_phone_with_headers_whole(evaluated: Any) -> None:
    pg = evaluated
    pg.set_viewport_size(PHONE)
    try:
        pg.wait_for_timeout(500)
        widths = pg.evaluate(WIDTHS)
        assert widths["scroll"] <= widths["inner"], widths
        scores = pg.locator("#eval-table .eval-scores")
        assert scores.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), "the table scrolls"
        # No header word is split over two lines (a word's text has one box).
        broken = pg.evaluate("""() => {
          const out = [];
          for (const th of document.querySelectorAll('#eval-table thead th')) {
            if (!th.offsetParent) continue;  // a column hidden at this width
            const text = th.firstChild;
            for (const m of th.textContent.matchAll(/\\S+/g)) {
              const range = document.createRange();
              range.setStart(text, m.index);
              range.setEnd(text, m.index + m[0].length);
              if (range.getClientRects().length > 1) out.push(m[0]);
            }
          }
          return out;
        }""")
        assert broken == [], broken
        pg.screenshot(path=str(ARTIFACTS / "evaluation-390.png"))
    finally:
        pg.set_viewport_size(DESKTOP)


def test_the_evaluated_tab_passes_axe_in_light_and_dark_mode(evaluated: Any) -> None:
    pg = evaluated
    pg.get_by_text("What the scores mean").click()  # open everything a reader can open
    pg.locator("#eval-glossary .eval-glossary").wait_for()
    rest = pg.locator("#eval-failures details.fail-rest > summary")
    if rest.count():
        rest.click()
    answer = pg.locator("#eval-failures details.fail-answer > summary")
    if answer.count():
        answer.first.click()
    problems = {}
    for theme in ("light", "dark"):
        pg.evaluate(f"document.body.classList.toggle('dark', {str(theme == 'dark').lower()})")
        problems[theme] = axe_problems(pg)
    pg.evaluate("document.body.classList.remove('dark')")
    assert problems == {"light": [], "dark": []}, problems


def test_the_readme_screenshot_is_the_verdict_view() -> None:
    """docs/screenshots/evaluation.png is a copy of the run's artifacts/browser/evaluation.png
    (refresh it with ``cp``); the README shows it."""
    readme = (ARTIFACTS.parents[1] / "README.md").read_text(encoding="utf-8")
    assert "docs/screenshots/evaluation.png" in readme
    shot = ARTIFACTS.parents[1] / "docs" / "screenshots" / "evaluation.png"
    assert shot.exists() and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
