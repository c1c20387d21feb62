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

// What each factor measures, by FACTORS' key: beside the weights and under
// each factor of a score (explained in full in the README's Matching
// section).
export const FACTOR_ABOUT = {
  objective:
    'Whether one company seeks what the other offers (a distributor for a maker, say), counting more when the sectors and markets its objective names fit.',
  market:
    'Whether the partner’s country is one the member wants to reach (its target markets and the markets it seeks partners in); a country of the same subregion or region counts in part.',
  sector:
    'How close the two companies’ NACE sectors are: the same class, group or division, or linked in the value chain (a maker and a wholesaler of its goods).',
  culture: 'How close the two countries’ business cultures are, and whether the companies share a business language.',
  text: 'How many words of the member’s objective notes appear in the partner’s description, keywords and notes, across languages.',
  size: 'How alike the two companies are in employees: a partner ten times larger or smaller scores two thirds.',
  freshness: 'How recently the partner updated its profile: this score halves for every year since the last change.',
};

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
