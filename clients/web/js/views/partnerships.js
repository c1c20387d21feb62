// #/partnerships: a member's partnerships, or its chamber's for staff
// (?member=ID: one member's; ?status=active,paused), each with its status and
// when its next review is due.
// #/partnerships/new: a partnership between two companies with its goals
// (each measured by an indicator: baseline, target, due date), milestones and
// review rhythm. From a meeting (?request=ID, or ?delegation=ID&meeting=UID)
// or a match (?match=yes), with the companies in ?first= and ?second=.

import { api } from '../api.js';
import { h, heading, loading, notice, queryString } from '../dom.js';
import { companyNames, listAll } from '../engagement.js';
import { busy, clearErrors, describe, field, formMessage, showError } from '../form.js';
import { listEditor } from '../list_editor.js';
import { dateText } from '../outcomes.js';
import { ORIGINS, STATUSES, partiesOf, statusText } from '../partnerships.js';

export async function renderPartnerships(ctx) {
  const member = ctx.isStaff ? ctx.query.get('member') || '' : ctx.me.profileId || '';
  const status = ctx.query.get('status') || '';
  const memberField = ctx.isStaff ? field({ label: 'Member', path: 'member_id', value: member, hint: 'Empty: every partnership of your chamber' }) : null;
  const statusField = field({ label: 'Status', path: 'status', type: 'select', options: [['', 'Any'], ...STATUSES], value: status });
  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': 'Which partnerships' },
    memberField,
    statusField,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'secondary' }, 'Show')),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    ctx.navigate(`#/partnerships${queryString({ member: memberField ? memberField.input.value.trim() : '', status: statusField.input.value })}`);
  });
  ctx.main.append(
    h('div', { class: 'page-head' }, heading(ctx.isStaff ? 'Partnerships of our members' : 'Our partnerships'), h('a', { class: 'button', href: '#/partnerships/new' }, 'New partnership')),
    form,
  );
  if (ctx.me.role === 'ADMIN' && !member) {
    ctx.main.append(notice('info', 'Enter a member to see its partnerships.'));
    return;
  }
  const wait = loading('Loading the partnerships…');
  ctx.main.append(wait);
  let list;
  try {
    list = await listAll('/partnerships', { member_id: ctx.isStaff ? member : '', status }, 'partnerships', { signal: ctx.signal });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    wait.replaceWith(notice('error', describe(e)));
    return;
  }
  const names = await companyNames(ctx).all(list.filter((p) => p.firstMemberId).flatMap(partiesOf));
  const nameOf = (id) => names.get(id)?.name || id;
  if (!list.length) {
    wait.replaceWith(h('p', {}, 'No partnerships yet. A partnership starts from a meeting (its page offers it) or with “New partnership”.'));
    return;
  }
  wait.replaceWith(
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'data partnerships' },
        h('caption', { class: 'visually-hidden' }, 'Partnerships'),
        h('thead', {}, h('tr', {}, ['Partnership', 'Between', 'Status', 'Goals', 'Reviews', 'Next review'].map((t) => h('th', { scope: 'col' }, t)))),
        h(
          'tbody',
          {},
          list.map((p) =>
            h(
              'tr',
              { dataset: { partnership: p.id } },
              h('th', { scope: 'row' }, h('a', { href: `#/partnerships/${encodeURIComponent(p.id)}` }, p.title || p.id)),
              h('td', {}, partiesOf(p).map(nameOf).join(' and ')),
              h('td', {}, statusText(p.status)),
              h('td', { class: 'num' }, String((p.goals || []).length)),
              h('td', { class: 'num' }, String(p.reviewCount || 0)),
              h('td', {}, p.nextReviewTime ? dateText(p.nextReviewTime) : '—'),
            ),
          ),
        ),
      ),
    ),
  );
}

function goalRow(goal, i) {
  const p = `partnership.goals[${i}]`;
  const ind = goal.indicator || {};
  const f = {
    title: field({ label: 'Goal', path: `${p}.title`, value: goal.title || '', required: true, class: 'wide', hint: 'For example “Enter the Mexican market”' }),
    name: field({ label: 'Measured by', path: `${p}.indicator.name`, value: ind.name || '', required: true, hint: 'For example “Machines sold”' }),
    unit: field({ label: 'Unit', path: `${p}.indicator.unit`, value: ind.unit || '', hint: 'units, EUR, %' }),
    baseline: field({ label: 'Where it stands now', path: `${p}.indicator.baseline`, type: 'number', value: ind.baseline ?? 0, attrs: { step: 'any' } }),
    target: field({ label: 'Target', path: `${p}.indicator.target`, type: 'number', value: ind.target ?? '', attrs: { step: 'any' } }),
    due: field({ label: 'Reach the target by', path: `${p}.indicator.due_date`, type: 'date', value: ind.dueDate || '', required: true }),
  };
  return {
    fields: Object.values(f),
    read: () => ({
      title: f.title.input.value.trim(),
      indicator: {
        name: f.name.input.value.trim(),
        unit: f.unit.input.value.trim(),
        baseline: Number(f.baseline.input.value || 0),
        target: Number(f.target.input.value || 0),
        dueDate: f.due.input.value,
      },
    }),
  };
}

function milestoneRow(m, i) {
  const p = `partnership.milestones[${i}]`;
  const f = {
    title: field({ label: 'Milestone', path: `${p}.title`, value: m.title || '', required: true, class: 'wide' }),
    due: field({ label: 'Due', path: `${p}.due_date`, type: 'date', value: m.dueDate || '' }),
  };
  return { fields: Object.values(f), read: () => ({ title: f.title.input.value.trim(), dueDate: f.due.input.value }) };
}

export async function renderPartnershipForm(ctx) {
  const q = ctx.query;
  const first = ctx.isStaff ? q.get('first') || '' : ctx.me.profileId || '';
  const second = q.get('second') === first ? q.get('first') || '' : q.get('second') || '';
  const kind = q.get('request') || q.get('meeting') ? 'MEETING' : q.get('match') ? 'MATCH' : q.get('delegation') ? 'DELEGATION' : '';
  ctx.main.append(heading('New partnership'));
  const names = companyNames(ctx);
  const otherName = second ? (await names.of(second)).name : '';
  const f = {
    first: field({ label: 'First company', path: 'partnership.first_member_id', value: first, readonly: !ctx.isStaff, required: true, hint: ctx.isStaff ? 'A member of your chamber: its id' : 'Your company' }),
    second: field({ label: 'Partner company', path: 'partnership.second_member_id', value: second, required: true, hint: otherName && otherName !== second ? otherName : 'The partner’s id' }),
    title: field({ label: 'Title', path: 'partnership.title', value: otherName ? `Partnership with ${otherName}` : '', required: true, class: 'wide', attrs: { maxlength: 200 } }),
    origin: field({ label: 'Where it came from', path: 'partnership.origin.kind', type: 'select', options: ORIGINS, value: kind }),
    request: field({ label: 'Meeting request', path: 'partnership.origin.source_request_id', value: q.get('request') || '' }),
    delegation: field({ label: 'Delegation', path: 'partnership.origin.source_delegation_id', value: q.get('delegation') || '' }),
    meeting: field({ label: 'Meeting of the delegation', path: 'partnership.origin.meeting_uid', value: q.get('meeting') || '' }),
    every: field({ label: 'Review every (weeks)', path: 'partnership.review_every_weeks', type: 'number', value: 8, attrs: { min: 1, max: 52 }, hint: '1 to 52' }),
  };
  // The source fields that fit the origin chosen.
  const updateOrigin = () => {
    const k = f.origin.input.value;
    f.request.hidden = k !== 'MEETING' || Boolean(q.get('meeting'));
    f.delegation.hidden = !(k === 'DELEGATION' || (k === 'MEETING' && !q.get('request')));
    f.meeting.hidden = !(k === 'MEETING' && !q.get('request'));
  };
  f.origin.input.addEventListener('change', updateOrigin);
  updateOrigin();
  const goals = listEditor({ title: 'Goal', addLabel: 'Add a goal', items: [{}], row: goalRow, blank: () => ({}) });
  const milestones = listEditor({ title: 'Milestone', addLabel: 'Add a milestone', items: [], row: milestoneRow, blank: () => ({}) });
  const submit = h('button', { type: 'submit' }, 'Start the partnership');
  // One id for every try of this form: a repeat after a lost answer creates one partnership.
  const requestId = crypto.randomUUID();
  const form = h(
    'form',
    { class: 'partnership-form', novalidate: true, dataset: { failed: 'Not created' } },
    h('fieldset', {}, h('legend', {}, 'Who and what'), h('div', { class: 'grid' }, f.first, f.second, f.title, f.origin, f.request, f.delegation, f.meeting, f.every)),
    h('fieldset', {}, h('legend', {}, 'Shared goals'), goals.element),
    h('fieldset', {}, h('legend', {}, 'Milestones'), milestones.element),
    formMessage(),
    h('div', { class: 'actions' }, submit, h('a', { class: 'button secondary', href: '#/partnerships' }, 'Cancel')),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const k = f.origin.input.value;
    const origin = k ? { kind: k } : undefined;
    if (origin && !f.request.hidden && f.request.input.value.trim()) origin.sourceRequestId = f.request.input.value.trim();
    if (origin && !f.delegation.hidden && f.delegation.input.value.trim()) origin.sourceDelegationId = f.delegation.input.value.trim();
    if (origin && !f.meeting.hidden && f.meeting.input.value.trim()) origin.meetingUid = f.meeting.input.value.trim();
    const partnership = {
      firstMemberId: f.first.input.value.trim(),
      secondMemberId: f.second.input.value.trim(),
      title: f.title.input.value.trim(),
      reviewEveryWeeks: Number(f.every.input.value || 0),
      origin,
      goals: goals.read(),
      milestones: milestones.read(),
    };
    await busy(submit, async () => {
      try {
        const created = await api.post('/partnerships', { partnership, requestId });
        ctx.announce(`Partnership “${created.title}” started.`);
        ctx.navigate(`#/partnerships/${encodeURIComponent(created.id)}`);
      } catch (err) {
        if (err.name === 'AbortError') return;
        showError(form, err, 'partnership');
      }
    });
  });
  ctx.main.append(form);
}
