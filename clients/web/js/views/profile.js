// #/profiles/ID: one member's profile, editable; #/profiles/new: a new member.
// Whether the token may see it is the API's decision: a refusal is shown as the
// API worded it. A company shown anonymously (#/profiles/anon-…) is its
// anonymous view: what the API shows of it, not a form.

import { anonymousNote, anonymousTitle, handleTag, isAnonymous, revealReasonText } from '../anonymous.js';
import { api } from '../api.js';
import { h, heading, joinList, loading, notice, uid } from '../dom.js';
import { companyNames, listAll, timeText } from '../engagement.js';
import { describe } from '../form.js';
import { profileForm } from '../profile_form.js';

// Who may list to whom a profile was revealed (ListReveals): operators, its
// chamber's staff and the member itself.
function seesReveals(me, profile) {
  return me.role === 'ADMIN' || (me.role === 'STAFF' && me.chamberId === profile.chamberId) || (me.role === 'MEMBER' && me.profileId === profile.id);
}

// "Shown to others as anon-…" for a profile that chose anonymity, and the
// companies it was revealed to: the company, why in words and when. Empty
// for a caller who may not list them.
export function anonymitySection(ctx, profile) {
  if (!seesReveals(ctx.me, profile)) return null;
  const id = uid('reveals');
  const body = h('div', {}, loading('Loading…'));
  const section = h(
    'section',
    { class: 'card reveals', 'aria-labelledby': id },
    h('h2', { id }, 'Revealed to'),
    profile.anonymous && profile.handle
      ? h('p', { class: 'shown-as' }, 'Shown to others as ', handleTag(profile.handle), ' until both sides are interested or a meeting is accepted.')
      : null,
    body,
  );
  (async () => {
    try {
      const reveals = await listAll(`/profiles/${encodeURIComponent(profile.id)}/reveals`, {}, 'reveals', { signal: ctx.signal });
      const names = await companyNames(ctx).all(reveals.map((r) => r.revealedTo));
      body.replaceChildren(
        reveals.length
          ? h(
              'ul',
              { class: 'reveals-list' },
              reveals.map((r) =>
                h('li', {}, h('strong', {}, names.get(r.revealedTo)?.name || r.revealedTo), ` — ${revealReasonText(r.reason)}, ${timeText(r.revealTime)}`),
              ),
            )
          : h('p', { class: 'hint' }, 'Not revealed to any company yet.'),
      );
    } catch (e) {
      if (e.name === 'AbortError') return;
      body.replaceChildren(notice('error', describe(e)));
    }
  })();
  return section;
}

// What the API shows of an anonymous company: country, sectors, languages,
// size band.
function anonymousView(ctx, profile) {
  const facts = [
    ['Country', profile.country],
    ['Sectors (NACE)', joinList(profile.sectors)],
    ['Languages', joinList(profile.languages)],
    ['Employees', profile.employees ? `${profile.employees} or more` : ''],
    ['Target markets', joinList(profile.targetMarkets)],
  ].filter(([, v]) => v);
  ctx.main.append(
    h('div', { class: 'page-head' }, h('h1', {}, anonymousTitle(profile.id))),
    anonymousNote(),
    h('dl', { class: 'anonymous-facts' }, facts.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
  );
}

// Whom the API shows a profile's contact persons (services/access.h,
// SeesContacts): operators, its chamber's staff and the member itself.
function seesContacts(me, profile) {
  return me.role === 'ADMIN' || (me.role === 'STAFF' && me.chamberId === profile.chamberId) || (me.role === 'MEMBER' && me.profileId === profile.id);
}

export async function renderProfile(ctx, id) {
  if (!id) {
    ctx.main.append(
      heading('New member'),
      profileForm({
        ctx,
        profile: { chamberId: ctx.me.chamberId || '', visibility: 'FEDERATION', objectives: [] },
        isNew: true,
        canChangeChamber: ctx.me.role === 'ADMIN',
        onSaved: (p) => ctx.navigate(`#/profiles/${encodeURIComponent(p.id)}`),
      }),
    );
    return;
  }
  const wait = h('div', {}, heading(`Member ${id}`), loading());
  ctx.main.append(wait);
  let profile;
  try {
    profile = await api.get(`/profiles/${encodeURIComponent(id)}`, {}, { signal: ctx.signal });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    wait.replaceWith(heading(`Member ${id}`), notice('error', describe(e)));
    return;
  }
  wait.remove();
  if (isAnonymous(profile.id)) {
    anonymousView(ctx, profile);
    return;
  }
  const title = heading(profile.name);
  const links = h(
    'p',
    { class: 'links' },
    h('code', {}, profile.id),
    ' · ',
    `${profile.country}${profile.city ? `, ${profile.city}` : ''}`,
    ' · ',
    h('a', { href: `#/partners/${encodeURIComponent(profile.id)}` }, 'Find partners'),
    ' · ',
    h('a', { href: `#/compare?a=${encodeURIComponent(profile.id)}` }, 'Compare with…'),
  );
  ctx.main.append(
    h('div', { class: 'page-head' }, title),
    links,
    anonymitySection(ctx, profile) || '',
    profileForm({
      ctx,
      profile,
      isNew: false,
      canChangeChamber: ctx.me.role === 'ADMIN',
      seesContacts: seesContacts(ctx.me, profile),
      onSaved: (p) => {
        title.textContent = p.name;
      },
      onDeleted: ctx.isStaff
        ? (p) => {
            ctx.announce(`Deleted ${p.name}`);
            ctx.navigate('#/members');
          }
        : null,
    }),
  );
}
