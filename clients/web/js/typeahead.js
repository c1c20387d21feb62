// Type-ahead for a field where a company's id is typed: as the user types, the
// members whose name, id or keywords hold every word (ListProfiles' query) are
// offered below the field as "Name (id, country)"; picking one fills in the id.
//
//   const f = field({label: 'Member id', path: 'member_id'});
//   typeahead(f.input, {chamber: () => 'ihk-muenchen'});
//
// An ARIA combobox: Down and Up move through the suggestions, Enter picks one,
// Escape closes the list; a click picks one too. The request waits until the
// typing pauses, and an older answer never replaces a newer one. Ids a
// <datalist> of the input already names (the plan's hosts, say) are offered
// first, filtered by the same words. The list is aria-busy from a keystroke
// until its answer is on screen; picking or Escape drops an answer still on
// its way, so it cannot reopen the list. Suggestions are a convenience: a failed
// request leaves the field as it is, and the field still takes any id typed.
// Only staff and operators may list members, so only their pages hook it.

import { api } from './api.js';
import { h, uid } from './dom.js';

const PAUSE_MS = 250;
const LIMIT = 8;
// ListProfiles takes at most 8 words and 200 bytes (60 characters, folded
// to unaccented letters, stay well under).
const MAX_WORDS = 8;
const MAX_CHARS = 60;

// The words of `text`, in lower case without accents, as ListProfiles
// compares them.
function words(text) {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, MAX_WORDS);
}

// The label of a suggestion: "Huber Werkzeugmaschinen GmbH (de-9101, DE)".
export function suggestionLabel(p) {
  const where = [p.id, p.country].filter(Boolean).join(', ');
  return p.name ? `${p.name} (${where})` : where;
}

// Hooks the type-ahead to `input` (a text input inside a .field). chamber():
// the chamber to suggest from; '' (the default) is every chamber the caller
// may see. Returns `input`.
export function typeahead(input, { chamber = () => '' } = {}) {
  if (input.readOnly) return input;
  const listId = uid('suggestions');
  const list = h('ul', { id: listId, role: 'listbox', class: 'suggestions', hidden: true, 'aria-busy': 'false' });
  const status = h('p', { class: 'visually-hidden', role: 'status' });
  // A datalist the input names becomes the first suggestions, not a second popup.
  const datalistId = input.getAttribute('list');
  input.removeAttribute('list');
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-expanded', 'false');
  input.setAttribute('aria-controls', listId);
  input.setAttribute('autocomplete', 'off');
  input.after(list, status);
  input.closest('.field')?.classList.add('typeahead');

  let options = []; // [{id, label}] on screen
  let active = -1;
  let timer = 0;
  let asked = 0; // the number of the latest request; older answers are dropped
  let controller = null;

  function fixed(text) {
    const datalist = datalistId ? document.getElementById(datalistId) : null;
    if (!datalist) return [];
    const want = words(text);
    return [...datalist.querySelectorAll('option')]
      .map((o) => ({ id: o.value, name: o.textContent.trim() || o.label }))
      .filter((p) => want.every((w) => words(`${p.name} ${p.id}`).some((x) => x.includes(w))));
  }

  // Right below the field (the .field is the list's positioned parent).
  function open() {
    list.style.top = `${input.offsetTop + input.offsetHeight}px`;
    list.style.left = `${input.offsetLeft}px`;
    list.style.minWidth = `${input.offsetWidth}px`;
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
  }

  function close() {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  }

  function highlight(i) {
    active = i;
    [...list.children].forEach((li, j) => li.setAttribute('aria-selected', String(j === i)));
    if (i >= 0) {
      input.setAttribute('aria-activedescendant', list.children[i].id);
      list.children[i].scrollIntoView({ block: 'nearest' });
    } else input.removeAttribute('aria-activedescendant');
  }

  function show(found) {
    options = found;
    list.setAttribute('aria-busy', 'false');
    list.replaceChildren(
      ...found.map((p, i) =>
        h(
          'li',
          {
            id: `${listId}-${i}`,
            role: 'option',
            'aria-selected': 'false',
            dataset: { id: p.id },
            onmousedown: (e) => e.preventDefault(), // keep the focus in the field
            onclick: () => pick(i),
          },
          p.label,
        ),
      ),
    );
    status.textContent = found.length ? `${found.length} suggestion${found.length === 1 ? '' : 's'}: use the arrow keys` : '';
    if (!found.length || document.activeElement !== input) {
      close();
      return;
    }
    open();
    highlight(-1);
  }

  // Drops a request waiting for the typing to pause or for its answer.
  function cancel() {
    clearTimeout(timer);
    asked += 1;
    controller?.abort();
    list.setAttribute('aria-busy', 'false');
  }

  function pick(i) {
    const chosen = options[i];
    if (!chosen) return;
    cancel();
    input.value = chosen.id;
    close();
    status.textContent = `${chosen.label} chosen`;
    input.dispatchEvent(new Event('change', { bubbles: true }));
  }

  async function suggest() {
    const text = input.value.trim();
    const n = ++asked;
    controller?.abort();
    if (text.length < 2) {
      show([]);
      return;
    }
    controller = new AbortController();
    const own = fixed(text).map((p) => ({ id: p.id, label: suggestionLabel(p) }));
    let found = [];
    try {
      const page = await api.get(
        '/profiles',
        { query: words(text).join(' ').slice(0, MAX_CHARS), chamber_id: chamber(), page_size: LIMIT },
        { signal: controller.signal },
      );
      found = (page?.profiles || []).map((p) => ({ id: p.id, label: suggestionLabel(p) }));
    } catch (e) {
      if (e.name === 'AbortError') return;
      found = []; // the field works without suggestions; the save or search reports real problems
    }
    if (n !== asked) return;
    // The datalist's ids first, with the country when the server found them too.
    const byId = new Map(found.map((p) => [p.id, p]));
    const seen = new Set(own.map((p) => p.id));
    show([...own.map((p) => byId.get(p.id) || p), ...found.filter((p) => !seen.has(p.id))]);
  }

  input.addEventListener('input', () => {
    clearTimeout(timer);
    list.setAttribute('aria-busy', 'true');
    timer = setTimeout(suggest, PAUSE_MS);
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (!options.length) return;
      e.preventDefault();
      if (list.hidden) open();
      const step = e.key === 'ArrowDown' ? 1 : -1;
      const n = options.length;
      highlight(active < 0 ? (step > 0 ? 0 : n - 1) : (active + step + n) % n);
    } else if (e.key === 'Enter' && !list.hidden && active >= 0) {
      e.preventDefault(); // picks; a second Enter submits the form
      pick(active);
    } else if (e.key === 'Escape') {
      if (!list.hidden) e.preventDefault(); // otherwise Escape is the page's
      cancel();
      close();
    }
  });
  input.addEventListener('blur', () => {
    cancel();
    close();
  });
  return input;
}
