"""The Evaluation tab: run the set, the metric table, the chart, failed cases."""

from __future__ import annotations

import threading
from typing import Any

import gradio as gr

from assistant.errors import InputError
from assistant.web.guard import guarded
from assistant.web.handlers import Handlers
from assistant.web.wiring import EVAL, PRIVATE


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
