"""The web UI: `python ui.py [--host H] [--port P]` (default 127.0.0.1:7860).

It builds the same facade the CLI uses and only renders its results: the Chat, Draft,
Knowledge and Evaluation tabs live here as layout and event wiring; the handlers are in
``web/handlers.py`` and the HTML in ``web/render.py``.
"""

from __future__ import annotations

import argparse
import logging
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import gradio as gr  # noqa: E402  (assistant/web/__init__.py sets gradio's environment first)

from assistant.answering.query import check_question  # noqa: E402
from assistant.drafting.model import OPT_IN, SECTIONS  # noqa: E402
from assistant.errors import AssistantError, InputError  # noqa: E402
from assistant.facade import Assistant  # noqa: E402
from assistant.settings import Settings, load_settings  # noqa: E402
from assistant.web import render, review_ui  # noqa: E402
from assistant.web.guard import guarded, log, user_message  # noqa: E402
from assistant.web.handlers import EXAMPLES, Handlers  # noqa: E402
from assistant.web.script import SCRIPT  # noqa: E402
from assistant.web.style import CSS, theme  # noqa: E402

UPLOAD_TYPES = [".md", ".txt", ".pdf", ".docx", ".html"]
READ, WRITE, EVAL = "read", "write", "eval"  # concurrency groups
PRIVATE: Any = "private"
WARNING_SECONDS = 10  # how long a warning toast stays up
AUTOSAVE_KEY = "md-assistant-draft"  # the browser's localStorage key of the current draft

INTRO = (
    "Answers quote the knowledge base and cite every sentence; questions it does not cover "
    "are refused, not guessed. Offline: nothing leaves this machine."
)


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


def _sections() -> list[tuple[str, str]]:
    return [(title, slug) for slug, title in SECTIONS.items()]


def build_app(assistant: Assistant) -> gr.Blocks:
    """The Gradio app over one facade (launch it with ``launch(app, settings)``)."""
    h = Handlers(assistant)
    settings = assistant.settings
    with gr.Blocks(title="Medical Director assistant", analytics_enabled=False) as app:
        gr.Markdown("## Medical Director knowledge assistant")
        gr.Markdown(INTRO, elem_classes="app-intro")
        # Outside the tabs: a tab's components mount only when it is first shown, and the
        # page-load restore needs the stored value at once.
        draft_saved = gr.BrowserState(None, storage_key=AUTOSAVE_KEY)
        with gr.Tabs() as tabs:
            open_draft, asked_setting = chat_tab(h, settings.ui_concurrency)
            setting_in = draft_tab(app, h, settings.ui_concurrency, draft_saved)
            knowledge_tab(app, h, settings)
            evaluation_tab(h)
        # A drafting request asked in the chat opens the Draft tab with the setting it named.
        open_draft.click(
            lambda setting: (gr.Tabs(selected="draft"), setting),
            asked_setting,
            [tabs, setting_in],
            api_visibility=PRIVATE,
            queue=False,
        )
    return app


def box_state_js(max_chars: int) -> str:
    """The question box's browser-side check: (Ask button update, counter HTML)."""
    return f"""(text) => {{
      const n = [...(text || '')].length, over = n > {max_chars};
      const ok = !!(text || '').trim() && !over;
      const note = over ? ` — ${{(n - {max_chars}).toLocaleString('en')}} too many` : '';
      return [{{__type__: 'update', interactive: ok}},
              `<p class="question-count${{over ? ' over' : ''}}">${{n.toLocaleString('en')}}`
              + ` / {max_chars:,} characters${{note}}</p>`];
    }}"""


def chat_tab(h: Handlers, limit: int) -> tuple[gr.Button, gr.State]:
    """The Chat tab: conversation, question box, examples; the chat and ask endpoints.
    Returns the "Open the Draft tab" button and the setting a drafting request named."""
    with gr.Tab("Chat", id="chat"):
        chatbot = gr.Chatbot(
            label="Conversation",
            elem_id="chatbot",
            height="68vh",
            min_height=420,
            examples=[{"text": q} for q in EXAMPLES],  # the one set: a click asks it
            placeholder="Ask about the Medical Director role, or pick an example.",
            # Gradio's per-message copy copies the bubble's HTML; each answer carries its own
            # "Copy" button for its plain text instead (render.copy_button).
            buttons=[],
            feedback_options=None,
            layout="bubble",
        )
        asked = gr.State([])
        max_chars = h.assistant.settings.max_question_chars
        with gr.Row(equal_height=False):
            with gr.Column(scale=8, min_width=220):
                box = gr.Textbox(
                    placeholder="Ask a question about the Medical Director role…",
                    show_label=False,
                    elem_id="question",
                    max_lines=4,
                    autofocus=True,
                )
                counter = gr.HTML(render.counter_html("", max_chars), elem_id="question-count",
                                  padding=False)
            ask_btn = gr.Button("Ask", variant="primary", elem_id="ask-btn", scale=1,
                                min_width=90, interactive=False)
            clear_btn = gr.Button("New chat", elem_id="clear-btn", scale=1,
                                  min_width=120)
        open_draft = gr.Button(
            "Open the Draft tab", visible="hidden", elem_id="open-draft", variant="secondary"
        )
        asked_setting = gr.State("")

    # In the browser, on every change of the box (typing, or the box emptied after a send):
    # the counter, and Ask enabled only for a question that can be sent.
    box.change(None, box, [ask_btn, counter], js=box_state_js(max_chars), queue=False,
               api_visibility=PRIVATE)

    warned: dict[str, tuple[str, float]] = {}  # session -> (last warning, when)

    def ask_chat(question: str, messages: Any, asked: Any, request: gr.Request) -> Any:
        """An empty box sends nothing (Ask is disabled for it; Enter does nothing either);
        any other problem is one toast: the same warning again while its toast is still
        up is not shown twice (Gradio would stack it as "Warning (2)", "(3)", …)."""
        if not (question or "").strip():
            yield messages or [], asked or [], question
            return
        try:
            check_question(question, max_chars)
        except AssistantError as exc:
            session = getattr(request, "session_hash", None) or ""
            last, when = warned.get(session, ("", 0.0))
            if str(exc) != last or time.monotonic() - when > WARNING_SECONDS:
                gr.Warning(render.esc(str(exc)), duration=WARNING_SECONDS,
                           title="Question not asked")
                warned[session] = (str(exc), time.monotonic())
            yield messages or [], asked or [], question
            return
        warned.pop(getattr(request, "session_hash", None) or "", None)
        yield from h.chat(question, messages, asked)

    chat = guarded(ask_chat)

    def offer_draft(messages: list | None) -> tuple[Any, str]:
        setting = render.task_setting_of(messages)
        return gr.Button(visible=True if setting is not None else "hidden"), setting or ""

    offer: dict[str, Any] = {
        "fn": offer_draft,
        "inputs": chatbot,
        "outputs": [open_draft, asked_setting],
        "api_visibility": PRIVATE,
        "queue": False,
    }
    chat_io: dict[str, Any] = {
        "inputs": [box, chatbot, asked],
        "outputs": [chatbot, asked, box],
        "concurrency_id": READ,
        "concurrency_limit": limit,
    }
    box.submit(chat, api_name="chat", **chat_io).then(**offer)
    ask_btn.click(chat, api_visibility=PRIVATE, **chat_io).then(**offer)
    def pick_example(event: gr.SelectData) -> str:
        return str(event.value.get("text", "")) if isinstance(event.value, dict) else ""

    chatbot.example_select(
        pick_example, None, box, api_visibility=PRIVATE, queue=False
    ).then(chat, api_visibility=PRIVATE, **chat_io).then(**offer)
    clear_btn.click(
        lambda: ([], [], ""), None, [chatbot, asked, box], api_visibility=PRIVATE, queue=False
    ).then(**offer)
    chatbot.clear(lambda: [], None, asked, api_visibility=PRIVATE, queue=False)

    def ask(question: str, history: str = "[]") -> dict:
        """A cited answer (Answer.to_dict()); history: JSON list of earlier questions."""
        return guarded(h.ask)(question, history)

    gr.api(ask, api_name="ask", concurrency_id=READ, concurrency_limit=limit)
    return open_draft, asked_setting


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
                        remove_btn = gr.Button("Remove", size="sm", variant="stop")
                    edit_in = gr.Textbox(label="Edit the bullet's text", lines=2)
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
                draft_view = gr.HTML(render.draft_html(None), elem_id="draft-view")
                review_status = gr.Markdown(elem_id="review-status")
                review_view = gr.HTML(review_ui.review_html(None), elem_id="review-view")

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
            keep = bullet if action in ("pin", "edit", "up") else None
            return show_draft(new, status, section, keep)

        return guarded(run)

    gen_btn.click(
        guarded(generate),
        [sections_in, setting_in, org_in, seniority_in, emphasis_in, bullets_in, *employer_in],
        draft_out, api_name="generate_draft", concurrency_id=READ, concurrency_limit=limit,
    )
    refine_in = [draft_state, sec_pick, bullet_pick, topic_in, edit_in]
    for btn, action in ((regen_btn, "regenerate"), (more_btn, "more"), (pin_btn, "pin"),
                        (remove_btn, "remove"), (edit_btn, "edit"), (up_btn, "up")):
        btn.click(act(action), refine_in, draft_out, api_name=f"draft_{action}",
                  concurrency_id=READ, concurrency_limit=limit)
    load_btn.upload(guarded(load_file), load_btn, draft_out + form, api_name="load_draft",
                    concurrency_id=READ, concurrency_limit=limit)
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

    review_btn.click(guarded(check), [review_in, setting_in], review_out,
                     api_name="review", concurrency_id=READ, concurrency_limit=limit)
    review_up.upload(guarded(check_file), [review_up, setting_in], review_out,
                     api_name="review_file", concurrency_id=READ, concurrency_limit=limit)
    review_add.click(guarded(add_suggested), [review_state, review_themes], draft_out + form,
                     api_name="review_add", concurrency_id=READ, concurrency_limit=limit)

    def draft_api(sections: str = "all", setting: str = "", org: str = "",
                  seniority: str = "", emphasis: str = "", bullets: int = 6) -> dict:
        """A draft (Draft.to_dict()); sections and emphasis are comma-separated."""
        return guarded(h.draft)(sections, setting, org, seniority, emphasis, bullets)

    gr.api(draft_api, api_name="draft", concurrency_id=READ, concurrency_limit=limit)
    return setting_in


def knowledge_tab(app: gr.Blocks, h: Handlers, settings: Settings) -> None:
    """The Knowledge tab: documents, their chunks, upload and delete."""
    with gr.Tab("Knowledge", id="knowledge"):
        docs_table = gr.Dataframe(
            headers=["Document", "Title", "Chunks"],
            datatype=["str", "str", "number"],
            interactive=False,
            label="Documents in the knowledge base",
            elem_id="docs-table",
        )
        with gr.Row():
            doc_pick = gr.Dropdown([], label="Document", elem_id="doc-pick", scale=4)
            delete_btn = gr.Button("Delete document", variant="stop", scale=1,
                                   elem_id="delete-btn")
        chunks_view = gr.HTML(render.chunks_html("", []), elem_id="chunks-view")
        upload_in = gr.File(
            label=f"Add documents ({' '.join(UPLOAD_TYPES)}, at most "
            f"{settings.max_upload_mb:g} MB each)",
            file_count="multiple",
            file_types=UPLOAD_TYPES,
            elem_id="upload",
        )
        add_btn = gr.Button("Add to knowledge base", variant="primary", elem_id="add-btn")
        knowledge_status = gr.Markdown(
            "Uploaded files are stored in `uploads/` inside the knowledge folder.",
            elem_id="knowledge-status",
        )

    def refresh_knowledge(selected: str | None = None) -> tuple[Any, Any, str]:
        rows = h.document_rows()
        sources = [r[0] for r in rows]
        pick = selected if selected in sources else None
        return rows, gr.update(choices=sources, value=pick), h.chunks(pick)

    def add_files(files: list[str] | None, progress: Any = gr.Progress()) -> tuple:  # noqa: B008
        status, errors = h.add_files(files, progress)
        for e in errors:
            gr.Warning(render.esc(e), title="File not added")
        rows, pick, view = refresh_knowledge()
        return status, rows, pick, view, None

    def delete_selected(source: str | None) -> tuple:
        report = h.delete(source or "")
        rows, pick, view = refresh_knowledge()
        return f"✔ Deleted **{render.esc(source)}** ({report['removed']} chunks removed).", \
            rows, pick, view

    def upload(name: str, content_base64: str) -> dict:
        """Add one document: its file name and its bytes as base64."""
        return guarded(h.upload)(name, content_base64)

    def delete_document(source: str) -> dict:
        """Delete one document (e.g. "knowledge/uploads/notes.md") and its chunks."""
        return guarded(h.delete)(source)

    def documents() -> list:
        """The documents in the knowledge base with their chunk counts."""
        return guarded(h.documents)()

    knowledge_out = [docs_table, doc_pick, chunks_view]
    app.load(refresh_knowledge, None, knowledge_out, api_visibility=PRIVATE)
    doc_pick.change(guarded(h.chunks), doc_pick, chunks_view, api_visibility=PRIVATE)
    add_btn.click(
        guarded(add_files), upload_in, [knowledge_status, *knowledge_out, upload_in],
        api_name="add_files", concurrency_id=WRITE, concurrency_limit=1,
        show_progress_on=knowledge_status,
    )
    delete_btn.click(
        guarded(delete_selected), doc_pick, [knowledge_status, *knowledge_out],
        api_visibility=PRIVATE, concurrency_id=WRITE, concurrency_limit=1,
        show_progress_on=knowledge_status,
    )
    gr.api(upload, api_name="upload", concurrency_id=WRITE, concurrency_limit=1)
    gr.api(delete_document, api_name="delete", concurrency_id=WRITE, concurrency_limit=1)
    limit = settings.ui_concurrency
    gr.api(documents, api_name="documents", concurrency_id=READ, concurrency_limit=limit)


def evaluation_tab(h: Handlers) -> None:
    """The Evaluation tab: run the set, the metric table, the chart, failed cases."""
    with gr.Tab("Evaluation", id="evaluation"):
        gr.Markdown(
            "Runs the evaluation set (`eval/cases.jsonl`) against the current index "
            "and compares every metric with the committed baseline."
        )
        eval_btn = gr.Button("Run the evaluation", variant="primary", elem_id="eval-btn")
        eval_status = gr.Markdown(elem_id="eval-status")
        eval_table = gr.Markdown("*The metric table appears here after a run.*",
                                 elem_id="eval-table")
        # Hidden until a run has drawn it: Gradio's empty image placeholder carries an
        # aria-label on a role-less div, which axe reports as a serious violation.
        eval_chart = gr.Image(label="Metrics against the baseline", type="filepath",
                              interactive=False, visible=False)
        eval_failures = gr.Dataframe(
            headers=["Case", "Question", "What failed"],
            interactive=False,
            label="Failed cases",
            wrap=True,
            column_widths=["12%", "44%", "44%"],
        )

    running = threading.Lock()  # one evaluation at a time: the next is told so, not queued

    def evaluate(progress: Any = gr.Progress()) -> tuple:  # noqa: B008
        if not running.acquire(blocking=False):
            raise InputError("An evaluation is already running; try again when it has finished.")
        try:
            return h.evaluate(progress)
        finally:
            running.release()

    # No queue slot limit: the lock admits one, every other request is refused at once, so a
    # client sending many evaluations never fills the shared queue (chat keeps answering).
    eval_btn.click(
        guarded(evaluate), None, [eval_table, eval_chart, eval_failures, eval_status],
        api_name="evaluate", concurrency_id=EVAL, concurrency_limit=None,
        show_progress_on=eval_table,
    ).success(lambda: gr.Image(visible=True), None, eval_chart, api_visibility=PRIVATE,
              queue=False)


def launch(app: gr.Blocks, settings: Settings, block: bool = True) -> Any:
    """Queue and serve the app with the settings' host, port and limits."""
    app.queue(default_concurrency_limit=settings.ui_concurrency,
              max_size=max(64, 16 * settings.ui_concurrency))
    return app.launch(
        server_name=settings.ui_host,
        server_port=settings.ui_port,
        max_file_size=int(settings.max_upload_mb * 1024 * 1024),
        show_error=False,
        ssr_mode=False,
        share=False,
        inbrowser=False,
        run_history=False,
        footer_links=["api", "settings"],
        css=CSS,
        theme=theme(),
        js=SCRIPT,
        prevent_thread_lock=not block,
        quiet=True,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Start the assistant's web UI.")
    parser.add_argument("--host", help="bind address (default: ASSISTANT_UI_HOST or 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (default: ASSISTANT_UI_PORT or 7860)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    overrides = {k: v for k, v in (("ui_host", args.host), ("ui_port", args.port)) if v}
    try:
        assistant = Assistant(load_settings(**overrides))
        if not assistant.store.exists():
            log.info("no index yet: building it from %s", assistant.settings.knowledge_dir)
            log.info("%s", assistant.ingest().summary())
        assistant.ask("What does a medical director do?")  # load the model, Chroma and BM25
        # now rather than on the first user's question
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    s = assistant.settings
    if s.ui_host not in ("127.0.0.1", "localhost", "::1"):
        log.warning(
            "listening on %s: anyone who can reach it can ask, upload and delete documents "
            "(there is no login); put it behind an authenticating proxy",
            s.ui_host,
        )
    print(f"Serving the assistant on http://{s.ui_host}:{s.ui_port}", flush=True)
    launch(build_app(assistant), s)
    return 0


if __name__ == "__main__":
    sys.exit(main())
