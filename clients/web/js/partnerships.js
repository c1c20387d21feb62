// Partnerships in words: statuses, where one came from, how a review judged
// it, who recorded a change, and numbers with their units.

import { labelOf } from './labels.js';

export const STATUSES = [
  ['EXPLORING', 'Exploring'],
  ['ACTIVE', 'Active'],
  ['PAUSED', 'Paused'],
  ['ENDED', 'Ended'],
];

export const JUDGEMENTS = [
  ['ON_TRACK', 'On track'],
  ['AT_RISK', 'At risk'],
  ['OFF_TRACK', 'Off track'],
];

export const ORIGINS = [
  ['', 'Not said'],
  ['MEETING', 'A meeting'],
  ['MATCH', 'A proposed match'],
  ['DELEGATION', 'A delegation'],
];

export function statusText(status) {
  return labelOf(STATUSES, status);
}

export function judgementText(judgement) {
  return labelOf(JUDGEMENTS, judgement);
}

// "A meeting (request mr-…)", "A delegation (mx27)", "Not said".
export function originText(origin) {
  if (!origin?.kind || origin.kind === 'KIND_UNSPECIFIED') return 'Not said';
  const what = labelOf(ORIGINS, origin.kind);
  const refs = [];
  if (origin.sourceRequestId) refs.push(`request ${origin.sourceRequestId}`);
  if (origin.sourceDelegationId) refs.push(`delegation ${origin.sourceDelegationId}`);
  if (origin.meetingUid) refs.push(`meeting ${origin.meetingUid}`);
  return refs.length ? `${what} (${refs.join(', ')})` : what;
}

// Who made a change ("member:de-1", "staff:ihk", "operator"), with company
// names from `nameOf`.
export function byText(by, nameOf = (id) => id) {
  if (!by) return '';
  if (by.startsWith('member:')) return nameOf(by.slice(7));
  if (by.startsWith('staff:')) return `staff of ${by.slice(6)}`;
  if (by === 'operator') return 'the operator';
  return by;
}

// A number with its unit: "12 units", "40,000 EUR", "35 %".
export function amount(value, unit = '') {
  const n = Number(value || 0);
  const text = Number.isFinite(n) ? n.toLocaleString('en-GB', { maximumFractionDigits: 2 }) : '';
  return unit ? `${text} ${unit}` : text;
}

// The parties of a partnership as names: two companies or two chambers.
export function partiesOf(p) {
  return p.firstMemberId ? [p.firstMemberId, p.secondMemberId] : [p.firstChamberId, p.secondChamberId];
}
