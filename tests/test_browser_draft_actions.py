"""Citations you can check without leaving the sentence, a draft you can refine where it is
shown, and answers you see arrive: in a real browser (Debian's Chromium via Playwright, the
real UI over real Chroma and real embeddings, as tests/test_browser.py).

* hovering or keyboard-focusing a ``[n]`` shows its source's preview (title › section and
  the quote, marked) as a role="tooltip" the button is described by, inside the page at
  1280 px and at 390 px; Escape hides it;
* a long answer's bubble grows in pieces before its final form (visible streaming);
* every bullet of a draft has Pin, Up, Down, Edit (in place) and Remove buttons that work by
  mouse and by keyboard (Tab + Enter) and change the draft, and keep the keyboard focus on
  the bullet;
* a refused action of the fallback dropdowns is one toast, and the Section, Bullet and Edit
  boxes stay clickable (no error overlay over them);
* at 390 x 844 the per-bullet buttons are on screen and the page does not scroll sideways.

The README's screenshots (docs/screenshots/chat.png and draft.png) are copies of
artifacts/browser/chat.png and draft.png written here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.browser import ARTIFACTS
from tests.test_browser_ui import DESKTOP, PHONE, ask, axe_problems, browser, open_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]
__all__ = ["browser"]  # the module-scoped Chromium fixture, shared

LONG_QUESTION = "Which key performance indicators measure a medical director's success?"
ACTIONS = ("pin", "up", "down", "edit", "remove")


def no_sideways_scroll(pg: Any) -> bool:
    return bool(pg.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"))


def within_page(pg: Any, locator: Any) -> bool:
    r = locator.bounding_box()
    width = pg.viewport_size["width"]
    return bool(r) and r["x"] >= 0 and r["x"] + r["width"] <= width


# -- 1. a [n] previews its source ----------------------------------------------------------------
@pytest.mark.parametrize(("viewport", "theme"),
                         [(DESKTOP, "light"), (DESKTOP, "dark"), (PHONE, "light")],
                         ids=["desktop", "desktop-dark", "phone"])
def test_hover_or_focus_on_a_citation_previews_its_source(
    browser: Any, ui_server: Any, viewport: dict[str, int], theme: str
) -> None:
    pg = open_page(browser, ui_server.url, viewport, theme)
    try:
        answer = ask(pg, "What are the main responsibilities of a medical director?")
        cites = answer.locator("button.cite-link")
        assert cites.count() >= 2
        first = cites.first
        tip = answer.locator(".cite-tip").first
        assert not tip.is_visible()
        first.hover()
        tip.wait_for(state="visible")
        # the preview: "[n] title › section" and the quote of this sentence, marked
        n = first.inner_text().strip("[]")
        head = tip.locator(".tip-head").inner_text()
        assert head.startswith(f"[{n}] ") and " › " in head, head
        parts = head.removeprefix(f"[{n}] ").split(" › ")
        assert all(a.casefold() != b.casefold() for a, b in zip(parts, parts[1:], strict=False))
        source_head = answer.locator(f"li.src#src-{n} .src-head").text_content() or ""
        assert " ".join(source_head.split()) == head  # the same line as in Sources
        quote = " ".join(tip.locator("mark.quote").first.inner_text().split())
        sentence = " ".join(first.evaluate("b => b.closest('li, p').innerText").split())
        assert quote and quote in sentence
        # accessible: a tooltip the button is described by
        assert tip.get_attribute("role") == "tooltip"
        assert first.get_attribute("aria-describedby") == tip.get_attribute("id")
        assert within_page(pg, tip) and no_sideways_scroll(pg)
        assert axe_problems(pg) == []  # readable in this mode, the preview showing
        pg.keyboard.press("Escape")
        tip.wait_for(state="hidden")
        pg.mouse.move(0, 0)  # dismissed until the pointer leaves the marker
        if viewport is DESKTOP and theme == "light":
            pg.set_viewport_size({"width": 1280, "height": 1000})
            first.hover()
            tip.wait_for(state="visible")
            pg.wait_for_timeout(200)
            pg.screenshot(path=str(ARTIFACTS / "chat.png"))  # the README's screenshot
        # from the keyboard: Tab onto the next [n] shows its preview
        pg.mouse.move(0, 0)
        tip.wait_for(state="hidden")
        first.focus()
        pg.keyboard.press("Tab")
        second_tip = answer.locator(".cite-tip").nth(1)
        assert pg.evaluate("document.activeElement.className") == "cite-link"
        second_tip.wait_for(state="visible")
        assert second_tip.locator(".tip-head").inner_text().startswith(
            cites.nth(1).inner_text() + " ")
        assert within_page(pg, second_tip) and no_sideways_scroll(pg)
        pg.screenshot(path=str(ARTIFACTS / f"preview-{viewport['width']}-{theme}.png"))
        assert pg.outside == []  # type: ignore[attr-defined]
    finally:
        pg.context.close()


# -- 2. a long answer is seen arriving -----------------------------------------------------------
# Sampled once per animation frame, i.e. what is painted (a DOM observer would also count
# pieces that arrive within one frame and are never seen): [ms, length of the partial text],
# and -1 once the answer is in its final form (its Sources block).
GROWTH_PROBE = """() => {
  window.__frames = [];
  const chat = document.querySelector('#chatbot'), seen = window.__frames;
  const tick = () => {
    const bots = chat.querySelectorAll('[data-testid="bot"]');
    const last = bots[bots.length - 1];
    const n = !last ? 0 : last.querySelector('details.sources') ? -1
      : last.innerText.replace(/…/g, '').trim().length;
    if (n && (!seen.length || seen[seen.length - 1][1] !== n)) seen.push([performance.now(), n]);
    if (n !== -1 || !seen.length || seen[seen.length - 1][1] !== -1) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}"""


def test_a_long_answer_streams_visibly(browser: Any, ui_server: Any) -> None:
    pg = open_page(browser, ui_server.url, DESKTOP)
    try:
        pg.evaluate(GROWTH_PROBE)
        ask(pg, LONG_QUESTION)
        frames = pg.evaluate("window.__frames")
        partial = [n for _, n in frames if n > 0]
        assert len(partial) >= 2, frames  # at least two partial texts were painted
        assert partial == sorted(partial), frames  # each one longer than the last
        # the final form comes after every partial one (no wall-clock bound: on a loaded
        # machine paints bunch up, and timing belongs in `make bench`, not in a test)
        assert frames[-1][1] == -1 and all(n > 0 for _, n in frames[:-1]), frames
        stamps = [t for t, _ in frames]
        assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps), frames
    finally:
        pg.context.close()


# -- 3. per-bullet actions in the draft view -----------------------------------------------------
@pytest.fixture(scope="module")
def draft_page(browser: Any, ui_server: Any) -> Iterator[Any]:
    pg = open_page(browser, ui_server.url, {"width": 1280, "height": 1100})
    pg.get_by_role("tab", name="Draft").first.click()
    generate(pg, "home health")
    yield pg
    assert pg.outside == [], pg.outside  # type: ignore[attr-defined]
    pg.context.close()


def generate(pg: Any, setting: str) -> None:
    """A new draft for ``setting`` (each call on a page names another setting: the wait is
    for the draft that names it, not for the last one still on screen)."""
    pg.fill("#draft-setting textarea, #draft-setting input", setting)
    pg.click("#gen-btn")
    pg.wait_for_function(
        """s => { const m = document.querySelector('#draft-view .draft-meta');
                  return m && m.innerText.split(' · ')[0] === `Setting: ${s}`; }""", arg=setting)
    pg.locator("#draft-view li.bullet .bullet-actions").first.wait_for()


def ids(pg: Any) -> list[str]:
    found: list[str] = pg.eval_on_selector_all(
        "#draft-view section[data-section='responsibilities'] li.bullet",
        "els => els.map(e => e.dataset.id)")
    return found


def bullet(pg: Any, bullet_id: str) -> Any:
    return pg.locator(f'#draft-view li.bullet[data-id="{bullet_id}"]')


def focused(pg: Any) -> list[str]:
    got: list[str] = pg.evaluate("""() => { const a = document.activeElement;
      const li = a && a.closest('li.bullet');
      return [a ? a.className : '', li ? li.dataset.id : '']; }""")
    return got


def wait_changed(pg: Any, before: list[str]) -> list[str]:
    pg.wait_for_function(
        """before => JSON.stringify([...document.querySelectorAll(
             "#draft-view section[data-section='responsibilities'] li.bullet")]
             .map(e => e.dataset.id)) !== JSON.stringify(before)""", arg=before)
    return ids(pg)


@pytest.mark.parametrize("how", ["mouse", "keyboard"])
def test_each_bullet_action_works_where_the_bullet_is(draft_page: Any, how: str) -> None:
    pg = draft_page
    generate(pg, "hospice" if how == "mouse" else "urgent care network")
    order = ids(pg)
    assert len(order) >= 4
    first = bullet(pg, order[0])
    labels = [b.get_attribute("aria-label") or ""
              for b in first.locator(".bullet-actions button").all()]
    name = labels[0].split(": ", 1)[1]
    assert name[:30] in first.locator(".bullet-text").inner_text()
    assert [label.split(" bullet: ")[0] for label in labels] == [
        "Pin", "Move up", "Move down", "Edit", "Remove"]
    assert first.locator("button.act-up").is_disabled()  # the first cannot go up

    def press(bullet_id: str, action: str) -> None:
        button = bullet(pg, bullet_id).locator(f"button.act-{action}")
        if how == "mouse":
            button.click()
            return
        # from the bullet's Pin button, Tab to the action (disabled ones are skipped), Enter
        bullet(pg, bullet_id).locator("button.act-pin").focus()
        for _ in range(len(ACTIONS)):
            if focused(pg) == [f"bullet-act act-{action}", bullet_id]:
                break
            pg.keyboard.press("Tab")
        assert focused(pg) == [f"bullet-act act-{action}", bullet_id], focused(pg)
        pg.keyboard.press("Enter")

    # Pin: the bullet is marked pinned, its button now says Unpin
    press(order[0], "pin")
    bullet(pg, order[0]).locator(".badge.pin").wait_for()
    assert bullet(pg, order[0]).locator("button.act-pin").inner_text() == "Unpin"
    assert bullet(pg, order[0]).locator("button.act-pin").get_attribute("aria-pressed") == "true"
    if how == "keyboard":
        pg.wait_for_function("document.activeElement.classList.contains('act-pin')")
        assert focused(pg) == ["bullet-act act-pin", order[0]]

    # Down, then Up: the order changes and comes back
    press(order[0], "down")
    moved = wait_changed(pg, order)
    assert moved[:2] == [order[1], order[0]] and moved[2:] == order[2:]
    if how == "keyboard":
        pg.wait_for_function("document.activeElement.classList.contains('act-down')")
        assert focused(pg)[1] == order[0]  # the focus moved with the bullet
    press(order[0], "up")
    assert wait_changed(pg, moved) == order
    assert bullet(pg, order[0]).locator(".badge.pin").count() == 1  # still pinned

    # Edit in place: an editor where the text was; Save changes the bullet
    target = bullet(pg, order[1])
    new_text = {"mouse": "Lead clinical governance and peer review for the hospice team.",
                "keyboard": "Lead clinical governance for the urgent care network."}[how]
    press(order[1], "edit")
    area = target.locator("textarea.bullet-edit")
    area.wait_for()
    assert not target.locator(".bullet-text").is_visible()
    assert focused(pg) == ["bullet-edit", order[1]]  # the editor has the focus
    area.fill(new_text)
    if how == "mouse":
        assert axe_problems(pg) == []  # the buttons and the open editor
        target.evaluate("e => e.closest('section').scrollIntoView()")
        pg.screenshot(path=str(ARTIFACTS / "draft.png"))  # the README's screenshot
    if how == "mouse":
        target.locator("button.edit-save").click()
    else:
        pg.keyboard.press("Tab")
        assert focused(pg) == ["edit-save", order[1]]
        pg.keyboard.press("Enter")
    target.locator(".badge.edit").wait_for()
    assert target.locator(".bullet-text").inner_text() == new_text
    assert target.locator("textarea.bullet-edit").count() == 0
    pg.locator("#draft-status").get_by_text("Saved").first.wait_for()
    # Cancel (or Escape) leaves the text as it was
    press(order[2], "edit")
    bullet(pg, order[2]).locator("textarea.bullet-edit").fill("never saved")
    if how == "mouse":
        bullet(pg, order[2]).locator("button.edit-cancel").click()
    else:
        pg.keyboard.press("Escape")
    assert bullet(pg, order[2]).locator("textarea.bullet-edit").count() == 0
    assert "never saved" not in bullet(pg, order[2]).inner_text()

    # Remove: the bullet is gone; the focus goes to its neighbour
    press(order[3], "remove")
    after = wait_changed(pg, order)
    assert order[3] not in after and len(after) == len(order) - 1
    pg.locator("#draft-status").get_by_text("Removed the bullet").first.wait_for()
    if how == "keyboard":
        pg.wait_for_function("document.activeElement.classList.contains('act-remove')")
        assert focused(pg)[1] in after
    assert pg.locator('[data-testid="toast-body"]').count() == 0  # nothing was refused


def test_a_refused_fallback_action_is_one_toast_and_every_box_stays_usable(
    draft_page: Any,
) -> None:
    pg = draft_page
    generate(pg, "rural clinic")  # no bullet chosen in the fallback's Bullet box
    assert pg.input_value("#bullet-pick input") == ""
    pg.get_by_role("button", name="Remove", exact=True).click()
    toast = pg.locator('[data-testid="toast-body"]')
    toast.first.wait_for()
    pg.wait_for_timeout(800)
    assert toast.count() == 1 and "Choose a bullet" in toast.inner_text()
    for box in ("#sec-pick", "#bullet-pick", "#draft-view"):
        assert pg.locator(f"{box} .error").count() == 0, box
    # the element under the middle of each box is the box itself (nothing over it), and it
    # takes a click
    for box in ("#sec-pick input", "#bullet-pick input", "#edit-text textarea"):
        element = pg.locator(box).first
        on_top = element.evaluate("""e => { e.scrollIntoView({block: 'center'});
          const r = e.getBoundingClientRect();
          const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
          return hit === e || e.contains(hit); }""")
        assert on_top, box
        element.click(timeout=5000)
        pg.keyboard.press("Escape")  # close a dropdown's list before the next box
    # the same controls still work: choose a bullet, then Pin through the fallback
    pg.locator("#bullet-pick input").click()
    pg.get_by_role("option").first.click()
    pg.get_by_role("button", name="Pin / unpin").click()
    pg.locator("#draft-view .badge.pin").first.wait_for()
    pg.locator("#draft-status").get_by_text("Pinned").first.wait_for()


def test_per_bullet_buttons_are_reachable_on_a_phone(browser: Any, ui_server: Any) -> None:
    pg = open_page(browser, ui_server.url, PHONE)
    try:
        pg.get_by_role("tab", name="Draft").first.click()
        generate(pg, "hospice")
        first = pg.locator("#draft-view li.bullet").first
        first.scroll_into_view_if_needed()
        for action in ACTIONS:
            button = first.locator(f"button.act-{action}")
            assert button.is_visible() and within_page(pg, button), action
            box = button.bounding_box()
            assert box and box["height"] >= 24 and box["width"] >= 24, action
        assert no_sideways_scroll(pg)
        before = pg.eval_on_selector_all("#draft-view li.bullet", "e => e.map(x => x.dataset.id)")
        first.locator("button.act-down").click()
        pg.wait_for_function(
            "id => document.querySelector('#draft-view li.bullet').dataset.id !== id",
            arg=before[0])
        assert no_sideways_scroll(pg)
        pg.screenshot(path=str(ARTIFACTS / "draft-actions-390.png"))
    finally:
        pg.context.close()
