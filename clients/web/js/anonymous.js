// Anonymous companies (Profile.anonymous), in the words staff and members
// use. The API names a company that is anonymous to the caller by its handle
// ("anon-" and 16 characters) wherever an id or a name would be, and no
// profile id starts with "anon-"; the handle works wherever an id does (a
// mark, a meeting request), so the console sends it back as it came.
//
//   if (isAnonymous(match.partnerId)) card.append(anonymousNote());
//   nameFor(request.toRef, name);   // "Anonymous company anon-…" or the name

import { h } from './dom.js';

export const ANONYMOUS = 'Anonymous company';

// The one-line hint beside an anonymous company.
export const ANONYMOUS_HINT = 'Its name and details are shown once both sides are interested or a meeting is accepted.';

export function isAnonymous(id) {
  return typeof id === 'string' && id.startsWith('anon-');
}

// A company's name for a sentence: "Anonymous company anon-…" for one shown
// anonymously, else its name (or its id when the name is not known).
export function nameFor(id, name = '') {
  return isAnonymous(id) ? `${ANONYMOUS} ${id}` : name || id;
}

// The handle as a small label.
export function handleTag(handle) {
  return h('span', { class: 'handle', title: 'Its code name until it is revealed' }, handle);
}

// "Anonymous company" with the handle as a small label: a card's title.
export function anonymousTitle(handle) {
  return [ANONYMOUS, ' ', handleTag(handle)];
}

export function anonymousNote() {
  return h('p', { class: 'hint anonymous-hint' }, ANONYMOUS_HINT);
}

// Why a company was revealed (Reveal.reason), in words.
export function revealReasonText(reason) {
  if (reason === 'MUTUAL_INTEREST') return 'both interested';
  if (reason === 'ACCEPTED_REQUEST') return 'meeting accepted';
  return reason || '';
}
