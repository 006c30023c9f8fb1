"""The Draft tab: inputs, downloads, save/load, refinement, review; the drafting endpoints."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gradio as gr

from assistant.drafting.model import OPT_IN, SECTIONS
from assistant.errors import InputError
from assistant.web import render, review_ui
from assistant.web.guard import guarded, toasted, user_message
from assistant.web.handlers import Handlers
from assistant.web.script import DRAFT_VIEW_JS
from assistant.web.wiring import DRAFT, PRIVATE, Gate

# The employer's own lines of a posting: (request field, label, example).
EMPLOYER_FIELDS = (
    ("reports_to", "Reports to", "Chief Medical Officer"),
    ("location", "Location", "Portland, OR (on site)"),
    ("schedule", "Schedule and on-call", "Mon-Fri days; 1 in 4 weekends on call"),
    ("fte_split", "FTE and time split", "1.0 FTE: 60% clinical, 40% administrative"),
    ("compensation", "Compensation and benefits", "$300,000-$340,000 plus bonus; benefits"),
    ("contact", "How to apply", "careers@example.org"),
    ("about", "About the organisation", "A sentence or two about who you are"),
)


BULLET_ACTIONS = ("pin", "remove", "edit", "up", "down")  # render.bullet_actions' buttons


def _sections() -> list[tuple[str, str]]:
    return [(title, slug) for slug, title in SECTIONS.items()]


def draft_tab(app: gr.Blocks, h: Handlers, limit: int, draft_saved: gr.BrowserState
              ) -> gr.Textbox:
    """The Draft tab: inputs, downloads, save/load, refinement; the drafting endpoints.

    The current draft is also kept in the browser (localStorage, encrypted by Gradio), so a
    page reload brings it back; what comes back is checked like a loaded file."""
    with gr.Tab("Draft", id="draft"):
        draft_state = gr.State(None)
        with gr.Row():
            with gr.Column(scale=1, min_width=320):
                setting_in = gr.Textbox(
                    label="Setting or department", placeholder="emergency department",
                    elem_id="draft-setting",
                )
                org_in = gr.Textbox(label="Organisation", placeholder="St Mary's Hospital")
                seniority_in = gr.Textbox(label="Seniority", placeholder="senior")
                emphasis_in = gr.Textbox(
                    label="Emphasis topics (comma-separated)",
                    placeholder="quality improvement, telehealth",
                )
                sections = _sections()
                sections_in = gr.CheckboxGroup(
                    sections,
                    value=[s for _, s in sections if s not in OPT_IN],
                    label="Sections",
                    elem_id="draft-sections",
                )
                bullets_in = gr.Slider(0, 12, value=0, step=1,
                                       label="Bullets per section (0 = each section's default)")
                with gr.Accordion("Employer details (never cited; empty = [placeholder])",
                                  open=False):
                    employer_in = [
                        gr.Textbox("", label=label, placeholder=example, elem_id=f"draft-{name}")
                        for name, label, example in EMPLOYER_FIELDS
                    ]
                gen_btn = gr.Button("Generate draft", variant="primary", elem_id="gen-btn")
                gr.Markdown("**Download** — *reviewed* keeps citations and sources; "
                            "*clean* is ready to post.")
                with gr.Row():
                    dl_md = gr.DownloadButton("Markdown (reviewed)", size="sm",
                                              elem_id="dl-md", interactive=False)
                    dl_docx = gr.DownloadButton("DOCX (reviewed)", size="sm",
                                                elem_id="dl-docx", interactive=False)
                with gr.Row():
                    dl_md_clean = gr.DownloadButton("Markdown (clean)", size="sm",
                                                    elem_id="dl-md-clean",
                                                    interactive=False)
                    dl_docx_clean = gr.DownloadButton("DOCX (clean)", size="sm",
                                                      elem_id="dl-docx-clean",
                                                      interactive=False)
                gr.Markdown("**Save / load** — the same JSON as `python -m assistant draft "
                            "--save`; a loaded draft is checked against the current index.")
                with gr.Row():
                    dl_json = gr.DownloadButton("Save draft (JSON)", size="sm",
                                                elem_id="dl-json", interactive=False)
                    load_btn = gr.UploadButton("Load draft (JSON)", size="sm",
                                               elem_id="load-draft", file_types=[".json"],
                                               file_count="single", type="filepath")
                with gr.Accordion("Refine a section", open=True):
                    sec_pick = gr.Dropdown([], label="Section", elem_id="sec-pick")
                    with gr.Row():
                        regen_btn = gr.Button("Regenerate section", size="sm")
                    topic_in = gr.Textbox(label="More on a topic", placeholder="budget")
                    more_btn = gr.Button("Add bullets on this topic", size="sm")
                    bullet_pick = gr.Dropdown([], label="Bullet", elem_id="bullet-pick")
                    with gr.Row():
                        pin_btn = gr.Button("Pin / unpin", size="sm")
                        up_btn = gr.Button("Move up", size="sm")
                        down_btn = gr.Button("Move down", size="sm")
                        remove_btn = gr.Button("Remove", size="sm", variant="stop")
                    edit_in = gr.Textbox(label="Edit the bullet's text", lines=2,
                                         elem_id="edit-text")
                    edit_btn = gr.Button("Save edit", size="sm")
                with gr.Accordion("Review an existing description", open=False,
                                  elem_id="review-area"):
                    review_state = gr.State(None)
                    review_in = gr.Textbox(
                        label="Paste a job description", lines=8, elem_id="review-text",
                        placeholder="Paste last year's posting or a template; the Setting "
                                    "above biases the suggestions.")
                    with gr.Row():
                        review_btn = gr.Button("Check against the knowledge base",
                                               variant="primary", size="sm",
                                               elem_id="review-btn")
                        review_up = gr.UploadButton(
                            "Upload .txt .md .docx .pdf", size="sm", elem_id="review-upload",
                            file_types=review_ui.REVIEW_TYPES, file_count="single",
                            type="filepath")
                    review_themes = gr.CheckboxGroup([], label="Add suggested bullets for",
                                                     elem_id="review-themes")
                    review_add = gr.Button("Add suggested bullets to a draft", size="sm",
                                           elem_id="review-add")
                    with gr.Row():
                        review_md = gr.DownloadButton("Report (Markdown)", size="sm",
                                                      elem_id="review-md", interactive=False)
                        review_docx = gr.DownloadButton("Report (DOCX)", size="sm",
                                                        elem_id="review-docx",
                                                        interactive=False)
            with gr.Column(scale=2):
                draft_status = gr.Markdown(elem_id="draft-status")
                # Each bullet's own buttons (pin, move, edit in place, remove) send a
                # "draft_action" event (script.DRAFT_VIEW_JS); the dropdowns are the fallback.
                draft_view = gr.HTML(render.draft_html(None), elem_id="draft-view",
                                     js_on_load=DRAFT_VIEW_JS)
                review_status = gr.Markdown(elem_id="review-status")
                review_view = gr.HTML(review_ui.review_html(None), elem_id="review-view")
        api_btn = gr.Button(visible=False)  # never shown: the draft endpoints of the API

    def show_draft(draft: dict | None, status: str, section: str | None = None,
                   bullet: str | None = None) -> tuple:
        secs = render.section_choices(draft)
        slugs = [s for _, s in secs]
        section = section if section in slugs else (slugs[0] if slugs else None)
        bullets = render.bullet_choices(draft, section)
        bullet = bullet if bullet in [b for _, b in bullets] else None
        files, problem = h.exports(draft)
        downloads = [gr.update(value=f, interactive=f is not None) for f in files]
        if problem:
            status += f" Downloads are unavailable: {render.esc(problem)}"
        return (draft, render.draft_html(draft), status,
                gr.update(choices=secs, value=section),
                gr.update(choices=bullets, value=bullet),
                render.find_bullet(draft, section or "", bullet or "").get("text", ""),
                *downloads)

    draft_out: list[Any] = [draft_state, draft_view, draft_status, sec_pick, bullet_pick, edit_in,
                 dl_md, dl_docx, dl_md_clean, dl_docx_clean, dl_json]
    # A loaded or restored draft also fills the form with the inputs it was drafted from.
    form: list[Any] = [sections_in, setting_in, org_in, seniority_in, emphasis_in, bullets_in,
                       *employer_in]

    def form_of(draft: dict[str, Any]) -> list[Any]:
        count = draft.get("bullets_per_section") or 0
        return [[s["section"] for s in draft["sections"]], draft.get("setting", ""),
                draft.get("org", ""), draft.get("seniority", ""),
                ", ".join(draft.get("emphasis", [])), min(int(count), 12),
                *(draft.get(name, "") for name, _, _ in EMPLOYER_FIELDS)]

    def loaded(draft: dict[str, Any], how: str) -> tuple:
        bullets = [b for s in draft["sections"] for b in s.get("bullets", [])]
        verified = sum(bool(b.get("verified")) for b in bullets)
        status = (f"{how}: {len(draft['sections'])} sections, {len(bullets)} bullets, "
                  f"{verified} verified against the current knowledge base.")
        if verified < len(bullets):
            status += f" {len(bullets) - verified} unverified: check them before posting."
        return (*show_draft(draft, status), *form_of(draft))

    def load_file(path: str | None) -> tuple:
        return loaded(h.load_file(path), "Loaded the draft")

    def restore(saved: Any) -> tuple:
        """The draft this browser kept; one that no longer loads is set aside with a note."""
        if not saved:
            return tuple(gr.skip() for _ in draft_out + form)
        try:
            return loaded(h.load_draft(saved, "The draft kept in this browser"),
                          "Restored your last draft")
        except Exception as exc:
            note = render.esc(user_message(exc))
            return (*(gr.skip() for _ in draft_out[:2]),
                    f"Your last draft could not be restored: {note}",
                    *(gr.skip() for _ in draft_out[3:] + form))

    def generate(secs: list[str], setting: str, org: str, seniority: str, emphasis: str,
                 bullets: float, *employer: str) -> tuple:
        inputs = {name: value or "" for (name, _, _), value in
                  zip(EMPLOYER_FIELDS, employer, strict=False)}
        draft = h.draft(secs, setting, org, seniority, emphasis, int(bullets), **inputs)
        n = sum(len(s.get("bullets", [])) for s in draft["sections"])
        return show_draft(draft, f"Drafted {len(draft['sections'])} sections, {n} bullets, "
                                 "every bullet cited.")

    def act(action: str) -> Any:
        def run(draft: dict | None, section: str | None, bullet: str | None,
                topic: str, text: str) -> tuple:
            new, status = h.refine(draft, action, section, bullet, topic, text)
            keep = bullet if action in ("pin", "edit", "up", "down") else None
            return show_draft(new, status, section, keep)

        return run

    def bullet_action(draft: dict | None, event: gr.EventData) -> tuple:
        """A per-bullet button of the draft view: {action, section, bullet, text}."""
        data = event._data if isinstance(event._data, dict) else {}
        action = str(data.get("action", ""))
        if action not in BULLET_ACTIONS:
            raise InputError("That is not an action on a bullet.")
        section, bullet = str(data.get("section", "")), str(data.get("bullet", ""))
        return act(action)(draft, section, bullet, "", str(data.get("text", "")))

    # On the page a refused action is one toast and changes nothing (guard.toasted: no error
    # overlay over the Section, Bullet and Edit boxes); the public endpoints of the same
    # actions raise, so an API client gets an error. They hang on a button never shown.
    gen_in = [sections_in, setting_in, org_in, seniority_in, emphasis_in, bullets_in,
              *employer_in]
    # Drafting and reviewing are slow: they pass a gate instead of waiting in the queue that
    # chat shares, so one client's many drafts are refused at once and chat keeps answering.
    gate = Gate(limit, "Drafting")
    page_only: dict[str, Any] = {"api_visibility": PRIVATE, "concurrency_id": DRAFT,
                                 "concurrency_limit": None}
    api: dict[str, Any] = {"concurrency_id": DRAFT, "concurrency_limit": None}
    gen_btn.click(toasted(gate(generate), len(draft_out)), gen_in, draft_out, **page_only)
    api_btn.click(guarded(gate(generate)), gen_in, draft_out, api_name="generate_draft", **api)
    refine_in = [draft_state, sec_pick, bullet_pick, topic_in, edit_in]
    for btn, action in ((regen_btn, "regenerate"), (more_btn, "more"), (pin_btn, "pin"),
                        (remove_btn, "remove"), (edit_btn, "edit"), (up_btn, "up"),
                        (down_btn, "down")):
        btn.click(toasted(gate(act(action)), len(draft_out)), refine_in, draft_out,
                  **page_only)
        api_btn.click(guarded(gate(act(action))), refine_in, draft_out,
                      api_name=f"draft_{action}", **api)
    draft_view.draft_action(toasted(gate(bullet_action), len(draft_out)), draft_state,
                            draft_out, **page_only)
    load_btn.upload(guarded(gate(load_file)), load_btn, draft_out + form, api_name="load_draft",
                    **api)
    # Autosave: every new draft goes to the browser's storage; a page load brings it back.
    draft_state.change(lambda d: d, draft_state, draft_saved, api_visibility=PRIVATE,
                       queue=False)
    app.load(restore, draft_saved, draft_out + form, api_visibility=PRIVATE)
    sec_pick.change(
        lambda d, s: (gr.update(choices=render.bullet_choices(d, s), value=None), ""),
        [draft_state, sec_pick], [bullet_pick, edit_in], api_visibility=PRIVATE, queue=False,
    )
    bullet_pick.change(
        lambda d, s, b: render.find_bullet(d, s or "", b or "").get("text", ""),
        [draft_state, sec_pick, bullet_pick], edit_in, api_visibility=PRIVATE, queue=False,
    )

    # -- the Review area: check a pasted or uploaded description, add its suggestions -----
    def show_review(review: Any, status: str, text: str | None = None) -> tuple:
        choices = review_ui.theme_choices(review)
        md, docx = review_ui.exports(review)
        return (review, review_ui.review_html(review), status,
                gr.update(choices=choices, value=[slug for _, slug in choices]),
                gr.update(value=md, interactive=md is not None),
                gr.update(value=docx, interactive=docx is not None),
                gr.skip() if text is None else text)

    review_out: list[Any] = [review_state, review_view, review_status, review_themes,
                             review_md, review_docx, review_in]

    def check(text: str, setting: str) -> tuple:
        return show_review(*review_ui.run_review(h.assistant, text, setting))

    def check_file(path: str | None, setting: str) -> tuple:
        text = review_ui.read_upload(h.assistant, path)
        review, status = review_ui.run_review(h.assistant, text, setting)
        name = render.esc(Path(path or "").name)
        return show_review(review, f"{status} (read {name}; not added to the knowledge base)",
                           text)

    def add_suggested(review: Any, themes: list[str]) -> tuple:
        return loaded(review_ui.to_draft(review, themes), "Made a draft from the review")

    review_btn.click(guarded(gate(check)), [review_in, setting_in], review_out,
                     api_name="review", **api)
    review_up.upload(guarded(gate(check_file)), [review_up, setting_in], review_out,
                     api_name="review_file", **api)
    review_add.click(guarded(gate(add_suggested)), [review_state, review_themes],
                     draft_out + form, api_name="review_add", **api)

    def draft_api(sections: str = "all", setting: str = "", org: str = "",
                  seniority: str = "", emphasis: str = "", bullets: int = 6) -> dict:
        """A draft (Draft.to_dict()); sections and emphasis are comma-separated."""
        return guarded(gate(h.draft))(sections, setting, org, seniority, emphasis, bullets)

    gr.api(draft_api, api_name="draft", **api)
    return setting_in
