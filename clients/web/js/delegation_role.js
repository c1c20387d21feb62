// Which side of a delegation the signed-in token speaks for, and so which
// controls the console offers on its pages. The API decides what a token may
// do; the console leaves out what it would refuse.
//   organiser: the operator, or staff of the chamber that runs the delegation
//              (its delegates, itinerary, programme, pairs and plan);
//   host:      staff of the host chamber (its hosts, their availability and
//              invitations; the rest is read only);
//   other:     anyone else the API lets read it.

export function delegationRole(me, d) {
  if (!me || !d) return 'other';
  if (me.role === 'ADMIN') return 'organiser';
  if (me.role !== 'STAFF') return 'other';
  if (me.chamberId && me.chamberId === d.chamberId) return 'organiser';
  if (me.chamberId && me.chamberId === d.hostChamberId) return 'host';
  return 'other';
}

// "We organise" / "We host" for the staff of either chamber, else ''.
export function ourPartText(me, d) {
  if (me?.role !== 'STAFF') return '';
  if (me.chamberId === d.chamberId) return 'We organise';
  if (me.chamberId && me.chamberId === d.hostChamberId) return 'We host';
  return '';
}

// Whether the token may change the host side: the named hosts, their
// availability, and invitations.
export function mayEditHosts(role) {
  return role === 'organiser' || role === 'host';
}
