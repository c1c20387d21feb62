// Sign in with a bearer token. The token stays in this tab's sessionStorage
// until the tab closes or the user signs out; "Remember me on this device"
// (off unless ticked) keeps it in localStorage too, for every tab of this
// browser, until the user signs out.

import { api, setToken } from '../api.js';
import { clear, h } from '../dom.js';
import { busy, clearErrors, describe, field, formMessage, showFieldError } from '../form.js';

export function renderSignIn(main, { onSignedIn, message = '' }) {
  clear(main);
  const tokenField = field({
    label: 'Access token',
    path: 'token',
    type: 'password',
    required: true,
    hint: 'The token your chamber or the Socio operator gave you.',
    attrs: { autocomplete: 'off', spellcheck: 'false' },
  });
  const rememberField = field({
    label: 'Remember me on this device',
    path: 'remember',
    type: 'checkbox',
    value: false,
    hint: 'Stay signed in in every tab of this browser, also after closing it, until you sign out. Leave it off on a shared computer.',
  });
  const submit = h('button', { type: 'submit' }, 'Sign in');
  const form = h(
    'form',
    { class: 'card signin', novalidate: true },
    h('h1', { tabindex: '-1', class: 'page-title' }, 'Sign in to Socio'),
    h('p', {}, 'Member profiles, partner matching and delegation planning for chambers of commerce.'),
    message ? h('p', { class: 'notice notice-info', role: 'status' }, message) : null,
    tokenField,
    rememberField,
    formMessage(),
    h('div', { class: 'actions' }, submit),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(submit, async () => {
      clearErrors(form);
      const value = tokenField.input.value.trim();
      if (!value) {
        showFieldError(tokenField.input, 'Enter your access token.');
        return;
      }
      setToken(value, { remember: rememberField.input.checked });
      try {
        const info = await api.get('/whoami');
        await onSignedIn(info);
      } catch (err) {
        setToken('');
        showFieldError(tokenField.input, err.code === 'UNAUTHENTICATED' ? `This token was refused: ${err.message}` : describe(err));
      }
    });
  });
  main.append(form);
  tokenField.input.focus();
}
