// Building the page: elements from data, never from HTML strings, so text the
// server sends (names, reasons, error messages) is always shown as text.

// h('p', {class: 'note', onclick: f}, 'text', child, [more children])
// Attributes: `class`, `text`, `on<event>` handlers, `dataset`, booleans
// (true sets the attribute, false/null/undefined leaves it out), else strings.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'value' && 'value' in el) el.value = value;
    else if (key === 'checked' || key === 'selected') el[key] = Boolean(value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

export function clear(el) {
  el.replaceChildren();
  return el;
}

let nextId = 0;
// A document-unique id for label/aria wiring.
export function uid(prefix = 'id') {
  nextId += 1;
  return `${prefix}-${nextId}`;
}

// A page heading that route changes move the focus to.
export function heading(text, level = 1) {
  return h(`h${level}`, { tabindex: level === 1 ? '-1' : null, class: level === 1 ? 'page-title' : null }, text);
}

// A message box: kind is 'error' (role=alert), 'ok' or 'info' (role=status).
export function notice(kind, ...content) {
  return h('div', { class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, ...content);
}

// Numbers for people.
export function fixed(value, digits = 3) {
  const n = Number(value || 0);
  return Number.isFinite(n) ? n.toFixed(digits) : '';
}

export function percent(value, digits = 1) {
  return `${(Number(value || 0) * 100).toFixed(digits)} %`;
}

// Comma- (or semicolon-) separated text to a list of trimmed, non-empty items.
export function splitList(text) {
  return String(text || '')
    .split(/[,;\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export function joinList(list) {
  return (list || []).join(', ');
}

// The query string of a hash route ("#/members?country=MX") from an object.
// Empty values are left out, except those named in `keepEmpty` ("chamber="
// says "every chamber", which is not what a missing chamber means).
export function queryString(params, { keepEmpty = [] } = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && (v !== '' || keepEmpty.includes(k))) q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

// A message that something is on its way; screen readers hear it.
export function loading(text = 'Loading…') {
  return h('p', { class: 'loading hint', role: 'status' }, text);
}
