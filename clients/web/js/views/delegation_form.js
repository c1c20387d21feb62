// #/delegations/new and #/delegations/ID/edit: a delegation's main fields,
// days, delegates, hosts and host filter as a form, or the whole delegation as
// JSON. Server messages ("delegation.days[1].end_time: ...") appear beside the
// input they name, or beside the JSON editor.

import { api } from '../api.js';
import { h, heading, joinList, loading, notice, splitList } from '../dom.js';
import { changedFields, same, toInt } from '../edit.js';
import { busy, clearErrors, describe, field, formMessage, showError, showFieldError } from '../form.js';
import { listEditor } from '../list_editor.js';
import { typeahead } from '../typeahead.js';

const OUTPUT_ONLY = ['version', 'createTime', 'updateTime', 'plan'];

function editable(delegation) {
  const copy = structuredClone(delegation);
  for (const key of OUTPUT_ONLY) delete copy[key];
  return copy;
}

function dayRow(day, i) {
  const p = `delegation.days[${i}]`;
  const f = {
    date: field({ label: 'Date', path: `${p}.date`, type: 'date', value: day.date || '', required: true }),
    city: field({ label: 'City', path: `${p}.city`, value: day.city || '', required: true }),
    venue: field({ label: 'Venue', path: `${p}.venue`, value: day.venue || '', class: 'wide' }),
    timeZone: field({ label: 'Time zone', path: `${p}.time_zone`, value: day.timeZone || '', hint: 'IANA, e.g. America/Mexico_City; empty: the host country’s' }),
    startTime: field({ label: 'From', path: `${p}.start_time`, type: 'time', value: day.startTime || '09:00' }),
    endTime: field({ label: 'To', path: `${p}.end_time`, type: 'time', value: day.endTime || '13:00' }),
    tables: field({ label: 'Tables', path: `${p}.tables`, type: 'number', value: day.tables || '', hint: 'Empty: tables per venue', attrs: { min: 0 } }),
  };
  return {
    fields: Object.values(f),
    read: () => ({
      ...day,
      date: f.date.input.value,
      city: f.city.input.value.trim(),
      venue: f.venue.input.value.trim(),
      timeZone: f.timeZone.input.value.trim(),
      startTime: f.startTime.input.value,
      endTime: f.endTime.input.value,
      tables: toInt(f.tables.input.value),
    }),
  };
}

function participantRow(kind) {
  return (item, i) => {
    const p = `delegation.${kind}[${i}]`;
    const f = {
      memberId: field({ label: 'Member id', path: `${p}.member_id`, value: item.memberId || '', required: true, attrs: { spellcheck: 'false' } }),
      minMeetings:
        kind === 'delegates'
          ? field({ label: 'At least', path: `${p}.min_meetings`, type: 'number', value: item.minMeetings || '', hint: 'meetings wanted', attrs: { min: 0 } })
          : null,
      maxMeetings: field({ label: 'At most', path: `${p}.max_meetings`, type: 'number', value: item.maxMeetings || '', hint: 'Empty: no limit', attrs: { min: 0 } }),
    };
    typeahead(f.memberId.input);
    return {
      fields: Object.values(f).filter(Boolean),
      read: () => {
        const out = { ...item, memberId: f.memberId.input.value.trim(), maxMeetings: toInt(f.maxMeetings.input.value) };
        if (f.minMeetings) out.minMeetings = toInt(f.minMeetings.input.value);
        return out;
      },
    };
  };
}

export async function renderDelegationForm(ctx, id) {
  let original = null;
  if (id) {
    const wait = h('div', {}, heading(`Delegation ${id}`), loading());
    ctx.main.append(wait);
    try {
      original = await api.get(`/delegations/${encodeURIComponent(id)}`, {}, { signal: ctx.signal });
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      wait.replaceWith(heading(`Delegation ${id}`), notice('error', describe(e)));
      return;
    }
    wait.remove();
  }
  const start = original
    ? editable(original)
    : {
        chamberId: ctx.me.chamberId || '',
        meetingMinutes: 30,
        breakMinutes: 10,
        tablesPerVenue: 10,
        days: [{ startTime: '09:00', endTime: '13:00' }],
        delegates: [{}],
        hosts: [],
        hostFilter: { maxHosts: 20 },
      };
  ctx.main.append(heading(original ? `Edit ${original.name || original.id}` : 'New delegation'));
  const host = h('div');
  ctx.main.append(host);
  let mode = 'form';
  let current = start; // the delegation as last read from either editor

  const formButton = h('button', { type: 'button', class: 'tab', 'aria-pressed': 'true' }, 'Form');
  const jsonButton = h('button', { type: 'button', class: 'tab', 'aria-pressed': 'false' }, 'JSON');
  const switcher = h('div', { class: 'tabs', role: 'group', 'aria-label': 'Edit as' }, formButton, jsonButton);

  let readForm = () => current;
  const jsonField = field({
    label: 'Delegation as JSON',
    path: 'delegation',
    type: 'textarea',
    rows: 24,
    class: 'wide json',
    hint: 'Every field, also those the form does not show, e.g. participants’ “unavailable” times and “pairs”.',
    attrs: { spellcheck: 'false' },
  });

  function buildForm(d) {
    const f = {
      id: field({ label: 'Id', path: 'delegation.id', value: d.id || '', required: true, readonly: Boolean(original), attrs: { spellcheck: 'false' }, hint: original ? 'Never changes' : 'e.g. mx27' }),
      name: field({ label: 'Name', path: 'delegation.name', value: d.name || '', class: 'wide', hint: 'e.g. Mission to Mexico 2027' }),
      chamberId: field({ label: 'Chamber', path: 'delegation.chamber_id', value: d.chamberId || '', readonly: ctx.me.role !== 'ADMIN' }),
      originCountry: field({ label: 'From country', path: 'delegation.origin_country', value: d.originCountry || '', attrs: { maxlength: 2, autocapitalize: 'characters' } }),
      hostCountry: field({ label: 'To country', path: 'delegation.host_country', value: d.hostCountry || '', attrs: { maxlength: 2, autocapitalize: 'characters' } }),
      meetingMinutes: field({ label: 'Meeting minutes', path: 'delegation.meeting_minutes', type: 'number', value: d.meetingMinutes || '', hint: 'Empty: 30', attrs: { min: 0 } }),
      breakMinutes: field({ label: 'Break minutes', path: 'delegation.break_minutes', type: 'number', value: d.breakMinutes || '', hint: 'Empty: 10', attrs: { min: 0 } }),
      tablesPerVenue: field({ label: 'Tables per venue', path: 'delegation.tables_per_venue', type: 'number', value: d.tablesPerVenue || '', hint: 'Empty: 10', attrs: { min: 0 } }),
      maxHosts: field({ label: 'Add up to this many hosts', path: 'delegation.host_filter.max_hosts', type: 'number', value: d.hostFilter?.maxHosts || '', hint: 'The host country’s best partners in the itinerary’s cities; empty: none', attrs: { min: 0, max: 2000 } }),
      hostSectors: field({ label: 'Only hosts in these sectors', path: 'delegation.host_filter.sectors', value: joinList(d.hostFilter?.sectors), hint: 'NACE codes; empty: any' }),
    };
    const days = listEditor({ title: 'Day', addLabel: 'Add day', items: d.days || [], row: dayRow, blank: () => ({ startTime: '09:00', endTime: '13:00' }) });
    const delegates = listEditor({ title: 'Delegate', addLabel: 'Add delegate', items: d.delegates || [], row: participantRow('delegates'), blank: () => ({}) });
    const hosts = listEditor({ title: 'Host', addLabel: 'Add host', items: d.hosts || [], row: participantRow('hosts'), blank: () => ({}) });
    const destinations = h('div', { class: 'destinations', 'aria-live': 'polite' });
    const suggest = h('button', { type: 'button', class: 'secondary' }, 'Where are their best partners?');
    suggest.addEventListener('click', () =>
      busy(suggest, async () => {
        const ids = delegates.read().map((x) => x.memberId).filter(Boolean);
        destinations.replaceChildren();
        try {
          const origin = f.originCountry.input.value.trim().toUpperCase();
          const answer = await api.post('/destinations', { delegateIds: ids, k: 5, excludeCountries: origin ? [origin] : [] });
          const list = answer?.destinations || [];
          destinations.append(
            list.length
              ? h(
                  'ol',
                  {},
                  list.map((x) =>
                    h(
                      'li',
                      {},
                      `${x.country}: score ${Number(x.score || 0).toFixed(3)}, ${x.strongPartners || 0} strong partners`,
                      (x.cities || []).length ? ` (${x.cities.slice(0, 3).map((c) => `${c.city} ${c.strongPartners || 0}`).join(', ')})` : '',
                      ' ',
                      h('button', { type: 'button', class: 'link', onclick: () => { f.hostCountry.input.value = x.country; f.hostCountry.input.focus(); } }, `Go to ${x.country}`),
                    ),
                  ),
                )
              : h('p', {}, 'No destinations found for these delegates.'),
          );
        } catch (e) {
          destinations.append(notice('error', describe(e)));
        }
      }),
    );
    const element = h(
      'div',
      {},
      h('fieldset', { class: 'grid' }, h('legend', {}, 'Mission'), f.id, f.name, f.chamberId, f.originCountry, f.hostCountry, f.meetingMinutes, f.breakMinutes, f.tablesPerVenue),
      h('fieldset', {}, h('legend', {}, 'Itinerary'), days.element),
      h('fieldset', {}, h('legend', {}, 'Delegates'), delegates.element, h('div', { class: 'actions' }, suggest), destinations),
      h('fieldset', {}, h('legend', {}, 'Hosts named by staff'), hosts.element),
      h('fieldset', { class: 'grid' }, h('legend', {}, 'More hosts, chosen when planning'), f.maxHosts, f.hostSectors),
    );
    const read = () => {
      const out = {
        ...d,
        name: f.name.input.value.trim(),
        chamberId: f.chamberId.input.value.trim(),
        originCountry: f.originCountry.input.value.trim().toUpperCase(),
        hostCountry: f.hostCountry.input.value.trim().toUpperCase(),
        meetingMinutes: toInt(f.meetingMinutes.input.value),
        breakMinutes: toInt(f.breakMinutes.input.value),
        tablesPerVenue: toInt(f.tablesPerVenue.input.value),
        days: days.read(),
        delegates: delegates.read(),
        hosts: hosts.read(),
        hostFilter: { ...(d.hostFilter || {}), maxHosts: toInt(f.maxHosts.input.value), sectors: splitList(f.hostSectors.input.value) },
      };
      if (!original) out.id = f.id.input.value.trim();
      return out;
    };
    return { element, read };
  }

  const save = h('button', { type: 'submit' }, original ? 'Save changes' : 'Create delegation');
  const body = h('div');
  const form = h('form', { class: 'delegation-form', novalidate: true, 'data-root': 'delegation', 'data-failed': 'Not saved' }, switcher, body, formMessage(), h('div', { class: 'actions' }, save, original ? h('a', { class: 'button secondary', href: `#/delegations/${encodeURIComponent(original.id)}` }, 'Cancel') : null));
  host.append(form);

  function showForm(d) {
    const built = buildForm(d);
    readForm = built.read;
    body.replaceChildren(built.element);
    mode = 'form';
    formButton.setAttribute('aria-pressed', 'true');
    jsonButton.setAttribute('aria-pressed', 'false');
  }
  function showJson(d) {
    jsonField.input.value = JSON.stringify(d, null, 2);
    body.replaceChildren(jsonField);
    mode = 'json';
    formButton.setAttribute('aria-pressed', 'false');
    jsonButton.setAttribute('aria-pressed', 'true');
  }
  // The delegation in the editor on screen, or null after showing why not.
  function readCurrent() {
    if (mode === 'form') return readForm();
    try {
      const parsed = JSON.parse(jsonField.input.value);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new SyntaxError('the text must be one JSON object');
      return parsed;
    } catch (e) {
      showFieldError(jsonField.input, `Not valid JSON: ${e.message}`);
      return null;
    }
  }
  formButton.addEventListener('click', () => {
    if (mode === 'form') return;
    clearErrors(form);
    const d = readCurrent();
    if (!d) return;
    current = d;
    showForm(current);
    formButton.focus();
  });
  jsonButton.addEventListener('click', () => {
    if (mode === 'json') return;
    clearErrors(form);
    current = readCurrent();
    showJson(current);
    jsonButton.focus();
  });
  showForm(current);
  // Edits not saved (in either editor) make leaving the page ask first.
  const baseline = readForm();
  ctx.keepEdits(() => {
    if (mode === 'form') return !same(editable(baseline), editable(readForm()));
    try {
      return !same(editable(baseline), editable(JSON.parse(jsonField.input.value)));
    } catch {
      return true;
    }
  });

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(save, async () => {
      clearErrors(form);
      const d = readCurrent();
      if (!d) return;
      current = d;
      try {
        let saved;
        if (original) {
          const changes = changedFields(editable(original), editable(d));
          delete changes.id;
          if (!Object.keys(changes).length) {
            form.querySelector('.form-message').replaceChildren(h('p', { class: 'notice notice-info', role: 'status' }, 'Nothing changed.'));
            return;
          }
          saved = await api.patch(`/delegations/${encodeURIComponent(original.id)}`, changes, { expected_version: original.version });
        } else {
          saved = await api.post('/delegations', editable(d));
        }
        ctx.announce(`Saved delegation ${saved.id}`);
        ctx.navigate(`#/delegations/${encodeURIComponent(saved.id)}`);
      } catch (err) {
        showError(form, err, 'delegation');
      }
    });
  });
}
