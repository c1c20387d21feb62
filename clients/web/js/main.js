// The console's shell: sign-in, who the token speaks for (/whoami), the
// navigation for that role, hash routing to the views (a member company is
// shown only the pages it may use), and a question before leaving edits that
// are not saved.

import { api, ApiError, setToken, token } from './api.js';
import { clear, h, heading, notice } from './dom.js';
import { companyNames, waitingCount } from './engagement.js';
import { describe } from './form.js';
import { renderAnalytics } from './views/analytics.js';
import { renderBriefing } from './views/briefing.js';
import { renderChamber } from './views/chamber.js';
import { renderCompare } from './views/compare.js';
import { renderDelegation } from './views/delegation.js';
import { renderDelegationForm } from './views/delegation_form.js';
import { renderDelegations } from './views/delegations.js';
import { renderExchange, renderExchanges } from './views/exchanges.js';
import { renderImport } from './views/import.js';
import { renderInvitations } from './views/invitations.js';
import { renderMe } from './views/me.js';
import { renderMeeting, renderMeetings } from './views/meetings.js';
import { renderMembers } from './views/members.js';
import { renderPartners } from './views/partners.js';
import { renderPartnership } from './views/partnership.js';
import { renderPartnershipForm, renderPartnerships } from './views/partnerships.js';
import { renderPolicy } from './views/policy.js';
import { renderProfile } from './views/profile.js';
import { renderRequests } from './views/requests.js';
import { renderSignIn } from './views/signin.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const account = document.getElementById('account');
const live = document.getElementById('live');

let me = null; // TokenInfo of the signed-in token
let current = null; // AbortController of the view on screen
let unsaved = null; // () => true while the view on screen holds edits not saved
let shownHash = ''; // the location.hash the view on screen was drawn for
let leaving = false; // the next hashchange comes from navigate(): no question
let waiting = ''; // requests waiting for an answer, beside "Requests" ('' unknown)
let waitingNames = null; // companyNames for the count, for the token signed in

const LEAVE_QUESTION = 'You have changes that are not saved. Leave this page and lose them?';

// [pattern, view, staffOnly]: staffOnly pages are for chamber staff and the
// operator; a member company is told so instead of being shown forms the API
// would refuse.
const ROUTES = [
  [/^\/members$/, renderMembers, true],
  [/^\/profiles\/new$/, (ctx) => renderProfile(ctx, null), true],
  [/^\/profiles\/([^/]+)$/, (ctx, id) => renderProfile(ctx, id), false],
  [/^\/partners(?:\/([^/]+))?$/, (ctx, id) => renderPartners(ctx, id || ''), false],
  [/^\/compare$/, renderCompare, false],
  [/^\/import$/, renderImport, true],
  [/^\/delegations$/, renderDelegations, true],
  [/^\/delegations\/new$/, (ctx) => renderDelegationForm(ctx, null), true],
  [/^\/delegations\/([^/]+)\/edit$/, (ctx, id) => renderDelegationForm(ctx, id), true],
  [/^\/delegations\/([^/]+)\/briefing$/, (ctx, id) => renderBriefing(ctx, id), false],
  [/^\/delegations\/([^/]+)$/, (ctx, id) => renderDelegation(ctx, id), true],
  [/^\/policy$/, renderPolicy, true],
  [/^\/analytics$/, renderAnalytics, true],
  [/^\/exchanges$/, renderExchanges, true],
  [/^\/exchanges\/([^/]+)$/, (ctx, id) => renderExchange(ctx, id), true],
  [/^\/chamber$/, renderChamber, true],
  [/^\/me$/, renderMe, false],
  [/^\/requests$/, renderRequests, false],
  [/^\/invitations$/, renderInvitations, false],
  [/^\/meetings$/, renderMeetings, false],
  [/^\/meetings\/request\/([^/]+)$/, (ctx, id) => renderMeeting(ctx, { requestId: id }), false],
  [/^\/meetings\/delegation\/([^/]+)\/([^/]+)$/, (ctx, d, m) => renderMeeting(ctx, { delegationId: d, meetingUid: m }), false],
  [/^\/partnerships$/, renderPartnerships, false],
  [/^\/partnerships\/new$/, renderPartnershipForm, false],
  [/^\/partnerships\/([^/]+)$/, (ctx, id) => renderPartnership(ctx, id), false],
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
      ['#/requests', 'Requests'],
      ['#/invitations', 'Invitations'],
      ['#/meetings', 'Meeting feedback'],
      ['#/partnerships', 'Partnerships'],
      [`#/compare?a=${id}`, 'Compare'],
    ];
  }
  return [
    ['#/members', 'Members'],
    ['#/partners', 'Partners'],
    ['#/requests', 'Requests'],
    ['#/meetings', 'Feedback'],
    ['#/partnerships', 'Partnerships'],
    ['#/compare', 'Compare'],
    ['#/import', 'Import'],
    ['#/delegations', 'Delegations'],
    ['#/exchanges', 'Exchanges'],
    ['#/policy', 'Weights'],
    ['#/analytics', 'Analytics'],
    ['#/chamber', 'Our chamber'],
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
      (/^#\/partners(\/|$)/.test(target) && /^#\/partners(\/|$)/.test(path));
    list.append(h('li', {}, h('a', { href, 'aria-current': active ? 'page' : null }, label, target === '#/requests' ? waitingBadge() : null)));
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

// The count of requests waiting for an answer, beside "Requests".
function waitingBadge() {
  const shown = waiting !== '' && waiting !== '0';
  return h(
    'span',
    { class: 'count', dataset: { count: 'requests' }, hidden: !shown },
    h('span', { 'aria-hidden': 'true' }, waiting),
    h('span', { class: 'visually-hidden' }, ` (${waiting} waiting for an answer)`),
  );
}

// Asks again how many requests wait for an answer and updates the badge.
async function refreshWaiting() {
  if (!me) return;
  if (!waitingNames || waitingNames.me !== me) {
    waitingNames = companyNames({ me, isStaff: isStaff() });
    waitingNames.me = me;
  }
  try {
    waiting = (await waitingCount(me, { names: waitingNames })) ?? '';
  } catch {
    waiting = ''; // the badge is a hint; the Requests page reports failures
  }
  const badge = nav.querySelector('[data-count="requests"]');
  if (badge) badge.replaceWith(waitingBadge());
}

export function announce(text) {
  live.textContent = '';
  // A fresh text node each time so screen readers read repeated messages.
  setTimeout(() => {
    live.textContent = text;
  }, 30);
}

// Moves to `hash` because the view decided to (after a save, a search): no
// question about unsaved edits.
function navigate(hash) {
  if (location.hash === hash) route();
  else {
    leaving = true;
    location.hash = hash;
  }
}

// True when there are no unsaved edits, or the user chose to drop them.
function mayLeave() {
  return !unsaved || !unsaved() || window.confirm(LEAVE_QUESTION);
}

function setTitle(text) {
  document.title = `${text} · Socio`;
}

// What a member company sees on a page for chamber staff.
function renderStaffOnly() {
  const own = encodeURIComponent(me.profileId || '');
  main.append(
    heading('A page for chamber staff'),
    h('p', {}, 'This page is for the staff of your chamber. As a member company you can:'),
    h(
      'ul',
      {},
      h('li', {}, h('a', { href: '#/me' }, 'see and edit your company and your agenda')),
      h('li', {}, h('a', { href: `#/partners/${own}` }, 'find your best partners')),
      h('li', {}, h('a', { href: '#/requests' }, 'answer and send meeting requests')),
      h('li', {}, h('a', { href: '#/invitations' }, 'answer invitations to host a delegation')),
      h('li', {}, h('a', { href: '#/meetings' }, 'give feedback on your meetings')),
      h('li', {}, h('a', { href: '#/partnerships' }, 'follow your partnerships')),
      h('li', {}, h('a', { href: `#/compare?a=${own}` }, 'compare your company with another')),
    ),
  );
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
  unsaved = null;
  leaving = false;
  shownHash = location.hash;
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
  if (!isStaff() && path === '/partners') {
    history.replaceState(null, '', `#/partners/${encodeURIComponent(me.profileId || '')}`);
    return route({ focus });
  }
  renderChrome();
  refreshWaiting();
  clear(main);
  const ctx = {
    me,
    signal,
    query,
    navigate,
    announce,
    setTitle,
    isStaff: isStaff(),
    main,
    refreshWaiting,
    // keepEdits(check): check() is true while the view has edits not saved.
    keepEdits: (check) => {
      if (!signal.aborted) unsaved = check; // not for a view already left
    },
  };
  for (const [pattern, view, staffOnly] of ROUTES) {
    const m = pattern.exec(path);
    if (!m) continue;
    const params = m.slice(1).map((p) => (p === undefined ? undefined : decodeURIComponent(p)));
    try {
      if (staffOnly && !isStaff()) renderStaffOnly();
      else await view(ctx, ...params);
    } catch (e) {
      if (e.name === 'AbortError' || signal.aborted) return;
      main.append(notice('error', describe(e)));
      if (!(e instanceof ApiError)) console.warn(e); // eslint-disable-line no-console
    }
    if (signal.aborted) return;
    const title = main.querySelector('h1');
    setTitle(title ? title.textContent : 'Socio');
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
  if (!mayLeave()) return;
  unsaved = null;
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

window.addEventListener('hashchange', () => {
  if (!leaving && location.hash !== shownHash && !mayLeave()) {
    // Stay: put back the address of the page on screen.
    history.replaceState(null, '', shownHash || '#/');
    renderChrome();
    return;
  }
  route();
});

// Reloading or closing the tab with edits not saved: the browser asks.
window.addEventListener('beforeunload', (e) => {
  if (unsaved && unsaved()) {
    e.preventDefault();
    e.returnValue = '';
  }
});

document.getElementById('skip').addEventListener('click', (e) => {
  e.preventDefault();
  main.focus();
});

// The token is kept but the server cannot say whom it speaks for (down, or a
// proxy answering with its own error page): say so and offer to try again,
// rather than asking for the token.
function renderUnreachable(error) {
  clear(main);
  const retry = h('button', { type: 'button', onclick: () => start() }, 'Try again');
  main.append(
    heading('Socio cannot be reached'),
    notice('error', describe(error)),
    h(
      'div',
      { class: 'actions' },
      retry,
      h('button', { type: 'button', class: 'secondary', onclick: signOut }, 'Sign in with another token'),
    ),
  );
  setTitle('Cannot be reached');
  retry.focus();
}

async function start() {
  if (token()) {
    try {
      me = await api.get('/whoami');
    } catch (e) {
      if (e.code === 'UNAUTHENTICATED') {
        setToken('');
        renderSignIn(main, { onSignedIn: signedIn, message: `Signed out: ${e.message}` });
      } else renderUnreachable(e);
      return;
    }
  }
  await route({ focus: false });
}

start();
