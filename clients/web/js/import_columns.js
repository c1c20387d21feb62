// The columns of a member spreadsheet as the importer reads them: Socio's
// fields with staff words for each, the template file, the matching of a
// file's own headers ("Firma", "Empresa", "Land") to those fields, and the
// checks a browser can make on a row before anything is sent.
//
//   const mapping = matchColumns(header);          // a field name or '' per column
//   const problems = mappingProblems(mapping);     // ['No column is read as ...']
//   const reason = rowProblem(row, mapping, { chamberId });  // '' when readable
//
// The server stays the judge: these checks catch what a browser can see (a
// missing id, a word where a number belongs, a name where a country code
// belongs); country, language and sector codes are checked against their
// lists only by the server.

import { OBJECTIVE_TYPES } from './labels.js';

// Socio's fields, in the template's order. `name` is the column name the
// server reads; `synonyms` are other headers staff use, compared as key()
// compares them.
export const FIELDS = [
  {
    name: 'id', label: 'Member id', required: true,
    guide: 'Your own reference for the member: letters, digits, dots, dashes or underscores, starting with a letter or digit. A member keeps it for good; importing the same id again changes that member when “Replace members whose id exists” is ticked.',
    examples: ['de-1001', 'de-1002'],
    synonyms: ['member id', 'member number', 'mitgliedsnummer', 'mitglieds nr', 'kundennummer', 'numero de socio', 'reference', 'ref'],
  },
  {
    name: 'chamber_id', label: 'Chamber', required: true,
    guide: 'The id of the member’s chamber, as on the Members page. Staff import into their own chamber.',
    examples: ['{chamber}', '{chamber}'],
    synonyms: ['chamber', 'kammer', 'camara'],
  },
  {
    name: 'name', label: 'Company name', required: true,
    guide: 'The company’s name as partners should read it.',
    examples: ['Beispiel Maschinenbau GmbH', 'Muster Feinkost KG'],
    synonyms: ['company', 'company name', 'firma', 'firmenname', 'unternehmen', 'empresa', 'razon social', 'nombre', 'organisation', 'organization'],
  },
  {
    name: 'country', label: 'Country', required: true,
    guide: 'Where the company is based: the two-letter country code (DE, AT, MX, GB).',
    examples: ['DE', 'DE'],
    synonyms: ['land', 'pais', 'country code', 'staat'],
  },
  {
    name: 'city', label: 'City',
    guide: 'The town or city of its seat.',
    examples: ['München', 'Augsburg'],
    synonyms: ['ort', 'stadt', 'ciudad', 'town', 'municipio'],
  },
  {
    name: 'latitude', label: 'Latitude',
    guide: 'The position on the map in decimal degrees, with a point (48.137). Give both latitude and longitude, or neither.',
    examples: ['48.137', ''],
    synonyms: ['lat', 'breitengrad', 'breite', 'latitud'],
  },
  {
    name: 'longitude', label: 'Longitude',
    guide: 'See latitude (11.575).',
    examples: ['11.575', ''],
    synonyms: ['lng', 'lon', 'long', 'laengengrad', 'langengrad', 'lange', 'longitud'],
  },
  {
    name: 'sectors', label: 'Sectors (NACE)',
    guide: 'What the company does, as NACE Rev. 2 codes (28.41 machine tools, 10.8 other food products); several separated by semicolons.',
    examples: ['28.41; 25.62', '10.84'],
    synonyms: ['sector', 'nace', 'nace code', 'branche', 'branchen', 'wirtschaftszweig', 'sectores', 'industry'],
  },
  {
    name: 'employees', label: 'Employees',
    guide: 'How many people it employs: a whole number (0 or empty when unknown).',
    examples: ['120', '14'],
    synonyms: ['mitarbeiter', 'beschaeftigte', 'beschaftigte', 'empleados', 'headcount', 'staff'],
  },
  {
    name: 'founded_year', label: 'Year founded',
    guide: 'The year the company was founded (1998).',
    examples: ['1998', '2011'],
    synonyms: ['founded', 'year founded', 'gruendungsjahr', 'grundungsjahr', 'gegruendet', 'gegrundet', 'ano de fundacion', 'fundacion'],
  },
  {
    name: 'languages', label: 'Languages',
    guide: 'Languages its people speak with partners: two-letter codes (de, en, es), separated by semicolons.',
    examples: ['de; en', 'de; en; es'],
    synonyms: ['language', 'sprachen', 'sprache', 'idiomas', 'idioma'],
  },
  {
    name: 'description', label: 'Description',
    guide: 'A few sentences on what the company makes or offers; partners read it and the matching uses its words.',
    examples: ['Machine tools for the automotive industry.', 'Fine foods and sauces for export.'],
    synonyms: ['beschreibung', 'descripcion', 'about', 'profil'],
  },
  {
    name: 'keywords', label: 'Keywords',
    guide: 'Words partners search for, separated by semicolons.',
    examples: ['CNC; milling', 'sauces; organic'],
    synonyms: ['keyword', 'schlagworte', 'schlagwoerter', 'stichworte', 'palabras clave', 'tags'],
  },
  {
    name: 'objectives', label: 'Objectives',
    guide: 'What the company seeks or offers, written SEEK or OFFER, the kind of partnership, then optionally sectors, markets and a note, all joined by colons: SEEK:DISTRIBUTION:28.41:MX,US:Distributor for Mexico. Several are separated by semicolons. Kinds: ' +
      OBJECTIVE_TYPES.map(([value]) => value).join(', ') + '.',
    examples: ['SEEK:DISTRIBUTION:28.41:MX,US:Distributor for machine tools', 'OFFER:SUPPLY:10.84'],
    synonyms: ['objective', 'ziele', 'ziel', 'objetivos', 'goals'],
  },
  {
    name: 'target_markets', label: 'Target markets',
    guide: 'Countries the company wants to enter: two-letter codes separated by semicolons.',
    examples: ['MX; US', 'FR'],
    synonyms: ['target market', 'zielmaerkte', 'zielmarkte', 'mercados objetivo'],
  },
  {
    name: 'active_markets', label: 'Active markets',
    guide: 'Countries it already sells in: two-letter codes separated by semicolons.',
    examples: ['AT; CH', 'AT'],
    synonyms: ['active market', 'markets', 'maerkte', 'markte', 'mercados'],
  },
  {
    name: 'certifications', label: 'Certifications',
    guide: 'Certificates it holds (ISO 9001), separated by semicolons.',
    examples: ['ISO 9001', ''],
    synonyms: ['certification', 'zertifikate', 'zertifizierungen', 'certificaciones'],
  },
  {
    name: 'visibility', label: 'Visibility',
    guide: 'Who may see the member: PRIVATE (your chamber’s staff), CHAMBER (your chamber’s staff and members) or FEDERATION (every chamber). Empty means PRIVATE.',
    examples: ['FEDERATION', 'CHAMBER'],
    synonyms: ['sichtbarkeit', 'visibilidad'],
  },
  {
    name: 'anonymous', label: 'Anonymous',
    guide: 'yes to show the company anonymously to companies outside your chamber until both sides are interested or a meeting is accepted; no or empty shows it by name (also true/false, 1/0).',
    examples: ['no', 'yes'],
    synonyms: ['anonym', 'anonimo', 'anonymity'],
  },
  {
    name: 'valid_until', label: 'Valid until',
    guide: 'The last day the profile is offered to partners, as 2027-12-31. Empty: no end.',
    examples: ['{next_year}-12-31', ''],
    synonyms: ['valid', 'expires', 'gueltig bis', 'gultig bis', 'valido hasta'],
  },
];

const BY_NAME = new Map(FIELDS.map((f) => [f.name, f]));

export function fieldOf(name) {
  return BY_NAME.get(name);
}

// A header as headers are compared: without accents, case, spaces, dashes,
// underscores or dots ("Gründungs-Jahr" -> "grundungsjahr").
export function key(text) {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[\s_.\-/]+/g, '');
}

const BY_KEY = new Map();
for (const f of FIELDS) {
  for (const word of [f.name, f.label, ...f.synonyms]) if (!BY_KEY.has(key(word))) BY_KEY.set(key(word), f.name);
}

// The field each header names (by field name, camelCase JSON name, label or
// a common synonym), '' for none. A field goes to the first column naming it.
export function matchColumns(header) {
  const taken = new Set();
  return header.map((name) => {
    const field = BY_KEY.get(key(name)) || '';
    if (!field || taken.has(field)) return '';
    taken.add(field);
    return field;
  });
}

// What stops a file read with `mapping` from importing at all: a required
// field no column fills, a field two columns fill, a latitude without a
// longitude. `header` names the columns in the messages.
export function mappingProblems(mapping, header) {
  const problems = [];
  for (const f of FIELDS.filter((x) => x.required)) {
    if (!mapping.includes(f.name)) problems.push(`No column is read as ${f.label} (${f.name}): choose the column that holds it, or add one.`);
  }
  for (const f of FIELDS) {
    const columns = header.filter((_, i) => mapping[i] === f.name);
    if (columns.length > 1) problems.push(`${columns.map((c) => `“${c}”`).join(' and ')} are all read as ${f.label}: choose one.`);
  }
  if (mapping.includes('latitude') !== mapping.includes('longitude')) {
    problems.push('Latitude and longitude come together: read both columns or neither.');
  }
  return problems;
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const COUNTRY = /^[A-Za-z]{2}$/;
const SECTOR = /^([A-Ua-u]|[A-Ua-u]?\d{2}(\.\d{1,2})?)$/;
const WHOLE = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)$/;
const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;
const DIRECTION_NAMES = new Set(['', 'SEEK', 'OFFER']);
const TYPE_NAMES = new Set(OBJECTIVE_TYPES.map(([value]) => value));
const VISIBILITY_NAMES = new Set(['PRIVATE', 'CHAMBER', 'FEDERATION']);

function items(text) {
  return text.split(';').map((s) => s.trim()).filter(Boolean);
}

function idProblem(field, value) {
  if (!value) return `${field} is required`;
  return ID.test(value) ? '' : `${field}: '${value}' may hold only letters, digits, '.', '_' and '-', starting with a letter or digit (at most 64)`;
}

function listProblem(field, value, pattern, what) {
  const bad = items(value).find((item) => !pattern.test(item));
  return bad === undefined ? '' : `${field}: '${bad}' is not ${what}`;
}

function objectiveProblem(value) {
  for (const item of items(value)) {
    const [direction = '', type = ''] = item.split(':').map((s) => s.trim().toUpperCase());
    if (!DIRECTION_NAMES.has(direction)) return `objectives: '${item}' should start with SEEK or OFFER`;
    if (!TYPE_NAMES.has(type)) return `objectives: '${item}' names no kind of partnership (DISTRIBUTION, SUPPLY, ...)`;
  }
  return '';
}

// Checks of one field's trimmed cell; '' when the browser sees nothing wrong.
const CHECKS = {
  id: (v) => idProblem('id', v),
  chamber_id: (v) => idProblem('chamber_id', v),
  name: (v) => (v ? '' : 'name is required'),
  country: (v) => (!v ? 'country is required' : COUNTRY.test(v) ? '' : `country: '${v}' is not a two-letter country code (DE, MX, GB, ...)`),
  latitude: (v) => (!v || (DECIMAL.test(v) && Math.abs(Number(v)) <= 90) ? '' : `latitude: '${v}' is not a number of degrees from -90 to 90`),
  longitude: (v) => (!v || (DECIMAL.test(v) && Math.abs(Number(v)) <= 180) ? '' : `longitude: '${v}' is not a number of degrees from -180 to 180`),
  sectors: (v) => listProblem('sectors', v, SECTOR, 'a NACE code (28.41, 10.8, C)'),
  employees: (v) => (!v || (WHOLE.test(v) && Number(v) >= 0) ? '' : `employees: '${v}' is not a whole number`),
  founded_year: (v) => (!v || (WHOLE.test(v) && Number(v) <= new Date().getUTCFullYear()) ? '' : `founded_year: '${v}' is not a year up to this one`),
  languages: (v) => listProblem('languages', v, COUNTRY, 'a two-letter language code (de, en, es)'),
  objectives: objectiveProblem,
  target_markets: (v) => listProblem('target_markets', v, COUNTRY, 'a two-letter country code'),
  active_markets: (v) => listProblem('active_markets', v, COUNTRY, 'a two-letter country code'),
  visibility: (v) => (!v || VISIBILITY_NAMES.has(v.toUpperCase()) ? '' : `visibility: '${v}' is not PRIVATE, CHAMBER or FEDERATION`),
  anonymous: (v) => (!v || /^(yes|no|true|false|1|0)$/i.test(v) ? '' : `anonymous: '${v}' is not yes or no (true/false, 1/0)`),
  valid_until: (v) => (!v || DATE.test(v) ? '' : `valid_until: '${v}' is not a date written 2027-12-31`),
};

// Why row `row` (cells in the file's column order) cannot be read with
// `mapping`, or ''. `structural` is true for rows the server could not even
// split into fields (a wrong number of cells, a quote never closed), which
// are not sent. chamberId: staff's own chamber, which they import into.
export function rowProblem(row, mapping, { chamberId = '' } = {}) {
  if (row.unclosed) return { structural: true, reason: `a quote opened in this row is never closed, so the rest of the file is one cell` };
  if (row.length !== mapping.length) {
    return { structural: true, reason: `the row has ${row.length} cells; the header has ${mapping.length} columns` };
  }
  const value = (name) => {
    const i = mapping.indexOf(name);
    return i < 0 ? '' : row[i].trim();
  };
  for (const name of mapping) {
    if (!name || !CHECKS[name]) continue;
    const reason = CHECKS[name](value(name));
    if (reason) return { structural: false, reason };
  }
  for (const f of FIELDS.filter((x) => x.required && !mapping.includes(x.name))) {
    return { structural: false, reason: `${f.name} is required` };
  }
  if (mapping.includes('latitude') && !value('latitude') !== !value('longitude')) {
    return { structural: false, reason: 'latitude and longitude: give both or neither' };
  }
  if (chamberId && value('chamber_id') && value('chamber_id') !== chamberId) {
    return { structural: false, reason: `chamber_id: '${value('chamber_id')}' is not your chamber (${chamberId}); staff import into their own chamber` };
  }
  return { structural: false, reason: '' };
}

// The template: every column the importer reads and two example members of
// `chamberId`.
export function templateRows(chamberId) {
  return [FIELDS.map((f) => f.name), ...[0, 1].map((i) => FIELDS.map((f) => example(f, i, chamberId)))];
}

// Example `i` (0 or 1) of `field` for a member of `chamberId`.
export function example(field, i, chamberId) {
  return field.examples[i].replace('{chamber}', chamberId).replace('{next_year}', String(new Date().getUTCFullYear() + 1));
}
