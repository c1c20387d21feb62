// #/exchanges: the exchanges of the staff's chamber (either side): a visit
// and the partner chamber's return visit, linked. Operators name a chamber
// (?chamber=ID) or see every exchange.
// #/exchanges/ID: one exchange, the two visits side by side (delegates,
// host companies, meetings, what came of them) and the balance between the
// two chambers in the words staff use, told from the viewer's chamber ("Delegates we
// sent", "Companies we hosted"); link the return visit when there is none yet.

import { api } from '../api.js';
import { h, heading, loading, notice, queryString } from '../dom.js';
import { busy, clearErrors, describe, field, formMessage, showError } from '../form.js';
import { AGREEMENT_TYPES } from '../outcomes.js';
import { listAll } from '../engagement.js';

const num = (v) => Number(v || 0);

export async function renderExchanges(ctx) {
  const chamber = ctx.me.role === 'ADMIN' ? ctx.query.get('chamber') || '' : ctx.me.chamberId || '';
  const chamberField = ctx.me.role === 'ADMIN' ? field({ label: 'Chamber', path: 'chamber_id', value: chamber, hint: 'Empty: every exchange' }) : null;
  ctx.main.append(h('div', { class: 'page-head' }, heading('Exchanges')));
  if (chamberField) {
    const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Which exchanges' }, chamberField, h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'secondary' }, 'Show')));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      ctx.navigate(`#/exchanges${queryString({ chamber: chamberField.input.value.trim() })}`);
    });
    ctx.main.append(form);
  }
  const wait = loading('Loading the exchanges…');
  ctx.main.append(wait);
  let list;
  try {
    list = await listAll('/exchanges', { chamber_id: chamber }, 'exchanges', { signal: ctx.signal });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    wait.replaceWith(notice('error', describe(e)));
    return;
  }
  if (!list.length) {
    wait.replaceWith(h('p', {}, 'No exchanges yet. An exchange links a visit of one chamber to a partner chamber with the visit that answers it (socio exchanges create).'));
    return;
  }
  wait.replaceWith(
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'data exchanges' },
        h('caption', { class: 'visually-hidden' }, 'Exchanges'),
        h('thead', {}, h('tr', {}, ['Exchange', 'Chambers', 'Visit', 'Return visit'].map((t) => h('th', { scope: 'col' }, t)))),
        h(
          'tbody',
          {},
          list.map((e) =>
            h(
              'tr',
              { dataset: { exchange: e.id } },
              h('th', { scope: 'row' }, h('a', { href: `#/exchanges/${encodeURIComponent(e.id)}` }, e.name || e.id)),
              h('td', {}, `${e.chamberId} and ${e.partnerChamberId}`),
              h('td', {}, e.visitDelegationId),
              h('td', {}, e.returnDelegationId || 'Not linked yet'),
            ),
          ),
        ),
      ),
    ),
  );
}

function agreementsText(f) {
  const byType = (f.agreementsByType || []).map((c) => `${AGREEMENT_TYPES.find(([v]) => v === c.type)?.[1] || c.type}: ${num(c.count)}`);
  return byType.length ? `${num(f.agreementsSigned)} (${byType.join(', ')})` : String(num(f.agreementsSigned));
}

// One visit as a card: who went where and what came of it.
function visitCard(title, v) {
  const f = v.figures || {};
  const rows = v.delegationId
    ? [
        ['Delegation', v.delegationId],
        ['From', v.fromChamberId],
        ['To', v.toChamberId],
        ['Delegates', String(num(v.delegatesSent))],
        ['Host companies', String(num(v.hostCompanies))],
        ['Meetings in the plan', String(num(v.meetingsInPlan))],
        ['Meetings held', String(num(f.meetingsHeld))],
        ['No-shows', String(num(f.meetingsNoShow))],
        ['Follow-up wanted', String(num(f.followUpYes))],
        ['Agreements', agreementsText(f)],
        ['Partnerships started', String(num(f.partnerships))],
      ]
    : [['Delegation', 'Not linked yet']];
  return h(
    'section',
    { class: 'card visit', 'aria-label': title, dataset: { visit: v.delegationId || '' } },
    h('h2', {}, title),
    h('dl', { class: 'facts' }, rows.flatMap(([k, val]) => [h('dt', {}, k), h('dd', { dataset: { fact: k } }, val)])),
  );
}

// The balance told from `ours` (ExchangeChamberBalance of the viewer's
// chamber) against `theirs`.
function balanceTable(ours, theirs) {
  const rows = [
    ['Delegates we sent', ours.delegatesSent, theirs.delegatesSent],
    ['Delegates we received', ours.delegatesReceived, theirs.delegatesReceived],
    ['Companies we hosted', ours.companiesHosted, theirs.companiesHosted],
    ['Meetings held', ours.meetingsHeld, theirs.meetingsHeld],
    ['Agreements from our visit', ours.agreementsFromOwnVisit, theirs.agreementsFromOwnVisit],
    ['Agreements from their visit', ours.agreementsFromOtherVisit, theirs.agreementsFromOtherVisit],
  ];
  const sent = num(ours.delegatesBalance);
  const summary = sent > 0 ? `We sent ${sent} more ${sent === 1 ? 'delegate' : 'delegates'} than we received.` : sent < 0 ? `We received ${-sent} more ${sent === -1 ? 'delegate' : 'delegates'} than we sent.` : 'We sent as many delegates as we received.';
  return h(
    'section',
    { class: 'balance', 'aria-label': 'Balance between the chambers' },
    h('h2', {}, 'Balance'),
    h('p', { class: 'balance-summary' }, summary),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'data balance' },
        h('caption', { class: 'visually-hidden' }, 'Balance between the chambers'),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, ''), h('th', { scope: 'col' }, `Us (${ours.chamberId})`), h('th', { scope: 'col' }, `Them (${theirs.chamberId})`))),
        h('tbody', {}, rows.map(([label, a, b]) => h('tr', { dataset: { row: label } }, h('th', { scope: 'row' }, label), h('td', { class: 'num' }, String(num(a))), h('td', { class: 'num' }, String(num(b)))))),
      ),
    ),
  );
}

export async function renderExchange(ctx, id) {
  ctx.main.append(h('p', { class: 'crumbs' }, h('a', { href: '#/exchanges' }, 'Exchanges')));
  const wait = loading('Loading the exchange…');
  ctx.main.append(wait);
  let exchange;
  let balance;
  try {
    [exchange, balance] = await Promise.all([
      api.get(`/exchanges/${encodeURIComponent(id)}`, {}, { signal: ctx.signal }),
      api.get(`/exchanges/${encodeURIComponent(id)}/balance`, {}, { signal: ctx.signal }),
    ]);
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    wait.replaceWith(notice('error', describe(e)));
    return;
  }
  // "We" are the viewer's chamber; operators read it as the visit's organiser.
  const partnerView = ctx.me.role === 'STAFF' && ctx.me.chamberId === exchange.partnerChamberId;
  const ours = (partnerView ? balance.partnerChamber : balance.chamber) || {};
  const theirs = (partnerView ? balance.chamber : balance.partnerChamber) || {};
  const parts = [
    heading(exchange.name || exchange.id),
    h('p', { class: 'lede' }, `${exchange.chamberId} and ${exchange.partnerChamberId}`),
    exchange.notes ? h('p', { class: 'notes' }, exchange.notes) : null,
    h('div', { class: 'visits' }, visitCard('The visit', balance.visit || {}), visitCard('The return visit', balance.returnVisit || {})),
    balanceTable(ours, theirs),
    h('p', { class: 'hint' }, 'Counts only: meetings held and agreements count where the companies recorded their outcomes.'),
  ];
  if (!exchange.returnDelegationId) parts.push(linkForm(ctx, exchange));
  wait.replaceWith(...parts.filter(Boolean));
}

// Links the partner chamber's return visit (a delegation its staff may read).
function linkForm(ctx, exchange) {
  const delegation = field({ label: 'Return visit (delegation id)', path: 'exchange.return_delegation_id', hint: `A delegation of ${exchange.partnerChamberId} from ${exchange.chamberId}'s host country back` });
  const message = formMessage();
  const button = h('button', { type: 'submit' }, 'Link the return visit');
  const form = h('form', { class: 'link-return', 'aria-label': 'Link the return visit' }, h('h2', {}, 'Link the return visit'), delegation, message, h('div', { class: 'actions' }, button));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clearErrors(form);
    busy(button, async () => {
      try {
        await api.patch(`/exchanges/${encodeURIComponent(exchange.id)}`, { returnDelegationId: delegation.input.value.trim() }, { expected_version: exchange.version });
        ctx.navigate(`#/exchanges/${encodeURIComponent(exchange.id)}`);
      } catch (err) {
        showError(form, err);
      }
    });
  });
  return form;
}
