// What a member (or its chamber's staff for it) does on a partner's card:
// "Interested", "Not interested" (asks first, hides the card, with an undo)
// and "Request a meeting" (a message and up to three proposed times; inside a
// delegation, no times: the plan places the meeting).
//
//   const card = matchCard(match, {...});
//   addPartnerActions(card, match, { ctx, memberId, interest, request, delegationId });

import { isAnonymous, nameFor } from './anonymous.js';
import { api } from './api.js';
import { append, h, uid } from './dom.js';
import { busy, clearErrors, describe, field, formMessage, showError } from './form.js';
import { MAX_TIMES, MEETING_MINUTES, MESSAGE_LIMIT, setMark, stateText } from './engagement.js';

// "2027-03-12T10:00" (a datetime-local input, the browser's time zone) to a
// timestamp the API reads.
function timestampOf(local, plusMinutes = 0) {
  const t = new Date(local);
  if (Number.isNaN(t.getTime())) return '';
  return new Date(t.getTime() + plusMinutes * 60000).toISOString();
}

// The meeting request form of one card.
function requestForm({ ctx, memberId, partnerId, partnerName, delegationId, onSent, onCancel }) {
  const message = field({
    label: `Message to ${partnerName}`,
    path: 'request.message',
    type: 'textarea',
    hint: `What you would like to talk about; up to ${MESSAGE_LIMIT} characters.`,
    attrs: { maxlength: MESSAGE_LIMIT },
  });
  const times = [];
  const length = field({
    label: 'Meeting length',
    path: 'meeting_minutes',
    type: 'select',
    value: '60',
    options: MEETING_MINUTES.map((m) => [String(m), `${m} minutes`]),
  });
  if (!delegationId) {
    for (let i = 0; i < MAX_TIMES; i += 1) {
      times.push(
        field({
          label: `Proposed time ${i + 1}`,
          path: `request.proposed[${i}]`,
          type: 'datetime-local',
          hint: i === 0 ? 'Your local time. Propose one to three; they choose one.' : null,
        }),
      );
    }
  }
  const send = h('button', { type: 'submit' }, 'Send request');
  const form = h(
    'form',
    { class: 'request-form', novalidate: true, 'aria-label': `Request a meeting with ${partnerName}`, dataset: { failed: 'Not sent' } },
    delegationId
      ? h('p', { class: 'hint' }, `Within delegation ${delegationId}: once ${partnerName} accepts, the meeting goes into the delegation’s plan.`)
      : null,
    message,
    delegationId ? null : h('div', { class: 'grid times' }, times, length),
    formMessage(),
    h('div', { class: 'actions' }, send, h('button', { type: 'button', class: 'secondary', onclick: onCancel }, 'Cancel')),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(send, async () => {
      clearErrors(form);
      const request = { fromMemberId: memberId, toRef: partnerId, message: message.input.value.trim() };
      if (delegationId) request.delegationId = delegationId;
      else {
        const minutes = Number(length.input.value) || 60;
        request.proposed = times
          .map((t) => t.input.value)
          .filter(Boolean)
          .map((v) => ({ startTime: timestampOf(v), endTime: timestampOf(v, minutes) }));
        if (!request.proposed.length) {
          showError(form, { field: 'request.proposed[0]', message: 'Propose at least one time.' });
          return;
        }
      }
      try {
        onSent(await api.post('/requests', { request }, {}, { signal: ctx.signal }));
      } catch (err) {
        if (err.name === 'AbortError') return;
        showError(form, err, 'request');
      }
    });
  });
  return form;
}

// Adds the actions to `card` (an li of the partner list). `interest`: the
// member's mark on the partner, if any; `request`: an open request between
// them, if any. A card marked not interested is hidden after the user
// confirms, with an undo in its place.
export function addPartnerActions(card, match, { ctx, memberId, interest = null, request = null, delegationId = '' }) {
  const partnerId = match.partnerId;
  const partnerName = nameFor(partnerId, match.partnerName);
  const self = ctx.me.role === 'MEMBER' && ctx.me.profileId === memberId;
  const state = { mark: interest?.mark || '', mutual: Boolean(interest?.mutual), request, open: '' };
  const bar = h('div', { class: 'engage' });
  const status = h('p', { class: 'engage-status', role: 'status' });
  const placeholder = h('li', { class: 'hidden-partner', hidden: true });
  card.dataset.partner = partnerId;

  function markText() {
    const who = self ? 'You are' : `${memberId} is`;
    if (state.mark === 'NOT_INTERESTED') return `Not interested: hidden from ${self ? 'your' : `${memberId}’s`} partners`;
    if (!state.mark) return '';
    if (state.mutual) return self ? `You and ${partnerName} are both interested` : `${memberId} and ${partnerName} are both interested`;
    return state.mark === 'MUST_MEET' ? `${who} keen to meet (must meet)` : `${who} interested`;
  }

  async function mark(next, { undoable = false } = {}) {
    const before = state.mark;
    try {
      const stored = await setMark(memberId, partnerId, next);
      state.mark = next ? stored?.mark || next : '';
      state.mutual = Boolean(stored?.mutual);
    } catch (e) {
      if (e.name === 'AbortError') return;
      state.open = '';
      draw();
      status.textContent = describe(e);
      status.className = 'engage-status notice notice-error';
      return;
    }
    state.open = '';
    if (state.mark === 'NOT_INTERESTED' && undoable && !card.closest('ol')?.dataset.showHidden) {
      hide(before);
      return;
    }
    draw();
    ctx.announce(markText() || `Mark on ${partnerName} cleared`);
  }

  function hide(before) {
    const undo = h(
      'button',
      {
        type: 'button',
        class: 'link',
        onclick: (e) =>
          busy(e.currentTarget, async () => {
            await mark(before);
            placeholder.hidden = true;
            card.hidden = false;
            card.querySelector('button')?.focus();
          }),
      },
      'Undo',
    );
    placeholder.replaceChildren(h('span', {}, `${partnerName} is hidden: not interested. `), undo);
    card.after(placeholder);
    card.hidden = true;
    placeholder.hidden = false;
    undo.focus();
    ctx.announce(`${partnerName} hidden. Undo brings it back.`);
  }

  function button(label, { pressed = null, cls = 'secondary', onclick, expanded = null }) {
    return h('button', { type: 'button', class: cls, 'aria-pressed': pressed, 'aria-expanded': expanded, onclick }, label);
  }

  function draw() {
    status.className = 'engage-status';
    status.textContent = markText();
    const open = state.request && (state.request.state === 'PENDING' || state.request.state === 'ACCEPTED');
    const requestLine = open
      ? h(
          'p',
          { class: 'engage-request' },
          `Meeting request ${state.request.fromMemberId === memberId ? 'sent' : 'received'}: `,
          h('strong', {}, stateText(state.request, { side: state.request.fromMemberId === memberId ? 'sent' : 'received' })),
          ' · ',
          h('a', { href: '#/requests' }, 'See requests'),
        )
      : null;
    const actions = h(
      'div',
      { class: 'actions engage-actions' },
      button('Interested', {
        pressed: state.mark === 'INTERESTED' || state.mark === 'MUST_MEET' ? 'true' : 'false',
        onclick: (e) => busy(e.currentTarget, () => mark(state.mark === 'INTERESTED' || state.mark === 'MUST_MEET' ? '' : 'INTERESTED')),
      }),
      button('Not interested', {
        pressed: state.mark === 'NOT_INTERESTED' ? 'true' : 'false',
        onclick: (e) => {
          if (state.mark === 'NOT_INTERESTED') {
            busy(e.currentTarget, () => mark(''));
            return;
          }
          state.open = 'confirm';
          draw();
          bar.querySelector('.confirm button')?.focus();
        },
      }),
      open
        ? null
        : button('Request a meeting', {
            cls: '',
            expanded: state.open === 'request' ? 'true' : 'false',
            onclick: () => {
              state.open = state.open === 'request' ? '' : 'request';
              draw();
              bar.querySelector('.request-form textarea')?.focus();
            },
          }),
    );
    const confirmId = uid('confirm');
    const confirm =
      state.open === 'confirm'
        ? h(
            'div',
            { class: 'confirm notice notice-warn', role: 'group', 'aria-labelledby': confirmId },
            h('p', { id: confirmId }, `Hide ${partnerName} from ${self ? 'your' : `${memberId}’s`} partners? You can undo this.`),
            h('button', { type: 'button', class: 'danger', onclick: (e) => busy(e.currentTarget, () => mark('NOT_INTERESTED', { undoable: true })) }, 'Yes, not interested'),
            h('button', { type: 'button', class: 'secondary', onclick: () => { state.open = ''; draw(); } }, 'Cancel'),
          )
        : null;
    const form =
      state.open === 'request'
        ? requestForm({
            ctx,
            memberId,
            partnerId,
            partnerName,
            delegationId,
            onSent: (sent) => {
              state.request = sent;
              state.open = '';
              draw();
              ctx.announce(`Meeting request sent to ${partnerName}.`);
              ctx.refreshWaiting?.();
            },
            onCancel: () => {
              state.open = '';
              draw();
            },
          })
        : null;
    // A partnership from this match: the form with both companies filled in.
    const partnership = isAnonymous(partnerId)
      ? null
      : h('p', { class: 'hint' }, h('a', { href: `#/partnerships/new?match=yes&first=${encodeURIComponent(memberId)}&second=${encodeURIComponent(partnerId)}` }, `Start a partnership with ${partnerName}`));
    bar.replaceChildren();
    append(bar, [status, requestLine, actions, partnership, confirm, form]);
  }

  draw();
  card.append(bar);
  return card;
}
