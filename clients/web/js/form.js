// Labelled form controls that know which API field they edit (data-path), so a
// server message about "profile.objectives[0].markets[1]" lands beside the
// markets input of the first objective, tied to it with aria-describedby.

import { h, uid } from './dom.js';

// field({label, path, type, value, hint, options, required, readonly, attrs})
// type: text (default), number, date, time, textarea, select, checkbox.
// options (select): [[value, label], ...]. Returns the wrapper; .input is the control.
export function field(spec) {
  const id = uid('f');
  const hintId = spec.hint ? `${id}-hint` : null;
  const errorId = `${id}-error`;
  const attrs = {
    id,
    name: spec.name || spec.path || id,
    'data-path': spec.path || null,
    required: spec.required || null,
    readonly: spec.readonly || null,
    'aria-describedby': hintId,
    ...spec.attrs,
  };
  let input;
  if (spec.type === 'textarea') {
    input = h('textarea', { ...attrs, rows: spec.rows || 3 });
    input.value = spec.value ?? '';
  } else if (spec.type === 'select') {
    input = h(
      'select',
      attrs,
      (spec.options || []).map(([value, label]) => h('option', { value }, label)),
    );
    input.value = spec.value ?? '';
  } else if (spec.type === 'checkbox') {
    input = h('input', { ...attrs, type: 'checkbox', checked: Boolean(spec.value) });
  } else {
    input = h('input', { ...attrs, type: spec.type || 'text' });
    input.value = spec.value ?? '';
  }
  const error = h('p', { class: 'field-error', id: errorId, hidden: true });
  const hint = spec.hint ? h('p', { class: 'hint', id: hintId }, spec.hint) : null;
  const wrap =
    spec.type === 'checkbox'
      ? h('div', { class: `field field-check ${spec.class || ''}` }, input, h('label', { for: id }, spec.label), hint, error)
      : h('div', { class: `field ${spec.class || ''}` }, h('label', { for: id }, spec.label), input, hint, error);
  wrap.input = input;
  return wrap;
}

// The form-level message area (errors without a field, or about the request).
export function formMessage() {
  return h('div', { class: 'form-message', 'aria-live': 'polite' });
}

function snake(path) {
  return path.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

// The control of `form` whose data-path is the error's path or its nearest parent.
export function controlFor(form, path, root) {
  if (!path) return null;
  const byPath = new Map();
  for (const el of form.querySelectorAll('[data-path]')) {
    if (!el.disabled) byPath.set(snake(el.dataset.path), el);
  }
  const tries = [snake(path)];
  if (root && !tries[0].startsWith(`${root}.`) && tries[0] !== root) tries.push(`${root}.${tries[0]}`);
  for (let p of tries) {
    while (p) {
      if (byPath.has(p)) return byPath.get(p);
      const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
      p = cut > 0 ? p.slice(0, cut) : '';
    }
  }
  return null;
}

export function clearErrors(form) {
  for (const el of form.querySelectorAll('[aria-invalid="true"]')) {
    el.removeAttribute('aria-invalid');
    const errorId = `${el.id}-error`;
    const ids = (el.getAttribute('aria-describedby') || '').split(' ').filter((x) => x && x !== errorId);
    if (ids.length) el.setAttribute('aria-describedby', ids.join(' '));
    else el.removeAttribute('aria-describedby');
  }
  for (const p of form.querySelectorAll('.field-error')) {
    p.textContent = '';
    p.hidden = true;
  }
  for (const m of form.querySelectorAll('.form-message')) m.replaceChildren();
}

// Puts the message beside one control and moves the focus there, scrolled to
// the middle of the window so that neither the control nor its message sits
// under a sticky bar.
export function showFieldError(control, text) {
  const errorId = `${control.id}-error`;
  const p = document.getElementById(errorId);
  if (!p) return false;
  p.textContent = text;
  p.hidden = false;
  control.setAttribute('aria-invalid', 'true');
  const ids = (control.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
  if (!ids.includes(errorId)) ids.push(errorId);
  control.setAttribute('aria-describedby', ids.join(' '));
  control.focus({ preventScroll: true });
  (control.closest('.field') || control).scrollIntoView({ block: 'center' });
  return true;
}

// Shows an ApiError (or any Error) in `form`: beside the control of its field
// when there is one, else in the form's message area. `root` ("profile") is the
// request's top-level field, for messages that leave it out. A form that
// stores something says what did not happen in data-failed ("Not saved");
// a search or a comparison only points to the field.
export function showError(form, error, root) {
  const control = controlFor(form, error.field, root);
  const message = form.querySelector('.form-message');
  if (control && showFieldError(control, error.message)) {
    if (message) {
      const failed = form.dataset.failed;
      message.replaceChildren(
        h('p', { class: 'notice notice-error', role: 'alert' }, `${failed ? `${failed}: see` : 'See'} the message beside the field.`),
      );
    }
    return;
  }
  if (message) {
    message.replaceChildren(h('p', { class: 'notice notice-error', role: 'alert' }, describe(error)));
    message.querySelector('p').setAttribute('tabindex', '-1');
    message.querySelector('p').focus();
  }
}

// What kind of refusal an API error code (a gRPC code name) is, in words.
const CODE_LABELS = {
  PERMISSION_DENIED: 'Not allowed',
  UNAUTHENTICATED: 'Not signed in',
  NOT_FOUND: 'Not found',
  ABORTED: 'Changed by someone else',
  ALREADY_EXISTS: 'Already exists',
  FAILED_PRECONDITION: 'Cannot be done now',
  INVALID_ARGUMENT: 'Invalid',
  OUT_OF_RANGE: 'Out of range',
  RESOURCE_EXHAUSTED: 'Too many requests',
  UNAVAILABLE: 'Unavailable',
  DEADLINE_EXCEEDED: 'Timed out',
  DATA_LOSS: 'Server error',
  INTERNAL: 'Server error',
  UNKNOWN: 'Server error',
  UNIMPLEMENTED: 'Not supported',
  CANCELLED: 'Cancelled',
};

// The code's words ("Invalid" for INVALID_ARGUMENT); '' for no code.
export function codeLabel(code) {
  return CODE_LABELS[code] || (code ? 'Refused' : '');
}

// An error for people: the API's message, with what kind of refusal it was.
export function describe(error) {
  if (!error) return '';
  const label = CODE_LABELS[error.code];
  return label ? `${label}: ${error.message}` : error.message || String(error);
}

// Runs `work` once at a time for a button: a second click (or Enter) while it
// runs does nothing. The button keeps the focus (aria-disabled, not disabled).
export async function busy(button, work) {
  if (button.getAttribute('aria-disabled') === 'true') return undefined;
  button.setAttribute('aria-disabled', 'true');
  button.setAttribute('aria-busy', 'true');
  try {
    return await work();
  } finally {
    button.removeAttribute('aria-disabled');
    button.removeAttribute('aria-busy');
  }
}
