"""The Knowledge tab: documents, their chunks, upload and delete."""

from __future__ import annotations

from typing import Any

import gradio as gr

from assistant.settings import Settings
from assistant.web import render
from assistant.web.guard import guarded
from assistant.web.handlers import Handlers
from assistant.web.wiring import PRIVATE, READ, WRITE

UPLOAD_TYPES = [".md", ".txt", ".pdf", ".docx", ".html"]


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
