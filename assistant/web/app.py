"""The web UI: `python ui.py [--host H] [--port P]` (default 127.0.0.1:7860).

It builds the same facade the CLI uses and only renders its results. This module composes
the page and serves it; each tab's layout and event wiring is its own module
(``chat_tab``, ``draft_tab``, ``knowledge_tab``, ``evaluation_tab``), the handlers are in
``web/handlers.py`` and the HTML in ``web/render.py``.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from typing import Any

import gradio as gr  # noqa: E402  (assistant/web/__init__.py sets gradio's environment first)

from assistant.errors import AssistantError  # noqa: E402
from assistant.facade import Assistant  # noqa: E402
from assistant.settings import Settings, load_settings  # noqa: E402
from assistant.web.auth import credentials  # noqa: E402
from assistant.web.chat_tab import chat_tab  # noqa: E402
from assistant.web.draft_tab import draft_tab  # noqa: E402
from assistant.web.evaluation_tab import evaluation_tab  # noqa: E402
from assistant.web.guard import log  # noqa: E402
from assistant.web.handlers import Handlers  # noqa: E402
from assistant.web.knowledge_tab import knowledge_tab  # noqa: E402
from assistant.web.script import SCRIPT  # noqa: E402
from assistant.web.style import CSS, theme  # noqa: E402
from assistant.web.wiring import PRIVATE  # noqa: E402

CACHE_CLEANUP = (600, 3600)  # Gradio's delete_cache: (how often, older than) in seconds
AUTOSAVE_KEY = "md-assistant-draft"  # the browser's localStorage key of the current draft

INTRO = (
    "Answers quote the knowledge base and cite every sentence; questions it does not cover "
    "are refused, not guessed. Offline: nothing leaves this machine."
)


def _only_tabs_in(tabs: gr.Tabs) -> None:
    """Move what the tab builders added beside their gr.Tab (their ``gr.api`` endpoints) out
    of the Tabs, to its parent. The browser numbers the tabs by their place among the Tabs'
    children, so each extra child shifted the later tabs and they showed twice in the tab bar
    after a visit (at 390 px the copies pushed "Evaluation" behind the "…" menu)."""
    parent = tabs.parent
    for child in [c for c in tabs.children if not isinstance(c, gr.Tab)]:
        tabs.children.remove(child)
        if parent is not None:
            parent.add(child)


def build_app(assistant: Assistant) -> gr.Blocks:
    """The Gradio app over one facade (launch it with ``launch(app, settings)``)."""
    h = Handlers(assistant)
    settings = assistant.settings
    # delete_cache: every 10 minutes Gradio removes the uploads and downloads it cached more
    # than an hour ago (otherwise they stay until the process ends).
    with gr.Blocks(title="Medical Director assistant", analytics_enabled=False,
                   delete_cache=CACHE_CLEANUP) as app:
        gr.Markdown("## Medical Director knowledge assistant")
        gr.Markdown(INTRO, elem_classes="app-intro")
        # Outside the tabs: a tab's components mount only when it is first shown, and the
        # page-load restore needs the stored value at once.
        draft_saved = gr.BrowserState(None, storage_key=AUTOSAVE_KEY)
        # "wrap": at phone width every tab stays in the bar (the default "menu" hides the last
        # ones behind a "…" button).
        with gr.Tabs(overflow_behavior="wrap", elem_id="main-tabs") as tabs:
            open_draft, asked_setting = chat_tab(h, settings.ui_concurrency)
            setting_in = draft_tab(app, h, settings.ui_concurrency, draft_saved)
            knowledge_tab(app, h, settings)
            evaluation_tab(h)
            _only_tabs_in(tabs)
        # A drafting request asked in the chat opens the Draft tab with the setting it named.
        open_draft.click(
            lambda setting: (gr.Tabs(selected="draft"), setting),
            asked_setting,
            [tabs, setting_in],
            api_visibility=PRIVATE,
            queue=False,
        )
    return app


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
        auth=credentials(settings.ui_auth),
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
        credentials(assistant.settings.ui_auth)  # a bad login setting fails before the start
        if not assistant.store.exists():
            log.info("no index yet: building it from %s", assistant.settings.knowledge_dir)
            log.info("%s", assistant.ingest().summary())
        elif (resumed := assistant.recover()) is not None:  # a killed upload/delete/ingest
            log.info("finished an interrupted change: %s", resumed.summary())
        assistant.ask("What does a medical director do?")  # load the model, Chroma and BM25
        # now rather than on the first user's question
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    s = assistant.settings
    if s.ui_host not in ("127.0.0.1", "localhost", "::1") and not s.ui_auth:
        log.warning(
            "listening on %s: anyone who can reach it can ask, upload and delete documents "
            "(there is no login); set ASSISTANT_UI_AUTH or put it behind an authenticating "
            "proxy",
            s.ui_host,
        )
    print(f"Serving the assistant on http://{s.ui_host}:{s.ui_port}", flush=True)
    launch(build_app(assistant), s)
    return 0


if __name__ == "__main__":
    sys.exit(main())
