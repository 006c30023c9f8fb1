"""The Knowledge tab: documents, their chunks, upload, delete (confirmed) and restore."""

from __future__ import annotations

from typing import Any

import gradio as gr

from assistant.settings import Settings
from assistant.web import render
from assistant.web.guard import guarded, user_message
from assistant.web.handlers import Handlers
from assistant.web.wiring import PRIVATE, READ, WRITE

UPLOAD_TYPES = [".md", ".txt", ".pdf", ".docx", ".html"]


def knowledge_tab(app: gr.Blocks, h: Handlers, settings: Settings) -> None:
    """The Knowledge tab: documents, their chunks, upload, delete and restore."""
    with gr.Tab("Knowledge", id="knowledge", elem_id="knowledge-tab"):
        docs_table = gr.Dataframe(
            headers=["Document", "Title", "Chunks", "Kind"],
            datatype=["str", "str", "number", "str"],
            interactive=False,
            wrap=True,
            label="Documents in the knowledge base (core: shipped with it, restorable "
            "after a delete)",
            elem_id="docs-table",
        )
        with gr.Row(elem_classes="knowledge-row"):
            doc_pick = gr.Dropdown([], label="Document", elem_id="doc-pick", scale=4,
                                   min_width=160)
            delete_btn = gr.Button("Delete document…", variant="stop", scale=1,
                                   min_width=120, elem_id="delete-btn")
        with gr.Group(visible=False, elem_id="delete-confirm") as confirm_box:
            confirm_text = gr.Markdown(elem_id="delete-confirm-text")
            with gr.Row(elem_classes="knowledge-row"):
                confirm_btn = gr.Button("Confirm delete", variant="stop", min_width=120,
                                        elem_id="delete-confirm-btn")
                cancel_btn = gr.Button("Cancel", min_width=120, elem_id="delete-cancel-btn")
        to_delete = gr.State(None)
        with gr.Row(elem_classes="knowledge-row"):
            trash_pick = gr.Dropdown([], label="Deleted documents (restorable)",
                                     elem_id="trash-pick", scale=4, min_width=160)
            restore_btn = gr.Button("Restore", scale=1, min_width=120, elem_id="restore-btn")
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

    def refresh_knowledge(selected: str | None = None) -> tuple[Any, Any, str, Any]:
        rows = h.document_rows()
        sources = [r[0] for r in rows]
        pick = selected if selected in sources else None
        trashed = h.trashed()
        return (
            rows,
            gr.update(choices=sources, value=pick),
            h.chunks(pick),
            gr.update(choices=trashed, value=trashed[0] if trashed else None),
        )

    def add_files(files: list[str] | None, progress: Any = gr.Progress()) -> tuple:  # noqa: B008
        status, errors = h.add_files(files, progress)
        for e in errors:
            gr.Warning(render.esc(e), title="File not added")
        rows, pick, view, _trash = refresh_knowledge()
        return status, rows, pick, view, None

    def add_files_in_browser(files: list[str] | None, progress: Any = gr.Progress()) -> tuple:  # noqa: B008
        try:
            return add_files(files, progress)
        except Exception as exc:
            message = user_message(exc)
            gr.Warning(render.esc(message), title="Not added")
            rows, pick, view, _trash = refresh_knowledge()
            return f"✘ {render.esc(message)}", rows, pick, view, None

    def ask_delete(source: str | None) -> tuple:
        """First click: name the document and its chunk count, and wait for Confirm."""
        return gr.update(visible=True), h.delete_prompt(source), source

    def delete_selected(source: str | None) -> tuple:
        report = h.delete(source or "")
        rows, pick, view, trash = refresh_knowledge()
        status = (
            f"✔ Deleted **{render.esc(source)}** ({report['removed']} chunks removed). "
            "*Restore* puts it back."
        )
        return status, rows, pick, view, gr.update(choices=h.trashed(), value=source), \
            gr.update(visible=False), None

    def restore_selected(source: str | None) -> tuple:
        report = h.restore(source or "")
        status = f"✔ Restored **{render.esc(source)}** ({report['added']} chunks indexed)."
        return status, *refresh_knowledge(source)

    def upload(name: str, content_base64: str) -> dict:
        """Add one document: its file name and its bytes as base64."""
        return guarded(h.upload)(name, content_base64)

    def delete_document(source: str) -> dict:
        """Delete one document (e.g. "knowledge/uploads/notes.md") and its chunks; it stays
        in the trash (see /restore)."""
        return guarded(h.delete)(source)

    def restore_document(source: str) -> dict:
        """Put a deleted document back from the trash and index it again."""
        return guarded(h.restore)(source)

    def documents() -> list:
        """The documents in the knowledge base with their chunk counts (core: shipped)."""
        return guarded(h.documents)()

    knowledge_out = [docs_table, doc_pick, chunks_view, trash_pick]
    app.load(refresh_knowledge, None, knowledge_out, api_visibility=PRIVATE)
    doc_pick.change(guarded(h.chunks), doc_pick, chunks_view, api_visibility=PRIVATE)
    add_outputs = [knowledge_status, docs_table, doc_pick, chunks_view, upload_in]
    # The button never fails the event: a failed event leaves its outputs as they were, and a
    # refused file would stay in the picker (and be sent again with the next one). Problems
    # are toasts and status lines; the picker is always cleared.
    add_btn.click(
        guarded(add_files_in_browser), upload_in, add_outputs,
        api_visibility=PRIVATE, concurrency_id=WRITE, concurrency_limit=1,
        show_progress_on=knowledge_status,
    )
    # The public /add_files endpoint (gradio_client) raises when no file was added.
    add_api = gr.Button(visible=False, elem_id="add-api")
    add_api.click(
        guarded(add_files), upload_in, add_outputs,
        api_name="add_files", concurrency_id=WRITE, concurrency_limit=1,
    )
    delete_btn.click(
        guarded(ask_delete), doc_pick, [confirm_box, confirm_text, to_delete],
        api_visibility=PRIVATE, queue=False,
    )
    cancel_btn.click(
        lambda: (gr.update(visible=False), None), None, [confirm_box, to_delete],
        api_visibility=PRIVATE, queue=False,
    )
    confirm_btn.click(
        guarded(delete_selected), to_delete,
        [knowledge_status, docs_table, doc_pick, chunks_view, trash_pick, confirm_box,
         to_delete],
        api_visibility=PRIVATE, concurrency_id=WRITE, concurrency_limit=1,
        show_progress_on=knowledge_status,
    )
    restore_btn.click(
        guarded(restore_selected), trash_pick, [knowledge_status, *knowledge_out],
        api_visibility=PRIVATE, concurrency_id=WRITE, concurrency_limit=1,
        show_progress_on=knowledge_status,
    )
    gr.api(upload, api_name="upload", concurrency_id=WRITE, concurrency_limit=1)
    gr.api(delete_document, api_name="delete", concurrency_id=WRITE, concurrency_limit=1)
    gr.api(restore_document, api_name="restore", concurrency_id=WRITE, concurrency_limit=1)
    limit = settings.ui_concurrency
    gr.api(documents, api_name="documents", concurrency_id=READ, concurrency_limit=limit)
