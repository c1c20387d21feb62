// #/compare?a=ID&b=ID: the two companies side by side (country, city,
// sectors with their NACE titles, languages, size, objectives in words,
// markets), then the full breakdown of the pair's score, whether or not b
// would make a's top list (POST /partners:explain). Staff type either id with
// a type-ahead.

import { anonymousNote, isAnonymous, nameFor } from '../anonymous.js';
import { api } from '../api.js';
import { h, heading, joinList } from '../dom.js';
import { busy, clearErrors, field, formMessage, showError } from '../form.js';
import { objectiveText } from '../labels.js';
import { factorTable, reasonList, scoreLine } from '../match_view.js';
import { typeahead } from '../typeahead.js';

// The rows of the side-by-side table: the label and the cell of a profile.
const ROWS = [
  ['Id', (p) => h('code', {}, p.id)],
  ['Chamber', (p) => p.chamberId],
  ['Country', (p) => p.country],
  ['City', (p) => p.city],
  ['Sectors (NACE)', (p, titles) => ((p.sectors || []).length ? h('ul', {}, p.sectors.map((c) => h('li', {}, titles.get(c) ? `${c} ${titles.get(c)}` : c))) : '')],
  ['Languages', (p) => joinList(p.languages)],
  ['Size', (p) => (p.employees ? `${p.employees} employees` : '')],
  ['Objectives', (p) => ((p.objectives || []).length ? h('ul', {}, p.objectives.map((o) => h('li', {}, objectiveText(o)))) : '')],
  ['Target markets', (p) => joinList(p.targetMarkets)],
  ['Active in', (p) => joinList(p.activeMarkets)],
];

// What the partner list shows of b when its profile may not be read (a
// member company reads only its own).
function partnerOf(match) {
  return {
    id: match.partnerId,
    name: match.partnerName,
    chamberId: match.partnerChamberId,
    country: match.partnerCountry,
    sectors: match.partnerSectors,
    partial: true,
  };
}

// NACE titles of `codes` (GET /sectors), as a Map; empty if they cannot be had.
async function sectorTitles(codes, signal) {
  const unique = [...new Set(codes)].slice(0, 100);
  if (!unique.length) return new Map();
  try {
    const answer = await api.get('/sectors', { codes: unique.join(',') }, { signal });
    return new Map((answer?.sectors || []).map((s) => [s.code, s.title]));
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    return new Map(); // the codes alone still say it
  }
}

function sideBySide(a, b, titles) {
  const cell = (p, render) => {
    const value = render(p, titles);
    if (value === undefined || value === null || value === '') return h('td', { class: 'hint' }, p.partial ? 'not shared' : '—');
    return h('td', {}, value);
  };
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'data side-by-side' },
      h('caption', {}, 'The two companies side by side'),
      h(
        'thead',
        {},
        h('tr', {}, h('td', {}), h('th', { scope: 'col' }, nameFor(a.id, a.name)), h('th', { scope: 'col' }, nameFor(b.id, b.name))),
      ),
      h(
        'tbody',
        {},
        ROWS.map(([label, render]) => h('tr', {}, h('th', { scope: 'row' }, label), cell(a, render), cell(b, render))),
      ),
    ),
  );
}

export async function renderCompare(ctx) {
  const q = ctx.query;
  const ownId = ctx.isStaff ? '' : ctx.me.profileId || '';
  const f = {
    a: field({
      label: 'Member (a)',
      path: 'a_id',
      value: q.get('a') || ownId,
      required: true,
      readonly: !ctx.isStaff,
      hint: ctx.isStaff ? 'Name or id' : null,
      attrs: {spellcheck: 'false'}
    }),
    b: field({
      label: 'Partner (b)',
      path: 'b_id',
      value: q.get('b') || '',
      required: true,
      hint: ctx.isStaff ? 'Name or id' : null,
      attrs: {spellcheck: 'false'}
    }),
  };
  if (ctx.isStaff) {
    typeahead(f.a.input);
    typeahead(f.b.input);
  }
  const submit = h('button', { type: 'submit' }, 'Compare');
  const form =
      h('form', {class: 'filters', novalidate: true, 'aria-label': 'Compare two companies'}, f.a,
        f.b, formMessage(), h('div', {class: 'actions'}, submit));
  const result = h('section', { class: 'results', 'aria-live': 'polite' });
  ctx.main.append(heading('Compare two companies'), form, result);

  // A profile the caller may read, or null (a member reads only its own).
  async function profileOf(id, mayRead) {
    if (!mayRead) return null;
    try {
      return await api.get(`/profiles/${encodeURIComponent(id)}`, {}, { signal: ctx.signal });
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      return null;
    }
  }

  async function explain() {
    clearErrors(form);
    const a = f.a.input.value.trim();
    const b = f.b.input.value.trim();
    if (!a || !b) {
      showError(form, { field: a ? 'b_id' : 'a_id', message: 'Enter both companies’ ids.' });
      return;
    }
    const target = `#/compare?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`;
    if (location.hash !== target) history.replaceState(null, '', target);
    result.replaceChildren(h('p', { class: 'hint', role: 'status' }, 'Scoring…'));
    try {
      // What b may be follows the caller's role, as in the partner lists.
      const match = await api.post('/partners:explain', {aId: a, bId: b}, {}, {signal: ctx.signal});
      const [pa, pb] = await Promise.all([profileOf(a, true), profileOf(b, ctx.isStaff)]);
      const left = pa || { id: a, name: a, partial: true };
      const right = pb || partnerOf(match);
      const titles = await sectorTitles([...(left.sectors || []), ...(right.sectors || [])], ctx.signal);
      result.replaceChildren(
        h('h2', {}, `${a} and ${nameFor(match.partnerId || b, match.partnerName)}`),
        isAnonymous(match.partnerId) ? anonymousNote() : null,
        sideBySide(left, right, titles),
        h('h3', {}, 'Score'),
        scoreLine(match),
        h('h3', {}, 'Reasons'),
        reasonList(match),
        factorTable(match),
      );
    } catch (e) {
      if (e.name === 'AbortError') return;
      result.replaceChildren();
      showError(form, e, '');
    }
  }
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(submit, explain);
  });
  if (f.a.input.value && f.b.input.value) await busy(submit, explain);
}
