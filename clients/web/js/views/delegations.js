// #/delegations: a chamber's delegations (trade missions) and their plans.
// #/delegations?member=ID: only those a company takes part in. Staff see
// which their chamber organises and which it hosts for another chamber.

import { api } from '../api.js';
import { fixed, h, heading, loading, notice, percent, queryString } from '../dom.js';
import { describe, field } from '../form.js';
import { delegationRole, ourPartText } from '../delegation_role.js';

export async function renderDelegations(ctx) {
  const chamber = ctx.query.has('chamber') ? ctx.query.get('chamber') : ctx.me.chamberId || '';
  const member = ctx.query.get('member') || '';
  const pageToken = ctx.query.get('page') || '';
  const chamberField = field({ label: 'Chamber', path: 'chamber_id', value: chamber, hint: 'Empty: every chamber you may see.' });
  const memberField = field({
    label: 'Member',
    path: 'member_id',
    value: member,
    hint: 'A company’s id: only the delegations it takes part in. Empty: all.',
    attrs: { spellcheck: 'false', autocapitalize: 'off' },
  });
  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': 'Delegations of a chamber' },
    chamberField,
    memberField,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'secondary' }, 'Show')),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    ctx.navigate(`#/delegations${queryString({ chamber: chamberField.input.value.trim(), member: memberField.input.value.trim() }, { keepEmpty: ['chamber'] })}`);
  });
  ctx.main.append(
    h('div', { class: 'page-head' }, heading('Delegations'), h('a', { class: 'button', href: '#/delegations/new' }, 'New delegation')),
    form,
  );

  const wait = loading('Loading delegations…');
  ctx.main.append(wait);
  let page;
  try {
    page = await api.get('/delegations', { chamber_id: chamber, member_id: member, page_token: pageToken }, { signal: ctx.signal });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    wait.replaceWith(notice('error', describe(e)));
    return;
  }
  wait.remove();
  const list = page?.delegations || [];
  if (!list.length) {
    ctx.main.append(
      member
        ? h('p', {}, `${member} takes part in no delegation${chamber ? ` of ${chamber}` : ''}.`)
        : h('p', {}, 'No delegations yet. ', h('a', { href: '#/delegations/new' }, 'Create one'), '.'),
    );
    return;
  }
  const dates = (d) => {
    const days = (d.days || []).map((x) => x.date).sort();
    return days.length ? (days.length > 1 ? `${days[0]} – ${days[days.length - 1]}` : days[0]) : '';
  };
  // Another chamber's delegation a member takes part in is listed cut down;
  // only its organisers, its host chamber and the operator may open it.
  const ownDelegation = (d) => delegationRole(ctx.me, d) !== 'other';
  const planText = (d) => {
    if (!d.plan) return 'not planned';
    const p = d.plan;
    return `${(p.meetings || []).length} meetings, total ${fixed(p.totalScore, 2)}, gap ${percent(p.gap)}`;
  };
  ctx.main.append(
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'data' },
        h('caption', { class: 'visually-hidden' }, 'Delegations'),
        h('thead', {}, h('tr', {}, ['Id', 'Name', 'Our part', 'Route', 'Days', 'Delegates', 'Plan'].map((t) => h('th', { scope: 'col' }, t)))),
        h(
          'tbody',
          {},
          list.map((d) =>
            h(
              'tr',
              {},
              h('td', {}, h('code', {}, d.id)),
              h('th', { scope: 'row' }, ownDelegation(d)
                ? h('a', { href: `#/delegations/${encodeURIComponent(d.id)}` }, d.name || d.id)
                : [d.name || d.id, ' ', h('span', { class: 'hint' }, `(run by ${d.chamberId}: only its organisers and hosts open it)`)]),
              h('td', { dataset: { part: ourPartText(ctx.me, d) } }, ourPartText(ctx.me, d) || `${d.chamberId}${d.hostChamberId ? ` with ${d.hostChamberId}` : ''}`),
              h('td', {}, `${d.originCountry || '?'} → ${d.hostCountry || '?'}`),
              h('td', {}, dates(d)),
              h('td', { class: 'num' }, String((d.delegates || []).length)),
              h('td', {}, planText(d)),
            ),
          ),
        ),
      ),
    ),
  );
  if (page.nextPageToken) {
    ctx.main.append(
      h('nav', { class: 'pager', 'aria-label': 'Pages' }, h('a', { class: 'button secondary', href: `#/delegations${queryString({ chamber, member, page: page.nextPageToken }, { keepEmpty: ['chamber'] })}` }, 'Next page')),
    );
  }
}
