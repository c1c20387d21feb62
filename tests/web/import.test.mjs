// Browser tests of the console's import (#/import) as chamber staff use it,
// in headless Chromium against a real sociod and socio-gateway (stack.mjs):
//   - a template to download, with every column the importer reads and a
//     guide to them on the page; the template imports as it is;
//   - a preview before anything is stored: a semicolon-separated file with a
//     byte order mark and the staff's own column names is read in the
//     browser, each column matched to a field with a select, the first rows
//     shown as they will be read and the rows that cannot be read flagged
//     with the reason; a file without a required column imports nothing;
//   - after the import, the rejected rows as a file (the file's columns plus
//     "Problem") that imports once fixed, and links to the members created.
//
//   node tests/web/import.test.mjs --build BUILD_DIR [--web_dir DIR] [--screenshots DIR]
//
// --web_dir serves another copy of the console; --screenshots writes the
// preview at desktop and phone width there. Exits 77 (skipped) when Chromium
// or tests/web/node_modules is missing.

import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { DESKTOP, buildDir, chromium, chromiumPath, option, sourceDir, signIn, openPage } from './harness.mjs';
import { startStack } from './stack.mjs';

const webDir = path.resolve(option('web_dir', path.join(sourceDir, 'clients/web')));
const shotsDir = option('screenshots', '');
const PHONE = { width: 375, height: 800 };

let stack;
let browser;
const problems = []; // console errors and warnings, failed requests

before(async () => {
  stack = await startStack({ buildDir, sourceDir, webDir, members: 50 });
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--disable-dev-shm-usage'] });
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

function newPage(viewport = DESKTOP) {
  return openPage(browser, problems, { viewport, acceptDownloads: true });
}

async function openImport(page) {
  await signIn(page, stack.url, stack.tokens.staff);
  await page.goto(`${stack.url}/#/import`);
  await page.getByRole('heading', { level: 1, name: 'Import members' }).waitFor();
}

// Every import request the page sends, as {query, body}, and the bodies
// (Blobs, which the browser does not hand to the test): read by a wrapper of
// XMLHttpRequest.send put in the page before its scripts run.
async function recordImports(page) {
  const sent = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/profiles:import') sent.push({ query: new URL(r.url()).searchParams });
  });
  await page.addInitScript(() => {
    window.sentBodies = [];
    const send = XMLHttpRequest.prototype.send;
    XMLHttpRequest.prototype.send = function (body) {
      if (body instanceof Blob) body.text().then((text) => window.sentBodies.push(text));
      return send.call(this, body);
    };
  });
  sent.bodies = () => page.evaluate(() => window.sentBodies);
  return sent;
}

// The text of the file the browser downloads when `button` is clicked.
async function download(page, button) {
  const [file] = await Promise.all([page.waitForEvent('download'), button.click()]);
  return { name: file.suggestedFilename(), text: readFileSync(await file.path(), 'utf8') };
}

function choose(page, name, text) {
  return page.getByLabel('File', { exact: true }).setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
}

async function importAndWait(page, name) {
  const answer = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/profiles:import');
  await page.getByRole('button', { name: /^Import \d+ rows?$/ }).click();
  assert.equal((await answer).status(), 200);
  await page.getByRole('heading', { name: `Imported ${name}` }).waitFor();
  return (await page.locator('dl.summary').textContent()).replace(/\s+/g, '');
}

async function screenshot(page, name) {
  if (!shotsDir) return;
  mkdirSync(shotsDir, { recursive: true });
  await page.screenshot({ path: path.join(shotsDir, `${name}.png`) });
}

test('the template holds every column the importer reads, is explained on the page and imports as it is', async () => {
  const page = await newPage();
  const sent = await recordImports(page);
  await openImport(page);
  const template = await download(page, page.getByRole('button', { name: 'Download the template (CSV)' }));
  assert.match(template.name, /\.csv$/);
  assert.ok(template.text.startsWith('\uFEFF'), 'a byte order mark, so that Excel reads the accents');
  const lines = template.text.slice(1).trim().split('\n');
  const header = lines[0].split(',');
  assert.ok(lines.length >= 2 && lines.length <= 3, `one or two example rows: ${lines.length - 1}`);
  for (const column of ['id', 'chamber_id', 'name', 'country', 'sectors', 'objectives', 'visibility']) {
    assert.ok(header.includes(column), `the template has a ${column} column`);
  }
  assert.match(template.text, /ihk-muenchen/, 'the examples belong to the staff’s own chamber');

  // The guide names every column of the template in words.
  await page.getByText('What each column means').click();
  const guide = page.locator('.column-guide table');
  const guided = await guide.locator('tbody th code').allTextContents();
  assert.deepEqual(guided, header);
  assert.match(await guide.textContent(), /two-letter country code/);

  await choose(page, 'socio-members-template.csv', template.text);
  await page.locator('table.import-preview-rows').waitFor();
  assert.equal(await page.locator('table.import-flagged').count(), 0, 'no row of the template is flagged');
  const summary = await importAndWait(page, 'socio-members-template.csv');
  assert.equal(summary, `Received${lines.length - 1}Created${lines.length - 1}Updated0Rejected0`);
  assert.equal(sent.length, 1);
  await page.context().close();
});

test('a preview matches the file’s own columns and flags the rows that cannot be read before anything is stored', async () => {
  const page = await newPage();
  const sent = await recordImports(page);
  await openImport(page);
  const csv = [
    '\uFEFFMitgliedsnummer;Kammer;Firma;Land;Ort;Mitarbeiter;Bemerkung',
    'de-9401;ihk-muenchen;"Huber; Söhne GmbH";DE;München;40;Neukunde',
    'de-9402;ihk-muenchen;Zeller AG;DE;Passau;viele;',
    'de-9403;ihk-muenchen;Ohne Ort GmbH;DE',
    'de-9404;ihk-muenchen;Álvarez Hermanos S.L.;Spanien;Madrid;12;',
    'de-9405;ihk-muenchen;Kern Logistik;DE;Freising;8;Messe 2026',
  ].join('\r\n');
  await choose(page, 'mitglieder.csv', csv);
  const columns = page.locator('table.import-columns');
  await columns.waitFor();
  const field = (column) => page.getByLabel(`Field for column “${column}”`);
  assert.equal(await field('Mitgliedsnummer').inputValue(), 'id');
  assert.equal(await field('Kammer').inputValue(), 'chamber_id');
  assert.equal(await field('Firma').inputValue(), 'name');
  assert.equal(await field('Land').inputValue(), 'country');
  assert.equal(await field('Ort').inputValue(), 'city');
  assert.equal(await field('Mitarbeiter').inputValue(), 'employees');
  assert.equal(await field('Bemerkung').inputValue(), '', 'a column Socio has no field for is left out');

  // The first rows as they will be read: the quoted name with its semicolon.
  const rows = page.locator('table.import-preview-rows tbody tr');
  assert.equal(await rows.count(), 5);
  assert.deepEqual((await rows.first().locator('td').allTextContents()).map((t) => t.trim()), ['2', 'de-9401', 'ihk-muenchen', 'Huber; Söhne GmbH', 'DE', 'München', '40', 'Ready']);
  const flagged = page.locator('table.import-flagged tbody tr');
  assert.equal(await flagged.count(), 3);
  const reasons = await flagged.evaluateAll((trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent.trim())));
  assert.deepEqual(reasons.map((r) => r.slice(0, 2)), [['3', 'de-9402'], ['4', 'de-9403'], ['5', 'de-9404']]);
  assert.match(reasons[0][2], /employees: 'viele' is not a whole number/);
  assert.match(reasons[1][2], /4 cells; the header has 7 columns/);
  assert.match(reasons[2][2], /country: 'Spanien' is not a two-letter country code/);

  // A column read as another field: the preview follows.
  await field('Bemerkung').selectOption('description');
  await page.locator('table.import-preview-rows thead th', { hasText: 'Description' }).waitFor();
  assert.match(await rows.first().textContent(), /Neukunde/);
  await screenshot(page, 'import-preview');
  assert.equal(sent.length, 0, 'nothing is sent before Import');
  assert.equal(await page.getByRole('button', { name: /^Import/ }).textContent(), 'Import 5 rows');

  const summary = await importAndWait(page, 'mitglieder.csv');
  assert.equal(summary, 'Received5Created2Updated0Rejected3');
  // The server reads Socio's names, commas, each row on its line in the file;
  // the row it could not split is not sent.
  const body = (await sent.bodies())[0].split('\n');
  assert.equal(body[0], 'id,chamber_id,name,country,city,employees,description');
  assert.equal(body[1], 'de-9401,ihk-muenchen,Huber; Söhne GmbH,DE,München,40,Neukunde');
  assert.equal(body[3], '', 'the row with too few cells is not sent');
  assert.match(body[4], /^de-9404,/);
  const errors = await page.locator('table.import-errors tbody tr').evaluateAll((trs) => trs.map((tr) => tr.children[0].textContent + ' ' + tr.children[1].textContent));
  assert.deepEqual(errors, ['3 de-9402', '4 de-9403', '5 de-9404']);
  assert.doesNotMatch(await page.locator('.results').textContent(), /null|undefined/);

  await page.goto(`${stack.url}/#/profiles/de-9401`);
  await page.getByRole('heading', { level: 1, name: 'Huber; Söhne GmbH' }).waitFor();
  assert.equal(await page.getByLabel('Description').inputValue(), 'Neukunde');
  await page.context().close();
});

test('a file without a required column imports nothing and says which column is missing', async () => {
  const page = await newPage();
  const sent = await recordImports(page);
  await openImport(page);
  await choose(page, 'ohne-land.csv', 'id,chamber_id,Firma\nde-9501,ihk-muenchen,Ohne Land GmbH\n');
  const missing = page.locator('.mapping-problems');
  await missing.waitFor();
  assert.match(await missing.textContent(), /No column is read as Country \(country\)/);
  await page.getByRole('button', { name: 'Import' }).click();
  await page.locator('.form-message .notice-error').waitFor();
  assert.match(await page.locator('.form-message').textContent(), /Nothing imported: No column is read as Country/);
  assert.equal(sent.length, 0);
  await page.context().close();
});

test('the rejected rows come back as a file to fix and import; the members created are linked', async () => {
  const page = await newPage();
  await openImport(page);
  const csv = [
    'ID\tEmpresa\tPaís\tCámara\tEmpleados',
    'mx-9601\tSalsas Norte S.A.\tMX\tihk-muenchen\t30',
    'mx-9602\tAgave Sur S.A.\tMX\tihk-muenchen\tmuchos',
    'mx-9603\t"Café, Oaxaca"\tMéxico\tihk-muenchen\t5',
  ].join('\n');
  await choose(page, 'socios.csv', csv);
  await page.locator('table.import-preview-rows').waitFor();
  assert.equal(await page.getByLabel('Field for column “Empresa”').inputValue(), 'name');
  assert.equal(await page.getByLabel('Field for column “Cámara”').inputValue(), 'chamber_id');
  assert.equal(await importAndWait(page, 'socios.csv'), 'Received3Created1Updated0Rejected2');

  const created = page.locator('ul.stored-members a');
  assert.deepEqual(await created.allTextContents(), ['Salsas Norte S.A.']);
  const rejected = await download(page, page.getByRole('button', { name: 'Download the rejected rows (CSV)' }));
  assert.equal(rejected.name, 'socios-rejected.csv');
  const lines = rejected.text.replace(/^\uFEFF/, '').trim().split('\n');
  assert.equal(lines.length, 3);
  const header = lines[0].split('\t');
  assert.deepEqual(header, ['ID', 'Empresa', 'País', 'Cámara', 'Empleados', 'Problem'], 'the file’s own columns, its separator, and Problem');
  assert.match(lines[1], /^mx-9602\tAgave Sur S\.A\.\tMX\tihk-muenchen\tmuchos\tInvalid: .*employees/);
  assert.match(lines[2], /^mx-9603\tCafé, Oaxaca\tMéxico\t/);

  // Fixed in the file and imported again: the Problem column is left out.
  const fixed = rejected.text.replace('muchos', '25').replace('\tMéxico\t', '\tMX\t');
  await choose(page, 'socios-rejected.csv', fixed);
  await page.locator('table.import-preview-rows').waitFor();
  assert.equal(await page.getByLabel('Field for column “Problem”').inputValue(), '');
  assert.equal(await page.locator('table.import-flagged').count(), 0);
  assert.equal(await importAndWait(page, 'socios-rejected.csv'), 'Received2Created2Updated0Rejected0');
  assert.deepEqual(await created.allTextContents(), ['Agave Sur S.A.', 'Café, Oaxaca']);
  await created.first().click();
  await page.getByRole('heading', { level: 1, name: 'Agave Sur S.A.' }).waitFor();
  assert.match(page.url(), /#\/profiles\/mx-9602$/);
  await page.context().close();
});

test('the preview fits a phone without sideways scrolling', async () => {
  const page = await newPage(PHONE);
  await openImport(page);
  await choose(page, 'members.csv', 'id,chamber_id,name,country,city,sectors,employees\nde-9701,ihk-muenchen,Alpen Logistik GmbH,DE,München,52.29,40\n');
  await page.locator('table.import-preview-rows').waitFor();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= PHONE.width, `the page is ${width} px wide`);
  await page.locator('.import-preview h2').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await screenshot(page, 'import-preview-phone');
  await page.context().close();
});

test('no console errors or warnings', () => {
  assert.deepEqual(problems, []);
});
