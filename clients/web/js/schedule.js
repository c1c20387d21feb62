// A delegation's slots as the planner makes them: each itinerary day from its
// start time, a meeting and a break after another, while a meeting still ends
// by the day's end time. Meeting and break lengths of 0 mean 30 and 10.

export function minutesOf(hhmm) {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm || '');
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

export function hhmm(minutes) {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

export function meetingMinutes(d) {
  return Number(d.meetingMinutes || 0) || 30;
}

export function breakMinutes(d) {
  return Number(d.breakMinutes || 0) || 10;
}

// The itinerary in date order, each day with its slots' local start times.
export function daysWithSlots(d) {
  const meeting = meetingMinutes(d);
  const pause = breakMinutes(d);
  return [...(d.days || [])]
    .sort((a, b) => String(a.date).localeCompare(String(b.date)))
    .map((day) => {
      const starts = [];
      const start = minutesOf(day.startTime);
      const end = minutesOf(day.endTime);
      if (start !== null && end !== null) {
        for (let t = start; t + meeting <= end; t += meeting + pause) starts.push(hhmm(t));
      }
      return { ...day, slots: starts };
    });
}

// "Mon 29 Mar" for an ISO date, read as a calendar date (no time zone shift).
export function dayLabel(date) {
  const [y, m, d] = String(date).split('-').map(Number);
  if (!y || !m || !d) return String(date);
  const day = new Date(Date.UTC(y, m - 1, d));
  return day.toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });
}

export function slotKey(date, slot) {
  return `${date}#${slot}`;
}

// Meetings by company id, then by slot key; and the companies' meeting counts.
export function indexMeetings(plan) {
  const byCompany = new Map();
  const put = (id, key, m) => {
    if (!byCompany.has(id)) byCompany.set(id, new Map());
    byCompany.get(id).set(key, m);
  };
  for (const m of plan?.meetings || []) {
    const key = slotKey(m.date, Number(m.slot || 0));
    put(m.delegateId, key, m);
    put(m.hostId, key, m);
  }
  return byCompany;
}

export function samePair(a, b) {
  return a && b && a.delegateId === b.delegateId && a.hostId === b.hostId;
}
