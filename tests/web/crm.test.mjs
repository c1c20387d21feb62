// Browser tests of what chamber staff expect from a member tool, in headless
// Chromium against a real sociod and socio-gateway with demo data (see
// stack.mjs):
//   - "Export CSV" on Members downloads every member the search finds, all
//     pages, in the search's order, as RFC 4180 CSV in UTF-8 with a byte
//     order mark, with objectives in words;
//   - a type-ahead wherever a company id is typed (compare, partners, the
//     delegation form, "Add pair"): "Name (id, country)" found by name or id,
//     picked with the keyboard;
//   - Compare shows the two profiles side by side, sectors with their NACE
//     titles, before the score;
//   - Weights: a sentence per factor, and a preview of how a member's top 10
//     would change, against the API's own rankings, with nothing saved;
//   - screenshots of Compare (its type-ahead open too) and Weights at desktop
//     and phone width (which fit a phone without sideways scrolling); no
//     console errors.
//
//   node tests/web/crm.test.mjs --build BUILD_DIR [--screenshots DIR] [--web_dir DIR]
//
// --web_dir serves another copy of the console (to check that these tests
// fail on an older one).
// Screenshots go to DIR, by default BUILD_DIR/web-screenshots;
// --screenshots docs/screenshots refreshes the committed ones. Exits 77
// (skipped) when Chromium or tests/web/node_modules is missing.

import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { parseCsv } from '../../clients/web/js/csv.js';
import { DESKTOP, buildDir, chromium, chromiumPath, option, sourceDir, signIn, openPage } from './harness.mjs';
import { startStack } from './stack.mjs';

const webDir = path.resolve(option('web_dir', path.join(sourceDir, 'clients/web')));
const shotsDir = path.resolve(option('screenshots', path.join(buildDir, 'web-screenshots')));
const PHONE = { width: 375, height: 800 };
// A member whose name needs CSV's quoting, and whose accents need UTF-8.
const TRICKY = {
  id: 'de-9190',
  chamberId: 'ihk-muenchen',
  name: 'Müller, "Die Säge" GmbH',
  country: 'DE',
  city: 'Nürnberg',
  sectors: ['16.10'],
  languages: ['de', 'en'],
  objectives: [{ type: 'DISTRIBUTION', direction: 'SEEK', markets: ['MX', 'US'], sectors: ['46.73'] }],
  visibility: 'CHAMBER',
};

let stack;
let browser;
const problems = []; // console errors and warnings nobody expected

before(async () => {
  mkdirSync(shotsDir, { recursive: true });
  stack = await startStack({ buildDir, sourceDir, webDir });
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--disable-dev-shm-usage'] });
  await callApi('POST', '/profiles', { body: TRICKY });
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

// The gateway's JSON API as staff of ihk-muenchen, from the test itself.
async function callApi(method, apiPath, { query = {}, body, token = stack.tokens.staff } = {}) {
  const url = new URL(`${stack.url}/api/v1${apiPath}`);
  for (const [k, v] of Object.entries(query)) if (v !== '') url.searchParams.set(k, String(v));
  const response = await fetch(url, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} ${apiPath}: HTTP ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

// `expected(url, status)`: refusals a test asks for on purpose.
function newPage(viewport = DESKTOP, expected = () => false) {
  return openPage(browser, problems, { viewport, acceptDownloads: true, expected });
}

async function screenshot(page, name) {
  await page.screenshot({ path: path.join(shotsDir, `${name}.png`), fullPage: false });
}

// Types `text` into the combobox `input` as a person would and waits for the
// suggestion `label` among the answers to what was typed (the list is
// aria-busy until they are on screen; the list of what was typed before may
// hold the label too).
async function suggest(page, input, text, label) {
  await input.fill('');
  await input.pressSequentially(text, { delay: 30 });
  const listbox = page.locator(`#${await input.getAttribute('aria-controls')}`);
  await page.locator(`#${await input.getAttribute('aria-controls')}[aria-busy="false"]`).waitFor({ state: 'attached' });
  await listbox.getByRole('option', { name: label, exact: true }).waitFor();
  assert.equal(await input.getAttribute('aria-expanded'), 'true');
  return listbox;
}

// Picks the suggestion `label` with the arrow keys and Enter.
async function pickWithKeys(page, input, text, label) {
  const listbox = await suggest(page, input, text, label);
  const labels = await listbox.getByRole('option').allTextContents();
  for (let i = 0; i <= labels.indexOf(label); i += 1) await input.press('ArrowDown');
  assert.equal(await input.getAttribute('aria-activedescendant'), await listbox.getByRole('option', { name: label, exact: true }).getAttribute('id'));
  await input.press('Enter');
  assert.equal(await listbox.isHidden(), true, 'the list closes once a suggestion is picked');
}

test('Export CSV downloads every member the search finds, all pages, quoted and in UTF-8', async () => {
  const page = await newPage();
  await signIn(page, stack.url, stack.tokens.staff);
  await page.goto(`${stack.url}/#/members?chamber=ihk-muenchen&sort=name&size=10`);
  await page.locator('table.data tbody tr').first().waitFor();
  assert.equal(await page.locator('table.data tbody tr').count(), 10, 'one page of 10 on screen');

  // What the API lists for the same search, every page.
  const expected = [];
  let pageToken = '';
  do {
    const answer = await callApi('GET', '/profiles', {
      query: { chamber_id: 'ihk-muenchen', order_by: 'name', page_size: 7, page_token: pageToken, include_total_size: 'true' },
    });
    expected.push(...answer.profiles);
    pageToken = answer.nextPageToken || '';
  } while (pageToken);
  assert.ok(expected.length > 10, `more members than one page: ${expected.length}`);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  assert.match(download.suggestedFilename(), /^members-ihk-muenchen-\d{4}-\d\d-\d\d\.csv$/);
  const bytes = readFileSync(await download.path());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 byte order mark first');
  const text = bytes.subarray(3).toString('utf8');
  assert.match(text, /\r\n/, 'CRLF line ends');
  assert.ok(text.includes('"Müller, ""Die Säge"" GmbH"'), 'a name with a comma and quotes is quoted, its quotes doubled');
  const [header, ...rows] = parseCsv(text).filter((r) => r.length > 1);
  assert.deepEqual([...header], ['Id', 'Name', 'Chamber', 'Country', 'City', 'Sectors', 'Languages', 'Objectives', 'Visibility', 'Valid until', 'Updated (UTC)']);
  assert.deepEqual(
    rows.map((r) => r[0]),
    expected.map((p) => p.id),
    'every member of the search, in its order',
  );
  const tricky = rows.find((r) => r[0] === TRICKY.id);
  assert.equal(tricky[1], TRICKY.name);
  assert.equal(tricky[4], 'Nürnberg');
  assert.equal(tricky[6], 'de, en');
  assert.equal(tricky[7], 'Seeks distribution in MX, US (sector 46.73)');
  assert.equal(tricky[8], 'Chamber');
  const stored = expected.find((p) => p.id === TRICKY.id);
  assert.equal(tricky[10], stored.updateTime.slice(0, 16).replace('T', ' '));
  await page.getByText(`Exported ${expected.length} members to ${download.suggestedFilename()}.`).waitFor();
  await page.context().close();
});

test('a type-ahead wherever a company id is typed: by name or id, picked with the keyboard', async () => {
  let page = await newPage();
  await signIn(page, stack.url, stack.tokens.staff);
  await page.goto(`${stack.url}/#/compare`);
  const a = page.getByRole('combobox', { name: 'Member (a)' });
  await pickWithKeys(page, a, 'huber werkz', 'Huber Werkzeugmaschinen GmbH (de-9101, DE)');
  assert.equal(await a.inputValue(), 'de-9101', 'picking fills in the id');
  // Picked while the answer to the last keystroke is still on its way: that
  // answer does not reopen the list or undo the pick.
  const huber = 'Huber Werkzeugmaschinen GmbH (de-9101, DE)';
  const shown = await (await suggest(page, a, 'huber', huber)).getByRole('option').allTextContents();
  for (let i = 0; i <= shown.indexOf(huber); i += 1) await a.press('ArrowDown');
  await a.press('w');
  await a.press('Enter');
  assert.equal(await a.inputValue(), 'de-9101', 'Enter picks the highlighted suggestion while typing goes on');
  await page.waitForTimeout(1000); // longer than the pause and the answer
  assert.equal(await a.getAttribute('aria-expanded'), 'false', 'a late answer does not reopen the list');
  assert.equal(await a.inputValue(), 'de-9101');
  const b = page.getByRole('combobox', { name: 'Partner (b)' });
  // An id (or its start) finds the member too; accents and case do not matter.
  await suggest(page, b, 'DE-919', `${TRICKY.name} (${TRICKY.id}, DE)`);
  await b.press('Escape');
  assert.equal(await b.getAttribute('aria-expanded'), 'false', 'Escape closes the list');
  await suggest(page, b, 'muller sage', `${TRICKY.name} (${TRICKY.id}, DE)`);
  await b.press('Escape');
  await suggest(page, b, 'de-91', `${TRICKY.name} (${TRICKY.id}, DE)`);
  await b.press('ArrowDown');
  await screenshot(page, 'compare-typeahead');

  await page.goto(`${stack.url}/#/partners`);
  const member = page.getByRole('combobox', { name: 'Member id' });
  await pickWithKeys(page, member, 'Huber', 'Huber Werkzeugmaschinen GmbH (de-9101, DE)');
  assert.equal(await member.inputValue(), 'de-9101');

  await page.goto(`${stack.url}/#/delegations/new`);
  const delegate = page.getByRole('combobox', { name: 'Member id' }).first();
  await pickWithKeys(page, delegate, 'Bauer', 'Bauer Autoteile AG (de-9102, DE)');
  assert.equal(await delegate.inputValue(), 'de-9102');

  // "Add pair" on the planned delegation's page: the plan's hosts come first,
  // then the other members found.
  const plan = (await callApi('POST', '/delegations/mx27:plan', { body: {} })).plan;
  const hostId = plan.hostIds[plan.hostIds.length - 1];
  const host = await callApi('GET', `/profiles/${hostId}`);
  await page.context().close(); // the delegation form holds an edit: leave it without the question
  page = await newPage();
  await signIn(page, stack.url, stack.tokens.staff);
  await page.goto(`${stack.url}/#/delegations/mx27`);
  const hostField = page.getByRole('combobox', { name: 'Host id' });
  const word = host.name.split(/\s+/).find((w) => w.length > 3);
  const listbox = await suggest(page, hostField, word, `${host.name} (${hostId}, ${host.country})`);
  const offered = await listbox.getByRole('option').evaluateAll((els) => els.map((el) => el.dataset.id));
  const planned = offered.filter((id) => plan.hostIds.includes(id));
  assert.deepEqual(offered.slice(0, planned.length), planned, `the plan's hosts first: ${offered}`);
  await pickWithKeys(page, hostField, hostId, `${host.name} (${hostId}, ${host.country})`);
  assert.equal(await hostField.inputValue(), hostId);
  await page.context().close();
});

test('Compare shows the two profiles side by side, then the score breakdown', async () => {
  const found = await callApi('POST', '/partners:find', { body: { memberId: 'de-9101', k: 1 } });
  const partnerId = found.matches[0].partnerId;
  const [a, b] = await Promise.all([callApi('GET', '/profiles/de-9101'), callApi('GET', `/profiles/${partnerId}`)]);
  const page = await newPage();
  await signIn(page, stack.url, stack.tokens.staff);
  await page.goto(`${stack.url}/#/compare?a=de-9101&b=${partnerId}`);
  const table = page.locator('table.side-by-side');
  await table.waitFor();
  assert.deepEqual(await table.locator('thead th').allTextContents(), [a.name, b.name]);
  const row = async (label) =>
    table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: label, exact: true }) }).locator('td').allTextContents();
  assert.deepEqual(await row('Country'), [a.country, b.country]);
  assert.deepEqual(await row('City'), [a.city, b.city]);
  // Each sector with its NACE title, as the gateway gives them.
  const titled = async (p) => {
    const answer = await callApi('GET', '/sectors', { query: { codes: p.sectors.join(',') } });
    return answer.sectors.map((x) => `${x.code} ${x.title}`);
  };
  const sectorCells = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Sectors (NACE)' }) }).locator('td');
  assert.deepEqual(await sectorCells.nth(0).locator('li').allTextContents(), await titled(a));
  assert.deepEqual(await sectorCells.nth(1).locator('li').allTextContents(), await titled(b));
  assert.match((await sectorCells.nth(0).textContent()), /^28\.41 Manufacture of metal forming machinery/);
  assert.deepEqual(await row('Languages'), [a.languages.join(', '), (b.languages || []).join(', ') || '—']);
  assert.equal((await row('Size'))[0], '320 employees');
  assert.equal((await row('Objectives'))[0], 'Seeks distribution in MX (sector 46.6)');
  assert.equal((await row('Target markets'))[0], 'MX, US');
  // Then the score, its reasons and the factor table, as before.
  await page.locator('table.factors').waitFor();
  const order = await page.locator('.results').evaluate((el) => [...el.querySelectorAll('table')].map((t) => t.className));
  assert.deepEqual(order, ['data side-by-side', 'data factors']);
  await screenshot(page, 'compare');
  await page.context().close();

  // A member company reads only its own profile: of the partner it sees
  // what the partner list shows, and no type-ahead (it may not list members).
  const member = await newPage();
  await signIn(member, stack.url, stack.tokens.member);
  await member.goto(`${stack.url}/#/compare?a=de-9101&b=${partnerId}`);
  await member.locator('table.factors').waitFor();
  const side = member.locator('table.side-by-side');
  assert.deepEqual(await side.locator('thead th').allTextContents(), [a.name, b.name]);
  const cells = async (label) =>
    side.getByRole('row').filter({ has: member.getByRole('rowheader', { name: label, exact: true }) }).locator('td').allTextContents();
  assert.deepEqual(await cells('Country'), [a.country, b.country]);
  assert.deepEqual(await cells('City'), [a.city, 'not shared']);
  assert.equal(await member.getByRole('combobox').count(), 0);
  await member.context().close();
});

test('Weights: how long a meeting request waits is set on the same page and kept when weights are saved', async () => {
  const page = await newPage(DESKTOP, (url, status) => status === 400 && url.includes('/api/v1/policies/'));
  await signIn(page, stack.url, stack.tokens.staff);
  await page.goto(`${stack.url}/#/policy`);
  const days = page.getByLabel('Days a meeting request waits for an answer');
  await days.waitFor();
  await days.fill('10');
  await page.getByRole('button', { name: 'Save weights' }).click();
  await page.getByText(/^Saved: version \d+\.$/).waitFor();
  assert.equal((await callApi('GET', '/policies/ihk-muenchen')).requestExpiryDays, 10);
  // Saving a weight later keeps the days.
  await page.reload();
  await days.waitFor();
  assert.equal(await days.inputValue(), '10');
  const size = page.getByLabel('Size', { exact: true });
  await size.fill(String(Number(await size.inputValue()) + 0.01));
  await page.getByRole('button', { name: 'Save weights' }).click();
  await page.getByText(/^Saved: version \d+\.$/).waitFor();
  assert.equal((await callApi('GET', '/policies/ihk-muenchen')).requestExpiryDays, 10);
  await days.fill('91');
  await page.getByRole('button', { name: 'Save weights' }).click();
  await page.getByText(/request_expiry_days|1 to 90|90/).first().waitFor();
  assert.equal((await callApi('GET', '/policies/ihk-muenchen')).requestExpiryDays, 10, 'a refused save changes nothing');
  await page.context().close();
});

test('Weights: a sentence per factor, and a preview of the top 10 before saving', async () => {
  const policy = await callApi('GET', '/policies/ihk-muenchen');
  const page = await newPage();
  await signIn(page, stack.url, stack.tokens.staff);
  await page.goto(`${stack.url}/#/policy`);
  await page.getByRole('button', { name: 'Save weights' }).waitFor();
  const names = ['Objectives', 'Market', 'Sector', 'Culture', 'Text', 'Size', 'Freshness'];
  const sentences = [];
  for (const name of names) {
    const description = await page.getByLabel(name, { exact: true }).evaluate((el) =>
      (el.getAttribute('aria-describedby') || '').split(' ').map((id) => document.getElementById(id)?.textContent || '').join(' '),
    );
    assert.ok(description.length > 40 && description.endsWith('.'), `${name}: "${description}"`);
    sentences.push(description);
  }
  assert.equal(new Set(sentences).size, names.length, 'a sentence of its own for each factor');

  // Market counts for nothing, text for a lot.
  await page.getByLabel('Market', { exact: true }).fill('0');
  await page.getByLabel('Text', { exact: true }).fill('1');
  const member = page.getByRole('combobox', { name: 'Member' });
  await pickWithKeys(page, member, 'Huber', 'Huber Werkzeugmaschinen GmbH (de-9101, DE)');
  await page.getByRole('button', { name: 'Preview' }).click();
  const table = page.locator('table.preview');
  await table.waitFor();

  const keys = ['objective', 'market', 'sector', 'culture', 'text', 'size', 'freshness'];
  const saved = Object.fromEntries(keys.map((k) => [k, Number(policy.weights?.[k] || 0)]));
  const edited = { ...saved, market: 0, text: 1 };
  const rank = async (weights) => (await callApi('POST', '/partners:find', { body: { memberId: 'de-9101', k: 100, weights } })).matches.map((m) => m.partnerId);
  const [was, now] = await Promise.all([rank(saved), rank(edited)]);
  const ordinal = (list, id) => {
    const i = list.indexOf(id);
    return i < 0 ? 'below 100' : `${i + 1}${['th', 'st', 'nd', 'rd'][(i + 1) % 10] && ![11, 12, 13].includes((i + 1) % 100) ? ['th', 'st', 'nd', 'rd'][(i + 1) % 10] : 'th'}`;
  };
  const out = was.slice(0, 10).filter((id) => !now.slice(0, 10).includes(id));
  assert.ok(out.length > 0, 'these weights change the top 10');
  const expected = [...now.slice(0, 10), ...out].map((id) => [id, ordinal(was, id), ordinal(now, id)]);
  const shown = await table.locator('tbody tr').evaluateAll((rows) =>
    rows.map((r) => [r.querySelector('th code').textContent, r.children[1].textContent, r.children[2].textContent, r.children[3].textContent]),
  );
  assert.deepEqual(shown.map((r) => r.slice(0, 3)), expected);
  for (const [id, old, , change] of shown) {
    if (out.includes(id)) assert.equal(change, 'out of the top 10');
    else if (was.indexOf(id) < 0 || was.indexOf(id) >= 10) assert.equal(change, 'new in the top 10', `${id} was ${old}`);
    else assert.match(change, /^(▲ up \d+|▼ down \d+|same)$/);
  }
  await page.getByText(/Nothing is saved yet\./).waitFor();
  assert.equal((await callApi('GET', '/policies/ihk-muenchen')).version, policy.version, 'the preview saves nothing');
  await table.scrollIntoViewIfNeeded();
  await screenshot(page, 'policy-preview');
  await page.context().close();
});

test('Compare and Weights fit a phone without sideways scrolling', async () => {
  const page = await newPage(PHONE);
  await signIn(page, stack.url, stack.tokens.staff);
  for (const [name, hash, ready] of [
    ['compare', '#/compare?a=de-9101&b=de-9190', 'table.factors'],
    ['policy', '#/policy', 'form[aria-label="Weights"]'],
  ]) {
    await page.goto(`${stack.url}/${hash}`);
    await page.locator(ready).waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= PHONE.width, `${name}: the page is ${width} px wide`);
    await screenshot(page, `${name}-phone`);
  }
  await page.context().close();
});

test('no console errors or warnings', () => {
  assert.deepEqual(problems, []);
});
