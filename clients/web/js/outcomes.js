// What came of a meeting, in the words members and staff use: the two
// stages of feedback (right after the meeting, and months later), a side's
// answers as a sentence, the forms that record them, and the paths that name
// a meeting.
//
//   meetingPath(outcome.meeting)            // "/requests/mr-…/outcome"
//   feedbackText(side.feedback, 'Andina')  // "Held · rated 4 of 5 · follow up: yes"
//   feedbackForm({ side, otherName, onSubmit })  // a <form>; onSubmit(body)

import { h } from './dom.js';
import { field, formMessage } from './form.js';
import { labelOf } from './labels.js';

export const ATTENDANCE = [
  ['HELD', 'The meeting took place'],
  ['NO_SHOW', 'A side did not come'],
  ['CANCELLED', 'It was called off'],
];

export const RATINGS = [
  ['5', '5 – excellent'],
  ['4', '4 – good'],
  ['3', '3 – fair'],
  ['2', '2 – weak'],
  ['1', '1 – poor'],
];

export const FOLLOW_UPS = [
  ['YES', 'Yes'],
  ['MAYBE', 'Maybe'],
  ['NO', 'No'],
];

export const STATUSES = [
  ['NO_FURTHER_CONTACT', 'No further contact'],
  ['IN_CONTACT', 'In contact'],
  ['NEGOTIATING', 'Negotiating'],
  ['AGREEMENT_SIGNED', 'Agreement signed'],
];

export const AGREEMENT_TYPES = [
  ['DISTRIBUTION', 'Distribution'],
  ['SUPPLY', 'Supply'],
  ['LICENSING', 'Licensing'],
  ['JOINT_VENTURE', 'Joint venture'],
  ['RESEARCH_COOPERATION', 'Research cooperation'],
  ['INVESTMENT', 'Investment'],
  ['OTHER', 'Other'],
];

export const VALUE_BANDS = [
  ['', 'Not said'],
  ['UNDER_50K_EUR', 'Under €50,000'],
  ['FROM_50K_TO_250K_EUR', '€50,000 to €250,000'],
  ['FROM_250K_TO_1M_EUR', '€250,000 to €1 million'],
  ['FROM_1M_TO_5M_EUR', '€1 million to €5 million'],
  ['OVER_5M_EUR', 'Over €5 million'],
];

// The longest note either stage takes (MeetingFeedback.note).
export const NOTE_LIMIT = 1000;

// The API path of a meeting's outcome (MeetingRef: a request, or a
// delegation's planned meeting).
export function meetingPath(ref) {
  if (ref?.requestId) return `/requests/${encodeURIComponent(ref.requestId)}/outcome`;
  return `/delegations/${encodeURIComponent(ref?.delegationId || '')}/meetings/${encodeURIComponent(ref?.meetingUid || '')}/outcome`;
}

// The console's address of a meeting's page.
export function meetingHash(ref) {
  if (ref?.requestId) return `#/meetings/request/${encodeURIComponent(ref.requestId)}`;
  return `#/meetings/delegation/${encodeURIComponent(ref?.delegationId || '')}/${encodeURIComponent(ref?.meetingUid || '')}`;
}

// Stage 1 as a line: "Held · rated 4 of 5 · follow up: yes". `self` and
// `other` name the answering side and the other one, for a no-show.
export function feedbackText(f, { self = 'this side', other = 'the other side' } = {}) {
  if (!f) return 'Not answered yet';
  if (f.attendance === 'NO_SHOW') {
    const who = { THIS_SIDE: self, OTHER_SIDE: other, BOTH_SIDES: 'neither side' }[f.absent] || 'a side';
    return `No-show: ${who} did not come`;
  }
  if (f.attendance === 'CANCELLED') return 'Called off';
  const parts = ['Held'];
  if (f.rating) parts.push(`rated ${f.rating} of 5`);
  if (f.followUp) parts.push(`follow up: ${labelOf(FOLLOW_UPS, f.followUp).toLowerCase()}`);
  return parts.join(' · ');
}

// Stage 2 as a line: "Agreement signed: distribution, €250,000 to €1 million".
export function followUpText(r) {
  if (!r) return 'Not answered yet';
  const status = labelOf(STATUSES, r.status);
  if (r.status !== 'AGREEMENT_SIGNED') return status;
  const what = [labelOf(AGREEMENT_TYPES, r.agreementType).toLowerCase()];
  if (r.valueBand) what.push(labelOf(VALUE_BANDS, r.valueBand));
  return `${status}: ${what.join(', ')}`;
}

// "12 March 2027, 10:00" in the browser's time zone.
export function dateTimeText(timestamp) {
  const t = new Date(timestamp);
  if (Number.isNaN(t.getTime())) return '';
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false }).format(t);
}

export function dateText(timestamp) {
  const t = new Date(timestamp);
  if (Number.isNaN(t.getTime())) return '';
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric' }).format(t);
}

// Shows `wrap` (a field) only while `when()` holds; re-checked on `input`'s change.
function showWhen(wrap, input, when) {
  const update = () => {
    wrap.hidden = !when();
    wrap.input.disabled = wrap.hidden;
  };
  input.addEventListener('change', update);
  update();
}

// The stage 1 form. `side` is the SideOutcome answered (its feedback, if
// any, fills the form: a correction); `selfName`, `otherName` name the two
// companies. onSubmit(feedback) stores it and throws an ApiError when refused.
export function feedbackForm({ side, selfName, otherName, onSubmit }) {
  const f = side.feedback || {};
  const attendance = field({ label: 'Did the meeting take place?', path: 'feedback.attendance', type: 'select', options: [['', 'Choose…'], ...ATTENDANCE], value: f.attendance || '', required: true });
  const absent = field({
    label: 'Who did not come?',
    path: 'feedback.absent',
    type: 'select',
    options: [['', 'Choose…'], ['THIS_SIDE', selfName], ['OTHER_SIDE', otherName], ['BOTH_SIDES', 'Neither side']],
    value: f.absent || '',
  });
  const rating = field({ label: 'How did it go?', path: 'feedback.rating', type: 'select', options: [['', 'Choose…'], ...RATINGS], value: f.rating ? String(f.rating) : '' });
  const followUp = field({ label: `Follow up with ${otherName}?`, path: 'feedback.follow_up', type: 'select', options: [['', 'Choose…'], ...FOLLOW_UPS], value: f.followUp || '' });
  const note = field({ label: 'Note (optional)', path: 'feedback.note', type: 'textarea', value: f.note || '', attrs: { maxlength: NOTE_LIMIT } });
  const a = attendance.input;
  showWhen(absent, a, () => a.value === 'NO_SHOW');
  showWhen(rating, a, () => a.value === 'HELD');
  showWhen(followUp, a, () => a.value === 'HELD');
  const form = h(
    'form',
    { class: 'outcome-form feedback-form', novalidate: true, dataset: { failed: 'Not saved' } },
    h('fieldset', {}, h('legend', {}, side.feedback ? 'Correct the feedback' : 'Feedback on the meeting'), attendance, absent, rating, followUp, note),
    formMessage(),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, side.feedback ? 'Save the correction' : 'Send feedback')),
  );
  form.collect = () => {
    const body = { attendance: a.value, note: note.input.value.trim() };
    if (a.value === 'NO_SHOW') body.absent = absent.input.value;
    if (a.value === 'HELD') {
      body.rating = Number(rating.input.value || 0);
      body.followUp = followUp.input.value;
    }
    for (const k of Object.keys(body)) if (body[k] === '' || body[k] === 0) delete body[k];
    return body;
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    onSubmit(form, { feedback: form.collect() });
  });
  return form;
}

// The stage 2 form, as feedbackForm.
export function followUpForm({ side, onSubmit }) {
  const r = side.followUp || {};
  const status = field({ label: 'Where does it stand?', path: 'follow_up.status', type: 'select', options: [['', 'Choose…'], ...STATUSES], value: r.status || '', required: true });
  const type = field({ label: 'Type of agreement', path: 'follow_up.agreement_type', type: 'select', options: [['', 'Choose…'], ...AGREEMENT_TYPES], value: r.agreementType || '' });
  const band = field({ label: 'Value of the agreement', path: 'follow_up.value_band', type: 'select', options: VALUE_BANDS, value: r.valueBand || '' });
  const note = field({ label: 'Note (optional)', path: 'follow_up.note', type: 'textarea', value: r.note || '', attrs: { maxlength: NOTE_LIMIT } });
  const s = status.input;
  showWhen(type, s, () => s.value === 'AGREEMENT_SIGNED');
  showWhen(band, s, () => s.value === 'AGREEMENT_SIGNED');
  const form = h(
    'form',
    { class: 'outcome-form follow-up-form', novalidate: true, dataset: { failed: 'Not saved' } },
    h('fieldset', {}, h('legend', {}, 'What came of it'), status, type, band, note),
    formMessage(),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, side.followUp ? 'Save the correction' : 'Send the follow-up report')),
  );
  form.collect = () => {
    const body = { status: s.value, note: note.input.value.trim() };
    if (s.value === 'AGREEMENT_SIGNED') {
      body.agreementType = type.input.value;
      body.valueBand = band.input.value;
    }
    for (const k of Object.keys(body)) if (body[k] === '') delete body[k];
    return body;
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    onSubmit(form, { followUp: form.collect() });
  });
  return form;
}
