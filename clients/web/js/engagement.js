// What members do with a match, in words people use: marks of interest
// ("Interested", "Not interested"), meeting requests and their states
// ("Waiting for your answer", "Accepted – 12 March, 10:00"), and the names of
// the companies a request or a mark names.
//
//   const names = companyNames(ctx);
//   const who = await names.of('cl-1');           // {id, name, chamberId}
//   stateText(request, { side: 'received' });     // "Waiting for your answer"

import { nameFor } from './anonymous.js';
import { api } from './api.js';

export const MARKS = [
  ['INTERESTED', 'Interested'],
  ['MUST_MEET', 'Must meet'],
  ['NOT_INTERESTED', 'Not interested'],
];

// The longest message a request may carry (MeetingRequest.message).
export const MESSAGE_LIMIT = 500;

// The most times a standalone request may propose.
export const MAX_TIMES = 3;

// Meeting lengths the request form offers, in minutes.
export const MEETING_MINUTES = [30, 45, 60, 90, 120];

const DAY = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long' });
const DAY_WITH_YEAR = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric' });
const TIME = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false });

// "12 March, 10:00" (the browser's time zone; the year only when it is not
// this year's).
export function timeText(timestamp) {
  const t = new Date(timestamp);
  if (Number.isNaN(t.getTime())) return '';
  const day = t.getFullYear() === new Date().getFullYear() ? DAY.format(t) : DAY_WITH_YEAR.format(t);
  return `${day}, ${TIME.format(t)}`;
}

// "12 March, 10:00–11:00" for a proposed window.
export function windowText(w) {
  if (!w?.startTime) return '';
  const end = w.endTime ? new Date(w.endTime) : null;
  return end && !Number.isNaN(end.getTime()) ? `${timeText(w.startTime)}–${TIME.format(end)}` : timeText(w.startTime);
}

// The request's state in words, for the side that reads it: 'received'
// (the receiver or its chamber), 'sent' (the requester or its chamber).
// `receiverName` names the receiver for a reader who is not it (staff).
export function stateText(r, { side, receiverName = '' } = {}) {
  switch (r.state) {
    case 'PENDING':
      if (side === 'received') return receiverName ? `Waiting for an answer from ${receiverName}` : 'Waiting for your answer';
      return 'Waiting for their answer';
    case 'ACCEPTED':
      return r.acceptedWindow?.startTime ? `Accepted – ${timeText(r.acceptedWindow.startTime)}` : 'Accepted';
    case 'DECLINED':
      return r.reason ? `Declined: ${r.reason}` : 'Declined';
    case 'EXPIRED':
      return 'Expired';
    case 'WITHDRAWN':
      return 'Withdrawn';
    case 'CANCELLED':
      return r.reason ? `Cancelled: ${r.reason}` : 'Cancelled';
    default:
      return r.state || '';
  }
}

// Every page of a list route: `key` is the answer's list field. Stops after
// `maxPages` pages (the rest is rarely needed on one screen).
export async function listAll(path, query, key, { signal, maxPages = 10 } = {}) {
  const out = [];
  let pageToken = '';
  for (let i = 0; i < maxPages; i += 1) {
    const page = await api.get(path, { ...query, page_size: '500', page_token: pageToken }, { signal });
    out.push(...(page?.[key] || []));
    pageToken = page?.nextPageToken || '';
    if (!pageToken) break;
  }
  return out;
}

// A member's marks by partner id: {partnerRef: Interest}.
export async function marksOf(memberId, { signal } = {}) {
  const list = await listAll('/interests', { member_id: memberId }, 'interests', { signal });
  return new Map(list.map((i) => [i.partnerRef, i]));
}

// Sets (or, with mark '', clears) a member's mark on a partner; the stored
// Interest.
export function setMark(memberId, partnerId, mark) {
  const path = `/members/${encodeURIComponent(memberId)}/interests/${encodeURIComponent(partnerId)}`;
  return mark ? api.put(path, { mark }) : api.del(path);
}

// Names of the companies requests and marks name, each asked for once. Staff
// and operators read the profile; a member its own profile, and a partner's
// name from the match between them (a member reads no other profile).
// A company the caller may not see keeps its id as its name; one shown
// anonymously is "Anonymous company anon-…".
export function companyNames(ctx) {
  const cache = new Map();
  const own = ctx.me.profileId || '';
  async function lookUp(id) {
    try {
      if (ctx.isStaff || id === own) {
        const p = await api.get(`/profiles/${encodeURIComponent(id)}`, {}, { signal: ctx.signal });
        return { id, name: nameFor(id, p.name), chamberId: p.chamberId || '' };
      }
      const m = await api.post('/partners:explain', { aId: own, bId: id }, {}, { signal: ctx.signal });
      return { id, name: nameFor(id, m.partnerName), chamberId: m.partnerChamberId || '' };
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      return { id, name: nameFor(id), chamberId: '' };
    }
  }
  return {
    of(id) {
      if (!cache.has(id)) cache.set(id, lookUp(id));
      return cache.get(id);
    },
    async all(ids) {
      const found = await Promise.all([...new Set(ids)].map((id) => this.of(id)));
      return new Map(found.map((c) => [c.id, c]));
    },
  };
}

// Whether the signed-in token acts for company `c` ({id, chamberId}): its
// own profile, its chamber's members for staff, everyone for the operator.
export function actsFor(me, c) {
  if (me.role === 'ADMIN') return true;
  if (me.role === 'STAFF') return Boolean(c.chamberId) && c.chamberId === me.chamberId;
  return c.id === me.profileId;
}

// How many requests wait for an answer from the token's company (a member)
// or from its chamber's members (staff); null when there is nothing to count
// (an operator). At most 500 are counted ("500+"). `names`: a companyNames
// of staff's, kept between counts so that each receiver is looked up once.
export async function waitingCount(me, { signal, names } = {}) {
  if (me.role === 'MEMBER') {
    const page = await api.get('/requests', { member_id: me.profileId, box: 'received', state: 'PENDING', page_size: '500' }, { signal });
    const n = (page?.requests || []).length;
    return page?.nextPageToken ? `${n}+` : String(n);
  }
  if (me.role !== 'STAFF') return null;
  const page = await api.get('/requests', { state: 'PENDING', page_size: '500' }, { signal });
  const requests = page?.requests || [];
  const receivers = await (names || companyNames({ me, isStaff: true, signal })).all(requests.map((r) => r.toRef));
  const n = requests.filter((r) => actsFor(me, receivers.get(r.toRef))).length;
  return page?.nextPageToken ? `${n}+` : String(n);
}
