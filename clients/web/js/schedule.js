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

// Whether the plan was made from an older version of the delegation than the
// one stored: storing a plan itself adds one to the version, so a plan is
// current while the version is exactly one past the one it was made from.
export function planIsStale(d) {
  const made = Number(d?.plan?.delegationVersion || 0);
  return Boolean(d?.plan) && made > 0 && Number(d.version || 0) > made + 1;
}

// What plan `after` changed against plan `before`, by pair: meetings added,
// removed, and moved to another day or slot ({from, to}).
export function planChanges(before, after) {
  const key = (m) => `${m.delegateId}\u0000${m.hostId}`;
  const old = new Map((before?.meetings || []).map((m) => [key(m), m]));
  const now = new Map((after?.meetings || []).map((m) => [key(m), m]));
  const changes = { added: [], removed: [], moved: [] };
  for (const [k, m] of now) {
    const was = old.get(k);
    if (!was) changes.added.push(m);
    else if (was.date !== m.date || Number(was.slot || 0) !== Number(m.slot || 0)) changes.moved.push({ from: was, to: m });
  }
  for (const [k, m] of old) if (!now.has(k)) changes.removed.push(m);
  return changes;
}

// Arrow keys in the schedule grid (a keydown on its table): the focus goes to
// the nearest meeting or slot button that way, skipping empty cells and the
// group rows. Other keys are left alone.
export function moveGridFocus(event) {
  const steps = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] };
  const step = steps[event.key];
  const cell = event.target.closest?.('td, th');
  if (!step || !cell || event.altKey || event.ctrlKey || event.metaKey) return;
  const rows = [...event.currentTarget.querySelectorAll('tbody tr:not(.group)')];
  let r = rows.indexOf(cell.parentElement);
  let c = cell.cellIndex;
  if (r < 0) return;
  event.preventDefault();
  for (;;) {
    r += step[0];
    c += step[1];
    const row = rows[r];
    if (!row || c < 1 || c >= row.cells.length) return;
    const button = row.cells[c].querySelector('button');
    if (button) {
      button.focus();
      return;
    }
  }
}
