// Names people read for the API's enum values.

export const OBJECTIVE_TYPES = [
  ['DISTRIBUTION', 'Distribution'],
  ['AGENCY', 'Agency (sales agent)'],
  ['SUPPLY', 'Supply / subcontracting'],
  ['MANUFACTURING', 'Contract manufacturing'],
  ['OUTSOURCING', 'Outsourcing / services'],
  ['LICENSING', 'Licensing'],
  ['JOINT_VENTURE', 'Joint venture'],
  ['INVESTMENT', 'Investment'],
  ['TECHNICAL_COOPERATION', 'Technical cooperation'],
  ['RESEARCH_COOPERATION', 'Research cooperation'],
];

export const DIRECTIONS = [
  ['', '(either: symmetric types)'],
  ['SEEK', 'Seeks'],
  ['OFFER', 'Offers'],
];

export const VISIBILITIES = [
  ['PRIVATE', 'Private'],
  ['CHAMBER', 'Chamber'],
  ['FEDERATION', 'Federation'],
];

export const FACTORS = [
  ['OBJECTIVE', 'objective', 'Objectives'],
  ['MARKET', 'market', 'Market'],
  ['SECTOR', 'sector', 'Sector'],
  ['CULTURE', 'culture', 'Culture'],
  ['TEXT', 'text', 'Text'],
  ['SIZE', 'size', 'Size'],
  ['FRESHNESS', 'freshness', 'Freshness'],
];

export const PAIR_STATUSES = [
  ['ACCEPTED', 'Accepted (locked in)'],
  ['REQUESTED', 'Requested (locked in)'],
  ['DECLINED', 'Declined (never meet)'],
];

export function labelOf(list, value) {
  const found = list.find(([v]) => v === value);
  return found ? found[found.length - 1] : value || '';
}

// An objective in words: "Seeks distribution in MX, US (sectors 46.6, 10.84)".
export function objectiveText(o) {
  const type = labelOf(OBJECTIVE_TYPES, o.type);
  const direction = labelOf(DIRECTIONS.slice(1), o.direction || '');
  const what = direction ? `${direction} ${type.charAt(0).toLowerCase()}${type.slice(1)}` : type;
  const markets = (o.markets || []).length ? ` in ${o.markets.join(', ')}` : '';
  const sectors = (o.sectors || []).length ? ` (sector${o.sectors.length === 1 ? '' : 's'} ${o.sectors.join(', ')})` : '';
  return `${what}${markets}${sectors}`;
}
