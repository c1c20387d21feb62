// A pair's history (MetBefore, match.proto) in a few words, as the CLI
// writes it: "Met before: 2026-05-12, held, 4/5". Empty for a pair that has
// not met. The member's side is the member's own answers; staff also read
// the partner's, after "they said".

const ATTENDANCE = { HELD: 'held', NO_SHOW: 'no-show', CANCELLED: 'cancelled' };

function sideText(side) {
  const parts = [];
  if (!side) return parts;
  if (ATTENDANCE[side.attendance]) parts.push(ATTENDANCE[side.attendance]);
  if (side.rating) parts.push(`${side.rating}/5`);
  if (side.followUp && side.followUp !== 'FOLLOW_UP_UNSPECIFIED') parts.push(`follow up: ${side.followUp.toLowerCase()}`);
  if (side.status && side.status !== 'STATUS_UNSPECIFIED') parts.push(side.status.toLowerCase().replaceAll('_', ' '));
  return parts;
}

export function metBeforeText(met) {
  if (!met || !met.meetings) return '';
  let date = String(met.lastMet || '').slice(0, 10);
  if (met.meetings > 1) date += ` (${met.meetings}×)`;
  const text = [date, ...sideText(met.memberSide)].join(', ');
  const theirs = sideText(met.partnerSide);
  return `Met before: ${text}${theirs.length ? `; they said: ${theirs.join(', ')}` : ''}`;
}
