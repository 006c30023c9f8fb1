"""The Evaluation tab for someone who is not an engineer: run the set, a one-line verdict, the
scores in plain words with a glossary, the chart, and each failed case with what was expected
(the HTML is web/evaluation_view.py, the words evaluation/explain.py)."""

from __future__ import annotations

import threading
from typing import Any

import gradio as gr

from assistant.errors import InputError
from assistant.web import evaluation_view
from assistant.web.guard import guarded
from assistant.web.handlers import Handlers
from assistant.web.wiring import EVAL, PRIVATE


def evaluation_tab(h: Handlers) -> None:
    """The Evaluation tab: run the set, the verdict, the scores, the chart, failed cases."""
    with gr.Tab("Evaluation", id="evaluation"):
        gr.Markdown(
            "Asks the assistant every question of the evaluation set (`eval/cases.jsonl`), "
            "checks each answer against what it should say, and compares every score with "
            "the baseline committed with the code. It takes a few minutes."
        )
        eval_btn = gr.Button("Run the evaluation", variant="primary", elem_id="eval-btn")
        eval_status = gr.Markdown(elem_id="eval-status")
        eval_verdict = gr.HTML("<p class=\"notice\">The verdict appears here after a run.</p>",
                               elem_id="eval-verdict")
        eval_table = gr.HTML(elem_id="eval-table")
        with gr.Accordion("What the scores mean", open=False, elem_id="eval-glossary"):
            gr.HTML(evaluation_view.glossary_html())
        # Hidden until a run has drawn it: Gradio's empty image placeholder carries an
        # aria-label on a role-less div, which axe reports as a serious violation.
        eval_chart = gr.Image(label="Scores against the baseline", type="filepath",
                              interactive=False, visible=False, elem_id="eval-chart",
                              show_label=True, buttons=["fullscreen", "download"],
                              alt_text="Chart of every score: bars for this run of hybrid, "
                              "dense-llamaindex and bm25, the hybrid baseline as a black tick "
                              "and its allowed drop as a grey band")
        eval_failures = gr.HTML(elem_id="eval-failures")

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
        guarded(evaluate), None,
        [eval_verdict, eval_table, eval_chart, eval_failures, eval_status],
        api_name="evaluate", concurrency_id=EVAL, concurrency_limit=None,
        show_progress_on=eval_verdict,
    ).success(lambda: gr.Image(visible=True), None, eval_chart, api_visibility=PRIVATE,
              queue=False)
