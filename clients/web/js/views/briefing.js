// #/delegations/ID/briefing: a delegation's cultural briefing as the API
// gives it (GET /delegations/ID/briefing), in words for a printed page: the
// two countries, each day's clocks (time difference, working hours both sides
// share in each local time), the languages and who speaks them, the
// distance, the cultural dimensions and the staff's notes. "Print" and the
// print stylesheet give a clean sheet; "Download Markdown" saves the API's
// own Markdown under the API's file name. Staff read the whole briefing (or,
// with ?member=ID, what that company taking part sees); a company taking part
// reads it without the staff's notes and without other companies' names.

import { api, fetchFile, saveBlob } from '../api.js';
import { h, heading, loading, notice } from '../dom.js';
import { busy, describe } from '../form.js';
import { dayLabel } from '../schedule.js';

// "7 h", "5 h 30 min", "45 min".
function duration(minutes) {
  const m = Math.abs(Number(minutes || 0));
  const hours = Math.floor(m / 60);
  const rest = m % 60;
  if (!hours) return `${rest} min`;
  return rest ? `${hours} h ${rest} min` : `${hours} h`;
}

// "7 h behind Germany", "1 h ahead of Germany", "the same time as Germany".
function difference(offsetMinutes, originName) {
  const m = Number(offsetMinutes || 0);
  if (m === 0) return `the same time as ${originName}`;
  return m < 0 ? `${duration(m)} behind ${originName}` : `${duration(m)} ahead of ${originName}`;
}

// "official, 92 %", "35 %", "—".
function standing(official, share) {
  const parts = [];
  if (official) parts.push('official');
  if (Number(share || 0) > 0) parts.push(`${Math.round(Number(share) * 100)} %`);
  return parts.length ? parts.join(', ') : '—';
}

// "1 host", "2 hosts".
function count(n, word) {
  const k = Number(n || 0);
  return `${k} ${word}${k === 1 ? '' : 's'}`;
}

function countryName(c) {
  return c?.name ? `${c.name} (${c.code})` : c?.code || '?';
}

function table(caption, head, rows, cls = '') {
  return h(
    'table',
    { class: `data ${cls}`.trim() },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, head.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, rows),
  );
}

function section(name, title, ...content) {
  const id = `briefing-${name}`;
  return h('section', { class: 'card briefing-part', 'aria-labelledby': id, dataset: { part: name } }, h('h2', { id }, title), ...content);
}

function countries(b) {
  const o = b.origin || {};
  const t = b.host || {};
  const row = (label, a, c) => h('tr', {}, h('th', { scope: 'row' }, label), h('td', {}, a || '—'), h('td', {}, c || '—'));
  const region = (c) => [c.region, c.subregion].filter(Boolean).join(', ');
  const zone = (c) => (c.timeZone ? `${c.timeZone}${c.city ? ` (${c.city})` : ''}` : c.city);
  const distance = Number(b.distanceKm || 0) > 0
    ? h('p', { dataset: { figure: 'distance' } }, `About ${Math.round(Number(b.distanceKm)).toLocaleString('en-GB')} km from ${b.distanceFrom || o.city || o.name} to ${b.distanceTo || t.city || t.name} (as the crow flies).`)
    : h('p', { class: 'hint' }, 'The distance is not known: the server has no coordinates for the cities.');
  return section(
    'countries',
    'The two countries',
    table('Where the delegation comes from and where it goes', ['', `From: ${o.name || o.code || '?'}`, `To: ${t.name || t.code || '?'}`], [
      row('Country', countryName(o), countryName(t)),
      row('Region', region(o), region(t)),
      row('Main city and time zone', zone(o), zone(t)),
    ], 'briefing-countries'),
    distance,
  );
}

function clocks(b) {
  const origin = b.origin?.name || b.origin?.code || 'home';
  const days = b.days || [];
  if (!days.length) return section('clocks', 'Clocks', h('p', {}, 'The delegation has no days yet.'));
  const rows = days.map((d) => {
    const shared = Number(d.overlapMinutes || 0) > 0;
    return h(
      'tr',
      { dataset: { day: d.date } },
      h('th', { scope: 'row' }, dayLabel(d.date), h('span', { class: 'hint block' }, d.date)),
      h('td', {}, d.city || '—', d.venueTimeZone ? h('span', { class: 'hint block' }, d.venueTimeZone) : null),
      h('td', { dataset: { cell: 'offset', minutes: String(Number(d.offsetMinutes || 0)) } }, `${d.city || 'The venue'} is ${difference(d.offsetMinutes, origin)}`),
      h('td', { dataset: { cell: 'overlap', minutes: String(Number(d.overlapMinutes || 0)) } }, shared ? duration(d.overlapMinutes) : 'None: the working days do not overlap'),
      h('td', { dataset: { cell: 'venue-hours' } }, shared ? `${d.venueOverlapStart}–${d.venueOverlapEnd}` : '—'),
      h('td', { dataset: { cell: 'origin-hours' } }, shared ? `${d.originOverlapStart}–${d.originOverlapEnd}` : '—'),
    );
  });
  return section(
    'clocks',
    'Clocks',
    h('p', {}, `Working hours are 09:00–17:00 local time on both sides. The hours both share are the time to call ${origin} from the venue, or the venue from ${origin}.`),
    table('Each day of the trip as both sides’ clocks see it', ['Date', 'City', 'Time difference', 'Working hours shared', 'Shared hours at the venue', `Shared hours in ${origin}`], rows, 'briefing-clocks'),
  );
}

function languages(b, isStaff) {
  const o = b.origin?.name || b.origin?.code || 'From';
  const t = b.host?.name || b.host?.code || 'To';
  const list = b.languages || [];
  if (!list.length) return section('languages', 'Languages', h('p', {}, 'The server knows no language of either country or of the companies taking part.'));
  const both = list.filter((l) => l.shared).map((l) => l.name || l.code);
  const who = (l) => {
    const named = (l.companies || []).map((c) => `${c.name || c.memberId} (${c.delegate ? 'delegate' : 'host'})`);
    return named.length ? named.join(', ') : '—';
  };
  return section(
    'languages',
    'Languages',
    h('p', {}, both.length ? `Both countries speak ${both.join(', ')}.` : 'The two countries share no language: plan for an interpreter.'),
    h('p', { class: 'hint' }, `${count(b.delegates, 'delegate')} and ${count(b.hosts, 'host')} take part; the counts are the companies whose profile lists the language.`),
    table('Languages of either country and of the companies taking part', ['Language', `In ${o}`, `In ${t}`, 'Shared', 'Delegates', 'Hosts', isStaff ? 'Companies' : 'Your company'], list.map((l) =>
      h(
        'tr',
        { dataset: { language: l.code } },
        h('th', { scope: 'row' }, l.name || l.code, ` (${l.code})`),
        h('td', {}, standing(l.originOfficial, l.originShare)),
        h('td', {}, standing(l.hostOfficial, l.hostShare)),
        h('td', {}, l.shared ? 'yes' : 'no'),
        h('td', {}, String(Number(l.delegates || 0))),
        h('td', {}, String(Number(l.hosts || 0))),
        h('td', {}, who(l)),
      ),
    ), 'briefing-languages'),
    h('p', { class: 'hint' }, 'Official: an official language there; a percentage: the share of the population that speaks it. Shared: official in, or spoken by at least a fifth of, both countries.'),
  );
}

function dimensions(b) {
  const list = b.dimensions || [];
  if (!list.length) {
    return section(
      'dimensions',
      'Cultural dimensions',
      h('p', { dataset: { none: 'dimensions' } }, 'None: the operator has not supplied the file of cultural dimensions (Hofstede’s scores), so this briefing has no scores or notes on them.'),
    );
  }
  const score = (x) => (x === undefined || x === null ? '—' : String(Math.round(Number(x))));
  return section(
    'dimensions',
    'Cultural dimensions',
    h('p', {}, 'Hofstede’s scores (0 to 100) from the operator’s file, with what a difference may mean at a meeting.'),
    table('Cultural dimensions of the two countries', ['Dimension', b.origin?.name || 'From', b.host?.name || 'To', 'What it may mean'], list.map((d) =>
      h(
        'tr',
        { dataset: { dimension: d.code } },
        h('th', { scope: 'row' }, d.name || d.code),
        h('td', {}, score(d.originScore)),
        h('td', {}, score(d.hostScore)),
        h('td', {}, d.note || '—'),
      ),
    ), 'briefing-dimensions'),
    b.kogutSingh === undefined || b.kogutSingh === null
      ? null
      : h('p', {}, `Cultural distance (Kogut-Singh): ${Number(b.kogutSingh).toFixed(2)}; 0 is the same profile, about 1 an average pair of countries.`),
  );
}

function notes(b) {
  return section(
    'notes',
    'Notes from the staff',
    b.staffNotes
      ? h('p', { class: 'staff-notes' }, b.staffNotes)
      : h('p', { class: 'hint' }, 'No notes written for this delegation.'),
    h('p', { class: 'hint' }, 'For staff only: the companies taking part do not see these notes.'),
  );
}

export async function renderBriefing(ctx, id) {
  const path = `/delegations/${encodeURIComponent(id)}/briefing`;
  // Staff may read it as one company taking part sees it.
  const member = ctx.isStaff ? ctx.query.get('member') || '' : '';
  const whole = ctx.isStaff && !member;
  const title = heading(`Briefing: ${id}`);
  const status = h('div', { class: 'status-area', 'aria-live': 'polite' });
  const content = h('div', {}, loading('Loading the briefing…'));
  const back = ctx.isStaff
    ? h('a', { href: `#/delegations/${encodeURIComponent(id)}` }, 'Back to the delegation')
    : h('a', { href: `#/me?delegation=${encodeURIComponent(id)}` }, 'Back to my agenda');
  ctx.main.append(h('p', { class: 'links no-print' }, back), h('div', { class: 'page-head' }, title), status, content);

  let b;
  try {
    b = await api.get(path, { member_id: member }, { signal: ctx.signal });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    content.replaceChildren(notice('error', describe(e)));
    return;
  }
  title.textContent = `Briefing: ${b.delegationName || b.delegationId || id}`;

  const print = h('button', { type: 'button', onclick: () => window.print() }, 'Print');
  const download = h('button', { type: 'button', class: 'secondary' }, 'Download Markdown');
  download.addEventListener('click', () =>
    busy(download, async () => {
      try {
        const file = await fetchFile(path, { format: 'markdown', member_id: member }, { signal: ctx.signal });
        saveBlob(file.blob, file.fileName || b.fileName || `${id}-briefing.md`);
        status.replaceChildren();
      } catch (e) {
        if (e.name === 'AbortError') return;
        status.replaceChildren(notice('error', `The Markdown file could not be downloaded. ${describe(e)}`));
      }
    }),
  );
  title.after(h('div', { class: 'actions no-print' }, print, download));

  const o = b.origin || {};
  const t = b.host || {};
  content.replaceChildren(
    h(
      'p',
      { class: 'briefing-summary' },
      `${countryName(o)} → ${countryName(t)}: ${count(b.delegates, 'delegate')}, ${count(b.hosts, 'host')}.`,
      member ? ` As ${member} sees it: without the staff’s notes or other companies’ names.` : '',
    ),
    countries(b),
    clocks(b),
    languages(b, whole),
    dimensions(b),
    whole ? notes(b) : null,
  );
}
