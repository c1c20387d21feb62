// #/policy?chamber=C: a chamber's factor weights (GET/PUT /policies/{chamber}).
// For a chamber with neither members nor weights of its own (a typing
// mistake, most likely) the operator is asked before being offered Save.

import { api } from '../api.js';
import { fixed, h, heading, loading, notice } from '../dom.js';
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

  const wait = loading();
  ctx.main.append(wait);
  let policy;
  let unknown = false;
  try {
    policy = await api.get(`/policies/${encodeURIComponent(chamber)}`, {}, { signal: ctx.signal });
    if (!Number(policy.version || 0) && chamber !== ctx.me.chamberId) {
      const members = await api.get('/profiles', { chamber_id: chamber, page_size: 1 }, { signal: ctx.signal });
      unknown = !(members?.profiles || []).length;
    }
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    wait.replaceWith(notice('error', describe(e)));
    return;
  } finally {
    wait.remove();
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
  const form = h(
    'form',
    { class: 'filters', novalidate: true, 'data-root': 'policy', 'data-failed': 'Not saved', 'aria-label': 'Weights' },
    fields,
    sum,
    formMessage(),
    h('div', { class: 'actions' }, save, version),
  );
  const saved = () => FACTORS.map(([, key]) => Number(policy.weights?.[key] ?? 0));
  ctx.keepEdits(() => fields.some((f, i) => (Number(f.input.value) || 0) !== saved()[i]));
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
  if (!unknown) {
    ctx.main.append(form);
    return;
  }
  const anyway = h('button', { type: 'button', class: 'secondary' }, `Set weights for ${chamber} anyway`);
  const warning = notice(
    'info',
    h('p', {}, `No chamber “${chamber}” is known: it has no members and has never set weights of its own. Check the spelling.`),
    h('div', { class: 'actions' }, anyway),
  );
  anyway.addEventListener('click', () => {
    warning.replaceWith(form);
    fields[0].input.focus();
  });
  ctx.main.append(warning);
}
