// Host invitations in words, and the calls that list, send and answer them.
// A host company is invited to a delegation by the staff of the chamber that
// hosts it (or organises it); it accepts or declines by the deadline, itself
// or through its chamber's staff.

import { api } from './api.js';
import { h, percent } from './dom.js';
import { busy, describe, field } from './form.js';
import { dateTimeText } from './outcomes.js';

export const NOTE_LIMIT = 500;

const STATUS_WORDS = {
  PENDING: 'Waiting for an answer',
  ACCEPTED: 'Accepted',
  DECLINED: 'Declined',
  EXPIRED: 'No answer by the deadline',
  WITHDRAWN: 'Withdrawn',
};

export function statusText(status) {
  return STATUS_WORDS[status] || 'Not invited';
}

// "Accepted by the company on 3 Feb 2027, 10:00: glad to" and the like.
export function answerText(inv) {
  const state = statusText(inv.status);
  if (inv.status !== 'ACCEPTED' && inv.status !== 'DECLINED') {
    return inv.status === 'PENDING' && inv.deadline ? `${state} (answer by ${dateTimeText(inv.deadline)})` : state;
  }
  const by = { MEMBER: ' by the company', STAFF: ' by its chamber', OPERATOR: ' by the operator' }[inv.answeredBy] || '';
  const when = inv.answerTime ? ` on ${dateTimeText(inv.answerTime)}` : '';
  return `${state}${by}${when}${inv.note ? `: ${inv.note}` : ''}`;
}

// Whether the invitation may still be answered at `now` (a Date).
export function answerable(inv, now = new Date()) {
  if (inv.status !== 'PENDING' && inv.status !== 'ACCEPTED' && inv.status !== 'DECLINED') return false;
  return !inv.deadline || new Date(inv.deadline) > now;
}

// The delegation's invitation figures in one line:
// "5 invited: 3 accepted, 1 declined, 1 waiting, 0 without answer · response rate 80.0 %".
export function summaryText(s) {
  if (!s || !Number(s.invited || 0)) return 'No host invited yet.';
  return (
    `${s.invited} invited: ${s.accepted || 0} accepted, ${s.declined || 0} declined, ${s.pending || 0} waiting, ` +
    `${s.expired || 0} without answer · response rate ${percent(s.responseRate)}`
  );
}

// A company's invitations across delegations: {listings: [{delegationId,
// delegationName, chamberId, hostChamberId, firstDate, lastDate, cities,
// invitation}]}.
export function listForMember(memberId, { signal } = {}) {
  return api.get('/host-invitations', { member_id: memberId }, { signal });
}

// hostIds empty: every named host not invited yet. deadline: an RFC 3339 time or ''.
export function inviteHosts(delegationId, hostIds, deadline) {
  const body = { hostIds };
  if (deadline) body.deadline = deadline;
  return api.post(`/delegations/${encodeURIComponent(delegationId)}:invite`, body);
}

export function answerInvitation(delegationId, hostId, accept, note) {
  return api.post(`/delegations/${encodeURIComponent(delegationId)}/invitations/${encodeURIComponent(hostId)}:answer`, { accept, note });
}

// Accept / Decline with an optional note, for one invitation. `who` names the
// company when staff answer for it ("Answer for Regio Maquinaria").
// onAnswered(invitation) runs after the API took the answer; a refusal is
// shown beside the buttons.
export function answerForm({ delegationId, inv, who = '', onAnswered }) {
  const note = field({
    label: who ? `Note for the organisers (for ${who})` : 'Note for the organisers',
    path: 'note',
    type: 'textarea',
    rows: 2,
    value: inv.note || '',
    hint: 'Optional: who will come, a time that suits, why not.',
    attrs: { maxlength: String(NOTE_LIMIT) },
  });
  const message = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const send = (accept) => async (e) => {
    message.hidden = true;
    await busy(e.currentTarget, async () => {
      try {
        onAnswered(await answerInvitation(delegationId, inv.hostId, accept, note.input.value.trim()));
      } catch (err) {
        message.textContent = describe(err);
        message.hidden = false;
      }
    });
  };
  const label = (text) => (who ? `${text} for ${who}` : text);
  return h(
    'div',
    { class: 'invitation-answer' },
    note,
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', dataset: { answer: 'accept' }, onclick: send(true) }, label(inv.status === 'ACCEPTED' ? 'Accept again' : 'Accept')),
      h('button', { type: 'button', class: 'secondary', dataset: { answer: 'decline' }, onclick: send(false) }, label('Decline')),
    ),
    message,
  );
}
