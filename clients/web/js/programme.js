// A delegation's programme (briefings, company visits, seminars, receptions)
// and its interpreters in words, and where the programme falls in the
// schedule grid: which slots an item covers for the companies attending it,
// and which slots the planner keeps free for travel to and from it.
// Pure functions of the delegation as the API returns it; no page access.

import { dayLabel, meetingMinutes, minutesOf, slotKey } from './schedule.js';

export const ITEM_KINDS = [
  ['BRIEFING', 'Briefing'],
  ['COMPANY_VISIT', 'Company visit'],
  ['SEMINAR', 'Seminar'],
  ['RECEPTION', 'Reception'],
  ['OTHER', 'Other'],
];

export function kindText(kind) {
  const found = ITEM_KINDS.find(([v]) => v === kind);
  return found ? found[1] : 'Programme item';
}

// Whether `companyId` attends `item`: every delegate when the item is for all
// delegates, and each company the item lists.
export function attends(item, companyId, delegateIds) {
  if (item.allDelegates && delegateIds.includes(companyId)) return true;
  return (item.memberIds || []).includes(companyId);
}

// Who attends, in words: "All delegates", "All delegates and 2 more", "3 companies".
export function attendeesText(item) {
  const listed = (item.memberIds || []).length;
  if (item.allDelegates) return listed ? `All delegates and ${listed} more` : 'All delegates';
  return listed === 1 ? '1 company' : `${listed} companies`;
}

// When and where: "Mon 29 Mar 14:00–15:30 · Cintermex".
export function whenWhereText(item) {
  const place = item.place?.name || item.place?.address || '';
  return `${dayLabel(item.date)} ${item.startTime || ''}–${item.endTime || ''}${place ? ` · ${place}` : ''}`;
}

// Travel time as the planner reckons it (Delegation.travel_speed_kmh,
// min_travel_minutes and travel_times in delegation.proto): none when the
// item is at the day's venue (no place name, or the venue's name compared
// without case, surrounding spaces or accents); else staff's table, either
// way; else the minutes the plan reported for the two places
// (DelegationPlan.travel_times: the operator's table is the server's to
// read); else the great-circle distance between both places' coordinates at
// the stated speed, rounded up to a minute and at least the least travel
// time; else the least travel time.
export const DEFAULT_SPEED_KMH = 25;
export const DEFAULT_MIN_TRAVEL_MINUTES = 15;

export function foldPlace(name) {
  return String(name || '').trim().normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

export function distanceKm(lat1, lng1, lat2, lng2) {
  const rad = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * rad) / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lng2 - lng1) * rad) / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(a)));
}

const hasPoint = (p) => typeof p.latitude === 'number' && typeof p.longitude === 'number';

// Minutes between the venue of `day` and the place of `item` in delegation `d`.
export function travelMinutes(d, day, item) {
  const venue = { name: day.venue || '', latitude: day.latitude, longitude: day.longitude };
  const place = item.place || {};
  if (!foldPlace(place.name) || foldPlace(place.name) === foldPlace(venue.name)) return 0;
  const least = Number(d.minTravelMinutes || 0) || DEFAULT_MIN_TRAVEL_MINUTES;
  const a = foldPlace(venue.name);
  const b = foldPlace(place.name);
  const between = (t) => (foldPlace(t.from) === a && foldPlace(t.to) === b) || (foldPlace(t.from) === b && foldPlace(t.to) === a);
  const listed = (d.travelTimes || []).find(between) || (d.plan?.travelTimes || []).find(between);
  if (listed) return Number(listed.minutes || 0);
  if (hasPoint(venue) && hasPoint(place)) {
    const speed = Number(d.travelSpeedKmh || 0) || DEFAULT_SPEED_KMH;
    return Math.max(least, Math.ceil((distanceKm(venue.latitude, venue.longitude, place.latitude, place.longitude) / speed) * 60));
  }
  return least;
}

// The slots of `day` (from daysWithSlots) that overlap [from, to) minutes.
function slotsOverlapping(day, minutes, from, to) {
  const out = [];
  day.slots.forEach((s, i) => {
    const start = minutesOf(s);
    if (start < to && start + minutes > from) out.push(i);
  });
  return out;
}

// The programme in the grid: company id -> slot key -> cell, where a cell is
// {kind: 'item', item, first, last} for a slot an item the company attends
// covers, or {kind: 'travel', item, minutes} for a slot kept free to travel
// to or from it. First and last mark the ends of an item's run of slots, so
// the grid draws one block across them.
export function programmeCells(d, days) {
  const minutes = meetingMinutes(d);
  const delegateIds = (d.delegates || []).map((p) => p.memberId);
  const everyone = new Set([...delegateIds, ...(d.hosts || []).map((p) => p.memberId), ...(d.plan?.hostIds || [])]);
  const byDate = new Map(days.map((day) => [day.date, day]));
  const cells = new Map();
  const put = (company, key, cell) => {
    if (!cells.has(company)) cells.set(company, new Map());
    const row = cells.get(company);
    if (!row.has(key) || (row.get(key).kind === 'travel' && cell.kind === 'item')) row.set(key, cell);
  };
  for (const item of d.programme || []) {
    const day = byDate.get(item.date);
    const from = minutesOf(item.startTime);
    const to = minutesOf(item.endTime);
    if (!day || from === null || to === null) continue;
    const covered = slotsOverlapping(day, minutes, from, to);
    const travel = travelMinutes(d, day, item);
    const trip = slotsOverlapping(day, minutes, from - travel, to + travel).filter((i) => !covered.includes(i));
    for (const company of everyone) {
      if (!attends(item, company, delegateIds)) continue;
      covered.forEach((slot, j) => put(company, slotKey(item.date, slot), { kind: 'item', item, first: j === 0, last: j === covered.length - 1 }));
      for (const slot of trip) put(company, slotKey(item.date, slot), { kind: 'travel', item, minutes: travel });
    }
  }
  return cells;
}

// A meeting's interpreter in words: the interpreter assigned, the two sides'
// languages when one is needed and none is free, or '' when none is needed.
export function interpreterText(m) {
  if (!m?.needsInterpreter) return '';
  const sides = [(m.delegateLanguages || []).join(', '), (m.hostLanguages || []).join(', ')].filter(Boolean).join(' / ');
  const needs = `needs an interpreter${sides ? `: ${sides}` : ''}`;
  if (m.interpreter) return `Interpreter: ${m.interpreter} (${needs})`;
  return `No interpreter free (${needs})`;
}

// The short form on the grid's meeting button.
export function interpreterBadge(m) {
  if (!m?.needsInterpreter) return '';
  return m.interpreter ? `Int. ${m.interpreter}` : 'No interpreter';
}

// An interpreter in words: "Ana López · de, es, en–fr · Mon 29 Mar 09:00–13:00, Tue 30 Mar all day".
export function interpreterSummary(i) {
  const languages = [...(i.languages || []), ...(i.languagePairs || []).map((p) => `${p.first}–${p.second}`)].join(', ');
  const when = (i.available || []).length
    ? i.available.map((a) => `${dayLabel(a.date)} ${a.startTime && a.endTime ? `${a.startTime}–${a.endTime}` : 'all day'}`).join(', ')
    : 'every day, all day';
  return `${i.name || '?'} · ${languages} · ${when}`;
}
