// The form for one member profile: creating one (POST /profiles) or changing
// one (PATCH /profiles/{id} with only the changed fields and the version read,
// so a concurrent edit is refused rather than overwritten).

import { api } from './api.js';
import { h, joinList, splitList, uid } from './dom.js';
import { changedFields, toInt, toNumberOrNull } from './edit.js';
import { busy, clearErrors, field, formMessage, showError } from './form.js';
import { DIRECTIONS, OBJECTIVE_TYPES, VISIBILITIES } from './labels.js';

function objectiveFieldset(objective, index, onRemove) {
  const path = `profile.objectives[${index}]`;
  const legendId = uid('obj');
  const set = h(
    'fieldset',
    { class: 'objective', 'aria-labelledby': legendId },
    h('legend', { id: legendId }, `Objective ${index + 1}`),
    field({ label: 'Direction', path: `${path}.direction`, type: 'select', options: DIRECTIONS, value: objective.direction || '' }),
    field({ label: 'Type', path: `${path}.type`, type: 'select', options: OBJECTIVE_TYPES, value: objective.type || 'DISTRIBUTION' }),
    field({ label: 'Sectors (NACE)', path: `${path}.sectors`, value: joinList(objective.sectors), hint: 'Comma-separated, e.g. 46.3' }),
    field({ label: 'Markets', path: `${path}.markets`, value: joinList(objective.markets), hint: 'Country codes, e.g. US, CA' }),
    field({ label: 'Note', path: `${path}.note`, type: 'textarea', rows: 2, value: objective.note || '', class: 'wide' }),
    h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary', onclick: onRemove }, `Remove objective ${index + 1}`)),
  );
  return set;
}

function readObjective(set) {
  const get = (name) => set.querySelector(`[data-path$=".${name}"]`).value;
  const objective = {
    type: get('type'),
    sectors: splitList(get('sectors')),
    markets: splitList(get('markets')).map((m) => m.toUpperCase()),
    note: get('note').trim(),
  };
  if (get('direction')) objective.direction = get('direction');
  return objective;
}

// One contact person's row; its fields name the API's paths so a refusal
// ("profile.contacts[1].email: ...") shows beside the control it is about.
function contactFieldset(contact, index, onRemove) {
  const path = `profile.contacts[${index}]`;
  const legendId = uid('contact');
  return h(
    'fieldset',
    { class: 'contact', 'aria-labelledby': legendId },
    h('legend', { id: legendId }, `Contact ${index + 1}`),
    field({ label: 'Name', path: `${path}.name`, value: contact.name || '', required: true }),
    field({ label: 'Role', path: `${path}.role`, value: contact.role || '', hint: 'e.g. Export manager' }),
    field({ label: 'E-mail', path: `${path}.email`, type: 'email', value: contact.email || '', attrs: { spellcheck: 'false' } }),
    field({ label: 'Phone', path: `${path}.phone`, type: 'tel', value: contact.phone || '', hint: 'Digits, spaces and + - ( ) . /' }),
    field({ label: 'Languages', path: `${path}.languages`, value: joinList(contact.languages), hint: 'ISO 639-1, e.g. es, en' }),
    h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary', onclick: onRemove }, `Remove contact ${index + 1}`)),
  );
}

function readContact(set) {
  const get = (name) => set.querySelector(`[data-path$=".${name}"]`).value.trim();
  return {
    name: get('name'),
    role: get('role'),
    email: get('email'),
    phone: get('phone'),
    languages: splitList(get('languages')).map((l) => l.toLowerCase()),
  };
}

function dateOf(timestamp) {
  return timestamp ? String(timestamp).slice(0, 10) : '';
}

// An editable list of rows (objectives, contacts): `fieldset(item, index,
// remove)` draws a row, `read(fieldset)` reads one back. Returns the box, its
// "Add" button and current(), the rows as edited.
function rowList({ items, className, fieldset, read, selector, addLabel, empty, fresh, focus }) {
  let rows = structuredClone(items || []);
  const box = h('div', { class: className });
  const current = () => [...box.querySelectorAll(selector)].map(read);
  const add = h('button', { type: 'button', class: 'secondary' }, addLabel);
  function draw() {
    box.replaceChildren(
      ...rows.map((row, i) =>
        fieldset(row, i, () => {
          rows = current();
          rows.splice(i, 1);
          draw();
          add.focus();
        }),
      ),
    );
    if (!rows.length) box.append(h('p', { class: 'hint' }, empty));
  }
  add.addEventListener('click', () => {
    rows = current();
    rows.push(fresh());
    draw();
    box.querySelector(`${selector}:last-of-type ${focus}`)?.focus();
  });
  draw();
  return { box, add, current };
}

// profileForm({ctx, profile, isNew, canChangeChamber, seesContacts, onSaved, onDeleted})
// seesContacts: whether the API shows this caller the profile's contact
// persons (its own chamber, the member itself, operators); when false the
// form says so instead of offering to edit them.
export function profileForm({ ctx, profile, isNew, canChangeChamber, seesContacts = true, onSaved, onDeleted }) {
  let original = structuredClone(profile);
  const f = {
    id: field({
      label: 'Id',
      path: 'profile.id',
      value: profile.id || '',
      required: isNew,
      readonly: !isNew,
      hint: isNew ? '1-64 of A-Z a-z 0-9 . _ -, never changes' : 'Never changes',
      attrs: { spellcheck: 'false' },
    }),
    chamberId: field({ label: 'Chamber', path: 'profile.chamber_id', value: profile.chamberId || '', required: true, readonly: !canChangeChamber }),
    name: field({ label: 'Name', path: 'profile.name', value: profile.name || '', required: true, class: 'wide' }),
    country: field({
      label: 'Country',
      path: 'profile.country',
      value: profile.country || '',
      required: true,
      hint: 'ISO 3166 code, e.g. DE',
      attrs: { maxlength: 2, autocapitalize: 'characters' },
    }),
    city: field({ label: 'City', path: 'profile.city', value: profile.city || '' }),
    latitude: field({ label: 'Latitude', path: 'profile.location.latitude', type: 'number', value: profile.location?.latitude ?? '', attrs: { step: 'any', min: -90, max: 90 } }),
    longitude: field({ label: 'Longitude', path: 'profile.location.longitude', type: 'number', value: profile.location?.longitude ?? '', attrs: { step: 'any', min: -180, max: 180 } }),
    employees: field({ label: 'Employees', path: 'profile.employees', type: 'number', value: profile.employees || '', attrs: { min: 0, step: 1 } }),
    foundedYear: field({ label: 'Founded', path: 'profile.founded_year', type: 'number', value: profile.foundedYear || '', attrs: { min: 1000, step: 1 } }),
    visibility: field({ label: 'Visibility', path: 'profile.visibility', type: 'select', options: VISIBILITIES, value: profile.visibility || 'PRIVATE', hint: 'Private: own chamber’s staff; chamber: its members too; federation: every chamber' }),
    anonymous: field({
      label: 'Show this company anonymously to companies outside our chamber until both sides are interested or a meeting is accepted',
      path: 'profile.anonymous',
      type: 'checkbox',
      value: Boolean(profile.anonymous),
      class: 'wide',
      hint: profile.handle
        ? `Until then they see it as ${profile.handle}, with its country, sectors, languages and size only.`
        : 'Until then they see a code name, with its country, sectors, languages and size only.',
    }),
    validUntil: field({ label: 'Valid until', path: 'profile.valid_until', type: 'date', value: dateOf(profile.validUntil), hint: 'Empty: no end' }),
    sectors: field({ label: 'Sectors (NACE)', path: 'profile.sectors', value: joinList(profile.sectors), hint: 'Most important first, e.g. 10.84, 46.3' }),
    languages: field({ label: 'Languages', path: 'profile.languages', value: joinList(profile.languages), hint: 'ISO 639-1, e.g. es, en' }),
    description: field({ label: 'Description', path: 'profile.description', type: 'textarea', rows: 4, value: profile.description || '', class: 'wide' }),
    keywords: field({ label: 'Keywords', path: 'profile.keywords', value: joinList(profile.keywords), class: 'wide' }),
    certifications: field({ label: 'Certifications', path: 'profile.certifications', value: joinList(profile.certifications), class: 'wide' }),
    targetMarkets: field({ label: 'Target markets', path: 'profile.target_markets', value: joinList(profile.targetMarkets), hint: 'Countries it wants to enter' }),
    activeMarkets: field({ label: 'Active markets', path: 'profile.active_markets', value: joinList(profile.activeMarkets), hint: 'Countries it trades with' }),
  };

  const objectivesList = rowList({
    items: profile.objectives,
    className: 'objectives',
    fieldset: objectiveFieldset,
    read: readObjective,
    selector: 'fieldset.objective',
    addLabel: 'Add objective',
    empty: 'No objectives yet.',
    fresh: () => ({ type: 'DISTRIBUTION', direction: 'SEEK' }),
    focus: 'select',
  });
  const contactsList = rowList({
    items: profile.contacts,
    className: 'contacts',
    fieldset: contactFieldset,
    read: readContact,
    selector: 'fieldset.contact',
    addLabel: 'Add contact',
    empty: 'No contact persons yet.',
    fresh: () => ({}),
    focus: 'input',
  });
  const contactsSet = seesContacts
    ? h('fieldset', { class: 'contacts-set' }, h('legend', {}, 'Contact persons'), h('p', { class: 'hint' }, 'Shown only to the member itself and its own chamber.'), contactsList.box, h('div', { class: 'actions' }, contactsList.add))
    : h('fieldset', { class: 'contacts-set' }, h('legend', {}, 'Contact persons'), h('p', { class: 'hint' }, 'Contact persons are shown only to the member itself and its own chamber.'));

  function read() {
    const lat = toNumberOrNull(f.latitude.input.value);
    const lng = toNumberOrNull(f.longitude.input.value);
    const date = f.validUntil.input.value;
    const p = {
      chamberId: f.chamberId.input.value.trim(),
      name: f.name.input.value.trim(),
      country: f.country.input.value.trim().toUpperCase(),
      city: f.city.input.value.trim(),
      location: lat === null && lng === null ? null : { latitude: lat ?? 0, longitude: lng ?? 0 },
      sectors: splitList(f.sectors.input.value),
      employees: toInt(f.employees.input.value),
      foundedYear: toInt(f.foundedYear.input.value),
      languages: splitList(f.languages.input.value).map((l) => l.toLowerCase()),
      description: f.description.input.value.trim(),
      keywords: splitList(f.keywords.input.value),
      objectives: objectivesList.current(),
      targetMarkets: splitList(f.targetMarkets.input.value).map((m) => m.toUpperCase()),
      activeMarkets: splitList(f.activeMarkets.input.value).map((m) => m.toUpperCase()),
      certifications: splitList(f.certifications.input.value),
      visibility: f.visibility.input.value,
      anonymous: f.anonymous.input.checked,
      validUntil: !date ? null : date === dateOf(original.validUntil) ? original.validUntil : `${date}T23:59:59Z`,
    };
    if (seesContacts) p.contacts = contactsList.current();
    if (isNew) p.id = f.id.input.value.trim();
    return p;
  }

  const save = h('button', { type: 'submit' }, isNew ? 'Create member' : 'Save changes');
  const message = formMessage();
  const versionNote = h('p', { class: 'hint version' });
  function showVersion() {
    versionNote.textContent = isNew ? '' : `Version ${original.version || '?'}${original.updateTime ? `, last written ${new Date(original.updateTime).toLocaleString()}` : ''}`;
  }
  showVersion();

  // The outcome of a save shows in the sticky bar beside the button, where
  // the user is looking, not at the end of a long form.
  const form = h(
    'form',
    { class: 'profile-form', novalidate: true, 'data-root': 'profile', 'data-failed': 'Not saved' },
    h('fieldset', { class: 'grid' }, h('legend', {}, 'Company'), f.id, f.chamberId, f.name, f.country, f.city, f.employees, f.foundedYear, f.visibility, f.validUntil, f.latitude, f.longitude, f.anonymous),
    h('fieldset', { class: 'grid' }, h('legend', {}, 'What it does'), f.sectors, f.languages, f.description, f.keywords, f.certifications),
    h('fieldset', { class: 'grid' }, h('legend', {}, 'Markets'), f.targetMarkets, f.activeMarkets),
    h('fieldset', { class: 'objectives-set' }, h('legend', {}, 'Partnership objectives'), objectivesList.box, h('div', { class: 'actions' }, objectivesList.add)),
    contactsSet,
    h('div', { class: 'actions sticky-actions' }, save, versionNote, message),
  );
  // Edits not saved make leaving the page ask first.
  const blank = isNew ? read() : null;
  ctx.keepEdits?.(() => form.isConnected && Object.keys(changedFields(isNew ? blank : original, read())).length > 0);

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(save, async () => {
      clearErrors(form);
      const edited = read();
      try {
        if (isNew) {
          const body = Object.fromEntries(Object.entries(edited).filter(([, v]) => v !== null));
          const created = await api.post('/profiles', body);
          ctx.announce(`Created ${created.name}`);
          onSaved?.(created, true);
          return;
        }
        const body = changedFields(original, edited);
        if (!Object.keys(body).length) {
          message.replaceChildren(h('p', { class: 'notice notice-info', role: 'status' }, 'Nothing changed.'));
          return;
        }
        const updated = await api.patch(`/profiles/${encodeURIComponent(original.id)}`, body, {
          expected_version: original.version,
        });
        original = structuredClone(updated);
        showVersion();
        message.replaceChildren(
          h('p', { class: 'notice notice-ok', role: 'status' }, `Saved ${Object.keys(body).length} field(s); now version ${updated.version}.`),
        );
        ctx.announce('Saved');
        onSaved?.(updated, false);
      } catch (err) {
        showError(form, err, 'profile');
        if (err.code === 'ABORTED' || err.status === 409 || err.status === 412) {
          message.append(
            h('p', {}, 'Someone saved this profile after you opened it. ', h('a', { href: `#/profiles/${encodeURIComponent(original.id)}`, onclick: () => ctx.navigate(location.hash) }, 'Reload it'), ' to see their changes, then edit again.'),
          );
        }
      }
    });
  });

  if (!isNew && onDeleted) {
    const del = h('button', { type: 'button', class: 'danger' }, 'Delete member…');
    const confirmBox = h('div', { class: 'confirm', hidden: true });
    del.addEventListener('click', () => {
      confirmBox.hidden = false;
      confirmBox.replaceChildren(
        h('p', { role: 'alert' }, `Delete ${original.name} (${original.id})? This cannot be undone.`),
        h(
          'button',
          {
            type: 'button',
            class: 'danger',
            onclick: async (ev) => {
              await busy(ev.currentTarget, async () => {
                try {
                  await api.del(`/profiles/${encodeURIComponent(original.id)}`, { expected_version: original.version });
                  onDeleted(original);
                } catch (err) {
                  showError(form, err, 'profile');
                }
              });
            },
          },
          'Yes, delete',
        ),
        h('button', { type: 'button', class: 'secondary', onclick: () => { confirmBox.hidden = true; del.focus(); } }, 'Cancel'),
      );
      confirmBox.querySelector('button').focus();
    });
    form.querySelector('.sticky-actions').append(del, confirmBox);
  }
  return form;
}
