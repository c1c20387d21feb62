// #/invitations: a member company's invitations to host delegations: which
// delegation (its name, dates, cities, the chamber that organises it), the
// deadline, and Accept / Decline with a note while the deadline has not
// passed; the answers given, in words. Staff answer for their members on a
// delegation's Hosts tab.

import { h, heading, loading, notice } from '../dom.js';
import { describe } from '../form.js';
import { answerable, answerForm, answerText, listForMember } from '../invitations.js';
import { dayLabel } from '../schedule.js';

// "Mon 29 Mar – Tue 30 Mar".
function datesText(first, last) {
  if (!first) return '';
  return last && last !== first ? `${dayLabel(first)} – ${dayLabel(last)}` : dayLabel(first);
}

export async function renderInvitations(ctx) {
  ctx.main.append(h('div', { class: 'page-head' }, heading('Invitations to host')));
  if (!ctx.me.profileId) {
    ctx.main.append(notice('info', 'Invitations are answered by the invited company. As staff, answer for your members on a delegation’s Hosts tab.'), h('p', {}, h('a', { href: '#/delegations' }, 'Go to the delegations')));
    return;
  }
  const status = h('div', { class: 'status-area', 'aria-live': 'polite' });
  const list = h('div', {}, loading('Loading your invitations…'));
  ctx.main.append(h('p', { class: 'hint' }, 'Chambers invite your company to meet visiting delegations. Answer before the deadline; you may change your answer until then.'), status, list);

  let listings;
  try {
    listings = (await listForMember(ctx.me.profileId, { signal: ctx.signal }))?.listings || [];
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    list.replaceChildren(notice('error', describe(e)));
    return;
  }

  // One listing: the delegation as the invited host may know it, and the invitation.
  function card(listing) {
    const inv = listing.invitation || {};
    const name = listing.delegationName || listing.delegationId;
    const headId = `inv-${listing.delegationId}`.replace(/[^A-Za-z0-9_-]/g, '_');
    const li = h(
      'li',
      { class: `request invitation state-${String(inv.status || '').toLowerCase()}`, dataset: { delegation: listing.delegationId }, 'aria-labelledby': headId },
      h('h2', { id: headId }, name),
      h(
        'p',
        { class: 'meta' },
        [
          datesText(listing.firstDate, listing.lastDate),
          (listing.cities || []).join(', '),
          `organised by ${listing.chamberId}${listing.hostChamberId ? ` with ${listing.hostChamberId}` : ''}`,
        ]
          .filter(Boolean)
          .join(' · '),
      ),
      h('p', { class: 'request-state', dataset: { status: inv.status || '' } }, answerText(inv)),
    );
    if (answerable(inv)) {
      li.append(
        answerForm({
          delegationId: listing.delegationId,
          inv,
          onAnswered: (answered) => {
            const now = answered;
            li.replaceWith(card({ ...listing, invitation: now }));
            const box = notice('ok', `${name}: ${answerText(now)}.`);
            box.setAttribute('tabindex', '-1');
            status.replaceChildren(box);
            box.focus();
          },
        }),
      );
    }
    return li;
  }

  list.replaceChildren(
    listings.length
      ? h('ul', { class: 'request-list invitations' }, listings.map(card))
      : h('p', {}, 'No invitations: when a chamber invites your company to meet a delegation, it is listed here.'),
  );
}
