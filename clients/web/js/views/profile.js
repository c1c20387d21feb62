// #/profiles/ID: one member's profile, editable; #/profiles/new: a new member.
// Whether the token may see it is the API's decision: a refusal is shown as the
// API worded it.

import { api } from '../api.js';
import { h, heading, loading, notice } from '../dom.js';
import { describe } from '../form.js';
import { profileForm } from '../profile_form.js';

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
