// #/partners/ID: a member's best partners, ranked reciprocally and explained,
// each card with what the member does about it: Interested, Not interested
// (hidden, unless "Show hidden partners" is ticked) and Request a meeting.
// The search's filters live in the hash (#/partners/ID?countries=MX&k=20), so a
// reload or a bookmark shows the same search; each search updates the heading,
// the tab's title and the address. #/partners/ID?delegation=DID sends requests
// within that delegation (no proposed times: its plan places the meeting).
// The list asks for FindPartners' BASIC view (scores and the strongest
// reason); a card's "Why" asks ExplainMatch for that one pair's factors and
// reasons, with the weights the list was ranked with, when it is opened.

import { api } from '../api.js';
import { append, fixed, h, heading, notice, queryString, splitList, uid } from '../dom.js';
import { listAll, marksOf } from '../engagement.js';
import { busy, clearErrors, describe, field, formMessage, showError } from '../form.js';
import { FACTORS, OBJECTIVE_TYPES } from '../labels.js';
import { matchCard } from '../match_view.js';
import { addPartnerActions } from '../partner_actions.js';
import { typeahead } from '../typeahead.js';

export async function renderPartners(ctx, memberId) {
  const q = ctx.query;
  const f = {
    memberId: field({ label: 'Member id', path: 'member_id', value: memberId, required: true, readonly: !ctx.isStaff, attrs: { spellcheck: 'false' } }),
    k: field({ label: 'How many', path: 'k', type: 'number', value: q.get('k') || '10', attrs: { min: 1, max: 1000 } }),
    countries: field({ label: 'Partner countries', path: 'filters.countries', value: q.get('countries') || '', hint: 'e.g. MX, US' }),
    sectors: field({ label: 'Partner sectors (NACE)', path: 'filters.sectors', value: q.get('sectors') || '' }),
    languages: field({ label: 'Languages', path: 'filters.languages', value: q.get('languages') || '', hint: 'e.g. es, en' }),
    minEmployees: field({ label: 'Employees from', path: 'filters.min_employees', type: 'number', value: q.get('min') || '', attrs: { min: 0 } }),
    maxEmployees: field({ label: 'Employees to', path: 'filters.max_employees', type: 'number', value: q.get('max') || '', attrs: { min: 0 } }),
    excludeOwn: field({ label: 'Leave out the member’s own chamber', path: 'filters.exclude_own_chamber', type: 'checkbox', value: q.get('own') === 'no' }),
    showHidden: field({
      label: 'Show hidden partners',
      path: 'include_not_interested',
      type: 'checkbox',
      value: q.get('hidden') === 'yes',
      hint: 'Partners marked “Not interested” too',
    }),
  };
  const delegationId = q.get('delegation') || '';
  if (ctx.isStaff) typeahead(f.memberId.input);
  const types = splitList(q.get('types'));
  const typeBoxes = OBJECTIVE_TYPES.map(([value, label]) =>
    field({ label, path: 'filters.types', type: 'checkbox', name: `type-${value}`, value: types.includes(value), attrs: { value } }),
  );
  const weightFields = FACTORS.map(([, key, label]) =>
    field({ label, path: `weights.${key}`, type: 'number', value: q.get(`w_${key}`) || '', attrs: { min: 0, step: 'any' } }),
  );
  const moreFilters = Boolean(q.get('languages') || q.get('min') || q.get('max') || q.get('own') || types.length);
  const ownWeights = weightFields.some((w) => w.input.value !== '');

  const submit = h('button', { type: 'submit' }, 'Find partners');
  const form = h(
    'form',
    { class: 'filters', novalidate: true, 'aria-label': 'Find partners' },
    f.memberId,
    f.k,
    f.countries,
    f.sectors,
    f.showHidden,
    h(
      'details',
      { class: 'more wide', open: moreFilters },
      h('summary', {}, 'More filters'),
      h('div', { class: 'grid' }, f.languages, f.minEmployees, f.maxEmployees, f.excludeOwn),
      h('fieldset', { class: 'checks' }, h('legend', {}, 'Partner has an objective of type'), typeBoxes),
    ),
    h(
      'details',
      { class: 'more wide', open: ownWeights },
      h('summary', {}, 'Weights for this search'),
      h('p', { class: 'hint' }, 'Empty: the chamber’s policy. Weights are relative; they are divided by their sum.'),
      h('div', { class: 'grid' }, weightFields),
    ),
    formMessage(),
    h('div', { class: 'actions' }, submit),
  );
  const resultsId = uid('results');
  const results = h('section', { class: 'results', 'aria-labelledby': resultsId, 'aria-live': 'polite', 'aria-busy': 'false' });
  const title = heading(memberId ? `Partners for ${memberId}` : 'Find partners');
  append(ctx.main, [
    title,
    delegationId
      ? notice('info', `Meeting requests from this page are for delegation ${delegationId}: once accepted, the meeting goes into its plan.`)
      : null,
    form,
    results,
  ]);

  // The search on screen as the page's address: #/partners/ID?filters.
  function hashOf(id) {
    const weights = {};
    FACTORS.forEach(([, key], i) => {
      weights[`w_${key}`] = weightFields[i].input.value.trim();
    });
    return `#/partners/${encodeURIComponent(id)}${queryString({
      k: f.k.input.value.trim() === '10' ? '' : f.k.input.value.trim(),
      countries: f.countries.input.value.trim(),
      sectors: f.sectors.input.value.trim(),
      languages: f.languages.input.value.trim(),
      min: f.minEmployees.input.value.trim(),
      max: f.maxEmployees.input.value.trim(),
      own: f.excludeOwn.input.checked ? 'no' : '',
      types: typeBoxes.filter((b) => b.input.checked).map((b) => b.input.value).join(','),
      hidden: f.showHidden.input.checked ? 'yes' : '',
      delegation: delegationId,
      ...weights,
    })}`;
  }

  async function search() {
    clearErrors(form);
    const id = f.memberId.input.value.trim();
    if (!id) {
      showError(form, { field: 'member_id', message: 'Enter the member whose partners to find.' });
      return;
    }
    const filters = {
      countries: splitList(f.countries.input.value).map((c) => c.toUpperCase()),
      sectors: splitList(f.sectors.input.value),
      languages: splitList(f.languages.input.value).map((l) => l.toLowerCase()),
      types: typeBoxes.filter((b) => b.input.checked).map((b) => b.input.value),
      minEmployees: Number(f.minEmployees.input.value) || 0,
      maxEmployees: Number(f.maxEmployees.input.value) || 0,
      excludeOwnChamber: f.excludeOwn.input.checked,
    };
    const body = { memberId: id, k: Number(f.k.input.value) || 10, filters, includeNotInterested: f.showHidden.input.checked, view: 'BASIC' };
    if (weightFields.some((w) => w.input.value !== '')) {
      body.weights = Object.fromEntries(FACTORS.map(([, key], i) => [key, Number(weightFields[i].input.value) || 0]));
    }
    // A new search is a new page: its heading, title and address say so
    // (pushState adds it to the history without drawing the page again).
    const hash = hashOf(id);
    if (location.hash !== hash) history.pushState(null, '', hash);
    title.textContent = `Partners for ${id}`;
    ctx.setTitle(title.textContent);
    results.setAttribute('aria-busy', 'true');
    results.replaceChildren(h('p', { class: 'hint', role: 'status' }, 'Searching…'));
    try {
      const answer = await api.post('/partners:find', body, {}, { signal: ctx.signal });
      // The member's marks and open requests, for each card; a card without
      // them still ranks and explains.
      let marks = new Map();
      let open = new Map();
      let missing = null;
      try {
        [marks, open] = await Promise.all([
          marksOf(id, { signal: ctx.signal }),
          listAll('/requests', { member_id: id, state: 'PENDING,ACCEPTED' }, 'requests', { signal: ctx.signal }).then(
            (list) => new Map(list.map((r) => [r.fromMemberId === id ? r.toRef : r.fromMemberId, r])),
          ),
        ]);
      } catch (e) {
        if (e.name === 'AbortError') throw e;
        missing = e;
      }
      showResults(id, answer, { marks, open, missing });
    } catch (e) {
      if (e.name === 'AbortError') return;
      results.replaceChildren();
      showError(form, e, '');
    } finally {
      results.setAttribute('aria-busy', 'false');
    }
  }

  function showResults(id, answer, { marks, open, missing }) {
    const matches = answer?.matches || [];
    const w = answer?.weights || {};
    // A card's factors, scored as the list was: the weights it was ranked with.
    const explain = (m) => () =>
      api.post('/partners:explain', { aId: id, bId: m.partnerId, ...(Object.keys(w).length ? { weights: w } : {}) }, {}, { signal: ctx.signal });
    results.replaceChildren();
    append(results, [
      h('h2', { id: resultsId }, matches.length ? `${matches.length} partners for ${id}, best first` : `No partners found for ${id}`),
      h(
        'p',
        { class: 'hint' },
        `Weights: ${FACTORS.map(([, key]) => `${key} ${fixed(w[key], 3)}`).join(', ')}. `,
        `${answer?.candidatesScored || 0} candidates scored.`,
      ),
      missing ? notice('error', `Marks and requests cannot be shown: ${describe(missing)}`) : null,
      matches.length
        ? h(
            'ol',
            { class: 'matches', dataset: f.showHidden.input.checked ? { showHidden: 'yes' } : {} },
            matches.map((m) => {
              const card = matchCard(m, { memberId: id, staff: ctx.isStaff, explain: explain(m) });
              if (missing) return card;
              return addPartnerActions(card, m, {
                ctx,
                memberId: id,
                interest: marks.get(m.partnerId),
                request: open.get(m.partnerId),
                delegationId,
              });
            }),
          )
        : h('p', {}, 'No partner passes these filters. Widen them and search again.'),
    ]);
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(submit, search);
  });
  // A toggle: the list changes at once.
  f.showHidden.input.addEventListener('change', () => {
    if (f.memberId.input.value.trim()) busy(submit, search);
  });
  if (memberId) await busy(submit, search);
  else if (!ctx.isStaff) ctx.main.append(notice('info', 'Open your own partners from the menu.'));
}
