// #/me: a member company's own page: the delegations it takes part in, its
// agenda in one of them, and its profile to edit. #/me?delegation=ID opens
// that agenda at once.

import { api, fetchFile, saveBlob } from '../api.js';
import { csvRecords } from '../csv.js';
import { h, heading, loading, notice } from '../dom.js';
import { busy, clearErrors, describe, field, formMessage, showError } from '../form.js';
import { profileForm } from '../profile_form.js';
import { dayLabel } from '../schedule.js';
import { anonymitySection } from './profile.js';

export async function renderMe(ctx) {
  const profileId = ctx.me.profileId;
  if (!profileId) {
    const who =
      ctx.me.role === 'ADMIN'
        ? 'You are signed in as the Socio operator: you look after every chamber, not one company.'
        : `You are signed in as staff of ${ctx.me.chamberId || 'a chamber'}, not as one company.`;
    ctx.main.append(
      heading('Not a company'),
      notice('info', who),
      h('p', {}, h('a', { href: '#/members' }, 'Go to the members')),
    );
    return;
  }
  const title = heading('My company');
  ctx.main.append(title);

  // Agenda: chosen from the member's delegations below, or by the id its chamber sent.
  const delegationField = field({
    label: 'Delegation id',
    path: 'delegation_id',
    value: ctx.query.get('delegation') || '',
    hint: 'From your chamber’s invitation, e.g. mx27',
    attrs: { spellcheck: 'false', autocapitalize: 'off' },
  });
  const show = h('button', { type: 'submit' }, 'Show my agenda');
  const agendaForm = h('form', { class: 'inline-form', novalidate: true, 'aria-label': 'My agenda' }, delegationField, h('div', { class: 'actions' }, show), formMessage());
  const agenda = h('div', { class: 'agenda', 'aria-live': 'polite' });

  async function loadAgenda() {
    clearErrors(agendaForm);
    const id = delegationField.input.value.trim();
    if (!id) {
      showError(agendaForm, { field: 'delegation_id', message: 'Enter the delegation’s id.' });
      return;
    }
    history.replaceState(null, '', `#/me?delegation=${encodeURIComponent(id)}`);
    agenda.replaceChildren(loading());
    const base = `/delegations/${encodeURIComponent(id)}/agenda`;
    try {
      const file = await fetchFile(base, { member_id: profileId, format: 'csv' }, { signal: ctx.signal });
      const rows = csvRecords(await file.blob.text());
      const download = (format, fallback) =>
        h('button', {
          type: 'button',
          class: format === 'ics' ? '' : 'secondary',
          onclick: (e) =>
            busy(e.currentTarget, async () => {
              try {
                const f = await fetchFile(base, { member_id: profileId, format });
                saveBlob(f.blob, f.fileName || fallback);
              } catch (err) {
                agenda.prepend(notice('error', describe(err)));
              }
            }),
        }, format === 'ics' ? 'Add to my calendar (.ics)' : 'Download as CSV');
      agenda.replaceChildren(
        h('h2', {}, `My meetings in ${id}`),
        rows.length
          ? h(
              'div',
              { class: 'table-wrap' },
              h(
                'table',
                { class: 'data agenda-table' },
                h('caption', { class: 'visually-hidden' }, `Meetings of ${profileId} in delegation ${id}`),
                h('thead', {}, h('tr', {}, ['Day', 'Time', 'With', 'Where', 'Table'].map((t) => h('th', { scope: 'col' }, t)))),
                h(
                  'tbody',
                  {},
                  rows.map((r) =>
                    h(
                      'tr',
                      {},
                      h('td', { 'data-label': 'Day' }, `${dayLabel(r.date)} (${r.date})`),
                      h('td', { 'data-label': 'Time' }, `${r.start}–${r.end}`, r.time_zone ? h('span', { class: 'hint block' }, r.time_zone) : null),
                      // A programme item (and a partner not shown) has no partner id: its summary says what it is.
                      h('th', { scope: 'row', 'data-label': 'With' }, r.partner_id ? `${r.partner_name || r.partner_id} (${r.partner_id})` : r.summary),
                      h('td', { 'data-label': 'Where' }, r.location),
                      h('td', { class: 'num', 'data-label': 'Table' }, r.table),
                    ),
                  ),
                ),
              ),
            )
          : h('p', {}, 'No meetings for you in this plan yet.'),
        h('div', { class: 'actions' }, download('ics', `${id}-${profileId}.ics`), download('csv', `${id}-${profileId}.csv`)),
      );
    } catch (e) {
      if (e.name === 'AbortError') return;
      agenda.replaceChildren();
      showError(agendaForm, e, '');
    }
  }
  agendaForm.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(show, loadAgenda);
  });

  // The delegations the company takes part in, each with a link to its agenda.
  const mine = h('div', { class: 'my-delegations-area' }, loading('Loading your delegations…'));
  async function loadMine() {
    try {
      const page = await api.get('/delegations', { member_id: profileId, page_size: '100' }, { signal: ctx.signal });
      const list = page?.delegations || [];
      const role = (d) => ((d.delegates || []).some((p) => p.memberId === profileId) ? 'delegate' : 'host');
      const dates = (d) => {
        const days = (d.days || []).map((x) => x.date).sort();
        return days.length > 1 ? `${dayLabel(days[0])} – ${dayLabel(days[days.length - 1])}` : days.length ? dayLabel(days[0]) : '';
      };
      mine.replaceChildren(
        h('h3', {}, 'My delegations'),
        list.length
          ? h(
              'ul',
              { class: 'my-delegations' },
              list.map((d) =>
                h(
                  'li',
                  { dataset: { delegation: d.id } },
                  h('strong', {}, d.name || d.id),
                  ` · ${d.originCountry || '?'} → ${d.hostCountry || '?'} · ${dates(d)} · you are a ${role(d)} · `,
                  d.plan
                    ? h('a', { href: `#/me?delegation=${encodeURIComponent(d.id)}` }, `My agenda in ${d.name || d.id}`)
                    : h('span', { class: 'hint' }, 'not planned yet'),
                  ' · ',
                  h('a', { href: `#/partners/${encodeURIComponent(profileId)}?delegation=${encodeURIComponent(d.id)}` }, `Request meetings in ${d.name || d.id}`),
                  ' · ',
                  h('a', { href: `#/delegations/${encodeURIComponent(d.id)}/briefing` }, `Briefing for ${d.name || d.id}`),
                ),
              ),
            )
          : h('p', {}, 'You take part in no delegation yet.'),
      );
    } catch (e) {
      if (e.name === 'AbortError') return;
      mine.replaceChildren(notice('error', describe(e)));
    }
  }

  const wait = loading('Loading your profile…');
  const profileSection = h('section', { 'aria-labelledby': 'me-profile' }, h('h2', { id: 'me-profile' }, 'My profile'), wait);
  ctx.main.append(
    h('p', { class: 'links' }, h('a', { href: `#/partners/${encodeURIComponent(profileId)}` }, 'My best partners'), ' · ', h('a', { href: '#/requests' }, 'My meeting requests'), ' · ', h('a', { href: `#/compare?a=${encodeURIComponent(profileId)}` }, 'Compare with a company')),
    h('section', { class: 'card', 'aria-labelledby': 'me-agenda' }, h('h2', { id: 'me-agenda' }, 'My agenda'), mine, agendaForm, agenda),
    profileSection,
  );

  const work = [loadMine()];
  if (delegationField.input.value) work.push(busy(show, loadAgenda));
  try {
    const profile = await api.get(`/profiles/${encodeURIComponent(profileId)}`, {}, { signal: ctx.signal });
    title.textContent = profile.name;
    wait.remove();
    profileSection.append(
      anonymitySection(ctx, profile) || '',
      profileForm({
        ctx,
        profile,
        isNew: false,
        canChangeChamber: false,
        onSaved: (p) => {
          title.textContent = p.name;
        },
      }),
    );
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    wait.replaceWith(notice('error', describe(e)));
  }
  await Promise.all(work);
}
