"""The UI's CSS (system fonts only: nothing is fetched from outside the app's own server)."""

CSS = """
.gradio-container { max-width: 1200px !important; margin: 0 auto !important; }
.app-intro p { margin: 0 0 .25em 0; color: var(--body-text-color-subdued); }
sup.cite { font-size: .72em; font-weight: 600; color: var(--color-accent); margin-left: 1px; }
details.sources { margin-top: .6em; border-top: 1px solid var(--border-color-primary);
  padding-top: .4em; font-size: .92em; }
details.sources > summary { cursor: pointer; font-weight: 600; color: var(--color-accent); }
ol.src-list { padding-left: 1.1em; margin: .4em 0 0 0; list-style: none; }
ol.src-list li { margin: .5em 0; }
.src-section { color: var(--body-text-color-subdued); }
.src-file { font-family: var(--font-mono); font-size: .82em;
  color: var(--body-text-color-subdued); }
ol.src-list blockquote { margin: .3em 0 0 0; padding: .3em .6em; border-left: 3px solid
  var(--color-accent); background: var(--background-fill-secondary); font-size: .95em; }
.not-covered { border-left: 4px solid #d97706; background: rgba(217, 119, 6, .08);
  padding: .5em .8em; border-radius: 4px; }
.not-covered p { margin: .2em 0; }
.not-covered ul { margin: .2em 0 .2em 1.2em; }
.error { color: #b91c1c; }
#knowledge-status, #eval-table { min-height: 110px; }
.notice { color: var(--body-text-color-subdued); }
.reading { color: var(--body-text-color-subdued); font-size: 0.9em; margin: 0 0 .3em; }
.draft h3 { margin: 1em 0 .3em 0; border-bottom: 1px solid var(--border-color-primary); }
.draft-meta { color: var(--body-text-color-subdued); }
.draft li.bullet { margin: .35em 0; }
.draft .theme { display: inline-block; font-size: .72em; text-transform: uppercase;
  letter-spacing: .03em; color: var(--body-text-color-subdued); border: 1px solid
  var(--border-color-primary); border-radius: 3px; padding: 0 .3em; margin-right: .4em; }
.draft .bullet-id { font-family: var(--font-mono); font-size: .72em; margin-left: .4em;
  color: var(--body-text-color-subdued); }
.draft .bullet-src { font-size: .8em; color: var(--body-text-color-subdued); margin-left: .2em; }
.draft .note { font-style: italic; color: #92400e; }
.badge { font-size: .7em; border-radius: 3px; padding: 0 .35em; margin-left: .35em; }
.badge.pin { background: #dbeafe; color: #1e40af; }
.badge.edit { background: #fef3c7; color: #92400e; }
.badge.warn { background: #fee2e2; color: #991b1b; }
.chunk { border: 1px solid var(--border-color-primary); border-radius: 6px; padding: .4em .6em;
  margin: .4em 0; }
.chunk-meta { font-family: var(--font-mono); font-size: .75em;
  color: var(--body-text-color-subdued); }
.chunk-text { font-size: .9em; margin-top: .2em; }
"""
