// #/delegations/ID?tab=programme: a delegation's programme (briefings,
// company visits, seminars, receptions: when, where, who attends) and its
// interpreters (languages, days, hours). The organiser's staff add, change
// and remove them; saving writes the one list with the version read and,
// when the delegation has a plan, re-plans so that no meeting sits over an
// item a company attends. Everyone else who may read the delegation sees
// them as lists.

import { api } from '../api.js';
import { h, joinList, notice, splitList, uid } from '../dom.js';
import { toNumberOrNull } from '../edit.js';
import { busy, clearErrors, describe, field, formMessage, showError } from '../form.js';
import { listEditor } from '../list_editor.js';
import { attendeesText, interpreterSummary, ITEM_KINDS, kindText, whenWhereText } from '../programme.js';
import { dayLabel } from '../schedule.js';
import { delegationRole } from '../delegation_role.js';

// A new item's id: the kind and a number not used yet ("briefing-2").
function freshId(items, kind) {
  const base = String(kind || 'item').toLowerCase().replace(/_/g, '-');
  for (let n = 1; ; n += 1) {
    const id = `${base}-${n}`;
    if (!items.some((x) => x.id === id)) return id;
  }
}

// "2027-03-29 09:00-13:00" (or a date alone: all day) per line, as the
// API's InterpreterAvailability; and back.
function availabilityText(list) {
  return (list || []).map((a) => [a.date, a.startTime && a.endTime ? `${a.startTime}-${a.endTime}` : ''].filter(Boolean).join(' ')).join('\n');
}

function availabilityOf(text) {
  return String(text || '')
    .split(/\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const m = /^(\S+)(?:\s+(\d{1,2}:\d{2})\s*[-–]\s*(\d{1,2}:\d{2}))?$/.exec(line);
      return m ? { date: m[1], startTime: m[2] || '', endTime: m[3] || '' } : { date: line };
    });
}

// "en-fr, de-es" as the API's language pairs; and back.
function pairsText(pairs) {
  return (pairs || []).map((p) => `${p.first}-${p.second}`).join(', ');
}

function pairsOf(text) {
  return splitList(text).map((x) => {
    const [first = '', second = ''] = x.toLowerCase().split(/\s*[-–/]\s*/);
    return { first, second };
  });
}

function interpreterRow(days) {
  return (it, i) => {
    const p = `delegation.interpreters[${i}]`;
    const f = {
      name: field({ label: 'Name', path: `${p}.name`, value: it.name || '', required: true }),
      languages: field({ label: 'Languages', path: `${p}.languages`, value: joinList(it.languages), hint: 'Translates between any two of them: ISO 639-1 codes, e.g. de, es, en', attrs: { spellcheck: 'false' } }),
      pairs: field({ label: 'Language pairs', path: `${p}.language_pairs`, value: pairsText(it.languagePairs), hint: 'Or only these pairs, e.g. de-es, en-fr', attrs: { spellcheck: 'false' } }),
      available: field({
        label: 'Available',
        path: `${p}.available`,
        type: 'textarea',
        rows: 2,
        value: availabilityText(it.available),
        hint: `One day a line: ${days[0]?.date || '2027-03-29'} 09:00-13:00, or the date alone for the whole day. Empty: every day, all day.`,
        class: 'wide',
        attrs: { spellcheck: 'false' },
      }),
    };
    return {
      fields: Object.values(f),
      read: () => ({
        ...it,
        name: f.name.input.value.trim(),
        languages: splitList(f.languages.input.value).map((x) => x.toLowerCase()),
        languagePairs: pairsOf(f.pairs.input.value),
        available: availabilityOf(f.available.input.value),
      }),
    };
  };
}

export function renderProgrammeTab(ctx, { d, path, content, nameOf, onReplanned }) {
  const state = { d, editing: null }; // editing: the id of the item in the form, or '' for a new one
  const canEdit = delegationRole(ctx.me, d) === 'organiser';
  const status = h('div', { class: 'status-area', 'aria-live': 'polite' });
  const body = h('div');
  content.replaceChildren(status, body);

  function say(kind, text) {
    const box = notice(kind, text);
    box.setAttribute('tabindex', '-1');
    status.replaceChildren(box);
    box.focus();
  }

  // Writes one list (`programme` or `interpreters`), then re-plans when there
  // is a plan. Says which step failed: a refused change stored nothing.
  async function save(patch, what) {
    try {
      state.d = await api.patch(path, patch, { expected_version: state.d.version });
    } catch (e) {
      if (e.name !== 'AbortError') {
        e.message = `Not saved; the delegation is unchanged. ${e.message}${e.code === 'ABORTED' ? ' Reload the page to see the latest version, then try again.' : ''}`;
      }
      throw e;
    }
    if (!state.d.plan) return `${what} Plan the delegation to schedule around it.`;
    try {
      state.d = await api.post(`${path}:plan`, {}, { fresh: 'false' });
    } catch (e) {
      if (e.name !== 'AbortError') e.message = `${what} Saved, but the re-plan failed: ${e.message}`;
      throw e;
    }
    onReplanned?.(state.d);
    return `${what} Re-planned: ${(state.d.plan.meetings || []).length} meetings, none over an item its companies attend.`;
  }

  function itemsTable() {
    const items = [...(state.d.programme || [])].sort((a, b) => `${a.date} ${a.startTime}`.localeCompare(`${b.date} ${b.startTime}`));
    if (!items.length) return h('p', {}, 'No programme items: the days hold meetings only.');
    return h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'data programme-table' },
        h('caption', { class: 'visually-hidden' }, 'Programme items'),
        h('thead', {}, h('tr', {}, ['What', 'When and where', 'Who attends', canEdit ? '' : null].filter((t) => t !== null).map((t) => h('th', { scope: 'col' }, t)))),
        h(
          'tbody',
          {},
          items.map((item) => {
            const rowId = uid('item');
            return h(
              'tr',
              { dataset: { item: item.id } },
              h('th', { scope: 'row', id: rowId }, h('span', { class: `item-kind kind-${String(item.kind || 'other').toLowerCase()}` }, kindText(item.kind)), ' ', item.title || item.id),
              h('td', {}, whenWhereText(item), item.place?.address ? h('span', { class: 'hint block' }, item.place.address) : null),
              h('td', {}, attendeesText(item), (item.memberIds || []).length ? h('span', { class: 'hint block' }, item.memberIds.map(nameOf).join(', ')) : null),
              canEdit
                ? h(
                    'td',
                    { class: 'row-actions' },
                    h('button', { type: 'button', class: 'link', 'aria-describedby': rowId, onclick: () => { state.editing = item.id; draw('.item-form input, .item-form select'); } }, 'Edit'),
                    ' ',
                    h('button', {
                      type: 'button',
                      class: 'link',
                      'aria-describedby': rowId,
                      onclick: (e) =>
                        busy(e.currentTarget, async () => {
                          try {
                            const text = await save({ programme: (state.d.programme || []).filter((x) => x.id !== item.id) }, `Removed ${item.title || item.id}.`);
                            state.editing = null;
                            draw();
                            say('ok', text);
                          } catch (err) {
                            if (err.name !== 'AbortError') say('error', describe(err));
                          }
                        }),
                    }, 'Remove'),
                  )
                : null,
            );
          }),
        ),
      ),
    );
  }

  function itemForm() {
    const x = state.d;
    const items = x.programme || [];
    const index = items.findIndex((it) => it.id === state.editing);
    const item = index >= 0 ? items[index] : { kind: 'BRIEFING', allDelegates: true, date: [...(x.days || [])].map((day) => day.date).sort()[0] || '' };
    const p = `delegation.programme[${index >= 0 ? index : items.length}]`;
    const days = [...(x.days || [])].sort((a, b) => String(a.date).localeCompare(String(b.date)));
    const companies = [...(x.delegates || []).map((q) => q.memberId), ...(x.hosts || []).map((q) => q.memberId)];
    const f = {
      kind: field({ label: 'Kind', path: `${p}.kind`, type: 'select', options: ITEM_KINDS, value: item.kind || 'BRIEFING' }),
      title: field({ label: 'Title', path: `${p}.title`, value: item.title || '', required: true, class: 'wide' }),
      date: field({ label: 'Day', path: `${p}.date`, type: 'select', options: days.map((day) => [day.date, `${dayLabel(day.date)} · ${day.city}`]), value: item.date || '' }),
      startTime: field({ label: 'From', path: `${p}.start_time`, type: 'time', value: item.startTime || '', required: true }),
      endTime: field({ label: 'To', path: `${p}.end_time`, type: 'time', value: item.endTime || '', required: true }),
      placeName: field({ label: 'Place', path: `${p}.place.name`, value: item.place?.name || '', hint: 'Empty: the day’s venue' }),
      address: field({ label: 'Address', path: `${p}.place.address`, value: item.place?.address || '' }),
      latitude: field({ label: 'Latitude', path: `${p}.place.latitude`, type: 'number', value: item.place?.latitude ?? '', hint: 'For travel time from the venue', attrs: { step: 'any', min: -90, max: 90 } }),
      longitude: field({ label: 'Longitude', path: `${p}.place.longitude`, type: 'number', value: item.place?.longitude ?? '', attrs: { step: 'any', min: -180, max: 180 } }),
      allDelegates: field({ label: 'All delegates attend', path: `${p}.all_delegates`, type: 'checkbox', value: item.allDelegates }),
      attendees: field({
        label: 'Also attending',
        path: `${p}.member_ids`,
        value: joinList(item.memberIds),
        hint: `Member ids, comma separated (delegates or hosts), e.g. ${companies.slice(0, 2).join(', ')}`,
        class: 'wide',
        attrs: { spellcheck: 'false' },
      }),
    };
    const submit = h('button', { type: 'submit' }, index >= 0 ? (x.plan ? 'Save item and re-plan' : 'Save item') : x.plan ? 'Add item and re-plan' : 'Add item');
    const form = h(
      'form',
      { class: 'item-form', novalidate: true, 'aria-label': index >= 0 ? `Edit ${item.title || item.id}` : 'Add a programme item', 'data-failed': 'Not saved' },
      h('div', { class: 'row' }, Object.values(f)),
      h(
        'div',
        { class: 'actions' },
        submit,
        index >= 0 ? h('button', { type: 'button', class: 'secondary', onclick: () => { state.editing = null; draw(); } }, 'Cancel') : null,
      ),
      formMessage(),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      clearErrors(form);
      const place = {
        name: f.placeName.input.value.trim(),
        address: f.address.input.value.trim(),
      };
      const lat = toNumberOrNull(f.latitude.input.value);
      const lng = toNumberOrNull(f.longitude.input.value);
      if (lat !== null) place.latitude = lat;
      if (lng !== null) place.longitude = lng;
      const edited = {
        ...item,
        id: item.id || freshId(items, f.kind.input.value),
        kind: f.kind.input.value,
        title: f.title.input.value.trim(),
        date: f.date.input.value,
        startTime: f.startTime.input.value,
        endTime: f.endTime.input.value,
        place,
        allDelegates: f.allDelegates.input.checked,
        memberIds: splitList(f.attendees.input.value),
      };
      const programme = index >= 0 ? items.map((it, j) => (j === index ? edited : it)) : [...items, edited];
      busy(submit, async () => {
        try {
          const text = await save({ programme }, `${index >= 0 ? 'Saved' : 'Added'} ${edited.title || edited.id} (${whenWhereText(edited)}).`);
          state.editing = null;
          draw();
          say('ok', text);
        } catch (err) {
          if (err.name !== 'AbortError') showError(form, err, 'delegation');
        }
      });
    });
    return form;
  }

  function interpretersSection() {
    const list = state.d.interpreters || [];
    const days = [...(state.d.days || [])].sort((a, b) => String(a.date).localeCompare(String(b.date)));
    const uncovered = (state.d.plan?.meetings || []).filter((m) => m.needsInterpreter && !m.interpreter).length;
    const flagged = (state.d.plan?.meetings || []).filter((m) => m.needsInterpreter).length;
    const intro = h(
      'p',
      { class: 'hint' },
      'A meeting whose two companies share no business language needs an interpreter. The planner assigns one who speaks both sides’ languages and is free at that time.',
      state.d.plan ? ` This plan: ${flagged} meeting${flagged === 1 ? '' : 's'} need${flagged === 1 ? 's' : ''} one, ${uncovered} without an interpreter free.` : '',
    );
    if (!canEdit) {
      return h(
        'section',
        { class: 'card', 'aria-labelledby': 'interp-head' },
        h('h2', { id: 'interp-head' }, 'Interpreters'),
        intro,
        list.length ? h('ul', { class: 'interpreters' }, list.map((i) => h('li', {}, interpreterSummary(i)))) : h('p', {}, 'No interpreters declared.'),
      );
    }
    const editor = listEditor({ title: 'Interpreter', addLabel: 'Add an interpreter', items: list, row: interpreterRow(days), blank: () => ({}) });
    const submit = h('button', { type: 'submit' }, state.d.plan ? 'Save interpreters and re-plan' : 'Save interpreters');
    const form = h('form', { class: 'interpreters-form', novalidate: true, 'aria-label': 'Interpreters', 'data-failed': 'Not saved' }, editor.element, h('div', { class: 'actions' }, submit), formMessage());
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      clearErrors(form);
      busy(submit, async () => {
        try {
          const read = editor.read();
          const text = await save({ interpreters: read }, `Saved ${read.length} interpreter${read.length === 1 ? '' : 's'}.`);
          draw();
          say('ok', text);
        } catch (err) {
          if (err.name !== 'AbortError') showError(form, err, 'delegation');
        }
      });
    });
    return h('section', { class: 'card', 'aria-labelledby': 'interp-head' }, h('h2', { id: 'interp-head' }, 'Interpreters'), intro, form);
  }

  function draw(focusSelector = null) {
    body.replaceChildren(
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'programme-head' },
        h('h2', { id: 'programme-head' }, 'Programme'),
        h('p', { class: 'hint' }, 'Briefings, company visits, seminars and receptions. No meeting is planned over an item a company attends, nor in the time it takes to get to and from an item away from the day’s venue.'),
        itemsTable(),
        canEdit ? h('h3', {}, state.editing ? 'Edit the item' : 'Add an item') : null,
        canEdit ? itemForm() : null,
      ),
      interpretersSection(),
    );
    if (focusSelector) body.querySelector(focusSelector)?.focus();
  }

  draw();
}
