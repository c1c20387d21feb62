// #/policy?chamber=C: a chamber's factor weights (GET/PUT /policies/{chamber}).

import { api } from '../api.js';
import { fixed, h, heading, notice } from '../dom.js';
import { busy, clearErrors, describe, field, formMessage, showError } from '../form.js';
import { FACTORS } from '../labels.js';

export async function renderPolicy(ctx) {
  const chamber = ctx.query.get('chamber') || ctx.me.chamberId || '';
  ctx.main.append(heading(`Matching weights${chamber ? ` of ${chamber}` : ''}`));
  const pick = h(
    'form',
    { class: 'filters', 'aria-label': 'Choose a chamber' },
    field({ label: 'Chamber', path: 'chamber_id', value: chamber }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'secondary' }, 'Show')),
  );
  pick.addEventListener('submit', (e) => {
    e.preventDefault();
    ctx.navigate(`#/policy?chamber=${encodeURIComponent(pick.querySelector('input').value.trim())}`);
  });
  if (ctx.me.role === 'ADMIN') ctx.main.append(pick);
  if (!chamber) return;

  let policy;
  try {
    policy = await api.get(`/policies/${encodeURIComponent(chamber)}`, {}, { signal: ctx.signal });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    ctx.main.append(notice('error', describe(e)));
    return;
  }
  const fields = FACTORS.map(([, key, label]) =>
    field({ label, path: `policy.weights.${key}`, type: 'number', value: policy.weights?.[key] ?? 0, attrs: { min: 0, step: 'any' } }),
  );
  const sum = h('p', { class: 'hint', 'aria-live': 'polite' });
  const version = h('p', { class: 'hint' });
  function update() {
    const total = fields.reduce((s, f) => s + (Number(f.input.value) || 0), 0);
    sum.textContent = `Sum ${fixed(total, 3)}: weights are divided by their sum before scoring.`;
    version.textContent = Number(policy.version || 0) ? `Version ${policy.version}, set ${new Date(policy.updateTime).toLocaleString()}` : 'The defaults: this chamber never set its own weights.';
  }
  const save = h('button', { type: 'submit' }, 'Save weights');
  const form = h('form', { class: 'filters', novalidate: true, 'data-root': 'policy', 'aria-label': 'Weights' }, fields, sum, formMessage(), h('div', { class: 'actions' }, save, version));
  form.addEventListener('input', update);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(save, async () => {
      clearErrors(form);
      const weights = Object.fromEntries(FACTORS.map(([, key], i) => [key, Number(fields[i].input.value) || 0]));
      try {
        policy = await api.put(`/policies/${encodeURIComponent(chamber)}`, { chamberId: chamber, weights }, { expected_version: policy.version || 0 });
        update();
        form.querySelector('.form-message').replaceChildren(h('p', { class: 'notice notice-ok', role: 'status' }, `Saved: version ${policy.version}.`));
      } catch (err) {
        showError(form, err, 'policy');
      }
    });
  });
  update();
  ctx.main.append(form);
}
