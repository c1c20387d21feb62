// #/members: search a chamber's members by name, id or keyword, country and
// sector, sorted by id, name, country or last change, a page at a time, with
// the total that match; "Export CSV" downloads every member the search finds,
// all pages, for a spreadsheet.
// The filters and the page live in the hash, so a search can be bookmarked;
// "chamber=" (empty) is every chamber the token may see, no chamber in the hash
// the signed-in staff's own.

import { api, saveBlob } from '../api.js';
import { toCsv } from '../csv.js';
import { h, heading, joinList, loading, notice, queryString } from '../dom.js';
import { busy, describe, field } from '../form.js';
import { VISIBILITIES, labelOf, objectiveText } from '../labels.js';

// The orders staff may pick: the address's value, the label, the API's order_by.
const SORTS = [
  ['id', 'Id', 'id'],
  ['name', 'Name', 'name'],
  ['country', 'Country', 'country'],
  ['updated', 'Last change', 'update_time desc'],
];

// Page tokens of the pages before this one, per search, for "Previous page".
const previousPages = new Map();

// Profiles per request while exporting.
const EXPORT_PAGE_SIZE = 500;

// A spreadsheet would run a cell that starts like a formula ("=HYPERLINK(…)"):
// free text that does is written with a leading apostrophe, as Excel itself does.
function plainText(value) {
  const text = String(value || '');
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function dateOf(timestamp) {
  return timestamp ? String(timestamp).slice(0, 10) : '';
}

function minuteOf(timestamp) {
  return timestamp ? String(timestamp).slice(0, 16).replace('T', ' ') : '';
}

// The export's columns: the header and the cell of a profile.
const CSV_COLUMNS = [
  ['Id', (p) => p.id],
  ['Name', (p) => plainText(p.name)],
  ['Chamber', (p) => p.chamberId || ''],
  ['Country', (p) => p.country || ''],
  ['City', (p) => plainText(p.city)],
  ['Sectors', (p) => joinList(p.sectors)],
  ['Languages', (p) => joinList(p.languages)],
  ['Objectives', (p) => (p.objectives || []).map(objectiveText).join('; ')],
  ['Visibility', (p) => labelOf(VISIBILITIES, p.visibility || 'PRIVATE')],
  ['Valid until', (p) => dateOf(p.validUntil)],
  ['Updated (UTC)', (p) => minuteOf(p.updateTime)],
];

// What ListProfiles is asked for a search (without the page).
function listQuery(filters) {
  return {
    chamber_id: filters.chamber,
    country: filters.country,
    sector_prefix: filters.sector,
    query: filters.q,
    order_by: SORTS.find(([value]) => value === filters.sort)?.[2] || 'name',
    // A total and an order other than by id make the server read the
    // whole chamber: asked for only with a search or another order.
    include_total_size: filters.q || filters.sort !== 'id' ? 'true' : '',
  };
}

// Every profile the search finds, all pages, as a CSV file (UTF-8 with a byte
// order mark, so Excel reads accents right; CRLF line ends, RFC 4180), with
// the progress in `status`.
async function exportCsv(ctx, filters, status) {
  const rows = [CSV_COLUMNS.map(([title]) => title)];
  let pageToken = '';
  let pages = 0;
  status.replaceChildren(h('span', { class: 'hint' }, 'Exporting…'));
  try {
    do {
      const page = await api.get(
        '/profiles',
        { ...listQuery(filters), page_size: EXPORT_PAGE_SIZE, page_token: pageToken },
        { signal: ctx.signal },
      );
      pages += 1;
      for (const p of page?.profiles || []) rows.push(CSV_COLUMNS.map(([, cell]) => cell(p)));
      const total = Number(page?.totalSize || 0);
      pageToken = page?.nextPageToken || '';
      const done = rows.length - 1;
      status.firstChild.textContent = total
        ? `Exporting: ${done} of ${total} members…`
        : `Exporting: ${done} members so far (page ${pages})…`;
    } while (pageToken);
  } catch (e) {
    if (e.name === 'AbortError') return;
    status.replaceChildren(notice('error', `Not exported: ${describe(e)}`));
    return;
  }
  const day = new Date().toISOString().slice(0, 10);
  const name = `members-${filters.chamber || 'all-chambers'}-${day}.csv`;
  saveBlob(new Blob(['\uFEFF', toCsv(rows, { lineEnd: '\r\n' }), '\r\n'], { type: 'text/csv;charset=utf-8' }), name);
  const n = rows.length - 1;
  status.firstChild.textContent = `Exported ${n} member${n === 1 ? '' : 's'} to ${name}.`;
}

export async function renderMembers(ctx) {
  const q = ctx.query;
  const chamber = q.has('chamber') ? q.get('chamber') : ctx.me.chamberId || '';
  const filters = {
    chamber,
    country: q.get('country') || '',
    sector: q.get('sector') || '',
    q: q.get('q') || '',
    sort: q.get('sort') || 'id',
    size: q.get('size') || '25',
  };
  const pageToken = q.get('page') || '';
  const searchKey = JSON.stringify(filters);
  const hashOf = (params) => `#/members${queryString(params, { keepEmpty: ['chamber'] })}`;

  const fields = {
    text: field({ label: 'Name or keyword', path: 'query', value: filters.q, hint: 'Or an id. Every word must appear; case and accents ignored.' }),
    chamber: field({ label: 'Chamber', path: 'chamber_id', value: filters.chamber, hint: 'Empty: every chamber you may see.' }),
    country: field({
      label: 'Country',
      path: 'country',
      value: filters.country,
      hint: 'ISO code, e.g. MX',
      attrs: { maxlength: 2, autocapitalize: 'characters', size: 4 },
    }),
    sector: field({ label: 'Sector (NACE prefix)', path: 'sector_prefix', value: filters.sector, hint: 'C, 10, 10.8 …' }),
    sort: field({
      label: 'Sort by',
      path: 'order_by',
      type: 'select',
      value: filters.sort,
      options: SORTS.map(([value, label]) => [value, label]),
    }),
    size: field({
      label: 'Per page',
      path: 'page_size',
      type: 'select',
      value: filters.size,
      options: ['10', '25', '50', '100'].map((n) => [n, n]),
    }),
  };
  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': 'Search members' },
    Object.values(fields),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Search')),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    ctx.navigate(
      hashOf({
        chamber: fields.chamber.input.value.trim(),
        country: fields.country.input.value.trim().toUpperCase(),
        sector: fields.sector.input.value.trim().toUpperCase(),
        q: fields.text.input.value.trim(),
        sort: fields.sort.input.value,
        size: fields.size.input.value,
      }),
    );
  });

  const results = h('section', { 'aria-labelledby': 'members-results', class: 'results' });
  const exportStatus = h('span', { role: 'status' });
  const exportButton = h('button', { type: 'button', class: 'secondary' }, 'Export CSV');
  exportButton.addEventListener('click', () => busy(exportButton, () => exportCsv(ctx, filters, exportStatus)));
  ctx.main.append(
    h(
      'div',
      { class: 'page-head' },
      heading('Members'),
      h('div', { class: 'export' }, exportStatus, exportButton, h('a', { class: 'button', href: '#/profiles/new' }, 'New member')),
    ),
    form,
    results,
  );
  if (ctx.me.role === 'ADMIN') showStats(ctx);

  results.append(loading('Loading members…'));
  let page;
  try {
    page = await api.get(
      '/profiles',
      { ...listQuery(filters), page_size: filters.size, page_token: pageToken },
      { signal: ctx.signal },
    );
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    const control = form.querySelector(`[data-path="${e.field}"]`);
    results.replaceChildren(h('h2', { id: 'members-results' }, 'Results'), notice('error', describe(e)));
    if (control) control.setAttribute('aria-invalid', 'true');
    return;
  }
  const profiles = page?.profiles || [];
  const stack = previousPages.get(searchKey) || [];
  const here = stack.indexOf(pageToken);
  const before = here >= 0 ? stack.slice(0, here) : stack;

  const where = filters.chamber ? ` of ${filters.chamber}` : ' of every chamber you may see';
  const counted = Boolean(filters.q || filters.sort !== 'id');
  const total = Number(page?.totalSize || 0);
  const sortLabel = (SORTS.find(([value]) => value === filters.sort) || SORTS[0])[1].toLowerCase();
  results.replaceChildren(
    h(
      'h2',
      { id: 'members-results' },
      profiles.length
        ? `${counted ? `${profiles.length} of ${total} member${total === 1 ? '' : 's'}` : `${profiles.length} members`}${where}${pageToken ? ', next page' : ''}, by ${sortLabel}`
        : `No members found${where}`,
    ),
  );
  if (!profiles.length) {
    results.append(h('p', {}, 'No profile matches these filters.'));
  } else {
    results.append(
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'data' },
          h('caption', { class: 'visually-hidden' }, `Members, by ${sortLabel}`),
          h(
            'thead',
            {},
            h('tr', {}, ['Id', 'Name', 'Chamber', 'Country', 'City', 'Sectors', 'Visibility', 'Actions'].map((t) => h('th', { scope: 'col' }, t))),
          ),
          h(
            'tbody',
            {},
            profiles.map((p) =>
              h(
                'tr',
                {},
                h('td', {}, h('code', {}, p.id)),
                h('th', { scope: 'row' }, h('a', { href: `#/profiles/${encodeURIComponent(p.id)}` }, p.name)),
                h('td', {}, p.chamberId || ''),
                h('td', {}, p.country),
                h('td', {}, p.city || ''),
                h('td', {}, joinList(p.sectors)),
                h('td', {}, (p.visibility || 'PRIVATE').toLowerCase()),
                h(
                  'td',
                  { class: 'row-actions' },
                  h('a', { href: `#/partners/${encodeURIComponent(p.id)}`, 'aria-label': `Partners for ${p.name}` }, 'Partners'),
                ),
              ),
            ),
          ),
        ),
      ),
    );
  }
  const pager = h('nav', { class: 'pager', 'aria-label': 'Pages' });
  if (pageToken) {
    const prev = before.length ? before[before.length - 1] : '';
    pager.append(
      h('a', { class: 'button secondary', href: hashOf({ ...filters, page: prev }) }, 'Previous page'),
    );
  }
  if (page?.nextPageToken) {
    const next = page.nextPageToken;
    pager.append(
      h(
        'a',
        {
          class: 'button secondary',
          href: hashOf({ ...filters, page: next }),
          onclick: () => previousPages.set(searchKey, [...before, pageToken]),
        },
        'Next page',
      ),
    );
  }
  if (pager.childElementCount) results.append(pager);
}

async function showStats(ctx) {
  try {
    const s = await api.get('/stats', {}, { signal: ctx.signal });
    // The store counts profiles and delegations roughly (a database estimate).
    const box = h(
      'p',
      { class: 'stats' },
      `Server: about ${s.profiles || 0} profiles and about ${s.delegations || 0} delegations (estimates), `,
      `${s.activeTokens || 0} active tokens, ${s.lastSequence || 0} changes saved, running for ${uptime(s.uptimeSeconds)}.`,
    );
    ctx.main.querySelector('.page-head')?.after(box);
  } catch (e) {
    if (e.name !== 'AbortError') ctx.main.querySelector('.page-head')?.after(notice('error', describe(e)));
  }
}

function uptime(seconds) {
  const s = Math.round(Number(seconds || 0));
  if (s < 120) return `${s} seconds`;
  if (s < 7200) return `${Math.round(s / 60)} minutes`;
  if (s < 172800) return `${Math.round(s / 3600)} hours`;
  return `${Math.round(s / 86400)} days`;
}
