"""The UI's browser script (``launch(js=SCRIPT)``): behaviour Gradio has no component for.

One delegated listener per concern, installed once on the document, so it serves every
chat bubble Gradio renders later:

* a ``[n]`` button in an answer (``render.cite_marker``) opens that answer's Sources block,
  scrolls source n into view, focuses it and flashes it;
* "Copy" in an answer (``render.copy_button``) copies the answer's plain text (its ``[n]``
  and a Markdown Sources list), not the bubble's HTML.
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

  async function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return;
    }
    const area = document.createElement('textarea');  // plain http on another host
    area.value = text;
    area.style.position = 'fixed';
    area.style.left = '-9999px';
    document.body.appendChild(area);
    area.select();
    try { document.execCommand('copy'); } finally { area.remove(); }
  }

  document.addEventListener('click', async (event) => {
    const button = event.target.closest && event.target.closest('button.copy-answer');
    if (!button) return;
    event.preventDefault();
    const source = button.parentElement.querySelector('.copy-text');
    if (!source) return;
    try {
      await copyText(source.textContent);
      button.textContent = 'Copied';
    } catch (err) {
      button.textContent = 'Copy failed';
    }
    clearTimeout(button.__reset);
    button.__reset = setTimeout(() => { button.textContent = 'Copy'; }, 2000);
  });
}
"""
