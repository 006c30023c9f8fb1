"""The UI's theme and CSS (system fonts only: nothing is fetched from outside the app's own
server).

Colours meet WCAG 2.1 AA (4.5:1 for text) in light and dark mode; the browser test checks
every tab with axe-core. The stock theme's subdued grey (#bbbbc2, 1.9:1 on white) and
orange (#f97316: 2.8:1 as text, 2.8:1 under white button text) do not, so the theme darkens
them, and the app's own marks use ``--md-cite`` / ``--md-muted`` / ``--md-note``, set per mode.
"""

import gradio as gr


def theme() -> gr.themes.Base:
    """The default theme with AA contrast: darker subdued text, buttons and placeholders."""
    return gr.themes.Default().set(
        body_text_color_subdued="*neutral_600",        # #52525b: 7.7:1 on white
        body_text_color_subdued_dark="*neutral_400",   # #bbbbc2: 10:1 on #0f0f11
        input_placeholder_color="*neutral_600",
        input_placeholder_color_dark="*neutral_400",
        block_label_text_color="*neutral_600",
        block_title_text_color="*neutral_600",
        button_primary_background_fill="*primary_700",  # #c2410c: white text 5.2:1
        button_primary_background_fill_dark="*primary_700",
        button_primary_background_fill_hover="*primary_800",
        button_primary_background_fill_hover_dark="*primary_800",
        button_primary_border_color="*primary_700",
        button_primary_border_color_dark="*primary_700",
        button_primary_border_color_hover="*primary_800",
        button_primary_border_color_hover_dark="*primary_800",
        button_cancel_background_fill="#b91c1c",  # white text 6.5:1
        button_cancel_background_fill_dark="#b91c1c",
        button_cancel_background_fill_hover="#991b1b",
        button_cancel_background_fill_hover_dark="#991b1b",
    )


CSS = """
:root { --md-cite: #9a3412; --md-muted: #3f3f46; --md-note: #92400e; --md-mark: #fef08a;
  --md-mark-text: #18181b; --md-error: #b91c1c; }
.dark { --md-cite: #fb923c; --md-muted: #bbbbc2; --md-note: #fbbf24; --md-mark: #854d0e;
  --md-mark-text: #fefce8; --md-error: #f87171; }
.gradio-container { max-width: 1200px !important; margin: 0 auto !important; }
/* -- issue 16: page layout (one width on every tab; nothing wider than a 390-px phone) ---- */
/* Full width up to the 1200-px cap above, whatever the tab holds: switching tabs keeps the
   page width (it used to shrink to each tab's content). */
.gradio-container { width: 100% !important; box-sizing: border-box; }
/* Flex children may shrink below their content's width; long words and paths wrap. */
#main-tabs, .gradio-container .tabitem, .gradio-container .column,
.gradio-container .row > * { min-width: 0; }
.gradio-container .prose, .gradio-container .prose * { overflow-wrap: break-word; }
/* The tab bar wraps instead of hiding tabs behind "…" (Tabs(overflow_behavior="wrap")). */
#main-tabs .tab-container button { flex-shrink: 0; }
/* The chatbot's "Conversation" label takes its own line instead of floating over the first
   message. */
#chatbot label[data-testid="block-label"] { position: static; margin-bottom: 0; }
@media (max-width: 480px) {
  .gradio-container { padding-left: 12px !important; padding-right: 12px !important; }
  #main-tabs .tab-container button { padding-left: .6em; padding-right: .6em; }
}
/* -- issue 16: the Evaluation tab (web/evaluation_view.py) --------------------------------- */
.eval-verdict { border-left: 5px solid var(--border-color-primary); border-radius: 6px;
  padding: .6em .9em; background: var(--background-fill-secondary); }
.eval-verdict.pass { border-left-color: #15803d; }
.eval-verdict.fail { border-left-color: var(--md-error); }
.eval-headline { font-size: 1.15em; font-weight: 600; margin: 0 0 .3em 0; }
.eval-verdict.pass .eval-mark { color: #15803d; }
.dark .eval-verdict.pass .eval-mark { color: #4ade80; }
.eval-verdict.fail .eval-mark { color: var(--md-error); }
.eval-details { margin: 0 0 0 1.2em; color: var(--md-muted); }
.eval-scores { max-width: 100%; overflow-x: auto; }
.eval-scores table { border-collapse: collapse; width: 100%; font-size: .9em; }
.eval-scores caption { text-align: left; color: var(--md-muted); padding-bottom: .3em;
  white-space: normal; }
.eval-failures details.fail-rest > summary { cursor: pointer; font-weight: 600; }
.eval-scores th, .eval-scores td { padding: .25em .5em; text-align: left; vertical-align: top;
  border-bottom: 1px solid var(--border-color-primary); }
.eval-scores thead th { white-space: nowrap; word-break: keep-all; }
.eval-scores td { white-space: nowrap; }
.eval-scores th[scope="row"] { font-weight: 400; }
.eval-scores tr.group th { font-weight: 700; padding-top: .8em; }
.eval-scores code, .eval-glossary code, .eval-failures code { font-size: .85em; }
.eval-scores .score-dir { color: var(--md-muted); font-size: .85em; }
.eval-scores tr.regressed td.result { color: var(--md-error); font-weight: 700; }
.eval-scores tr.better td.result { color: #15803d; }
.dark .eval-scores tr.better td.result { color: #4ade80; }
.eval-glossary dt { font-weight: 600; margin-top: .5em; }
.eval-glossary dd { margin: 0 0 0 1em; color: var(--md-muted); }
.eval-glossary h4 { margin: 1em 0 .2em 0; }
.eval-failures ol { padding-left: 1.4em; }
.eval-failure { margin: .8em 0; }
.eval-failure p { margin: .1em 0; }
.eval-failure .fail-case { font-size: .85em; color: var(--md-muted); }
.eval-failure .fail-problems { margin: .2em 0 .2em 1.1em; }
.eval-failure details > summary { cursor: pointer; font-size: .9em; color: var(--md-muted); }
#eval-chart img { max-width: 100%; height: auto; object-fit: contain; }
/* A phone: the score table keeps score, this run, baseline and result (the chart shows the
   references and the allowed drop), and each name wraps instead of widening the page. */
@media (max-width: 640px) {
  .eval-scores .ref-col, .eval-scores .tol-col, .eval-scores .score-dir { display: none; }
  .eval-scores .score-code { display: block; overflow-wrap: anywhere; }
  .eval-scores th[scope="row"], .eval-scores td.result { white-space: normal; }
  .eval-scores th, .eval-scores td { padding: .25em .3em; }
}
/* -- end of issue 16 page layout and Evaluation blocks ------------------------------------- */
.app-intro p { margin: 0 0 .25em 0; color: var(--md-muted); }
mark.quote { background: var(--md-mark); color: var(--md-mark-text); padding: 0 .1em;
  border-radius: 2px; }
button.cite-link { font: inherit; color: inherit; background: none; border: 0; padding: 0;
  margin: 0; cursor: pointer; text-decoration: underline dotted; text-underline-offset: 2px;
  display: inline-block; height: auto; min-height: 0; line-height: 1.2; vertical-align: baseline; }
button.cite-link:hover { text-decoration-style: solid; }
button.cite-link:focus-visible, li.src:focus-visible { outline: 2px solid var(--md-cite);
  outline-offset: 2px; }
li.src:focus { outline: none; }
li.src.src-target { animation: src-flash 1.6s ease-out; border-radius: 4px; }
@keyframes src-flash { from { box-shadow: 0 0 0 3px var(--md-cite); } to { box-shadow: none; } }
details.full-passage > summary { cursor: pointer; font-size: .85em; color: var(--md-muted); }
ol.src-list blockquote.excerpt { margin-bottom: .2em; }
.question-count { margin: .2em 0 0 .2em; font-size: .85em; color: var(--md-muted); }
.question-count.over { color: var(--md-error); font-weight: 600; }
.copy-row { margin-top: .5em; }
.copy-text { display: none; }
button.copy-answer { font-size: .85em; padding: .15em .7em; border-radius: 4px; cursor: pointer;
  color: var(--body-text-color); background: var(--button-secondary-background-fill);
  border: 1px solid var(--border-color-primary); min-height: 24px; }
button.copy-answer:focus-visible { outline: 2px solid var(--md-cite); outline-offset: 2px; }
sup.cite { font-size: .72em; font-weight: 600; color: var(--md-cite); margin-left: 1px; }
details.sources { margin-top: .6em; border-top: 1px solid var(--border-color-primary);
  padding-top: .4em; font-size: .92em; }
details.sources > summary { cursor: pointer; font-weight: 600; color: var(--md-cite); }
ol.src-list { padding-left: 1.1em; margin: .4em 0 0 0; list-style: none; }
ol.src-list li { margin: .5em 0; }
.src-section { color: var(--md-muted); }
.src-file { font-family: var(--font-mono); font-size: .82em;
  color: var(--md-muted); }
ol.src-list blockquote { margin: .3em 0 0 0; padding: .3em .6em; border-left: 3px solid
  var(--color-accent); background: var(--background-fill-secondary); font-size: .95em; }
.not-covered { border-left: 4px solid #d97706; background: rgba(217, 119, 6, .08);
  padding: .5em .8em; border-radius: 4px; }
.not-covered p { margin: .2em 0; }
.not-covered ul { margin: .2em 0 .2em 1.2em; }
.error { color: var(--md-error); }
#knowledge-status, #eval-table { min-height: 110px; }
.notice { color: var(--md-muted); }
.reading { color: var(--md-muted); font-size: 0.9em; margin: 0 0 .3em; }
.draft h3 { margin: 1em 0 .3em 0; border-bottom: 1px solid var(--border-color-primary); }
.draft-meta { color: var(--md-muted); }
.draft li.bullet { margin: .35em 0; }
.draft .theme { display: inline-block; font-size: .72em; text-transform: uppercase;
  letter-spacing: .03em; color: var(--md-muted); border: 1px solid
  var(--border-color-primary); border-radius: 3px; padding: 0 .3em; margin-right: .4em; }
.draft .bullet-id { font-family: var(--font-mono); font-size: .72em; margin-left: .4em;
  color: var(--md-muted); }
.draft .bullet-src { font-size: .8em; color: var(--md-muted); margin-left: .2em; }
.draft .note { font-style: italic; color: var(--md-note); }
.badge { font-size: .7em; border-radius: 3px; padding: 0 .35em; margin-left: .35em; }
.badge.pin { background: #dbeafe; color: #1e40af; }
.badge.edit { background: #fef3c7; color: #92400e; }
.badge.warn { background: #fee2e2; color: #991b1b; }
.chunk { border: 1px solid var(--border-color-primary); border-radius: 6px; padding: .4em .6em;
  margin: .4em 0; }
.chunk-meta { font-family: var(--font-mono); font-size: .75em;
  color: var(--md-muted); }
.chunk-text { font-size: .9em; margin-top: .2em; }
/* -- issue 16 (chat_tab / draft_tab): [n] previews and the draft's per-bullet actions ------ */
/* A [n]'s preview: a role="tooltip" shown on hover and on keyboard focus (no script needed;
   script.py only keeps it inside the visible chat and lets Escape hide it). */
.cite-wrap { position: relative; display: inline; }
.cite-tip { display: none; position: absolute; z-index: 60; top: calc(100% + 2px); left: 0;
  width: max-content; max-width: min(26rem, 78vw); padding: .45em .65em; border-radius: 6px;
  background: var(--background-fill-primary); color: var(--body-text-color);
  border: 1px solid var(--border-color-primary); box-shadow: 0 4px 16px rgba(0, 0, 0, .2);
  font-size: .85rem; font-weight: 400; line-height: 1.45; text-align: left;
  white-space: normal; overflow-wrap: anywhere; }
.cite-tip.tip-up { top: auto; bottom: calc(100% + 2px); }
.cite-wrap:hover .cite-tip, .cite-wrap:has(.cite-link:focus-visible) .cite-tip
  { display: block; }
.cite-wrap.tip-off .cite-tip { display: none; }
.cite-tip .tip-head { display: block; font-weight: 600; color: var(--md-cite);
  margin-bottom: .2em; }
.cite-tip .tip-quote { display: block; }
/* The draft's per-bullet buttons: small, always visible (touch has no hover), wrapping. */
.draft .bullet-actions { display: flex; flex-wrap: wrap; gap: .3em; margin: .2em 0 .1em; }
.draft button.bullet-act, .draft .bullet-editor button { font-size: .75rem; font-weight: 400;
  line-height: 1.2; padding: .15em .55em; min-height: 24px; min-width: 24px; border-radius: 4px;
  cursor: pointer;
  color: var(--body-text-color); background: var(--button-secondary-background-fill);
  border: 1px solid var(--border-color-primary); }
.draft button.bullet-act:hover, .draft .bullet-editor button:hover
  { background: var(--button-secondary-background-fill-hover); }
.draft button.bullet-act[disabled] { opacity: .45; cursor: default; }
.draft button.bullet-act.act-remove { color: #b91c1c; }  /* 6:1 on the light button */
.dark .draft button.bullet-act.act-remove { color: #fecaca; }  /* 5:1 on #52525b */
.draft button.bullet-act[aria-pressed="true"] { border-color: #1e40af; }
.draft button.bullet-act:focus-visible, .draft .bullet-editor button:focus-visible,
.draft textarea.bullet-edit:focus-visible { outline: 2px solid var(--md-cite);
  outline-offset: 2px; }
.draft .bullet-editor { display: block; margin: .3em 0; }
.draft textarea.bullet-edit { display: block; width: 100%; box-sizing: border-box;
  font: inherit; padding: .3em .45em; border-radius: 4px; color: var(--body-text-color);
  background: var(--input-background-fill); border: 1px solid var(--border-color-primary); }
.draft .bullet-editor-buttons { display: flex; gap: .4em; margin-top: .3em; }
/* -- end of issue 16 block ----------------------------------------------------------------- */
/* -- Knowledge tab (knowledge_tab.py): nothing wider than a phone ------------------------
   Long monospace paths and ids wrap anywhere; the pick/Delete and confirm rows wrap, so
   Delete stays on screen at 390 px. */
#knowledge-tab, #knowledge-tab * { min-width: 0; }
#docs-table td, #docs-table th, #docs-table td span, #docs-table th span {
  white-space: normal !important; overflow-wrap: anywhere; word-break: break-word; }
#docs-table table { table-layout: auto; max-width: 100%; }
#chunks-view, #chunks-view .chunk-head, #chunks-view .chunk-meta, #chunks-view .chunk-text,
#knowledge-status, #delete-confirm-text { overflow-wrap: anywhere; word-break: break-word; }
#knowledge-tab .knowledge-row { flex-wrap: wrap; gap: .5em; }
@media (max-width: 640px) {
  #knowledge-tab .knowledge-row > * { flex: 1 1 100% !important; min-width: 0 !important; }
}
/* -- end of the Knowledge tab block -- */
"""
