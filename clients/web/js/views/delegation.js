// #/delegations/ID: one delegation, its plan as a company × (day, slot) grid,
// moving and locking meetings (PATCH the pairs, then re-plan), and the agendas
// as iCalendar and CSV files. Hosts without meetings are folded away until
// asked for; arrow keys move between the grid's meetings and Escape clears a
// selection; a move onto a busy slot and a plan from scratch ask first; a
// plan older than the delegation says so. Programme items a company attends
// are blocks across the slots they cover, with the travel time to and from
// them shaded; a meeting that needs an interpreter says who interprets or
// that none is free. Tabs: the schedule, the programme and interpreters
// (views/delegation_programme.js) and the hosts and their invitations
// (views/delegation_hosts.js). The host chamber's staff are not offered what
// only the organisers may change: planning, pairs, moves, the delegation's
// own fields.

import { nameFor } from '../anonymous.js';
import { api, fetchFile, saveBlob } from '../api.js';
import { csvRecords } from '../csv.js';
import { append, fixed, h, heading, loading, notice, percent, uid } from '../dom.js';
import { busy, describe, field } from '../form.js';
import { metBeforeText } from '../met_before.js';
import { labelOf, PAIR_STATUSES } from '../labels.js';
import { dayLabel, daysWithSlots, indexMeetings, moveGridFocus, planChanges, planIsStale, samePair, slotKey } from '../schedule.js';
import { typeahead } from '../typeahead.js';
import { delegationRole } from '../delegation_role.js';
import { summaryText } from '../invitations.js';
import { interpreterBadge, interpreterText, kindText, programmeCells } from '../programme.js';
import { renderHostsTab } from './delegation_hosts.js';
import { renderProgrammeTab } from './delegation_programme.js';

const TABS = [
  ['', 'Schedule'],
  ['programme', 'Programme and interpreters'],
  ['hosts', 'Hosts and invitations'],
];

const MOVE_TARGET = '.selected-panel [data-path="target"]';
const IDLE_TOGGLE = '[data-toggle="idle-hosts"]';

export async function renderDelegation(ctx, id) {
  const path = `/delegations/${encodeURIComponent(id)}`;
  const title = heading(`Delegation ${id}`);
  const status = h('div', { class: 'status-area', 'aria-live': 'polite' });
  const content = h('div', {}, loading('Loading the delegation and its plan…'));
  ctx.main.append(h('div', { class: 'page-head' }, title), status, content);
  let d;
  try {
    d = await api.get(path, {}, { signal: ctx.signal });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    content.replaceChildren(notice('error', describe(e)));
    return;
  }

  // changing: an action that writes the delegation or plans it is running;
  // every other such action waits (two plans at once would race).
  // showIdle: hosts without meetings are shown; confirm: the action that
  // waits for a yes ('scratch', or 'displace' for a move onto a busy slot).
  const state = { d, names: new Map(), selected: null, target: '', changing: false, showIdle: false, confirm: '' };
  // Only the organisers (and the operator) plan, move, lock and edit.
  const organiser = delegationRole(ctx.me, d) === 'organiser';
  const tab = TABS.some(([key]) => key === ctx.query.get('tab')) ? ctx.query.get('tab') : '';

  async function loadNames() {
    // The whole plan as CSV names every company that meets someone.
    if (!state.d.plan || !(state.d.plan.meetings || []).length) return;
    try {
      const file = await fetchFile(`${path}/agenda`, { format: 'csv' }, { signal: ctx.signal });
      for (const r of csvRecords(await file.blob.text())) {
        if (r.delegate_id) state.names.set(r.delegate_id, r.delegate_name);
        if (r.host_id) state.names.set(r.host_id, r.host_name);
      }
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      // Names are a convenience: the grid shows ids without them.
    }
  }
  const nameOf = (cid) => nameFor(cid, state.names.get(cid));

  // Shows the outcome of an action (the live region reads it out). The focus
  // goes to the selected meeting where it now is, else to the message.
  function say(kind, text, more = null) {
    const box = notice(kind, text);
    if (more) box.append(more);
    box.setAttribute('tabindex', '-1');
    status.replaceChildren(box);
    const selected = content.querySelector('button.meeting[aria-pressed="true"]');
    if (selected && kind !== 'error') selected.focus();
    else box.focus();
  }

  // Writes the pairs (keeping every other field), then re-plans.
  // Says which step failed: a refused change stored nothing; a plan that
  // fails after the change was saved leaves the change in place.
  async function savePairsAndPlan(pairs, what) {
    try {
      state.d = await api.patch(path, { pairs }, { expected_version: state.d.version });
    } catch (e) {
      if (e.name !== 'AbortError') e.message = `Not saved; the delegation is unchanged. ${e.message}`;
      throw e;
    }
    try {
      await plan(false, what);
    } catch (e) {
      draw(); // the pairs were saved: show them, and why the plan failed
      if (e.name !== 'AbortError') e.message = `${what} Saved, but the plan failed: ${e.message}`;
      throw e;
    }
  }

  async function plan(fresh, what = '') {
    const before = state.d.plan;
    state.confirm = '';
    state.d = await api.post(`${path}:plan`, {}, { fresh: fresh ? 'true' : 'false' });
    await loadNames();
    draw();
    const p = state.d.plan || {};
    const moved = Number(p.moved || 0);
    const unplaced = (p.unplaced || []).length;
    say(
      unplaced ? 'error' : 'ok',
      `${what ? `${what} ` : ''}${before && !fresh ? 'Re-planned' : 'Planned'}: ${(p.meetings || []).length} meetings, total ${fixed(p.totalScore, 2)} of at most ${fixed(p.bound, 2)} (gap ${percent(p.gap)})` +
        `${before && !fresh ? `, ${moved} meeting${moved === 1 ? '' : 's'} of the last plan moved` : ''}` +
        `${unplaced ? `; ${unplaced} locked pair${unplaced === 1 ? '' : 's'} could not be placed (see below)` : ''}.`,
      before && fresh ? changeList(planChanges(before, p)) : null,
    );
  }

  // What a new plan changed against the one before, meeting by meeting.
  function changeList(changes) {
    const when = (m) => `${dayLabel(m.date)} ${m.localStart || ''}`.trim();
    const pair = (m) => `${nameOf(m.delegateId)} – ${nameOf(m.hostId)}`;
    const part = (title, kind, items, text) =>
      h(
        'div',
        { dataset: { changes: kind } },
        h('h3', {}, `${title} (${items.length})`),
        items.length ? h('ul', {}, items.map((x) => h('li', {}, text(x)))) : h('p', { class: 'hint' }, 'None.'),
      );
    return h(
      'section',
      { class: 'plan-changes', 'aria-label': 'What the new plan changed' },
      part('Meetings added', 'added', changes.added, (m) => `${pair(m)}, ${when(m)}`),
      part('Meetings removed', 'removed', changes.removed, (m) => `${pair(m)}, was ${when(m)}`),
      part('Meetings moved', 'moved', changes.moved, ({ from, to }) => `${pair(to)}: ${when(from)} → ${when(to)}`),
    );
  }

  // Marks the buttons that change the delegation as unavailable while one runs.
  function showChanging() {
    for (const b of content.querySelectorAll('button[data-changes]')) {
      if (state.changing) b.setAttribute('aria-disabled', 'true');
      else if (b.getAttribute('aria-busy') !== 'true') b.removeAttribute('aria-disabled');
    }
    content.setAttribute('aria-busy', state.changing ? 'true' : 'false');
  }

  // Runs `work` for `button` unless another change runs; one at a time.
  async function change(button, work) {
    if (state.changing) return;
    state.changing = true;
    try {
      await busy(button, () => {
        showChanging();
        return work();
      });
    } finally {
      state.changing = false;
      showChanging();
    }
  }

  // A button for an action; `changes` (the default) for those that write the
  // delegation or plan it, which run one at a time.
  function actionButton(text, cls, work, { changes = true } = {}) {
    const b = h('button', { type: 'button', class: cls, 'data-changes': changes || null }, text);
    const run = async () => {
      try {
        await work(b);
      } catch (e) {
        if (e.name === 'AbortError') return;
        say('error', `${describe(e)}${e.code === 'ABORTED' ? ' Reload the page to see the latest version, then try again.' : ''}`);
      }
    };
    b.addEventListener('click', () => (changes ? change(b, run) : busy(b, run)));
    return b;
  }

  // One line: what the mission is.
  function summary() {
    const x = state.d;
    const days = daysWithSlots(x);
    return h(
      'p',
      { class: 'links mission' },
      h('code', {}, x.id),
      ` · ${x.chamberId || ''}${x.hostChamberId ? ` with ${x.hostChamberId} hosting` : ''} · ${x.originCountry || '?'} → ${x.hostCountry || '?'} · `,
      days.map((day) => `${dayLabel(day.date)} ${day.city} ${day.startTime}–${day.endTime}`).join(', '),
      ` · ${(x.delegates || []).length} delegates · ${(x.hosts || []).length} named hosts, up to ${x.hostFilter?.maxHosts || 0} more · version ${x.version || ''}`,
    );
  }

  // The tabs of the page, as links (each tab has its own address).
  function tabs() {
    const base = `#/delegations/${encodeURIComponent(state.d.id)}`;
    return h(
      'nav',
      { class: 'tabs delegation-tabs', 'aria-label': 'Parts of the delegation' },
      TABS.map(([key, label]) => h('a', { class: 'tab button', href: key ? `${base}?tab=${key}` : base, 'aria-current': key === tab ? 'page' : null }, label)),
    );
  }

  // The host invitations in one line, with the response rate.
  function invitationLine() {
    const s = state.d.invitationSummary;
    if (!s || !Number(s.invited || 0)) return null;
    return h('p', { class: 'invitation-line' }, h('strong', {}, 'Host invitations: '), h('span', { dataset: { figure: 'response-rate' } }, summaryText(s)), ' · ', h('a', { href: `#/delegations/${encodeURIComponent(state.d.id)}?tab=hosts` }, 'each host’s answer'));
  }

  // A figure of the plan; `meaning`, in plain words, is shown under it.
  function figure(label, value, name, meaning) {
    return h(
      'div',
      {},
      h('dt', {}, label),
      h('dd', { 'data-figure': name || null }, value),
      meaning ? h('dd', { class: 'hint' }, meaning) : null,
    );
  }

  function interpreterFigure(p) {
    const flagged = (p.meetings || []).filter((m) => m.needsInterpreter);
    const covered = flagged.filter((m) => m.interpreter).length;
    return `${covered} / ${flagged.length - covered}`;
  }

  function planSummary() {
    const p = state.d.plan;
    if (!p) return h('p', { class: 'notice notice-info' }, organiser ? 'Not planned yet: “Plan” chooses who meets whom, when and at which table.' : `Not planned yet: ${state.d.chamberId} plans it.`);
    const load = (l) => `${l?.min || 0} / ${fixed(l?.mean, 1)} / ${l?.max || 0}`;
    return h(
      'section',
      { class: 'plan-summary', 'aria-labelledby': 'plan-head' },
      h('h2', { id: 'plan-head', class: 'visually-hidden' }, 'Plan'),
      planIsStale(state.d)
        ? h(
            'div',
            { class: 'notice notice-warn stale-plan', role: 'status' },
            h(
              'p',
              {},
              h('strong', {}, 'Out of date: '),
              `this plan was made from version ${p.delegationVersion} of the delegation; its participants, pairs or settings have changed since (now version ${state.d.version}). Re-plan to bring the plan up to date.`,
            ),
            organiser ? actionButton('Re-plan now', '', () => plan(false)) : null,
          )
        : null,
      h(
        'dl',
        { class: 'figures' },
        figure('Meetings', String((p.meetings || []).length), 'meetings'),
        figure('Total score', fixed(p.totalScore, 3), 'total', 'The match scores of all meetings added up.'),
        figure('Bound', fixed(p.bound, 3), 'bound', 'No plan of this delegation can score more than this.'),
        figure('Gap', percent(p.gap, 2), 'gap', 'How far the total may be from the best plan possible.'),
        figure('Delegates: min / mean / max', load(p.delegateLoad), null, 'Meetings per delegate.'),
        figure('Hosts: min / mean / max', load(p.hostLoad), null, 'Meetings per host.'),
        figure('Moved', String(p.moved || 0), null, 'Meetings of the last plan now at another time.'),
        figure('Wanted, not given', String(p.minShortfall || 0), null, 'Meetings delegates asked for at least, that the plan could not give.'),
        figure('Interpreters', interpreterFigure(p), 'interpreters', 'Meetings whose companies share no language: with an interpreter / without one free.'),
      ),
      (p.interpreterGaps || []).length
        ? h(
            'div',
            { class: 'notice notice-warn interpreter-gaps' },
            h('p', {}, 'Meetings that need an interpreter and have none:'),
            h('ul', {}, p.interpreterGaps.map((g) => h('li', {}, `${nameOf(g.delegateId)} – ${nameOf(g.hostId)}, ${dayLabel(g.date)} ${g.localStart || ''}: ${g.reason}`))),
          )
        : null,
      (p.unplaced || []).length
        ? h(
            'div',
            { class: 'notice notice-error' },
            h('p', {}, 'Locked pairs the plan could not place:'),
            h('ul', {}, p.unplaced.map((u) => h('li', {}, `${nameOf(u.delegateId)} – ${nameOf(u.hostId)}: ${u.reason}`))),
          )
        : null,
    );
  }

  function grid() {
    const x = state.d;
    const p = x.plan;
    if (!p) return null;
    const days = daysWithSlots(x);
    const byCompany = indexMeetings(p);
    const programme = programmeCells(x, days);
    const delegates = (x.delegates || []).map((q) => q.memberId);
    const allHosts = p.hostIds?.length ? p.hostIds : (x.hosts || []).map((q) => q.memberId);
    // Hosts without meetings are folded away unless asked for (or part of the selection).
    const idle = allHosts.filter((c) => !byCompany.get(c)?.size);
    const hostIds = state.showIdle ? allHosts : allHosts.filter((c) => byCompany.get(c)?.size || c === state.selected?.hostId);
    const totalSlots = days.reduce((n, day) => n + day.slots.length, 0);
    const sel = state.selected;

    const head1 = h('tr', {}, h('th', { scope: 'col', rowspan: '2', class: 'corner' }, 'Company'));
    const head2 = h('tr');
    for (const day of days) {
      head1.append(h('th', { scope: 'colgroup', colspan: String(day.slots.length || 1), class: 'day' }, h('span', { class: 'day-label' }, `${dayLabel(day.date)} · ${day.city}`)));
      if (!day.slots.length) head2.append(h('th', { scope: 'col' }, '–'));
      day.slots.forEach((s, i) => head2.append(h('th', { scope: 'col', class: i === 0 ? 'slot day-start' : 'slot' }, s)));
    }

    function cell(companyId, day, slotIndex, isDelegate) {
      const key = slotKey(day.date, slotIndex);
      const m = byCompany.get(companyId)?.get(key);
      const cls = slotIndex === 0 ? 'day-start' : '';
      const blocked = programme.get(companyId)?.get(key);
      if (!m && blocked) return programmeCell(blocked, cls, day, slotIndex);
      if (m) {
        const partner = isDelegate ? m.hostId : m.delegateId;
        const selected = samePair(m, sel);
        const label =
          `${nameOf(m.delegateId)} meets ${nameOf(m.hostId)}, ${dayLabel(m.date)} ${m.localStart || day.slots[slotIndex]}, ` +
          `table ${m.table || '?'}, score ${fixed(m.score, 2)}${m.locked ? ', locked' : ''}` +
          `${m.needsInterpreter ? `, ${interpreterText(m)}` : ''}${blocked ? `, over ${blocked.item?.title || 'a programme item'}: re-plan` : ''}`;
        const flag = interpreterBadge(m);
        // The partner's full name: the button's description, shown on hover and focus.
        const fullId = `full-${companyId}-${key}`.replace(/[^A-Za-z0-9_-]/g, '_');
        return h(
          'td',
          { class: `${cls} has-meeting${selected ? ' selected' : ''}${m.locked ? ' locked' : ''}${blocked ? ' clash' : ''}` },
          h(
            'button',
            {
              type: 'button',
              class: 'meeting',
              'aria-pressed': selected ? 'true' : 'false',
              'aria-label': label,
              'aria-describedby': fullId,
              title: label,
              dataset: { delegate: m.delegateId, host: m.hostId, date: m.date, slot: String(slotIndex) },
              onclick: () => select(m),
            },
            h('span', { class: 'who' }, nameOf(partner)),
            h('span', { class: 'where' }, `T${m.table || '?'}${m.locked ? ' · locked' : ''}`),
            flag ? h('span', { class: `interp${m.interpreter ? '' : ' missing'}`, dataset: { interpreter: m.interpreter || '' } }, flag) : null,
          ),
          h('span', { class: 'full-name', id: fullId, role: 'tooltip' }, `With ${nameOf(partner)} (${partner})`),
        );
      }
      // While a meeting is selected, its companies' free slots are targets.
      if (sel && (companyId === sel.delegateId || companyId === sel.hostId)) {
        const target = `${day.date} ${day.slots[slotIndex]}`;
        const chosen = state.target === target;
        return h(
          'td',
          { class: `${cls} free target${chosen ? ' chosen' : ''}` },
          h(
            'button',
            {
              type: 'button',
              class: 'slot-target',
              'aria-pressed': chosen ? 'true' : 'false',
              'aria-label': `Choose ${dayLabel(day.date)} ${day.slots[slotIndex]} for the selected meeting`,
              dataset: { date: day.date, slot: String(slotIndex) },
              onclick: () => {
                state.target = target;
                draw({ focusSelector: MOVE_TARGET });
              },
            },
            chosen ? 'here' : '+',
          ),
        );
      }
      return h('td', { class: `${cls} free` });
    }

    // A slot a programme item (or the travel to it) keeps the company from
    // meetings: the item's first slot names it, the others continue the block.
    function programmeCell(blocked, cls, day, slotIndex) {
      const item = blocked.item || {};
      const when = `${dayLabel(day.date)} ${day.slots[slotIndex]}`;
      if (blocked.kind === 'travel') {
        const text = `Travel to or from ${item.title || 'a programme item'}${item.place?.name ? ` at ${item.place.name}` : ''} (${blocked.minutes} min each way)`;
        return h('td', { class: `${cls} travel`, title: text, dataset: { item: item.id || '' } }, h('span', { class: 'visually-hidden' }, `${when}: ${text}`), h('span', { 'aria-hidden': 'true' }, 'travel'));
      }
      const text = `${kindText(item.kind)}: ${item.title || item.id}, ${item.startTime}–${item.endTime}${item.place?.name ? ` at ${item.place.name}` : ''}`;
      return h(
        'td',
        { class: `${cls} item${blocked.first ? ' item-first' : ''}${blocked.last ? ' item-last' : ''} kind-${String(item.kind || 'other').toLowerCase()}`, title: text, dataset: { item: item.id || '' } },
        blocked.first ? h('span', { class: 'item-title' }, item.title || item.id) : h('span', { class: 'visually-hidden' }, `${when}: ${text}`),
        blocked.first ? h('span', { class: 'visually-hidden' }, `, ${text}`) : null,
      );
    }

    function row(companyId, isDelegate) {
      const count = byCompany.get(companyId)?.size || 0;
      const tr = h(
        'tr',
        { dataset: { company: companyId } },
        h(
          'th',
          { scope: 'row', class: 'company', title: `${nameOf(companyId)} (${companyId}), ${count} meeting${count === 1 ? '' : 's'}` },
          h('span', { class: 'name' }, nameOf(companyId)),
          h('span', { class: 'meta' }, `${companyId} · ${count}`),
        ),
      );
      for (const day of days) {
        if (!day.slots.length) tr.append(h('td', { class: 'free' }));
        day.slots.forEach((_, i) => tr.append(cell(companyId, day, i, isDelegate)));
      }
      return tr;
    }

    const colCount = totalSlots + 1;
    const table = h(
      'table',
      { class: 'schedule', onkeydown: (e) => moveGridFocus(e) },
      h('caption', { class: 'visually-hidden' }, 'Schedule: one row per company, one column per slot of each day'),
      h('thead', {}, head1, head2),
      h('tbody', {}, h('tr', { class: 'group' }, h('th', { scope: 'rowgroup', colspan: String(colCount) }, `Delegates (${delegates.length})`)), delegates.map((c) => row(c, true))),
      h(
        'tbody',
        {},
        h(
          'tr',
          { class: 'group' },
          h('th', { scope: 'rowgroup', colspan: String(colCount) }, `Hosts (${hostIds.length} of ${allHosts.length})`),
        ),
        hostIds.map((c) => row(c, false)),
      ),
    );
    const toggle = idle.length
      ? h(
          'button',
          {
            type: 'button',
            class: 'link',
            'aria-expanded': state.showIdle ? 'true' : 'false',
            dataset: { toggle: 'idle-hosts' },
            onclick: () => {
              state.showIdle = !state.showIdle;
              draw({ focusSelector: IDLE_TOGGLE });
            },
          },
          state.showIdle ? `Hide the ${idle.length} hosts without meetings` : `Show the ${idle.length} hosts without meetings`,
        )
      : null;
    return h(
      'section',
      { 'aria-labelledby': 'grid-head', class: 'grid-section' },
      h(
        'h2',
        { id: 'grid-head', tabindex: '-1' },
        'Schedule ',
        h('small', { class: 'hint' }, `planned ${p.planTime ? new Date(p.planTime).toLocaleString() : ''} from version ${p.delegationVersion || ''}`),
      ),
      h(
        'p',
        { class: 'hint' },
        organiser
          ? 'One row per company, one column per slot of each day. Programme items are blocks across their slots, travel to them is shaded. Select a meeting to move it to another slot or lock it; arrow keys move between meetings, Escape clears the selection. '
          : 'One row per company, one column per slot of each day. Programme items are blocks across their slots, travel to them is shaded. Select a meeting to see it; arrow keys move between meetings, Escape clears the selection. ',
        toggle,
      ),
      h('div', { class: 'grid-scroll', tabindex: '0', role: 'region', 'aria-label': 'Schedule grid, scrolls sideways' }, table),
    );
  }

  // Escape: back to the meeting that was selected, now unselected.
  function clearSelection() {
    const was = state.selected;
    state.selected = null;
    state.confirm = '';
    draw({ focusSelector: was ? `button.meeting[data-delegate="${CSS.escape(was.delegateId)}"][data-host="${CSS.escape(was.hostId)}"]` : '#grid-head' });
  }

  function select(m) {
    state.confirm = '';
    state.selected = samePair(m, state.selected) ? null : { delegateId: m.delegateId, hostId: m.hostId };
    const day = daysWithSlots(state.d).find((x) => x.date === m.date);
    state.target = state.selected && day ? `${m.date} ${day.slots[Number(m.slot || 0)] || m.localStart}` : '';
    draw({ focusSelector: state.selected ? MOVE_TARGET : null });
  }

  function selectedPanel() {
    const sel = state.selected;
    const p = state.d.plan;
    if (!sel || !p) return null;
    const m = (p.meetings || []).find((x) => samePair(x, sel));
    const pairs = state.d.pairs || [];
    const pair = pairs.find((x) => samePair(x, sel));
    const days = daysWithSlots(state.d);
    // The meetings either company already has in each slot: a move there displaces them.
    const byCompany = indexMeetings(p);
    const busyAt = new Map();
    const options = [];
    for (const day of days) {
      day.slots.forEach((s, i) => {
        const key = slotKey(day.date, i);
        const clash = [byCompany.get(sel.delegateId)?.get(key), byCompany.get(sel.hostId)?.get(key)].filter((x, j, all) => x && !samePair(x, sel) && all.indexOf(x) === j);
        const value = `${day.date} ${s}`;
        if (clash.length) busyAt.set(value, clash);
        const busyText = clash.length ? ` · busy: ${clash.map((c) => `${nameOf(c.delegateId)} – ${nameOf(c.hostId)}`).join('; ')}` : '';
        options.push([value, `${dayLabel(day.date)} ${s} · ${day.city}${busyText}`]);
      });
    }
    if (!organiser) {
      return h(
        'section',
        { class: 'card selected-panel', 'aria-labelledby': 'selected-head' },
        h(
          'p',
          {},
          h('strong', { id: 'selected-head', class: 'panel-title' }, 'Selected meeting: '),
          h('strong', {}, `${nameOf(sel.delegateId)} – ${nameOf(sel.hostId)}`),
          m ? ` · ${dayLabel(m.date)} ${m.localStart || ''} · table ${m.table || '?'}` : ' · not in the plan',
        ),
        m?.needsInterpreter ? h('p', { class: 'interpreter-line' }, interpreterText(m)) : null,
        h('p', { class: 'hint' }, `${state.d.chamberId} plans the meetings; ask its staff to move one.`),
        h('div', { class: 'actions' }, h('button', { type: 'button', class: 'link', onclick: () => clearSelection() }, 'Clear selection')),
      );
    }
    const targetField = field({ label: 'Move to', path: 'target', type: 'select', options, value: state.target });
    for (const option of targetField.input.options) if (busyAt.has(option.value)) option.dataset.busy = 'true';
    targetField.input.addEventListener('change', () => {
      state.target = targetField.input.value;
      state.confirm = '';
      draw({ focusSelector: MOVE_TARGET });
    });
    const displaced = busyAt.get(state.target) || [];
    const others = pairs.filter((x) => !samePair(x, sel));
    const what = `${nameOf(sel.delegateId)} – ${nameOf(sel.hostId)}`;
    const lockHere = async () => {
      const [date, startTime] = state.target.split(' ');
      const pair = { delegateId: sel.delegateId, hostId: sel.hostId, status: 'ACCEPTED' };
      if (date && startTime) Object.assign(pair, { date, startTime });
      await savePairsAndPlan([...others, pair], `Locked ${what}${pair.date ? ` at ${date} ${startTime}` : ''}.`);
    };
    const warning = displaced.length
      ? h(
          'div',
          { class: 'notice notice-warn displace', role: 'status' },
          h(
            'p',
            {},
            `${dayLabel(state.target.split(' ')[0])} ${state.target.split(' ')[1]} is busy: moving ${what} there displaces `,
            displaced.map((c) => `${nameOf(c.delegateId)} – ${nameOf(c.hostId)}`).join(' and '),
            '. The re-plan moves or drops the displaced meeting.',
          ),
          state.confirm === 'displace'
            ? h(
                'p',
                { class: 'confirm' },
                actionButton(`Yes, move and displace ${displaced.length} meeting${displaced.length === 1 ? '' : 's'}`, 'danger', lockHere),
                h('button', { type: 'button', class: 'secondary', onclick: () => { state.confirm = ''; draw({ focusSelector: MOVE_TARGET }); } }, 'Cancel'),
              )
            : null,
        )
      : null;
    return h(
      'section',
      { class: 'card selected-panel', 'aria-labelledby': 'selected-head' },
      h(
        'p',
        {},
        h('strong', { id: 'selected-head', class: 'panel-title' }, 'Selected meeting: '),
        h('strong', {}, what),
        m
          ? ` · ${dayLabel(m.date)} ${m.localStart || ''} · table ${m.table || '?'} · score ${fixed(m.score, 3)}${m.locked ? ' · locked' : ''}`
          : ' · not in the plan',
        pair ? ` · pair ${labelOf(PAIR_STATUSES, pair.status).toLowerCase()}${pair.date ? ` at ${pair.date} ${pair.startTime}` : ''}` : '',
      ),
      h(
        'div',
        { class: 'actions move-row' },
        targetField,
        displaced.length
          ? h('button', { type: 'button', 'data-changes': true, onclick: () => { state.confirm = 'displace'; draw({ focusSelector: '.displace .confirm button' }); } }, 'Lock here and re-plan…')
          : actionButton('Lock here and re-plan', '', lockHere),
        actionButton('Lock at any time', 'secondary', async () => {
          await savePairsAndPlan([...others, { delegateId: sel.delegateId, hostId: sel.hostId, status: 'ACCEPTED' }], `Locked ${what}.`);
        }),
        pair
          ? actionButton('Unlock', 'secondary', async () => {
              await savePairsAndPlan(others, `Unlocked ${what}.`);
            })
          : null,
        actionButton('Decline: never meet', 'danger', async () => {
          state.selected = null;
          await savePairsAndPlan([...others, { delegateId: sel.delegateId, hostId: sel.hostId, status: 'DECLINED' }], `Declined ${what}.`);
        }),
        h('button', { type: 'button', class: 'link', onclick: () => clearSelection() }, 'Clear selection'),
      ),
      warning,
      m?.needsInterpreter ? h('p', { class: 'interpreter-line' }, interpreterText(m)) : null,
      m && m.metBefore ? h('p', { class: 'met-before' }, metBeforeText(m.metBefore)) : null,
      m && (m.reasons || []).length ? h('details', {}, h('summary', {}, 'Why they meet'), h('ul', { class: 'reasons' }, [...(m.reasons || []), ...(m.hostReasons || [])].map((r) => h('li', {}, r)))) : null,
    );
  }

  function pairsSection() {
    const x = state.d;
    const pairs = x.pairs || [];
    const delegates = (x.delegates || []).map((q) => q.memberId);
    const hostIds = x.plan?.hostIds?.length ? x.plan.hostIds : (x.hosts || []).map((q) => q.memberId);
    const listId = uid('hosts');
    const f = {
      delegate: field({ label: 'Delegate', path: 'delegate_id', type: 'select', options: delegates.map((c) => [c, `${nameOf(c)} (${c})`]), value: delegates[0] || '' }),
      host: field({ label: 'Host id', path: 'host_id', value: '', attrs: { list: listId, spellcheck: 'false' } }),
      status: field({ label: 'Status', path: 'status', type: 'select', options: PAIR_STATUSES, value: 'ACCEPTED' }),
    };
    typeahead(f.host.input);
    const add = h(
      'form',
      { class: 'filters', 'aria-label': 'Add a pair' },
      f.delegate,
      f.host,
      h('datalist', { id: listId }, hostIds.map((c) => h('option', { value: c }, nameOf(c)))),
      f.status,
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'secondary', 'data-changes': true }, 'Add pair and re-plan')),
    );
    add.addEventListener('submit', (e) => {
      e.preventDefault();
      const pair = { delegateId: f.delegate.input.value, hostId: f.host.input.value.trim(), status: f.status.input.value };
      change(add.querySelector('button[type=submit]'), async () => {
        try {
          await savePairsAndPlan([...pairs.filter((q) => !samePair(q, pair)), pair], `Added ${pair.delegateId} – ${pair.hostId}.`);
        } catch (err) {
          say('error', describe(err));
        }
      });
    });
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'pairs-head' },
      h('h2', { id: 'pairs-head' }, 'Pairs decided by staff'),
      pairs.length
        ? h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'data' },
              h('thead', {}, h('tr', {}, ['Delegate', 'Host', 'Status', 'Fixed time', ''].map((t) => h('th', { scope: 'col' }, t)))),
              h(
                'tbody',
                {},
                pairs.map((q) =>
                  h(
                    'tr',
                    {},
                    h('td', {}, `${nameOf(q.delegateId)} (${q.delegateId})`),
                    h('td', {}, `${nameOf(q.hostId)} (${q.hostId})`),
                    h('td', {}, labelOf(PAIR_STATUSES, q.status)),
                    h('td', {}, q.date ? `${q.date} ${q.startTime || ''}` : 'any'),
                    h('td', {}, actionButton(`Remove ${q.delegateId} – ${q.hostId}`, 'link', async () => savePairsAndPlan(pairs.filter((r) => !samePair(r, q)), `Removed ${q.delegateId} – ${q.hostId}.`))),
                  ),
                ),
              ),
            ),
          )
        : h('p', {}, 'None: the planner chooses every pair.'),
      add,
    );
  }

  function downloads() {
    const x = state.d;
    if (!x.plan) return null;
    const companies = [...(x.delegates || []).map((q) => q.memberId), ...(x.plan.hostIds || [])];
    const company = field({ label: 'Company', path: 'member_id', type: 'select', options: companies.map((c) => [c, `${nameOf(c)} (${c})`]), value: companies[0] || '' });
    const get = (query, fallback) => async () => {
      const file = await fetchFile(`${path}/agenda`, query);
      saveBlob(file.blob, file.fileName || fallback);
      say('ok', `Downloaded ${file.fileName || fallback}.`);
    };
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'downloads-head' },
      h('h2', { id: 'downloads-head' }, 'Agendas'),
      company,
      h(
        'div',
        { class: 'actions' },
        actionButton('Agenda as iCalendar (.ics)', '', () => get({ member_id: company.input.value, format: 'ics' }, `${x.id}-${company.input.value}.ics`)(), { changes: false }),
        actionButton('Agenda as CSV', 'secondary', () => get({ member_id: company.input.value, format: 'csv' }, `${x.id}-${company.input.value}.csv`)(), { changes: false }),
        actionButton('Whole plan as CSV', 'secondary', () => get({ format: 'csv' }, `${x.id}-plan.csv`)(), { changes: false }),
      ),
      h('p', {}, h('a', { href: `#/meetings?delegation=${encodeURIComponent(x.id)}` }, 'Feedback on the meetings of this delegation')),
    );
  }

  function actions() {
    const hasPlan = Boolean(state.d.plan);
    const del = h('div', { class: 'confirm', hidden: true });
    return h(
      'div',
      { class: 'actions toolbar' },
      actionButton(hasPlan ? 'Re-plan' : 'Plan', '', () => plan(false)),
      hasPlan
        ? h('button', { type: 'button', class: 'secondary', 'data-changes': true, 'aria-expanded': state.confirm === 'scratch' ? 'true' : 'false', onclick: () => { if (!state.changing) { state.confirm = 'scratch'; draw({ focusSelector: '.scratch-confirm button' }); } } }, 'Plan from scratch…')
        : null,
      state.confirm === 'scratch'
        ? h(
            'div',
            { class: 'confirm scratch-confirm' },
            h('p', { role: 'alert' }, 'Plan from scratch? Every meeting that is not locked may change or move; locked pairs stay. You will see what changed.'),
            actionButton('Yes, plan from scratch', 'danger', () => plan(true)),
            h('button', { type: 'button', class: 'secondary', onclick: () => { state.confirm = ''; draw({ focusSelector: '.toolbar [aria-expanded]' }); } }, 'Cancel'),
          )
        : null,
      h('a', { class: 'button secondary', href: `#/delegations/${encodeURIComponent(state.d.id)}/edit` }, 'Edit'),
      h('a', { class: 'button secondary', href: `#/delegations/${encodeURIComponent(state.d.id)}/briefing` }, 'Briefing'),
      h('button', {
        type: 'button',
        class: 'danger',
        onclick: () => {
          del.hidden = false;
          del.replaceChildren(
            h('p', { role: 'alert' }, `Delete ${state.d.name || state.d.id} and its plan?`),
            actionButton('Yes, delete', 'danger', async () => {
              await api.del(path);
              ctx.navigate('#/delegations');
            }),
            h('button', { type: 'button', class: 'secondary', onclick: () => { del.hidden = true; } }, 'Cancel'),
          );
          del.querySelector('button').focus();
        },
      }, 'Delete…'),
      del,
    );
  }

  function draw({ focusSelector = null } = {}) {
    title.textContent = state.d.name || state.d.id;
    content.replaceChildren();
    append(content, [
      summary(),
      invitationLine(),
      tabs(),
      organiser ? actions() : null,
      planSummary(),
      selectedPanel(),
      grid(),
      h('div', { class: 'two-col' }, downloads(), organiser ? pairsSection() : null),
    ]);
    showChanging();
    if (focusSelector) content.querySelector(focusSelector)?.focus();
  }

  content.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && (state.selected || state.confirm)) {
      e.preventDefault();
      if (state.selected) clearSelection();
      else {
        state.confirm = '';
        draw();
      }
    }
  });

  await loadNames();
  if (tab) {
    // The programme or the hosts: their own views, under the same head.
    title.textContent = state.d.name || state.d.id;
    const part = h('div', { class: 'tab-content' });
    content.replaceChildren();
    append(content, [summary(), invitationLine(), tabs(), part]);
    const shared = { d: state.d, path, content: part, nameOf };
    if (tab === 'programme') renderProgrammeTab(ctx, { ...shared, onReplanned: (x) => { state.d = x; } });
    else renderHostsTab(ctx, shared);
    return;
  }
  draw();
}
