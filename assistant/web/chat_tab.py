"""The Chat tab: conversation, question box, examples; the chat and ask endpoints."""

from __future__ import annotations

import time
from typing import Any

import gradio as gr

from assistant.answering.query import check_question
from assistant.errors import AssistantError
from assistant.web import render
from assistant.web.guard import guarded
from assistant.web.handlers import EXAMPLES, Handlers
from assistant.web.wiring import PRIVATE, READ, WARNING_SECONDS


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
