// #/policy?chamber=C: a chamber's factor weights (GET/PUT /policies/{chamber}),
// each with a sentence on what it measures, and a preview: how a member's top
// 10 partners would change with the weights on screen, before they are saved
// (two FindPartners calls, one with the saved weights, one with the edited).
// For a chamber with neither members nor weights of its own (a typing
// mistake, most likely) the operator is asked before being offered Save.

import { api } from '../api.js';
import { fixed, h, heading, loading, notice } from '../dom.js';
import { busy, clearErrors, describe, field, formMessage, showError } from '../form.js';
import { FACTOR_ABOUT, FACTORS } from '../labels.js';
import { typeahead } from '../typeahead.js';

// How many partners the preview compares, and how far down it looks for a
// partner that left them.
const PREVIEW_TOP = 10;
const PREVIEW_DEPTH = 100;

function ordinal(n) {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : ['th', 'st', 'nd', 'rd'][n % 10] || 'th';
  return `${n}${suffix}`;
}

// The preview's table: the top partners with the edited weights and those
// that leave the top, each with its rank before and after.
function previewTable(memberName, before, after) {
  const rankIn = (matches) => new Map(matches.map((m, i) => [m.partnerId, i + 1]));
  const was = rankIn(before);
  const now = rankIn(after);
  const beyond = `below ${PREVIEW_DEPTH}`;
  const rows = [];
  const counts = { up: 0, down: 0, new: 0, out: 0 };
  for (const m of after.slice(0, PREVIEW_TOP)) {
    const r = now.get(m.partnerId);
    const old = was.get(m.partnerId);
    let change;
    if (!old || old > PREVIEW_TOP) {
      counts.new += 1;
      change = h('span', { class: 'moved-new' }, 'new in the top 10');
    } else if (old > r) {
      counts.up += 1;
      change = h('span', { class: 'moved-up' }, `▲ up ${old - r}`);
    } else if (old < r) {
      counts.down += 1;
      change = h('span', { class: 'moved-down' }, `▼ down ${r - old}`);
    } else change = 'same';
    rows.push([m, old ? ordinal(old) : beyond, ordinal(r), change]);
  }
  for (const m of before.slice(0, PREVIEW_TOP)) {
    const r = now.get(m.partnerId);
    if (r && r <= PREVIEW_TOP) continue;
    counts.out += 1;
    rows.push([m, ordinal(was.get(m.partnerId)), r ? ordinal(r) : beyond, h('span', { class: 'moved-out' }, 'out of the top 10')]);
  }
  return [
    h(
      'p',
      {},
      `With these weights: ${counts.up} moved up, ${counts.down} down, ${counts.new} new in the top 10, ${counts.out} out of it. Nothing is saved yet.`,
    ),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'data preview' },
        h('caption', {}, `Top ${PREVIEW_TOP} partners of ${memberName}: saved weights and the weights above`),
        h(
          'thead',
          {},
          h('tr', {}, ['Partner', 'Saved weights', 'Weights above', 'Change'].map((t) => h('th', { scope: 'col' }, t))),
        ),
        h(
          'tbody',
          {},
          rows.map(([m, old, r, change]) =>
            h(
              'tr',
              {},
              h('th', { scope: 'row' }, `${m.partnerName || m.partnerId} `, h('code', {}, m.partnerId)),
              h('td', {}, old),
              h('td', {}, r),
              h('td', {}, change),
            ),
          ),
        ),
      ),
    ),
  ];
}

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
    field({
      label,
      path: `policy.weights.${key}`,
      type: 'number',
      value: policy.weights?.[key] ?? 0,
      hint: FACTOR_ABOUT[key],
      attrs: { min: 0, step: 'any' },
    }),
  );
  // Kept with the weights: SetMatchPolicy writes the whole policy.
  const expiry = field({
    label: 'Days a meeting request waits for an answer',
    path: 'policy.requestExpiryDays',
    type: 'number',
    value: Number(policy.requestExpiryDays || 0) || 7,
    hint: "After this many days a request to one of the chamber's members that has not been answered expires, and the company that sent it is told. 1 to 90.",
    attrs: { min: 1, max: 90, step: 1 },
  });
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
    expiry,
    formMessage(),
    h('div', { class: 'actions' }, save, version),
  );
  const saved = () => FACTORS.map(([, key]) => Number(policy.weights?.[key] ?? 0));
  const savedDays = () => Number(policy.requestExpiryDays || 0) || 7;
  ctx.keepEdits(
    () => fields.some((f, i) => (Number(f.input.value) || 0) !== saved()[i]) || Number(expiry.input.value) !== savedDays(),
  );
  form.addEventListener('input', update);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(save, async () => {
      clearErrors(form);
      const weights = Object.fromEntries(FACTORS.map(([, key], i) => [key, Number(fields[i].input.value) || 0]));
      try {
        const requestExpiryDays = Number(expiry.input.value) || 0;
        policy = await api.put(`/policies/${encodeURIComponent(chamber)}`, { chamberId: chamber, weights, requestExpiryDays }, { expected_version: policy.version || 0 });
        update();
        form.querySelector('.form-message').replaceChildren(h('p', { class: 'notice notice-ok', role: 'status' }, `Saved: version ${policy.version}.`));
      } catch (err) {
        showError(form, err, 'policy');
      }
    });
  });
  update();
  const preview = previewSection(ctx, chamber, fields, saved);
  if (!unknown) {
    ctx.main.append(form, preview);
    return;
  }
  const anyway = h('button', { type: 'button', class: 'secondary' }, `Set weights for ${chamber} anyway`);
  const warning = notice(
    'info',
    h('p', {}, `No chamber “${chamber}” is known: it has no members and has never set weights of its own. Check the spelling.`),
    h('div', { class: 'actions' }, anyway),
  );
  anyway.addEventListener('click', () => {
    warning.replaceWith(form, preview);
    fields[0].input.focus();
  });
  ctx.main.append(warning);
}

// "Preview": a member of the chamber (type-ahead), and its top 10 with the
// saved weights beside its top 10 with the weights on screen.
function previewSection(ctx, chamber, fields, saved) {
  const member = field({ label: 'Member', path: 'member_id', hint: 'Name or id of a member of this chamber', attrs: { spellcheck: 'false' } });
  typeahead(member.input, { chamber: () => chamber });
  const run = h('button', { type: 'submit', class: 'secondary' }, 'Preview');
  const form = h('form', { class: 'filters', novalidate: true, 'aria-label': 'Preview the weights' }, member, formMessage(), h('div', { class: 'actions' }, run));
  const result = h('div', { 'aria-live': 'polite' });
  const weightsOf = (values) => Object.fromEntries(FACTORS.map(([, key], i) => [key, values[i]]));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(run, async () => {
      clearErrors(form);
      const id = member.input.value.trim();
      if (!id) {
        showError(form, { field: 'member_id', message: 'Enter the member whose partners to preview.' });
        return;
      }
      result.replaceChildren(loading('Ranking partners both ways…'));
      // Ranks only: the BASIC view (no factors) is enough.
      const find = (weights) => api.post('/partners:find', { memberId: id, k: PREVIEW_DEPTH, weights, view: 'BASIC' }, {}, { signal: ctx.signal });
      try {
        const [before, after] = await Promise.all([
          find(weightsOf(saved())),
          find(weightsOf(fields.map((f) => Number(f.input.value) || 0))),
        ]);
        const name = (await api.get(`/profiles/${encodeURIComponent(id)}`, {}, { signal: ctx.signal }))?.name || id;
        result.replaceChildren(...previewTable(name, before?.matches || [], after?.matches || []));
      } catch (err) {
        if (err.name === 'AbortError') return;
        result.replaceChildren();
        showError(form, err, '');
      }
    });
  });
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'preview-head' },
    h('h2', { id: 'preview-head' }, 'Preview before saving'),
    h('p', { class: 'hint' }, `How a member’s top ${PREVIEW_TOP} partners would change with the weights above. Nothing is saved.`),
    form,
    result,
  );
}
