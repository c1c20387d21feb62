// #/chamber: our chamber's directory record (GET/PATCH /chambers/{id}),
// which its staff keep up to date, and its partner chambers
// (/chambers/{id}/partners): propose one, accept a proposal made to us,
// withdraw, decline or end one. The operator names the chamber
// (?chamber=ID) and may enter a record that is missing.

import { api } from '../api.js';
import { h, heading, joinList, loading, notice, queryString, splitList } from '../dom.js';
import { busy, clearErrors, describe, field, formMessage, showError } from '../form.js';
import { listEditor } from '../list_editor.js';
import { dateText } from '../outcomes.js';

const STATE_TEXT = { PROPOSED: 'Proposed', ACTIVE: 'Partners', ENDED: 'Ended' };

function contactRow(c, i) {
  const p = `chamber.contacts[${i}]`;
  const f = {
    name: field({ label: 'Name', path: `${p}.name`, value: c.name || '', required: true }),
    role: field({ label: 'Role', path: `${p}.role`, value: c.role || '', hint: 'For example “Head of international”' }),
    email: field({ label: 'E-mail', path: `${p}.email`, type: 'email', value: c.email || '' }),
    phone: field({ label: 'Phone', path: `${p}.phone`, type: 'tel', value: c.phone || '' }),
  };
  return {
    fields: Object.values(f),
    read: () => ({
      name: f.name.input.value.trim(),
      role: f.role.input.value.trim(),
      email: f.email.input.value.trim(),
      phone: f.phone.input.value.trim(),
      languages: c.languages || [],
    }),
  };
}

// The record's form: edits an existing record, or enters a new one (operator).
function recordForm(ctx, chamberId, record, onSaved) {
  const isNew = !record;
  const r = record || { id: chamberId };
  const f = {
    name: field({ label: 'Name', path: 'chamber.name', value: r.name || '', required: true, class: 'wide', attrs: { maxlength: 200 } }),
    country: field({ label: 'Country', path: 'chamber.country', value: r.country || '', required: true, hint: 'Two letters, for example DE', attrs: { maxlength: 2 } }),
    city: field({ label: 'City', path: 'chamber.city', value: r.city || '' }),
    languages: field({ label: 'Languages', path: 'chamber.languages', value: joinList(r.languages || []), hint: 'Two-letter codes, comma-separated: de, en' }),
    website: field({ label: 'Web site', path: 'chamber.website', type: 'url', value: r.website || '', class: 'wide', hint: 'https://…' }),
  };
  const contacts = listEditor({ title: 'Contact', addLabel: 'Add a contact', items: r.contacts || [], row: contactRow, blank: () => ({}) });
  const submit = h('button', { type: 'submit' }, isNew ? 'Enter the record' : 'Save');
  const form = h(
    'form',
    { class: 'chamber-form', novalidate: true, dataset: { failed: 'Not saved' } },
    h('fieldset', {}, h('legend', {}, 'Directory entry'), h('div', { class: 'grid' }, f.name, f.country, f.city, f.languages, f.website)),
    h('fieldset', {}, h('legend', {}, 'Contacts (shown to chamber staff only)'), contacts.element),
    formMessage(),
    h('div', { class: 'actions' }, submit),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const body = {
      name: f.name.input.value.trim(),
      country: f.country.input.value.trim().toUpperCase(),
      city: f.city.input.value.trim(),
      languages: splitList(f.languages.input.value),
      website: f.website.input.value.trim(),
      contacts: contacts.read(),
    };
    await busy(submit, async () => {
      try {
        const saved = isNew
          ? await api.post('/chambers', { id: chamberId, ...body })
          : await api.patch(`/chambers/${encodeURIComponent(chamberId)}`, body, { expected_version: r.version });
        ctx.announce(isNew ? 'The chamber’s record was entered.' : 'Saved.');
        onSaved(saved);
      } catch (err) {
        if (err.name === 'AbortError') return;
        showError(form, err, 'chamber');
      }
    });
  });
  return form;
}

async function partnerSection(ctx, chamberId) {
  const section = h('section', { 'aria-labelledby': 'partners-head' }, heading('Partner chambers', 2));
  section.querySelector('h2').id = 'partners-head';
  const body = h('div', {}, loading('Loading the partner chambers…'));
  section.append(body);
  const draw = async () => {
    let partners = [];
    try {
      let token = '';
      do {
        const page = await api.get(`/chambers/${encodeURIComponent(chamberId)}/partners`, { page_token: token }, { signal: ctx.signal });
        partners = partners.concat(page.partners || []);
        token = page.nextPageToken || '';
      } while (token);
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      body.replaceChildren(notice('error', describe(e)));
      return;
    }
    const act = (label, link, verb, extra = {}) => {
      const button = h('button', { type: 'button', class: verb === 'end' ? 'secondary' : '' }, label);
      button.addEventListener('click', () =>
        busy(button, async () => {
          try {
            const path = `/chambers/${encodeURIComponent(chamberId)}/partners/${encodeURIComponent(link.partnerChamberId)}:${verb}`;
            await api.post(path, extra, { expected_version: link.version });
            ctx.announce(`${label}: ${link.partnerName || link.partnerChamberId}.`);
            await draw();
          } catch (err) {
            if (err.name === 'AbortError') return;
            body.prepend(notice('error', describe(err)));
          }
        }),
      );
      return button;
    };
    const rows = partners.map((link) => {
      const ours = link.proposerChamberId === chamberId;
      const actions = [];
      if (link.state === 'PROPOSED' && !ours) actions.push(act('Accept', link, 'accept'), act('Decline', link, 'end', { reason: 'Declined' }));
      if (link.state === 'PROPOSED' && ours) actions.push(act('Withdraw', link, 'end', { reason: 'Withdrawn' }));
      if (link.state === 'ACTIVE') actions.push(act('End the partnership', link, 'end'));
      const since = link.state === 'ENDED' ? link.endTime : link.state === 'ACTIVE' ? link.acceptTime : link.proposeTime;
      return h(
        'tr',
        { dataset: { partner: link.partnerChamberId } },
        h('th', { scope: 'row' }, link.partnerName ? `${link.partnerName} (${link.partnerChamberId})` : link.partnerChamberId),
        h('td', {}, STATE_TEXT[link.state] || link.state),
        h('td', {}, ours ? 'We did' : 'They did'),
        h('td', {}, since ? dateText(since) : '—'),
        h('td', {}, link.state === 'ENDED' ? link.endReason || '' : link.note || ''),
        h('td', { class: 'actions' }, actions),
      );
    });
    const table = partners.length
      ? h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'data partner-chambers' },
            h('caption', { class: 'visually-hidden' }, 'Partner chambers'),
            h('thead', {}, h('tr', {}, ['Chamber', 'State', 'Proposed by', 'Since', 'Note', ''].map((t) => h('th', { scope: 'col' }, t)))),
            h('tbody', {}, rows),
          ),
        )
      : h('p', {}, 'No partner chambers yet. Propose one below; it becomes a partner when its staff accept.');
    body.replaceChildren(table, proposeForm());
  };
  const proposeForm = () => {
    const partner = field({ label: 'Chamber id', path: 'partner_chamber_id', required: true, hint: 'The id the other chamber goes by in Socio, for example canaco-cdmx' });
    const note = field({ label: 'A word to them', path: 'note', class: 'wide', attrs: { maxlength: 500 } });
    const submit = h('button', { type: 'submit' }, 'Propose as partner');
    const requestId = crypto.randomUUID();
    const form = h(
      'form',
      { class: 'propose-partner', novalidate: true, dataset: { failed: 'Not proposed' } },
      h('fieldset', {}, h('legend', {}, 'Propose a partner chamber'), h('div', { class: 'grid' }, partner, note)),
      formMessage(),
      h('div', { class: 'actions' }, submit),
    );
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearErrors(form);
      await busy(submit, async () => {
        try {
          await api.post(
            `/chambers/${encodeURIComponent(chamberId)}/partners`,
            // One id for every try of this form: a repeat after a lost answer proposes once.
            { partnerChamberId: partner.input.value.trim(), note: note.input.value.trim(), requestId },
          );
          ctx.announce('Proposed. Their staff are told and may accept.');
          await draw();
        } catch (err) {
          if (err.name === 'AbortError') return;
          showError(form, err);
        }
      });
    });
    return form;
  };
  await draw();
  return section;
}

export async function renderChamber(ctx) {
  const chamberId = ctx.me.role === 'ADMIN' ? ctx.query.get('chamber') || '' : ctx.me.chamberId || '';
  ctx.main.append(heading('Our chamber'));
  if (!chamberId) {
    const which = field({ label: 'Chamber', path: 'chamber', required: true });
    const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Which chamber' }, which, h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'secondary' }, 'Show')));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      ctx.navigate(`#/chamber${queryString({ chamber: which.input.value.trim() })}`);
    });
    ctx.main.append(form, notice('info', 'Enter a chamber id to see its record and partner chambers.'));
    return;
  }
  const recordBox = h('section', { 'aria-label': 'Directory entry' }, loading('Loading the chamber’s record…'));
  ctx.main.append(recordBox);
  const showRecord = (record) => {
    const parts = [];
    if (!record && ctx.me.role !== 'ADMIN') {
      parts.push(notice('info', `Chamber ${chamberId} has no directory record yet. Socio's operators enter it; your members, delegations and partner chambers work without one.`));
    } else {
      if (record) parts.push(h('p', { class: 'meta' }, `Version ${record.version}, last changed ${dateText(record.updateTime)}`));
      parts.push(recordForm(ctx, chamberId, record, showRecord));
    }
    recordBox.replaceChildren(...parts);
  };
  try {
    showRecord(await api.get(`/chambers/${encodeURIComponent(chamberId)}`, {}, { signal: ctx.signal }));
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    if (e.code === 'NOT_FOUND') showRecord(null);
    else recordBox.replaceChildren(notice('error', describe(e)));
  }
  ctx.main.append(await partnerSection(ctx, chamberId));
}
