// #/analytics: what the chamber's matching came to, for its staff. The
// chamber's figures (requests and how many were accepted, meetings and how
// many were held, ratings, follow-ups, agreements, partnerships and their
// goals) for a period or a delegation, beside the figures event-matchmaking
// vendors publish as typical; grouped by delegation, month, country pair or
// sector as a bar chart (SVG with a title and a description) with the same
// numbers in a table beside it; the figures as a CSV file.
// The filters are in the address: ?group_by=month&from=2027-01-01&to=…&delegation=…

import { api, fetchFile, saveBlob } from '../api.js';
import { h, heading, loading, notice, percent, queryString, uid } from '../dom.js';
import { barChart } from '../chart.js';
import { busy, describe, field } from '../form.js';
import { labelOf } from '../labels.js';
import { AGREEMENT_TYPES } from '../outcomes.js';

const GROUPS = [
  ['month', 'Month'],
  ['delegation', 'Delegation'],
  ['country_pair', 'Country pair'],
  ['sector', 'Sector (NACE sections)'],
  ['total', 'No grouping'],
];

const num = (v) => Number(v || 0);

// What the chart can show, each a figure of AnalyticsFigures.
const MEASURES = [
  ['requestsSent', 'Meeting requests sent', num],
  ['requestsAccepted', 'Requests accepted', num],
  ['acceptanceRate', 'Acceptance rate', (f) => f, 'acceptance'],
  ['meetingsPlanned', 'Meetings planned', num],
  ['meetingsHeld', 'Meetings held', num],
  ['heldRate', 'Share of meetings held', (f) => f, 'held'],
  ['averageRating', 'Average rating (1 to 5)', (f) => f],
  ['agreementsSigned', 'Agreements signed', num],
  ['partnerships', 'Partnerships started', num],
];

const STANDINGS = {
  BELOW_TYPICAL: 'below the typical range',
  WITHIN_TYPICAL: 'within the typical range',
  ABOVE_TYPICAL: 'above the typical range',
};

function isRate(key) {
  return key === 'acceptanceRate' || key === 'heldRate';
}

// A figure for people: rates as percentages, the rating with one decimal,
// '—' for a rate without a denominator.
function show(key, f) {
  const v = f[key];
  if (isRate(key) || key === 'noShowRate') return v === undefined ? '—' : percent(v, 0);
  if (key === 'averageRating') return v === undefined ? '—' : Number(v).toFixed(1);
  if (key === 'medianDaysToAgreement') return v === undefined ? '—' : `${Math.round(v)} days`;
  return String(num(v));
}

function rangeText(range) {
  return range ? `${Math.round(range.low * 100)}–${Math.round(range.high * 100)} %` : '';
}

export async function renderAnalytics(ctx) {
  const q = ctx.query;
  const chamber = q.get('chamber') || (ctx.me.role === 'STAFF' ? ctx.me.chamberId : '');
  const state = {
    chamber,
    delegation: q.get('delegation') || '',
    from: q.get('from') || '',
    to: q.get('to') || '',
    groupBy: q.get('group_by') || 'month',
    measure: MEASURES.some(([k]) => k === q.get('chart')) ? q.get('chart') : 'requestsSent',
  };
  const f = {
    chamber: ctx.me.role === 'ADMIN' ? field({ label: 'Chamber', path: 'chamber_id', value: state.chamber, required: true }) : null,
    delegation: field({ label: 'Delegation', path: 'delegation_id', value: state.delegation, hint: 'Empty: everything' }),
    from: field({ label: 'From', path: 'from_date', type: 'date', value: state.from }),
    to: field({ label: 'To', path: 'to_date', type: 'date', value: state.to }),
    groupBy: field({ label: 'Group by', path: 'group_by', type: 'select', options: GROUPS, value: state.groupBy }),
    measure: field({ label: 'Chart', path: 'chart', type: 'select', options: MEASURES.map(([k, label]) => [k, label]), value: state.measure }),
  };
  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': 'Which figures' },
    Object.values(f),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'secondary' }, 'Show')),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    ctx.navigate(
      `#/analytics${queryString({
        chamber: f.chamber ? f.chamber.input.value.trim() : '',
        delegation: f.delegation.input.value.trim(),
        from: f.from.input.value,
        to: f.to.input.value,
        group_by: f.groupBy.input.value,
        chart: f.measure.input.value,
      })}`,
    );
  });
  const status = h('div', { class: 'status-area', 'aria-live': 'polite' });
  const download = h('button', { type: 'button', class: 'secondary' }, 'Download as CSV');
  ctx.main.append(h('div', { class: 'page-head' }, heading('Analytics'), h('div', { class: 'export' }, download)), form, status);
  if (ctx.me.role === 'ADMIN' && !chamber) {
    ctx.main.append(notice('info', 'Enter a chamber to see its figures.'));
    download.remove();
    return;
  }
  const query = { chamber_id: ctx.me.role === 'ADMIN' ? state.chamber : '', delegation_id: state.delegation, from_date: state.from, to_date: state.to, group_by: state.groupBy };
  download.addEventListener('click', () =>
    busy(download, async () => {
      try {
        const file = await fetchFile('/analytics', { ...query, format: 'csv' });
        const name = file.fileName || 'analytics.csv';
        saveBlob(file.blob, name);
        status.replaceChildren(notice('ok', `Downloaded ${name}.`));
        ctx.announce(`Downloaded ${name}.`);
      } catch (e) {
        status.replaceChildren(notice('error', describe(e)));
      }
    }),
  );
  const wait = loading('Counting…');
  ctx.main.append(wait);
  let a;
  try {
    a = await api.get('/analytics', query, { signal: ctx.signal });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    wait.replaceWith(notice('error', describe(e)));
    return;
  }
  const total = a.total || {};
  const typical = a.typical || {};
  wait.replaceWith(
    totals(total, typical, a),
    state.groupBy === 'total' ? null : groups(a, state.measure, typical),
  );
}

// The totals, each figure with its name, and the typical ranges beside the
// two rates vendors publish.
function totals(t, typical, a) {
  const item = (key, label, extra) =>
    h('div', { dataset: { figure: key } }, h('dt', {}, label), h('dd', { class: 'figure' }, show(key, t)), extra ? h('dd', { class: 'hint' }, extra) : null);
  const versus = (key, standingKey, range) =>
    t[key] === undefined
      ? `Typical: ${rangeText(range)}`
      : `Typical: ${rangeText(range)} (${range?.source || 'vendors'}); ours is ${STANDINGS[t[standingKey]] || 'not judged'}`;
  const byType = (t.agreementsByType || []).map((x) => `${labelOf(AGREEMENT_TYPES, x.type)}: ${num(x.count)}`).join(', ');
  const id = uid('totals');
  const period = [a.fromDate && `from ${a.fromDate}`, a.toDate && `to ${a.toDate}`].filter(Boolean).join(' ');
  return h(
    'section',
    { class: 'card analytics-totals', 'aria-labelledby': id },
    h('h2', { id }, `${a.chamberId}${a.delegationId ? `, delegation ${a.delegationId}` : ''}${period ? `, ${period}` : ''}`),
    h('h3', {}, 'Meeting requests'),
    h(
      'dl',
      { class: 'figures' },
      item('requestsSent', 'Sent'),
      item('requestsAccepted', 'Accepted'),
      item('requestsDeclined', 'Declined'),
      item('requestsExpired', 'Expired'),
      item('acceptanceRate', 'Acceptance rate', versus('acceptanceRate', 'acceptanceStanding', typical.acceptanceRate)),
    ),
    h('h3', {}, 'Meetings'),
    h(
      'dl',
      { class: 'figures' },
      item('meetingsPlanned', 'Planned'),
      item('meetingsReported', 'With feedback'),
      item('meetingsHeld', 'Held'),
      item('meetingsNoShow', 'A side did not come'),
      item('meetingsCancelled', 'Called off'),
      item('heldRate', 'Share held', versus('heldRate', 'heldStanding', typical.heldRate)),
      item('averageRating', 'Average rating', `${num(t.ratings)} rating${num(t.ratings) === 1 ? '' : 's'}`),
      item('followUpYes', 'Want to follow up', `maybe ${num(t.followUpMaybe)}, no ${num(t.followUpNo)}`),
    ),
    h('h3', {}, 'What came of them'),
    h(
      'dl',
      { class: 'figures' },
      item('agreementsSigned', 'Agreements signed', byType || null),
      item('medianDaysToAgreement', 'Median time to agreement'),
      item('partnerships', 'Partnerships started', `${num(t.partnershipsActive)} active now`),
      item('goalsOnTrack', 'Goals on track'),
      item('goalsAtRisk', 'Goals at risk'),
      item('goalsOffTrack', 'Goals off track'),
      item('goalsNotReviewed', 'Goals not reviewed'),
    ),
  );
}

// The groups: a bar chart of one figure and the table of the same numbers.
function groups(a, measure, typical) {
  const [key, label, value, rateOf] = MEASURES.find(([k]) => k === measure);
  const rows = a.rows || [];
  const id = uid('groups');
  const by = labelOf(GROUPS, String(a.groupBy || '').toLowerCase()).toLowerCase();
  if (!rows.length) {
    return h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, `${label} by ${by}`), h('p', { class: 'hint' }, 'Nothing to count in this period.'));
  }
  const bars = rows.map((r) => {
    const f = r.figures || {};
    const v = value(f[key]);
    return { label: r.key, value: v === undefined ? 0 : Number(v), text: show(key, f) };
  });
  const range = rateOf ? typical[`${rateOf}Rate`] : null;
  const title = `${label} by ${by}`;
  const desc = `${bars.map((b) => `${b.label}: ${b.text}`).join('; ')}.${range ? ` Typical range ${rangeText(range)}.` : ''}`;
  const chart = barChart({
    title,
    desc,
    bars,
    max: isRate(key) ? 1 : key === 'averageRating' ? 5 : undefined,
    band: range ? { low: range.low, high: range.high, label: `typical ${rangeText(range)}` } : null,
  });
  const table = h(
    'table',
    { class: 'data analytics-table' },
    h('caption', {}, title),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, labelOf(GROUPS, String(a.groupBy || '').toLowerCase())), h('th', { scope: 'col', class: 'num' }, label))),
    h('tbody', {}, rows.map((r, i) => h('tr', { dataset: { key: r.key } }, h('th', { scope: 'row' }, r.key), h('td', { class: 'num' }, bars[i].text)))),
  );
  return h(
    'section',
    { class: 'card analytics-groups', 'aria-labelledby': id },
    h('h2', { id }, title),
    h('div', { class: 'two-col' }, h('figure', { class: 'chart-figure' }, chart), h('div', { class: 'table-wrap' }, table)),
  );
}
