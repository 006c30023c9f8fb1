"""The UI's browser script (``launch(js=SCRIPT)``): behaviour Gradio has no component for.

One delegated listener per concern, installed once on the document, so it serves every
chat bubble Gradio renders later:

* a ``[n]`` button in an answer (``render.cite_marker``) opens that answer's Sources block,
  scrolls source n into view, focuses it and flashes it;
* "Copy" in an answer (``render.copy_button``) copies the answer's plain text (its ``[n]``
  and a Markdown Sources list), not the bubble's HTML;
* a ``[n]``'s preview (``render.cite_preview``, shown by CSS on hover and keyboard focus) is
  kept inside the chat's visible area (flipped above the marker when there is no room
  below, shifted left at the right edge), and Escape hides it until the pointer or the focus
  leaves the marker.

``DRAFT_VIEW_JS`` is the Draft view's own script (``gr.HTML(js_on_load=...)``): its per-bullet
buttons (``render.bullet_actions``) send a ``draft_action`` event with
``{action, section, bullet, text}`` to ``draft_tab``; Edit opens an editor in place.
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

  // -- [n] previews: stay inside the visible chat, Escape dismisses -------------------------
  function scrollBox(el) {
    for (let p = el.parentElement; p; p = p.parentElement) {
      if (/(auto|scroll|hidden)/.test(getComputedStyle(p).overflowY)) {
        return p.getBoundingClientRect();
      }
    }
    return {top: 0, left: 0, right: innerWidth, bottom: innerHeight};
  }
  function placeTip(wrap) {
    const tip = wrap.querySelector('.cite-tip');
    if (!tip) return;
    tip.classList.remove('tip-up');
    tip.style.left = '';
    requestAnimationFrame(() => {
      const box = scrollBox(wrap), r = tip.getBoundingClientRect();
      const right = Math.min(box.right, innerWidth) - 6, left = Math.max(box.left, 0) + 6;
      if (r.right > right) tip.style.left = `${Math.max(left - r.left, right - r.right)}px`;
      const below = Math.min(box.bottom, innerHeight) - r.bottom;
      const above = wrap.getBoundingClientRect().top - Math.max(box.top, 0);
      if (below < 0 && above > r.height + 8) tip.classList.add('tip-up');
    });
  }
  for (const type of ['mouseover', 'focusin']) {
    document.addEventListener(type, (event) => {
      const wrap = event.target.closest && event.target.closest('.cite-wrap');
      if (wrap && !(event.relatedTarget && wrap.contains(event.relatedTarget))) placeTip(wrap);
    });
  }
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    const wrap = document.activeElement && document.activeElement.closest
      && document.activeElement.closest('.cite-wrap');
    for (const w of document.querySelectorAll('.cite-wrap:hover')) w.classList.add('tip-off');
    if (wrap) wrap.classList.add('tip-off');
  });
  for (const type of ['mouseout', 'focusout']) {
    document.addEventListener(type, (event) => {
      const wrap = event.target.closest && event.target.closest('.cite-wrap');
      if (wrap && !(event.relatedTarget && wrap.contains(event.relatedTarget))) {
        wrap.classList.remove('tip-off');
      }
    });
  }

  // Gradio's sanitiser drops aria-* attributes from chat bubbles: each [n] is tied to its
  // preview again here (aria-describedby) as bubbles appear, and named "Source n".
  new MutationObserver(() => {
    const bare = '.cite-wrap button.cite-link:not([aria-describedby])';
    for (const b of document.querySelectorAll(bare)) {
      const tip = b.closest('.cite-wrap').querySelector('.cite-tip[id]');
      if (!tip) continue;
      b.setAttribute('aria-describedby', tip.id);
      b.setAttribute('aria-label', `Source ${(b.textContent.match(/\d+/) || [''])[0]}`);
    }
  }).observe(document.body, {childList: true, subtree: true});

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


DRAFT_VIEW_JS = r"""
const view = element;
let refocus = null;  // {bullet, action, next}: where the keyboard focus goes after a re-render

function group(node) {
  const li = node.closest('li.bullet');
  return li && li.querySelector('.bullet-actions');
}
// What the bullets look like now; Gradio patches the view in place (the DOM nodes stay), so
// a change of this, not new nodes, says that the draft was shown again.
function shown() {
  return [...view.querySelectorAll('li.bullet')].map((li) => {
    const text = li.querySelector('.bullet-text'), g = li.querySelector('.bullet-actions');
    return `${li.dataset.id}:${text ? text.textContent : ''}:${g ? g.innerHTML : ''}`;
  }).join('|');
}
function send(action, g, text) {
  const li = g.closest('li.bullet');
  const near = li.nextElementSibling || li.previousElementSibling;
  refocus = {bullet: g.dataset.bullet, action, next: near && near.dataset.id,
             was: shown(), until: Date.now() + 15000};
  trigger('draft_action', {action, section: g.dataset.section, bullet: g.dataset.bullet,
                           text: text || ''});
}
function closeEditor(li, focusEdit) {
  const editor = li.querySelector('.bullet-editor');
  if (editor) editor.remove();
  const text = li.querySelector('.bullet-text');
  if (text) text.hidden = false;
  if (focusEdit) { const b = li.querySelector('button.act-edit'); if (b) b.focus(); }
}
function openEditor(li) {
  const open = li.querySelector('.bullet-editor textarea');
  if (open) { open.focus(); return; }
  const text = li.querySelector('.bullet-text');
  const g = li.querySelector('.bullet-actions');
  const name = (g.getAttribute('aria-label') || '').replace(/^Actions for bullet: /, '');
  const editor = document.createElement('div');
  editor.className = 'bullet-editor';
  const area = document.createElement('textarea');
  area.className = 'bullet-edit';
  area.rows = 3;
  area.value = text.textContent.trim();
  area.setAttribute('aria-label', `New text of the bullet: ${name}`);
  const save = document.createElement('button');
  save.type = 'button'; save.className = 'edit-save'; save.textContent = 'Save';
  save.setAttribute('aria-label', `Save the new text of the bullet: ${name}`);
  const cancel = document.createElement('button');
  cancel.type = 'button'; cancel.className = 'edit-cancel'; cancel.textContent = 'Cancel';
  cancel.setAttribute('aria-label', `Cancel editing the bullet: ${name}`);
  const row = document.createElement('div');
  row.className = 'bullet-editor-buttons';
  row.append(save, cancel);
  editor.append(area, row);
  text.hidden = true;
  text.after(editor);
  area.focus();
  area.setSelectionRange(area.value.length, area.value.length);
}

view.addEventListener('click', (event) => {
  const button = event.target.closest && event.target.closest('button');
  if (!button || !view.contains(button)) return;
  const g = group(button);
  if (!g) return;
  const li = g.closest('li.bullet');
  if (button.classList.contains('edit-cancel')) { closeEditor(li, true); return; }
  if (button.classList.contains('edit-save')) {
    send('edit', g, li.querySelector('textarea.bullet-edit').value);
    return;
  }
  const action = button.dataset.action;
  if (!action) return;
  if (action === 'edit') { openEditor(li); return; }
  send(action, g, '');
});
view.addEventListener('keydown', (event) => {
  const area = event.target.closest && event.target.closest('textarea.bullet-edit');
  if (!area) return;
  const li = area.closest('li.bullet');
  if (event.key === 'Escape') { event.preventDefault(); closeEditor(li, true); }
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    send('edit', group(area), area.value);
  }
});
// After the draft is shown again, the focus returns to the bullet that was acted on (or,
// once it is removed, its neighbour), so keyboard users keep their place.
// The view is patched in more than one step: act once the changes have settled.
let settle = null;
new MutationObserver(() => {
  if (!refocus) return;
  clearTimeout(settle);
  settle = setTimeout(focusAgain, 80);
}).observe(view, {childList: true, subtree: true, attributes: true, characterData: true});
function focusAgain() {
  if (!refocus) return;
  if (Date.now() > refocus.until) { refocus = null; return; }  // the action was refused
  const find = (id) => id && view.querySelector(`li.bullet[data-id="${CSS.escape(id)}"]`);
  const li = (refocus.action !== 'remove' && find(refocus.bullet)) || find(refocus.next);
  if (!li || shown() === refocus.was) return;  // not shown again yet
  const same = li.querySelector(`button.act-${refocus.action}:not([disabled])`);
  const target = same || li.querySelector('button.bullet-act:not([disabled])');
  refocus = null;
  if (target) target.focus({preventScroll: false});
}
"""
