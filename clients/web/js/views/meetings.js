// #/meetings: what came of meetings. A member sees the meetings waiting for
// its feedback (right after the meeting's end) and for its follow-up report
// (months later), answers them on the page, and lists all its meetings.
// Staff see their chamber's meetings, or a delegation's (?delegation=ID) or a
// member's (?member=ID), with both sides' answers.
// #/meetings/request/ID and #/meetings/delegation/DID/UID: one meeting, both
// sides as the caller may see them and the forms for the sides it answers
// for. Before the meeting's end no form is offered; a refusal is shown as the
// server words it.

import { api } from '../api.js';
import { h, heading, loading, notice, queryString, uid } from '../dom.js';
import { actsFor, companyNames, listAll } from '../engagement.js';
import { busy, clearErrors, describe, field, showError } from '../form.js';
import { labelOf } from '../labels.js';
import { dateText, dateTimeText, feedbackForm, feedbackText, followUpForm, followUpText, meetingHash, meetingPath } from '../outcomes.js';

const FILTERS = [
  ['ALL', 'All meetings'],
  ['FEEDBACK_OPEN', 'Waiting for feedback'],
  ['FEEDBACK_ANSWERED', 'Feedback answered'],
  ['FOLLOW_UP_OPEN', 'Follow-up report due'],
  ['FOLLOW_UP_ANSWERED', 'Follow-up reported'],
];

function hasEnded(outcome) {
  return outcome.endTime && new Date(outcome.endTime).getTime() <= Date.now();
}

function whenText(outcome) {
  if (!outcome.startTime) return '';
  const end = outcome.endTime ? new Date(outcome.endTime) : null;
  const until = end && !Number.isNaN(end.getTime())
    ? `–${new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false }).format(end)}`
    : '';
  return `${dateTimeText(outcome.startTime)}${until}`;
}

// The names of every company the outcomes' sides name.
async function namesOf(ctx, outcomes) {
  const names = companyNames(ctx);
  const companies = await names.all(outcomes.flatMap((o) => (o.sides || []).map((s) => s.memberId)));
  return (id) => companies.get(id)?.name || id;
}

// Whether the signed-in token records answers for `side`.
function answersFor(me, side) {
  if (side.hidden) return false;
  return actsFor(me, { id: side.memberId, chamberId: side.chamberId });
}

// One meeting: both sides' answers, and the forms for the sides the caller
// answers for. onSaved(outcome) is called with the server's answer.
export function meetingCard(ctx, outcome, nameOf, { onSaved, headingLevel = 3 } = {}) {
  const sides = outcome.sides || [];
  const headId = uid('meeting');
  const status = h('div', { class: 'status-area', 'aria-live': 'polite' });
  const own = ctx.isStaff ? null : sides.find((s) => s.memberId === ctx.me.profileId);
  const other = (s) => sides.find((x) => x !== s) || {};
  const title = own ? `Meeting with ${nameOf(other(own).memberId)}` : sides.map((s) => nameOf(s.memberId)).join(' and ');

  async function record(form, side, answer) {
    clearErrors(form);
    const button = form.querySelector('button[type="submit"]');
    await busy(button, async () => {
      try {
        const body = { ...answer, expectedVersion: side.version || 0 };
        if (ctx.me.role !== 'MEMBER') body.memberId = side.memberId;
        const updated = await api.post(meetingPath(outcome.meeting), body);
        const text = answer.feedback ? 'Feedback saved.' : 'Follow-up report saved.';
        ctx.announce(text);
        onSaved?.(updated, text);
      } catch (e) {
        if (e.name === 'AbortError') return;
        showError(form, e);
      }
    });
  }

  function sideBlock(side) {
    const self = nameOf(side.memberId);
    const otherName = nameOf(other(side).memberId);
    const rows = [];
    if (side.hidden) {
      rows.push(h('p', { class: 'hint' }, 'Their answers are not shown to you.'));
    } else {
      const f = side.feedback;
      const r = side.followUp;
      rows.push(
        h(
          'dl',
          { class: 'summary' },
          h('dt', {}, 'After the meeting'),
          h('dd', { dataset: { stage: 'feedback' } }, feedbackText(f, { self, other: otherName }), f?.note ? h('blockquote', { class: 'request-message' }, f.note) : null),
          h('dt', {}, 'What came of it'),
          h('dd', { dataset: { stage: 'follow-up' } }, followUpText(r), r?.note ? h('blockquote', { class: 'request-message' }, r.note) : null,
            !r && side.followUpDueTime ? h('span', { class: 'hint block' }, `Due ${dateText(side.followUpDueTime)}`) : null),
        ),
      );
      if (side.updateTime) rows.push(h('p', { class: 'hint' }, `Last answered ${dateTimeText(side.updateTime)}${side.updatedBy === 'member' ? '' : ` (by ${side.updatedBy.startsWith('staff:') ? 'chamber staff' : 'the operator'})`}`));
    }
    if (answersFor(ctx.me, side)) {
      if (!hasEnded(outcome)) {
        rows.push(notice('info', `Feedback opens when the meeting ends, ${dateTimeText(outcome.endTime)}.`));
      } else {
        const forWhom = own ? '' : ` for ${self}`;
        const stage1 = feedbackForm({ side, selfName: self, otherName, onSubmit: (form, answer) => record(form, side, answer) });
        stage1.setAttribute('aria-label', `Feedback${forWhom}`);
        const due = side.followUpDueTime && new Date(side.followUpDueTime).getTime() <= Date.now();
        const stage2 = followUpForm({ side, onSubmit: (form, answer) => record(form, side, answer) });
        stage2.setAttribute('aria-label', `Follow-up report${forWhom}`);
        if (!side.feedback) rows.push(stage1);
        else rows.push(h('details', { class: 'more' }, h('summary', {}, `Correct the feedback${forWhom}`), stage1));
        if (due && !side.followUp) rows.push(stage2);
        else {
          const label = side.followUp ? `Correct the follow-up report${forWhom}` : `Report what came of it now${forWhom}`;
          rows.push(h('details', { class: 'more' }, h('summary', {}, label), stage2));
        }
      }
    }
    return h('section', { class: 'side', dataset: { member: side.memberId } }, h(`h${headingLevel + 1}`, {}, own === side ? `Your answers (${self})` : self), rows);
  }

  return h(
    'article',
    { class: 'card meeting', 'aria-labelledby': headId, dataset: { meeting: outcome.meeting?.requestId || outcome.meeting?.meetingUid || '' } },
    h(`h${headingLevel}`, { id: headId }, title),
    h('p', { class: 'meta' }, whenText(outcome), outcome.meeting?.delegationId ? ` · delegation ${outcome.meeting.delegationId}` : ''),
    h('p', {}, h('a', { href: meetingHash(outcome.meeting) }, 'Open this meeting')),
    status,
    h('div', { class: 'two-col sides' }, sides.map(sideBlock)),
  );
}

// A table of meetings with each side's answers in words.
function meetingTable(ctx, outcomes, nameOf, caption) {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'data meetings' },
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, ['When', 'Meeting', 'First side', 'Second side'].map((t) => h('th', { scope: 'col' }, t)))),
      h(
        'tbody',
        {},
        outcomes.map((o) =>
          h(
            'tr',
            { dataset: { meeting: o.meeting?.requestId || o.meeting?.meetingUid || '' } },
            h('td', {}, whenText(o)),
            h('th', { scope: 'row' }, h('a', { href: meetingHash(o.meeting) }, (o.sides || []).map((s) => nameOf(s.memberId)).join(' and '))),
            (o.sides || []).map((s) =>
              h(
                'td',
                {},
                h('strong', {}, nameOf(s.memberId)),
                h('br'),
                s.hidden ? h('span', { class: 'hint' }, 'Not shown to you') : [feedbackText(s.feedback, { self: nameOf(s.memberId), other: nameOf((o.sides || []).find((x) => x !== s)?.memberId) }), h('br'), followUpText(s.followUp)],
              ),
            ),
          ),
        ),
      ),
    ),
  );
}

export async function renderMeetings(ctx) {
  if (ctx.isStaff) return renderStaffMeetings(ctx);
  ctx.main.append(heading('Meeting feedback'));
  const status = h('div', { class: 'status-area', 'aria-live': 'polite' });
  const content = h('div', {}, loading('Loading your meetings…'));
  ctx.main.append(status, content);
  const query = { member_id: ctx.me.profileId };
  let open;
  let due;
  let all;
  try {
    [open, due, all] = await Promise.all(
      ['FEEDBACK_OPEN', 'FOLLOW_UP_OPEN', 'ALL'].map((filter) => listAll('/outcomes', { ...query, filter }, 'outcomes', { signal: ctx.signal })),
    );
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    content.replaceChildren(notice('error', describe(e)));
    return;
  }
  const nameOf = await namesOf(ctx, all.concat(open, due));
  const section = (cls, label, list, empty) => {
    const id = uid('meetings');
    return h(
      'section',
      { class: `meetings ${cls}`, 'aria-labelledby': id },
      h('h2', { id }, label),
      list.length
        ? list.map((o) =>
            meetingCard(ctx, o, nameOf, {
              // Drawn again from the server: the meeting moves between the lists.
              onSaved: (_, text) => ctx.navigate(`#/meetings${queryString({ saved: text.startsWith('Feedback') ? 'feedback' : 'follow-up' })}`),
            }),
          )
        : h('p', { class: 'hint' }, empty),
    );
  };
  const saved = ctx.query.get('saved');
  if (saved) status.replaceChildren(notice('ok', saved === 'feedback' ? 'Feedback saved.' : 'Follow-up report saved.'));
  content.replaceChildren(
    section('meetings-feedback', 'Waiting for your feedback', open, 'No meeting waits for your feedback.'),
    section('meetings-follow-up', 'Follow-up reports due', due, 'No follow-up report is due.'),
    all.length ? meetingTable(ctx, all, nameOf, 'All your meetings') : h('p', { class: 'hint' }, 'No meetings yet: an accepted meeting request or a published delegation plan brings them here.'),
    h('p', { class: 'hint' }, 'A meeting accepted in the last minute or two may not be listed yet; its request on ', h('a', { href: '#/requests' }, 'Requests'), ' leads to its feedback.'),
  );
}

async function renderStaffMeetings(ctx) {
  const delegation = ctx.query.get('delegation') || '';
  const member = ctx.query.get('member') || '';
  const filter = ctx.query.get('filter') || 'ALL';
  const delegationField = field({ label: 'Delegation', path: 'delegation_id', value: delegation, hint: 'A delegation’s id: its meetings.' });
  const memberField = field({ label: 'Member', path: 'member_id', value: member, hint: 'A company’s id: its meetings.' });
  const filterField = field({ label: 'Show', path: 'filter', type: 'select', options: FILTERS, value: filter });
  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': 'Which meetings' },
    delegationField,
    memberField,
    filterField,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'secondary' }, 'Show')),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    ctx.navigate(`#/meetings${queryString({ delegation: delegationField.input.value.trim(), member: memberField.input.value.trim(), filter: filterField.input.value === 'ALL' ? '' : filterField.input.value })}`);
  });
  const title = delegation ? `Meeting feedback of delegation ${delegation}` : member ? `Meeting feedback of ${member}` : 'Meeting feedback of our members';
  ctx.main.append(heading(title), form);
  if (ctx.me.role === 'ADMIN' && !delegation && !member) {
    ctx.main.append(notice('info', 'Enter a delegation or a member to see its meetings.'));
    return;
  }
  const wait = loading('Loading the meetings…');
  ctx.main.append(wait);
  let list;
  try {
    list = await listAll('/outcomes', { delegation_id: delegation, member_id: member, filter }, 'outcomes', { signal: ctx.signal });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    wait.replaceWith(notice('error', describe(e)));
    return;
  }
  const nameOf = await namesOf(ctx, list);
  const answered = (o) => (o.sides || []).filter((s) => s.feedback).length;
  wait.replaceWith(
    h('p', { class: 'stats' }, `${list.length} meeting${list.length === 1 ? '' : 's'} (${labelOf(FILTERS, filter).toLowerCase()}) · ${list.filter((o) => answered(o) === 2).length} with feedback from both sides`),
    list.length ? meetingTable(ctx, list, nameOf, 'Meetings and what each side said') : h('p', { class: 'hint' }, 'No meetings to show.'),
  );
}

// One meeting: `ref` is a MeetingRef.
export async function renderMeeting(ctx, ref) {
  ctx.main.append(heading('Meeting'));
  const status = h('div', { class: 'status-area', 'aria-live': 'polite' });
  const content = h('div', {}, loading('Loading the meeting…'));
  ctx.main.append(status, content);
  let outcome;
  try {
    outcome = await api.get(meetingPath(ref), {}, { signal: ctx.signal });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    content.replaceChildren(notice('error', describe(e)));
    return;
  }
  const nameOf = await namesOf(ctx, [outcome]);
  const draw = () => {
    const card = meetingCard(ctx, outcome, nameOf, {
      headingLevel: 2,
      onSaved: (updated, text) => {
        outcome = updated;
        draw();
        status.replaceChildren(notice('ok', text));
      },
    });
    card.querySelector('a[href^="#/meetings/"]')?.parentElement.remove(); // this is the meeting's page
    const q = ref.requestId ? { request: ref.requestId } : { delegation: ref.delegationId, meeting: ref.meetingUid };
    const sides = outcome.sides || [];
    content.replaceChildren(
      card,
      hasEnded(outcome) && sides.length === 2
        ? h('p', {}, h('a', { class: 'button secondary', href: `#/partnerships/new${queryString({ ...q, first: sides[0].memberId, second: sides[1].memberId })}` }, 'Start a partnership from this meeting'))
        : null,
    );
  };
  const main = ctx.main.querySelector('h1');
  main.textContent = `Meeting: ${(outcome.sides || []).map((s) => nameOf(s.memberId)).join(' and ')}`;
  draw();
}
