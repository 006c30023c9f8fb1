"""The UI's browser script (``launch(js=SCRIPT)``): behaviour Gradio has no component for.

One delegated listener per concern, installed once on the document, so it serves every
chat bubble Gradio renders later:

* a ``[n]`` button in an answer (``render.cite_marker``) opens that answer's Sources block,
  scrolls source n into view, focuses it and flashes it.
"""

SCRIPT = r"""
() => {
  if (window.__mdAssistant) return;
  window.__mdAssistant = true;

  document.addEventListener('click', (event) => {
    const cite = event.target.closest && event.target.closest('button.cite-link');
    if (!cite) return;
    event.preventDefault();
    const bubble = cite.closest('[data-testid="bot"]') || cite.closest('.message') || document;
    // Gradio's sanitiser drops data-* attributes: the number is the button's own "[n]".
    const n = (cite.textContent.match(/\d+/) || [''])[0];
    const source = n && bubble.querySelector(`li.src#src-${n}`);
    if (!source) return;  // a streamed answer: its Sources come with the final text
    for (let d = source.closest('details'); d; d = d.parentElement.closest('details')) {
      d.open = true;
    }
    source.scrollIntoView({block: 'center', behavior: 'instant'});
    source.focus({preventScroll: true});
    source.classList.remove('src-target');
    void source.offsetWidth;  // restart the flash
    source.classList.add('src-target');
  });
}
"""
