// #/delegations/ID?tab=hosts: the host side of a delegation, for the staff of
// the chamber that organises it and of the chamber that hosts it: the named
// hosts (add, remove), when each cannot meet, their invitations (send them
// with a deadline, each host's answer, the response rate) and, for a host
// chamber's staff, answering for their member. Every change is one PATCH of
// the hosts with the version read (a concurrent edit is refused, not
// overwritten) or one invitation call; the page then shows what the API
// answered.

import { api } from '../api.js';
import { h, notice, uid } from '../dom.js';
import { toInt } from '../edit.js';
import { busy, describe, field } from '../form.js';
import { dateTimeText } from '../outcomes.js';
import { answerable, answerForm, answerText, inviteHosts, statusText, summaryText } from '../invitations.js';
import { listEditor } from '../list_editor.js';
import { dayLabel } from '../schedule.js';
import { typeahead } from '../typeahead.js';
import { delegationRole, mayEditHosts } from '../delegation_role.js';

// "Mon 29 Mar all day", "Tue 30 Mar 09:00–11:00".
function unavailableText(u) {
  return `${dayLabel(u.date)} ${u.startTime && u.endTime ? `${u.startTime}–${u.endTime}` : 'all day'}`;
}

function unavailableRow(days) {
  return (u, i) => {
    const p = `unavailable[${i}]`;
    const f = {
      date: field({ label: 'Day', path: `${p}.date`, type: 'select', options: days.map((d) => [d.date, `${dayLabel(d.date)} · ${d.city}`]), value: u.date || days[0]?.date || '' }),
      startTime: field({ label: 'From', path: `${p}.start_time`, type: 'time', value: u.startTime || '', hint: 'Empty: all day' }),
      endTime: field({ label: 'To', path: `${p}.end_time`, type: 'time', value: u.endTime || '' }),
    };
    return {
      fields: Object.values(f),
      read: () => {
        const out = { date: f.date.input.value };
        if (f.startTime.input.value && f.endTime.input.value) Object.assign(out, { startTime: f.startTime.input.value, endTime: f.endTime.input.value });
        return out;
      },
    };
  };
}

// The local date and time `value` of a datetime-local input as RFC 3339.
function deadlineOf(value) {
  if (!value) return '';
  const t = new Date(value);
  return Number.isNaN(t.getTime()) ? '' : t.toISOString();
}

// The delegation's invitations by host id.
function invitationsOf(d) {
  return new Map((d.hostInvitations || []).map((inv) => [inv.hostId, inv]));
}

// Draws the tab into `content`. `d` is the delegation as read; nameOf(id)
// names a company.
export function renderHostsTab(ctx, { d, path, content, nameOf }) {
  const state = { d, invitations: invitationsOf(d), editing: '' };
  const role = delegationRole(ctx.me, d);
  const canEdit = mayEditHosts(role);
  // Staff answer for their own members: the host chamber's staff, the
  // operator, and the organiser's staff when no chamber hosts the delegation.
  const answersForMembers = role === 'host' || ctx.me.role === 'ADMIN' || (role === 'organiser' && !d.hostChamberId);
  const status = h('div', { class: 'status-area', 'aria-live': 'polite' });
  const body = h('div');
  content.replaceChildren(status, body);

  function say(kind, text) {
    const box = notice(kind, text);
    box.setAttribute('tabindex', '-1');
    status.replaceChildren(box);
    box.focus();
  }

  async function reload() {
    state.d = await api.get(path, {}, { signal: ctx.signal });
    state.invitations = invitationsOf(state.d);
  }

  // Writes the hosts (every other field as it is) with the version read.
  async function saveHosts(hosts, what) {
    try {
      await api.patch(path, { hosts }, { expected_version: state.d.version });
    } catch (e) {
      if (e.name !== 'AbortError') e.message = `Not saved; the hosts are unchanged. ${e.message}${e.code === 'ABORTED' ? ' Reload the page to see the latest version, then try again.' : ''}`;
      throw e;
    }
    // Read back as stored (the hosts, their invitations withdrawn or kept).
    await reload();
    state.editing = '';
    draw();
    say('ok', what);
  }

  function run(work) {
    return async (e) => {
      const button = e.currentTarget;
      await busy(button, async () => {
        try {
          await work(button);
        } catch (err) {
          if (err.name === 'AbortError') return;
          say('error', describe(err));
        }
      });
    };
  }

  function summary() {
    const x = state.d;
    return h(
      'section',
      { class: 'card invitation-summary', 'aria-labelledby': 'inv-summary-head' },
      h('h2', { id: 'inv-summary-head' }, 'Invitations'),
      h('p', { dataset: { figure: 'response-rate' } }, summaryText(x.invitationSummary)),
      h(
        'p',
        { class: 'hint' },
        x.hostChamberId ? `Hosted by ${x.hostChamberId}; organised by ${x.chamberId}. ` : `Organised by ${x.chamberId}; no host chamber. `,
        x.requireHostAcceptance
          ? 'Only hosts who accepted are scheduled.'
          : 'Hosts are scheduled whether or not they answered.',
      ),
    );
  }

  function hostRow(p, i) {
    const x = state.d;
    const hosts = x.hosts || [];
    const inv = state.invitations.get(p.memberId);
    const name = nameOf(p.memberId);
    const rowId = uid('host');
    const cells = [
      h('th', { scope: 'row', id: rowId }, `${name} (${p.memberId})`),
      h('td', {}, p.maxMeetings ? String(p.maxMeetings) : 'no limit'),
      h('td', {}, (p.unavailable || []).length ? p.unavailable.map(unavailableText).join('; ') : 'available throughout'),
      h('td', { dataset: { invitation: inv?.status || 'NONE' } }, inv ? answerText(inv) : statusText('')),
    ];
    const actions = h('td', { class: 'row-actions' });
    if (canEdit) {
      actions.append(
        h('button', { type: 'button', class: 'link', 'aria-expanded': state.editing === p.memberId ? 'true' : 'false', 'aria-describedby': rowId, onclick: () => { state.editing = state.editing === p.memberId ? '' : p.memberId; draw(); } }, 'Unavailable times'),
        ' ',
        h('button', { type: 'button', class: 'link', 'aria-describedby': rowId, onclick: run(() => saveHosts(hosts.filter((_, j) => j !== i), `Removed ${name} from the hosts.`)) }, `Remove ${p.memberId}`),
      );
    }
    const rows = [h('tr', { dataset: { host: p.memberId } }, cells, actions)];
    if (answersForMembers && inv && answerable(inv)) {
      rows.push(
        h(
          'tr',
          { class: 'answer-row' },
          h(
            'td',
            { colspan: '5' },
            h(
              'details',
              {},
              h('summary', {}, `Answer for ${name}`),
              answerForm({
                delegationId: x.id,
                inv,
                who: name,
                onAnswered: async (answered) => {
                  state.invitations.set(p.memberId, { ...inv, ...answered });
                  try {
                    await reload();
                  } catch (e) {
                    if (e.name === 'AbortError') return;
                  }
                  draw();
                  say('ok', `${name}: ${answerText(state.invitations.get(p.memberId) || answered)}.`);
                },
              }),
            ),
          ),
        ),
      );
    }
    if (state.editing === p.memberId) rows.push(h('tr', { class: 'edit-row' }, h('td', { colspan: '5' }, unavailableForm(p, i))));
    return rows;
  }

  function unavailableForm(p, i) {
    const x = state.d;
    const days = [...(x.days || [])].sort((a, b) => String(a.date).localeCompare(String(b.date)));
    const editor = listEditor({ title: 'Unavailable time', addLabel: 'Add an unavailable time', items: p.unavailable || [], row: unavailableRow(days), blank: () => ({ date: days[0]?.date || '' }) });
    const save = h('button', { type: 'submit' }, `Save the times of ${p.memberId}`);
    const form = h('form', { class: 'unavailable-form', 'aria-label': `When ${nameOf(p.memberId)} cannot meet` }, h('p', { class: 'hint' }, `When ${nameOf(p.memberId)} cannot meet. The planner schedules no meeting then.`), editor.element, h('div', { class: 'actions' }, save, h('button', { type: 'button', class: 'secondary', onclick: () => { state.editing = ''; draw(); } }, 'Cancel')));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      busy(save, async () => {
        const hosts = structuredClone(x.hosts || []);
        hosts[i] = { ...hosts[i], unavailable: editor.read() };
        try {
          await saveHosts(hosts, `Saved when ${nameOf(p.memberId)} cannot meet.`);
        } catch (err) {
          if (err.name !== 'AbortError') say('error', describe(err));
        }
      });
    });
    return form;
  }

  function hostsTable() {
    const hosts = state.d.hosts || [];
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'hosts-head' },
      h('h2', { id: 'hosts-head' }, `Named hosts (${hosts.length})`),
      hosts.length
        ? h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'data hosts-table' },
              h('thead', {}, h('tr', {}, ['Host', 'At most', 'Cannot meet', 'Invitation', ''].map((t) => h('th', { scope: 'col' }, t)))),
              h('tbody', {}, hosts.map(hostRow)),
            ),
          )
        : h('p', {}, `No named hosts: the planner proposes up to ${state.d.hostFilter?.maxHosts || 0} from the host filter. Name the ones to invite here.`),
      canEdit ? addHostForm() : null,
    );
  }

  function addHostForm() {
    const f = {
      id: field({ label: 'Member id', path: 'host_id', value: '', required: true, attrs: { spellcheck: 'false' } }),
      max: field({ label: 'At most', path: 'max_meetings', type: 'number', value: '', hint: 'meetings; empty: no limit', attrs: { min: 0 } }),
    };
    const proposed = (state.d.plan?.hostIds || []).filter((id) => !(state.d.hosts || []).some((p) => p.memberId === id));
    const listId = uid('proposed');
    f.id.input.setAttribute('list', listId);
    const datalist = h('datalist', { id: listId }, proposed.map((id) => h('option', { value: id }, nameOf(id))));
    f.id.append(datalist);
    typeahead(f.id.input);
    const add = h('button', { type: 'submit', class: 'secondary' }, 'Add host');
    const form = h('form', { class: 'filters', 'aria-label': 'Add a host' }, f.id, f.max, h('div', { class: 'actions' }, add));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const id = f.id.input.value.trim();
      if (!id) {
        say('error', 'Host: enter the member id of the company to add.');
        return;
      }
      if ((state.d.hosts || []).some((p) => p.memberId === id)) {
        say('error', `${id} is already a named host.`);
        return;
      }
      busy(add, async () => {
        try {
          await saveHosts([...(state.d.hosts || []), { memberId: id, maxMeetings: toInt(f.max.input.value) }], `Added ${nameOf(id)} to the hosts.`);
        } catch (err) {
          if (err.name !== 'AbortError') say('error', describe(err));
        }
      });
    });
    return h('div', {}, h('h3', {}, 'Add a host'), proposed.length ? h('p', { class: 'hint' }, `The plan proposes ${proposed.length} more from the host filter; name one here to invite it.`) : null, form);
  }

  function inviteForm() {
    const hosts = state.d.hosts || [];
    const notInvited = hosts.filter((p) => !state.invitations.has(p.memberId) || state.invitations.get(p.memberId).status === 'WITHDRAWN');
    const checks = notInvited.map((p) =>
      field({ label: `${nameOf(p.memberId)} (${p.memberId})`, path: 'host_ids', type: 'checkbox', value: true, attrs: { value: p.memberId } }),
    );
    const deadline = field({ label: 'Answer by', path: 'deadline', type: 'datetime-local', value: '', hint: 'Empty: the delegation’s default deadline.' });
    const send = h('button', { type: 'submit' }, notInvited.length ? `Invite the chosen hosts` : 'Invite');
    const form = h(
      'form',
      { class: 'invite-form', 'aria-label': 'Invite hosts' },
      notInvited.length
        ? h('fieldset', {}, h('legend', {}, 'Hosts not invited yet'), h('div', { class: 'checks' }, checks))
        : h('p', {}, hosts.length ? 'Every named host has been invited.' : 'Name hosts first, then invite them.'),
      notInvited.length ? deadline : null,
      notInvited.length ? h('div', { class: 'actions' }, send) : null,
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const ids = checks.filter((c) => c.input.checked).map((c) => c.input.value);
      if (!ids.length) {
        say('error', 'Hosts: choose at least one host to invite.');
        return;
      }
      busy(send, async () => {
        try {
          await inviteHosts(state.d.id, ids, deadlineOf(deadline.input.value));
          await reload();
          draw();
          say('ok', `Invited ${ids.length} host${ids.length === 1 ? '' : 's'}: ${ids.map(nameOf).join(', ')}.`);
        } catch (err) {
          if (err.name !== 'AbortError') say('error', `Not invited. ${describe(err)}`);
        }
      });
    });
    return h('section', { class: 'card', 'aria-labelledby': 'invite-head' }, h('h2', { id: 'invite-head' }, 'Invite hosts'), form);
  }

  // The host chamber tells its hosts the plan (their meetings and the
  // programme items they attend); the organisers tell the delegates.
  function publishSection() {
    const x = state.d;
    if (role !== 'host' || !x.plan) return null;
    const last = x.hostPublication;
    const publish = h('button', { type: 'button', class: 'secondary' }, last?.publishTime ? 'Publish the plan to the hosts again' : 'Publish the plan to the hosts');
    publish.addEventListener('click', () =>
      busy(publish, async () => {
        try {
          state.d = await api.post(`${path}:publish`, {}, { side: 'hosts', expected_version: state.d.version });
          state.invitations = invitationsOf(state.d);
          draw();
          say('ok', `Published to the hosts: ${state.d.hostPublication?.notified || 0} told of their meetings.`);
        } catch (err) {
          if (err.name !== 'AbortError') say('error', `Not published. ${describe(err)}`);
        }
      }),
    );
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'publish-head' },
      h('h2', { id: 'publish-head' }, 'Tell the hosts'),
      h('p', {}, last?.publishTime ? `Last published to the hosts on ${dateTimeText(last.publishTime)} (${last.notified || 0} told).` : 'The hosts have not been told of the plan yet.'),
      h('div', { class: 'actions' }, publish),
    );
  }

  function draw() {
    body.replaceChildren(summary(), hostsTable(), canEdit ? inviteForm() : null, publishSection());
    const opened = state.editing && body.querySelector('.unavailable-form select, .unavailable-form input');
    if (opened) opened.focus();
  }

  draw();
}
