// #/compare?a=ID&b=ID: the full breakdown of one pair, whether or not b would
// make a's top list (POST /partners:explain).

import { api } from '../api.js';
import { h, heading, joinList } from '../dom.js';
import { busy, clearErrors, field, formMessage, showError } from '../form.js';
import { factorTable, reasonList, scoreLine } from '../match_view.js';

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
      attrs: {spellcheck: 'false'}
    }),
    b: field({
      label: 'Partner (b)',
      path: 'b_id',
      value: q.get('b') || '',
      required: true,
      attrs: {spellcheck: 'false'}
    }),
  };
  const submit = h('button', { type: 'submit' }, 'Compare');
  const form =
      h('form', {class: 'filters', novalidate: true, 'aria-label': 'Compare two companies'}, f.a,
        f.b, formMessage(), h('div', {class: 'actions'}, submit));
  const result = h('section', { class: 'results', 'aria-live': 'polite' });
  ctx.main.append(heading('Compare two companies'), form, result);

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
    result.replaceChildren(h('p', { class: 'hint' }, 'Scoring…'));
    try {
      // What b may be follows the caller's role, as in the partner lists.
      const match = await api.post('/partners:explain', {aId: a, bId: b}, {}, {signal: ctx.signal});
      result.replaceChildren(
        h('h2', {}, `${a} and ${match.partnerName || b}`),
        h('p', { class: 'meta' }, `${match.partnerId} · ${match.partnerCountry} · ${joinList(match.partnerSectors)} · ${match.partnerChamberId || ''}`),
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
