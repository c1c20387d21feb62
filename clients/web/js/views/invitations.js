// #/invitations: a member company's invitations to host delegations: which
// delegation (its name, dates, cities, the chamber that organises it), the
// deadline, and Accept / Decline with a note while the deadline has not
// passed; the answers given, in words. Staff answer for their members on a
// delegation's Hosts tab.

import { h, heading, loading, notice } from '../dom.js';
import { describe } from '../form.js';
import { answerable, answerForm, answerText, listMine } from '../invitations.js';
import { dayLabel } from '../schedule.js';

// "Mon 29 Mar – Tue 30 Mar".
function datesText(dates) {
  const sorted = [...(dates || [])].sort();
  if (!sorted.length) return '';
  return sorted.length > 1 ? `${dayLabel(sorted[0])} – ${dayLabel(sorted[sorted.length - 1])}` : dayLabel(sorted[0]);
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

  let invitations;
  try {
    invitations = (await listMine({ signal: ctx.signal }))?.invitations || [];
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    list.replaceChildren(notice('error', describe(e)));
    return;
  }

  function card(inv) {
    const name = inv.delegationName || inv.delegationId;
    const headId = `inv-${inv.delegationId}`.replace(/[^A-Za-z0-9_-]/g, '_');
    const state = h('p', { class: 'request-state', dataset: { status: inv.status } }, answerText(inv));
    const li = h(
      'li',
      { class: `request invitation state-${String(inv.status || '').toLowerCase()}`, dataset: { delegation: inv.delegationId }, 'aria-labelledby': headId },
      h('h2', { id: headId }, name),
      h(
        'p',
        { class: 'meta' },
        [datesText(inv.dates), (inv.cities || []).join(', '), inv.organiserChamberId ? `organised by ${inv.organiserChamberId}` : '']
          .filter(Boolean)
          .join(' · '),
      ),
      state,
    );
    if (answerable(inv)) {
      li.append(
        answerForm({
          delegationId: inv.delegationId,
          inv: { ...inv, hostId: inv.hostId || ctx.me.profileId },
          onAnswered: (answered) => {
            const now = { ...inv, ...answered };
            li.replaceWith(card(now));
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
    invitations.length
      ? h('ul', { class: 'request-list invitations' }, invitations.map(card))
      : h('p', {}, 'No invitations: when a chamber invites your company to meet a delegation, it is listed here.'),
  );
}
