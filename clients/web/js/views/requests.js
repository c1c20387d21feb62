// #/requests: meeting requests and mutual interests. A member sees the
// requests it received and sent, each state in words ("Waiting for your
// answer", "Accepted – 12 March, 10:00"), accepts one proposed time or
// declines with one click, and withdraws what it sent. Chamber staff see
// their members' requests, answer for the receiving member ("Answer for
// Distribuidora Andina") and filter by member (#/requests?member=ID).

import { api } from '../api.js';
import { h, heading, loading, notice, queryString, uid } from '../dom.js';
import { actsFor, companyNames, listAll, stateText, windowText } from '../engagement.js';
import { busy, describe, field } from '../form.js';
import { typeahead } from '../typeahead.js';

export async function renderRequests(ctx) {
  const member = ctx.isStaff ? ctx.query.get('member') || '' : ctx.me.profileId || '';
  const names = companyNames(ctx);
  const title = heading(ctx.isStaff ? 'Meeting requests of our members' : 'Meeting requests');
  const status = h('div', { class: 'status-area', 'aria-live': 'polite' });
  const content = h('div', {}, loading('Loading the requests…'));
  ctx.main.append(title);

  if (ctx.isStaff) {
    const memberField = field({ label: 'Member', path: 'member_id', value: member, hint: 'Empty: every member of your chamber', attrs: { spellcheck: 'false' } });
    typeahead(memberField.input);
    const filter = h(
      'form',
      { class: 'inline-form', novalidate: true, 'aria-label': 'Filter by member' },
      memberField,
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'secondary' }, 'Show')),
    );
    filter.addEventListener('submit', (e) => {
      e.preventDefault();
      ctx.navigate(`#/requests${queryString({ member: memberField.input.value.trim() })}`);
    });
    ctx.main.append(filter);
    if (ctx.me.role === 'ADMIN' && !member) {
      ctx.main.append(notice('info', 'Enter a member to see its requests.'));
      return;
    }
  }
  ctx.main.append(status, content);

  function say(kind, text) {
    status.replaceChildren(notice(kind, text));
    ctx.announce(text);
  }

  let requests;
  let mutual;
  try {
    const query = member ? { member_id: member } : {};
    [requests, mutual] = await Promise.all([
      listAll('/requests', query, 'requests', { signal: ctx.signal }),
      listAll('/interests', { ...query, mutual_only: 'true' }, 'interests', { signal: ctx.signal }),
    ]);
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    content.replaceChildren(notice('error', describe(e)));
    return;
  }
  const companies = await names.all([
    ...requests.flatMap((r) => [r.fromMemberId, r.toRef]),
    ...mutual.flatMap((i) => [i.memberId, i.partnerRef]),
  ]);
  const nameOf = (id) => companies.get(id)?.name || id;
  // The side of a request the page speaks for: the member filtered by, else
  // the caller's own company or its chamber's member.
  const ours = (id) => (member ? id === member : actsFor(ctx.me, companies.get(id) || { id }));

  function draw() {
    const received = requests.filter((r) => ours(r.toRef));
    const sent = requests.filter((r) => !ours(r.toRef) && ours(r.fromMemberId));
    const waiting = received.filter((r) => r.state === 'PENDING').length;
    content.replaceChildren(
      h(
        'p',
        { class: 'stats' },
        waiting ? `${waiting} waiting for ${ctx.isStaff ? 'an answer' : 'your answer'}` : 'Nothing waiting for an answer',
        ` · ${received.length} received · ${sent.length} sent`,
      ),
      section('received', ctx.isStaff ? 'Received by our members' : 'Received', received, 'No requests received yet.'),
      section('sent', ctx.isStaff ? 'Sent by our members' : 'Sent', sent, 'No requests sent yet.'),
      mutualSection(),
    );
  }

  function section(side, label, list, empty) {
    const id = uid('requests');
    return h(
      'section',
      { class: `card requests requests-${side}`, 'aria-labelledby': id },
      h('h2', { id }, label),
      list.length ? h('ul', { class: 'request-list' }, list.map((r) => requestItem(r, side))) : h('p', { class: 'hint' }, empty),
    );
  }

  // Replaces the request in the list with the server's answer and redraws.
  async function act(button, work, done) {
    await busy(button, async () => {
      try {
        const updated = await work();
        requests = requests.map((r) => (r.id === updated.id ? updated : r));
        draw();
        say('ok', done(updated));
        ctx.refreshWaiting?.();
      } catch (e) {
        if (e.name === 'AbortError') return;
        say('error', describe(e));
      }
    });
  }

  function requestItem(r, side) {
    const other = side === 'received' ? r.fromMemberId : r.toRef;
    const receiver = nameOf(r.toRef);
    // Staff (or a member filter) read requests of a company they act for:
    // name it ("Huber → Distribuidora Andina").
    const staffView = ctx.isStaff;
    const headline = staffView ? `${nameOf(r.fromMemberId)} → ${receiver}` : side === 'received' ? `From ${nameOf(other)}` : `To ${nameOf(other)}`;
    const state = stateText(r, { side, receiverName: staffView ? receiver : '' });
    const headId = uid('request');
    const actions = [];
    const reasonId = uid('reason');
    if (r.state === 'PENDING' && side === 'received') {
      const forWhom = staffView ? ` for ${receiver}` : '';
      const windows = r.proposed || [];
      const accept = (window, label) =>
        h(
          'button',
          {
            type: 'button',
            onclick: (e) =>
              act(
                e.currentTarget,
                () => api.post(`/requests/${encodeURIComponent(r.id)}:answer`, { accept: true, window }, { expected_version: r.version }),
                (u) => `Accepted: ${stateText(u, { side })}.`,
              ),
          },
          label,
        );
      actions.push(
        staffView ? h('p', { class: 'answer-for' }, h('strong', {}, `Answer for ${receiver}`)) : null,
        h(
          'div',
          { class: 'actions' },
          windows.length
            ? windows.map((w, i) => accept(i, `Accept ${windowText(w)}${forWhom}`))
            : accept(0, `Accept${forWhom}`),
        ),
        h(
          'div',
          { class: 'actions decline-row' },
          h('label', { for: reasonId, class: 'visually-hidden' }, `Reason for declining (optional)`),
          h('input', { id: reasonId, type: 'text', class: 'reason', placeholder: 'Reason (optional)', maxlength: 500 }),
          h(
            'button',
            {
              type: 'button',
              class: 'danger',
              onclick: (e) => {
                const reason = document.getElementById(reasonId)?.value.trim() || '';
                act(
                  e.currentTarget,
                  () => api.post(`/requests/${encodeURIComponent(r.id)}:answer`, { accept: false, reason }, { expected_version: r.version }),
                  () => `Declined the request from ${nameOf(r.fromMemberId)}.`,
                );
              },
            },
            `Decline${forWhom}`,
          ),
        ),
      );
    }
    // Withdrawing a PENDING request and cancelling an ACCEPTED meeting are the
    // same call (CancelMeetingRequest), worded for what it does.
    const cancelButton = (label, done) =>
      h(
        'div',
        { class: 'actions' },
        h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            onclick: (e) =>
              act(
                e.currentTarget,
                () => api.post(`/requests/${encodeURIComponent(r.id)}:cancel`, {}, { expected_version: r.version }),
                done,
              ),
          },
          label,
        ),
      );
    if (r.state === 'PENDING' && side === 'sent') {
      actions.push(
        cancelButton(staffView ? `Withdraw for ${nameOf(r.fromMemberId)}` : 'Withdraw', () => `Withdrew the request to ${receiver}.`),
      );
    }
    if (r.state === 'ACCEPTED') {
      actions.push(
        cancelButton('Cancel the meeting', () => `Cancelled the meeting of ${nameOf(r.fromMemberId)} and ${receiver}.`),
      );
      // What came of it: the meeting's page (its form opens at the meeting's end).
      if (!r.delegationId) actions.push(h('p', {}, h('a', { href: `#/meetings/request/${encodeURIComponent(r.id)}` }, 'Feedback on this meeting')));
    }
    const times = r.proposed || [];
    return h(
      'li',
      { class: `request state-${String(r.state || '').toLowerCase()}`, 'aria-labelledby': headId, dataset: { request: r.id } },
      h('h3', { id: headId }, headline),
      h('p', { class: 'request-state' }, h('strong', {}, state)),
      r.message ? h('blockquote', { class: 'request-message' }, r.message) : null,
      r.delegationId
        ? h('p', { class: 'hint' }, `Within delegation ${r.delegationId}`)
        : times.length && r.state === 'PENDING'
          ? h('p', { class: 'hint' }, `Proposed: ${times.map(windowText).join(' · ')}`)
          : null,
      r.createTime ? h('p', { class: 'hint' }, `Sent ${new Date(r.createTime).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' })}`) : null,
      actions,
    );
  }

  function mutualSection() {
    const id = uid('mutual');
    const seen = new Set();
    const lines = [];
    for (const i of mutual) {
      const key = [i.memberId, i.partnerRef].sort().join(' ');
      if (seen.has(key)) continue;
      seen.add(key);
      const self = !ctx.isStaff && i.memberId === ctx.me.profileId;
      lines.push(
        h(
          'li',
          {},
          self ? `You and ${nameOf(i.partnerRef)} are both interested` : `${nameOf(i.memberId)} and ${nameOf(i.partnerRef)} are both interested`,
          ' · ',
          h('a', { href: `#/compare?a=${encodeURIComponent(i.memberId)}&b=${encodeURIComponent(i.partnerRef)}` }, 'Compare'),
        ),
      );
    }
    return h(
      'section',
      { class: 'card mutual', 'aria-labelledby': id },
      h('h2', { id }, 'Mutual interest'),
      lines.length ? h('ul', { class: 'mutual-list' }, lines) : h('p', { class: 'hint' }, 'No mutual interest yet: mark partners “Interested” on the partners page.'),
    );
  }

  draw();
}
