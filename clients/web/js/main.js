// The console's shell: sign-in, who the token speaks for (/whoami), the
// navigation for that role, and hash routing to the views.

import { api, ApiError, setToken, token } from './api.js';
import { clear, h, notice } from './dom.js';
import { describe } from './form.js';
import { renderCompare } from './views/compare.js';
import { renderDelegation } from './views/delegation.js';
import { renderDelegationForm } from './views/delegation_form.js';
import { renderDelegations } from './views/delegations.js';
import { renderImport } from './views/import.js';
import { renderMe } from './views/me.js';
import { renderMembers } from './views/members.js';
import { renderPartners } from './views/partners.js';
import { renderPolicy } from './views/policy.js';
import { renderProfile } from './views/profile.js';
import { renderSignIn } from './views/signin.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const account = document.getElementById('account');
const live = document.getElementById('live');

let me = null; // TokenInfo of the signed-in token
let current = null; // AbortController of the view on screen

const ROUTES = [
  [/^\/members$/, renderMembers],
  [/^\/profiles\/new$/, (ctx) => renderProfile(ctx, null)],
  [/^\/profiles\/([^/]+)$/, (ctx, id) => renderProfile(ctx, id)],
  [/^\/partners(?:\/([^/]+))?$/, (ctx, id) => renderPartners(ctx, id || '')],
  [/^\/compare$/, renderCompare],
  [/^\/import$/, renderImport],
  [/^\/delegations$/, renderDelegations],
  [/^\/delegations\/new$/, (ctx) => renderDelegationForm(ctx, null)],
  [/^\/delegations\/([^/]+)\/edit$/, (ctx, id) => renderDelegationForm(ctx, id)],
  [/^\/delegations\/([^/]+)$/, (ctx, id) => renderDelegation(ctx, id)],
  [/^\/policy$/, renderPolicy],
  [/^\/me$/, renderMe],
];

function isStaff() {
  return me && (me.role === 'ADMIN' || me.role === 'STAFF');
}

function homeHash() {
  return isStaff() ? '#/members' : '#/me';
}

function navItems() {
  if (!me) return [];
  if (!isStaff()) {
    const id = encodeURIComponent(me.profileId || '');
    return [
      ['#/me', 'My company'],
      [`#/partners/${id}`, 'My partners'],
      [`#/compare?a=${id}`, 'Compare'],
    ];
  }
  return [
    ['#/members', 'Members'],
    ['#/partners', 'Partners'],
    ['#/compare', 'Compare'],
    ['#/import', 'Import'],
    ['#/delegations', 'Delegations'],
    ['#/policy', 'Weights'],
  ];
}

function renderChrome() {
  clear(nav);
  clear(account);
  if (!me) return;
  const path = location.hash.split('?')[0];
  const list = h('ul');
  for (const [href, label] of navItems()) {
    const target = href.split('?')[0];
    const active = path === target || (target !== '#/' && path.startsWith(`${target}/`)) ||
      (target.startsWith('#/partners') && path.startsWith('#/partners'));
    list.append(h('li', {}, h('a', { href, 'aria-current': active ? 'page' : null }, label)));
  }
  nav.append(list);
  const who =
    me.role === 'MEMBER'
      ? `Member ${me.profileId}`
      : me.role === 'STAFF'
        ? `Staff · ${me.chamberId}`
        : 'Operator';
  account.append(
    h('span', { class: 'who' }, who),
    h('button', { type: 'button', class: 'secondary', onclick: signOut }, 'Sign out'),
  );
}

export function announce(text) {
  live.textContent = '';
  // A fresh text node each time so screen readers read repeated messages.
  setTimeout(() => {
    live.textContent = text;
  }, 30);
}

function navigate(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

function parseHash() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path, query = ''] = raw.split('?');
  return { path, query: new URLSearchParams(query) };
}

async function route({ focus = true } = {}) {
  if (current) current.abort();
  current = new AbortController();
  const signal = current.signal;
  if (!token() || !me) {
    renderChrome();
    renderSignIn(main, { onSignedIn: signedIn });
    document.title = 'Sign in · Socio';
    return;
  }
  const { path, query } = parseHash();
  if (path === '/' || path === '') {
    history.replaceState(null, '', homeHash());
    return route({ focus });
  }
  renderChrome();
  clear(main);
  const ctx = { me, signal, query, navigate, announce, isStaff: isStaff(), main };
  for (const [pattern, view] of ROUTES) {
    const m = pattern.exec(path);
    if (!m) continue;
    const params = m.slice(1).map((p) => (p === undefined ? undefined : decodeURIComponent(p)));
    try {
      await view(ctx, ...params);
    } catch (e) {
      if (e.name === 'AbortError' || signal.aborted) return;
      main.append(notice('error', describe(e)));
      if (!(e instanceof ApiError)) console.warn(e); // eslint-disable-line no-console
    }
    if (signal.aborted) return;
    const title = main.querySelector('h1');
    document.title = `${title ? title.textContent : 'Socio'} · Socio`;
    if (focus && title) title.focus({ preventScroll: false });
    return;
  }
  main.append(h('h1', { tabindex: '-1' }, 'Page not found'), h('p', {}, h('a', { href: homeHash() }, 'Back to the start')));
  document.title = 'Page not found · Socio';
}

async function signedIn(info) {
  me = info;
  if (!location.hash || location.hash === '#' || location.hash === '#/') {
    history.replaceState(null, '', homeHash());
  }
  await route();
}

function signOut() {
  setToken('');
  me = null;
  history.replaceState(null, '', '#/');
  route();
}

// A call refused for the token itself, once signed in: back to the sign-in.
window.addEventListener('socio:unauthenticated', (e) => {
  if (!me) return; // the sign-in form and start() report it themselves
  setToken('');
  me = null;
  renderChrome();
  renderSignIn(main, { onSignedIn: signedIn, message: `Signed out: ${e.detail.message}` });
});

window.addEventListener('hashchange', () => route());

document.getElementById('skip').addEventListener('click', (e) => {
  e.preventDefault();
  main.focus();
});

async function start() {
  if (token()) {
    try {
      me = await api.get('/whoami');
    } catch (e) {
      if (e.status === 401) setToken('');
      renderSignIn(main, { onSignedIn: signedIn, message: e.status === 401 ? `Signed out: ${e.message}` : describe(e) });
      return;
    }
  }
  await route({ focus: false });
}

start();
