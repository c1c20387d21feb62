// Browser tests of the web console (clients/web) in headless Chromium, against
// a real sociod and socio-gateway with demo data (see stack.mjs):
//   1. staff sign in, edit a profile (a server validation message lands beside
//      the field), find partners (the list asks for the BASIC view) and open a
//      partner's explanation, loaded then (every factor's bar, every reason; a
//      failed load says why and can be tried again);
//   2. staff plan the delegation, move and lock a meeting, re-plan, and download
//      an agenda that parses as iCalendar and the plan as CSV; import a CSV file
//      (progress, the bad line in a table); create a delegation with the form
//      (a server message beside the day's end time) and the JSON editor;
//   3. a member token sees its own page and agenda, and is refused another
//      member's page (the API answers 404, as for a profile that does not
//      exist, and the page shows its message);
//   4. screenshots of the main pages, at 1366x768 and at 375x800 (where the
//      pages fit a phone without sideways scrolling), none blank;
//   5. no console error or warning on any page, beyond the refusals the tests
//      provoke on purpose.
//
//   node tests/web/console.test.mjs --build BUILD_DIR [--screenshots DIR]
//
// Exits 77 (skipped) when Chromium or tests/web/node_modules is missing
// (npm ci --prefix tests/web). Screenshots go to DIR, by default
// BUILD_DIR/web-screenshots; --screenshots docs/screenshots refreshes the
// committed ones.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { decodePng, distinctColours } from './png.mjs';
import { DESKTOP, buildDir, chromium, chromiumPath, option, sourceDir, signIn, openPage } from './harness.mjs';
import { startStack } from './stack.mjs';

const shotsDir = path.resolve(option('screenshots', path.join(buildDir, 'web-screenshots')));
const PHONE = { width: 375, height: 800 };

let stack;
let browser;
const problems = []; // console errors and warnings nobody expected
const expectedFailures = []; // {method, path, status}: refusals a test provokes
const shots = [];

before(async () => {
  mkdirSync(shotsDir, { recursive: true });
  stack = await startStack({ buildDir, sourceDir });
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--disable-dev-shm-usage'] });
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

function expectFailure(method, apiPath, status) {
  expectedFailures.push({ method, path: `/api/v1${apiPath}`, status });
}

function isExpected(url, status) {
  const u = new URL(url);
  return expectedFailures.some((e) => u.pathname === e.path && (status === undefined || status === e.status));
}

// A page that records every console error or warning and uncaught exception.
function newPage(viewport) {
  return openPage(browser, problems, { viewport, acceptDownloads: true, expected: isExpected });
}

async function screenshot(page, name) {
  const file = path.join(shotsDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  shots.push(file);
  return file;
}

function apiCall(page, method, apiPath) {
  return page.waitForResponse((r) => r.request().method() === method && new URL(r.url()).pathname === `/api/v1${apiPath}`);
}

test('staff edit a profile, find partners for a member and read the explanation', async () => {
  const page = await newPage(DESKTOP);
  await signIn(page, stack.url, stack.tokens.staff);
  await page.getByRole('heading', { level: 1, name: 'Members' }).waitFor();
  await page.locator('table.data tbody tr').first().waitFor();
  assert.match(await page.locator('#account .who').textContent(), /Staff · ihk-muenchen/);
  assert.ok((await page.locator('table.data tbody tr').count()) >= 3, 'the chamber lists its members');
  await screenshot(page, 'members');

  // A bad value is refused by the server, and its message sits beside the input.
  await page.goto(`${stack.url}/#/profiles/de-9101`);
  await page.getByRole('heading', { level: 1, name: 'Huber Werkzeugmaschinen GmbH' }).waitFor();
  const country = page.getByLabel('Country', { exact: true });
  await country.fill('UK');
  expectFailure('PATCH', '/profiles/de-9101', 400);
  const refused = apiCall(page, 'PATCH', '/profiles/de-9101');
  await page.getByRole('button', { name: 'Save changes' }).click();
  assert.equal((await refused).status(), 400);
  await assert.doesNotReject(country.and(page.locator('[aria-invalid="true"]')).waitFor());
  const describedBy = await country.getAttribute('aria-describedby');
  const errorId = describedBy.split(' ').find((id) => id.endsWith('-error'));
  const errorText = await page.locator(`#${errorId}`).textContent();
  assert.match(errorText, /^profile\.country: .*UK/, 'the field error names the field');
  await screenshot(page, 'profile-edit');
  await country.fill('DE');
  await page.getByLabel('Keywords').fill('machine tools, CNC, lathes');
  const saved = apiCall(page, 'PATCH', '/profiles/de-9101');
  await page.getByRole('button', { name: 'Save changes' }).click();
  const savedResponse = await saved;
  assert.equal(savedResponse.status(), 200);
  assert.deepEqual(Object.keys(JSON.parse(savedResponse.request().postData())), ['keywords'], 'PATCH sends only what changed');
  await page.getByText(/Saved 1 field\(s\); now version 2/).waitFor();

  // Partners: a ranked list from FindPartners' BASIC view (scores and the
  // strongest reason, no factors); nothing more is fetched until a card opens.
  const explained = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/api/v1/partners:explain') explained.push(r.postData());
  });
  const listed = apiCall(page, 'POST', '/partners:find');
  await page.goto(`${stack.url}/#/partners/de-9101`);
  const list = await listed;
  assert.equal(list.status(), 200);
  assert.equal(JSON.parse(list.request().postData()).view, 'BASIC', 'the list asks for the BASIC view');
  const { matches, weights } = await list.json();
  assert.ok(matches.every((m) => !m.factors && (m.reasons || []).length <= 1), 'BASIC: no factors, the strongest reason only');
  const first = page.locator('ol.matches > li').first();
  await first.waitFor();
  assert.ok((await page.locator('ol.matches > li').count()) >= 5);
  assert.deepEqual(await first.locator('ul.reasons li').allTextContents(), matches[0].reasons, 'the card shows the strongest reason');
  assert.equal(await page.locator('table.factors').count(), 0, 'no factors before a card is opened');
  assert.deepEqual(explained, [], 'no explanation asked for before a card is opened');

  // Opening "Why" loads that partner's factors, scored with the list's weights.
  const explainCall = apiCall(page, 'POST', '/partners:explain');
  await first.getByText(/^Why: every factor for /).click();
  const explainResponse = await explainCall;
  assert.equal(explainResponse.status(), 200);
  assert.deepEqual(JSON.parse(explainResponse.request().postData()), { aId: 'de-9101', bId: matches[0].partnerId, weights });
  const full = await explainResponse.json();
  const factorRows = first.locator('table.factors tbody tr');
  await factorRows.first().waitFor();
  assert.deepEqual(
    await factorRows.locator('th').allTextContents(),
    ['Objectives', 'Market', 'Sector', 'Culture', 'Text', 'Size', 'Freshness'],
    'every factor, as before views',
  );
  assert.equal(await first.locator('table.factors caption').textContent(), `How the score of ${matches[0].score.toFixed(3)} adds up`);
  assert.deepEqual(await first.locator('.explanation ul.reasons li').allTextContents(), full.reasons, 'every reason, strongest first');
  assert.equal(full.reasons[0], matches[0].reasons[0]);
  assert.equal(explained.length, 1, 'one explanation: the card opened');
  assert.match(await factorRows.first().textContent(), /Objectives.*\d\.\d{3} \(\d+ %\)/);
  const meanings = first.locator('details.factor-meanings');
  await meanings.locator('summary').click();
  assert.match(await meanings.textContent(), /Freshness\s*How recently the partner updated its profile/, 'each factor says what it measures');
  assert.equal(await factorRows.last().locator('th').getAttribute('title'), await meanings.locator('dd').last().textContent());
  const widths = await first.locator('.bar-fill').evaluateAll((bars) => bars.map((b) => b.getBoundingClientRect().width));
  assert.ok(widths.some((w) => w > 5), `factor bars are drawn: ${widths}`);

  // While a card's explanation loads it says so; a failed load says why, in
  // the staff's words, and "Try again" loads it.
  const second = page.locator('ol.matches > li').nth(1);
  let release;
  const held = new Promise((resolve) => {
    release = resolve;
  });
  expectFailure('POST', '/partners:explain', 503);
  await page.route('**/api/v1/partners:explain', async (route) => {
    await held;
    await route.fulfill({
      status: 503,
      contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'UNAVAILABLE', message: 'the matcher is restarting' } }),
    });
  });
  await second.getByText(/^Why: every factor for /).click();
  await second.getByText(/^Working out every factor for /).waitFor();
  release();
  const failure = second.locator('.explanation [role="alert"]');
  await failure.waitFor();
  assert.match(await failure.textContent(), /^The factors for .+ cannot be shown: Unavailable: the matcher is restarting/);
  assert.equal(await second.locator('table.factors').count(), 0);
  await page.unroute('**/api/v1/partners:explain');
  await second.getByRole('button', { name: 'Try again' }).click();
  await second.locator('table.factors tbody tr').first().waitFor();
  assert.equal(await second.locator('table.factors tbody tr').count(), 7, 'every factor after trying again');
  assert.equal(await failure.count(), 0, 'the error is gone');
  await second.getByText(/^Why: every factor for /).click(); // closed again, for the screenshot

  await page.locator('.results h2').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await screenshot(page, 'partners');

  // Compare the member with its best partner.
  const partnerName = await first.locator('h3 a').textContent();
  await first.getByRole('link', { name: /^Compare de-9101 with/ }).click();
  await page.getByRole('heading', { level: 1, name: 'Compare two companies' }).waitFor();
  await page.locator('table.factors').waitFor();
  assert.equal(await page.locator('.results h2').textContent(), `de-9101 and ${partnerName}`);
  assert.equal(await page.locator('table.factors tbody tr').count(), 7);
  assert.ok((await page.locator('.results ul.reasons li').count()) >= 1);
  await page.context().close();
});

test('staff plan the delegation, lock a meeting elsewhere, re-plan and download agendas', async () => {
  const page = await newPage(DESKTOP);
  await signIn(page, stack.url, stack.tokens.staff);
  await page.goto(`${stack.url}/#/delegations`);
  await page.getByRole('link', { name: 'Mission to Mexico 2027' }).click();
  await page.getByRole('heading', { level: 1, name: 'Mission to Mexico 2027' }).waitFor();

  const planned = apiCall(page, 'POST', '/delegations/mx27:plan');
  await page.getByRole('button', { name: 'Plan', exact: true }).click();
  assert.equal((await planned).status(), 200);
  await page.locator('table.schedule').waitFor();
  const figure = async (name) => (await page.locator(`[data-figure="${name}"]`).textContent()).trim();
  const meetings = Number(await figure('meetings'));
  assert.ok(meetings > 0, 'the plan has meetings');
  assert.ok(Number(await figure('bound')) >= Number(await figure('total')), 'total within the bound');
  assert.match(await figure('gap'), /^\d+\.\d{2} %$/);
  const slotsPerDay = await page.locator('table.schedule thead tr:nth-child(2) th').count();
  assert.equal(slotsPerDay, 12, 'two days of six 40-minute slots from 09:00 to 13:00');
  assert.equal(await page.locator('table.schedule tbody tr[data-company="de-9101"]').count(), 1);
  // The requested pair is locked in.
  assert.ok((await page.locator('tr[data-company="de-9101"] button.meeting[data-host="mx-9101"]').count()) === 1);

  // Select an unlocked meeting of de-9102 and lock it in a slot both companies have free.
  const meeting = page.locator('tr[data-company="de-9102"] td:not(.locked) > button.meeting').first();
  const host = await meeting.getAttribute('data-host');
  const date = await meeting.getAttribute('data-date');
  const fromSlot = await meeting.getAttribute('data-slot');
  // By keyboard: Enter on the meeting selects it and moves the focus, visibly, to "Move to".
  await meeting.focus();
  await page.keyboard.press('Enter');
  await page.locator('.selected-panel').getByText('Selected meeting:').waitFor();
  const focused = await page.evaluate(() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    return { path: el.dataset.path, outline: style.outlineStyle, width: parseFloat(style.outlineWidth) };
  });
  assert.deepEqual(focused, { path: 'target', outline: 'solid', width: 3 }, 'focus on "Move to", with a visible ring');
  const freeForDelegate = await page.locator(`tr[data-company="de-9102"] button.slot-target[data-date="${date}"]`).evaluateAll((b) => b.map((x) => x.dataset.slot));
  const freeForHost = await page.locator(`tr[data-company="${host}"] button.slot-target[data-date="${date}"]`).evaluateAll((b) => b.map((x) => x.dataset.slot));
  const toSlot = freeForDelegate.find((s) => freeForHost.includes(s));
  assert.ok(toSlot !== undefined, `a slot on ${date} free for de-9102 and ${host}`);
  await page.locator(`tr[data-company="de-9102"] button.slot-target[data-date="${date}"][data-slot="${toSlot}"]`).click();
  const target = page.locator('.selected-panel select');
  assert.match(await target.inputValue(), new RegExp(`^${date} \\d\\d:\\d\\d$`));
  const [targetDate, targetTime] = (await target.inputValue()).split(' ');
  const patched = apiCall(page, 'PATCH', '/delegations/mx27');
  const replanned = apiCall(page, 'POST', '/delegations/mx27:plan');
  await page.getByRole('button', { name: 'Lock here and re-plan' }).click();
  const patchBody = JSON.parse((await patched).request().postData());
  assert.deepEqual(Object.keys(patchBody), ['pairs']);
  assert.deepEqual(patchBody.pairs.find((p) => p.hostId === host), { delegateId: 'de-9102', hostId: host, status: 'ACCEPTED', date: targetDate, startTime: targetTime });
  assert.ok(patchBody.pairs.some((p) => p.delegateId === 'de-9101' && p.hostId === 'mx-9101'), 'the pairs already decided are kept');
  assert.equal((await replanned).status(), 200);
  await page.getByText(/Re-planned: \d+ meetings/).waitFor();
  const moved = page.locator(`tr[data-company="de-9102"] td.locked > button.meeting[data-host="${host}"]`);
  assert.equal(await moved.getAttribute('data-date'), date);
  assert.equal(await moved.getAttribute('data-slot'), toSlot);
  assert.notEqual(toSlot, fromSlot);
  assert.equal(await page.evaluate(() => document.activeElement.dataset.host), host, 'the focus follows the moved meeting');
  await page.locator('.figures').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await screenshot(page, 'delegation-grid');

  // de-9101's agenda as iCalendar.
  await page.getByLabel('Company', { exact: true }).selectOption('de-9101');
  const [ics] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Agenda as iCalendar (.ics)' }).click()]);
  assert.match(ics.suggestedFilename(), /\.ics$/);
  const icsFile = path.join(stack.dir, ics.suggestedFilename());
  await ics.saveAs(icsFile);
  const calendar = readFileSync(icsFile, 'utf8');
  assert.match(calendar, /^BEGIN:VCALENDAR\r?$/m);
  assert.match(calendar, /^BEGIN:VEVENT\r?$/m);
  assert.match(calendar, /^DTSTART:\d{8}T\d{6}Z\r?$/m);
  execFileSync('/usr/bin/python3', ['-c', 'import icalendar, sys; icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())', icsFile]);

  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Whole plan as CSV' }).click()]);
  const csvFile = path.join(stack.dir, csv.suggestedFilename());
  await csv.saveAs(csvFile);
  const lines = readFileSync(csvFile, 'utf8').trim().split(/\r?\n/);
  assert.match(lines[0], /^date,start,end,time_zone,table,delegate_id/);
  assert.equal(lines.length - 1, Number(await figure('meetings')));
  await page.context().close();
});

test('staff import a spreadsheet and create a delegation from the form', async () => {
  const page = await newPage(DESKTOP);
  await signIn(page, stack.url, stack.tokens.staff);
  await page.goto(`${stack.url}/#/import`);
  const csv = [
    'id,chamber_id,name,country,city,sectors,languages,target_markets,visibility',
    'de-9201,ihk-muenchen,Alpen Logistik GmbH,DE,München,52.29,de,UK,FEDERATION',
    'de-9202,ihk-muenchen,Bräu Export KG,DE,Freising,11.05,de,US,FEDERATION',
  ].join('\n');
  await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'members.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  const imported = apiCall(page, 'POST', '/profiles:import');
  await page.getByRole('button', { name: 'Import' }).click();
  const request = (await imported).request();
  assert.equal(new URL(request.url()).searchParams.get('format'), 'csv');
  await page.getByRole('heading', { name: 'Imported members.csv' }).waitFor();
  assert.equal(await page.locator('progress').evaluate((p) => p.value), 100);
  const summary = await page.locator('dl.summary').textContent();
  assert.match(summary, /Received2Created1Updated0Rejected1/);
  const row = page.locator('table.import-errors tbody tr');
  assert.equal(await row.count(), 1);
  assert.equal((await row.locator('td').first().textContent()).trim(), '2', 'the bad row is named by its line');
  assert.match(await row.textContent(), /de-9201.*target_markets.*GB/);
  await screenshot(page, 'import');

  // The delegation form: a server message lands beside the day's end time.
  await page.goto(`${stack.url}/#/delegations/new`);
  await page.getByLabel('Id', { exact: true }).fill('us28');
  await page.getByLabel('Name').fill('Mission to the US 2028');
  await page.getByLabel('From country').fill('DE');
  await page.getByLabel('To country').fill('US');
  const day = page.getByRole('group', { name: 'Day 1' });
  await day.getByLabel('Date').fill('2028-05-02');
  await day.getByLabel('City').fill('Chicago');
  await day.getByLabel('From').fill('09:00');
  await day.getByLabel('To').fill('08:00');
  await page.getByRole('group', { name: 'Delegate 1' }).getByLabel('Member id').fill('de-9101');
  expectFailure('POST', '/delegations', 400);
  const refused = apiCall(page, 'POST', '/delegations');
  await page.getByRole('button', { name: 'Create delegation' }).click();
  assert.equal((await refused).status(), 400);
  const endTime = day.getByLabel('To');
  await endTime.and(page.locator('[aria-invalid="true"]')).waitFor();
  const errorId = (await endTime.getAttribute('aria-describedby')).split(' ').find((id) => id.endsWith('-error'));
  assert.match(await page.locator(`#${errorId}`).textContent(), /^delegation\.days\[0\]\.end_time: /);
  await endTime.fill('12:00');
  // The same delegation as JSON: a syntax error is caught before sending.
  await page.getByRole('button', { name: 'JSON' }).click();
  const json = page.getByLabel('Delegation as JSON');
  const text = await json.inputValue();
  assert.equal(JSON.parse(text).days[0].endTime, '12:00');
  await json.fill(`${text},`);
  await page.getByRole('button', { name: 'Create delegation' }).click();
  await json.and(page.locator('[aria-invalid="true"]')).waitFor();
  await json.fill(text);
  const created = apiCall(page, 'POST', '/delegations');
  await page.getByRole('button', { name: 'Create delegation' }).click();
  assert.equal((await created).status(), 201);
  await page.getByRole('heading', { level: 1, name: 'Mission to the US 2028' }).waitFor();
  await page.context().close();
});

test('a member sees its own page and agenda, and is refused another member’s page', async () => {
  const page = await newPage(DESKTOP);
  await signIn(page, stack.url, stack.tokens.member);
  await page.getByRole('heading', { level: 1, name: 'Huber Werkzeugmaschinen GmbH' }).waitFor();
  assert.match(await page.locator('#account .who').textContent(), /Member de-9101/);
  assert.equal(await page.getByRole('link', { name: 'Delegations' }).count(), 0, 'no staff menu');
  await page.getByLabel('Delegation id').fill('mx27');
  await page.getByRole('button', { name: 'Show my agenda' }).click();
  await page.locator('.agenda table tbody tr').first().waitFor();
  assert.ok((await page.locator('.agenda table tbody tr').count()) >= 1);
  await screenshot(page, 'member-view');

  const [ics] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Add to my calendar (.ics)' }).click()]);
  const icsFile = path.join(stack.dir, `member-${ics.suggestedFilename()}`);
  await ics.saveAs(icsFile);
  assert.match(readFileSync(icsFile, 'utf8'), /^BEGIN:VCALENDAR/);

  expectFailure('GET', '/profiles/de-9102', 404);
  const refused = apiCall(page, 'GET', '/profiles/de-9102');
  await page.goto(`${stack.url}/#/profiles/de-9102`);
  const response = await refused;
  assert.equal(response.status(), 404, 'the API refuses, as if it did not exist');
  const { error } = await response.json();
  assert.equal(error.code, 'NOT_FOUND');
  const alert = page.locator('main [role="alert"]');
  await alert.waitFor();
  assert.ok((await alert.textContent()).includes(error.message), 'the page shows the API’s refusal');
  await page.context().close();
});

test('the delegation grid scrolls sideways on a phone', async () => {
  const page = await newPage(PHONE);
  await signIn(page, stack.url, stack.tokens.staff);
  await page.goto(`${stack.url}/#/delegations/mx27`);
  await page.locator('table.schedule').waitFor();
  const sizes = await page.evaluate(() => {
    const grid = document.querySelector('.grid-scroll');
    return { page: document.documentElement.scrollWidth, grid: grid.scrollWidth, gridBox: grid.clientWidth };
  });
  assert.ok(sizes.page <= PHONE.width, `no sideways scrolling of the page: ${JSON.stringify(sizes)}`);
  assert.ok(sizes.grid > sizes.gridBox, 'the grid scrolls inside its box');
  await page.locator('.grid-scroll').scrollIntoViewIfNeeded();
  await screenshot(page, 'delegation-grid-phone');
  await page.context().close();
});

test('the pages fit a phone without sideways scrolling', async () => {
  const page = await newPage(PHONE);
  await signIn(page, stack.url, stack.tokens.staff);
  const fits = async (name) => {
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= PHONE.width, `${name}: the page is ${width} px wide`);
    await screenshot(page, `${name}-phone`);
  };
  await page.locator('table.data tbody tr').first().waitFor();
  await fits('members');
  await page.goto(`${stack.url}/#/profiles/de-9101`);
  await page.locator('form.profile-form').waitFor();
  await fits('profile-edit');
  await page.goto(`${stack.url}/#/partners/de-9101`);
  await page.locator('ol.matches > li').first().waitFor();
  await page.locator('.results h2').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await fits('partners');
  await page.goto(`${stack.url}/#/import`);
  await page.getByRole('heading', { level: 1, name: 'Import members' }).waitFor();
  await fits('import');
  await page.context().close();

  const member = await newPage(PHONE);
  await signIn(member, stack.url, stack.tokens.member);
  await member.getByRole('heading', { level: 1, name: 'Huber Werkzeugmaschinen GmbH' }).waitFor();
  const width = await member.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= PHONE.width, `member-view: the page is ${width} px wide`);
  await screenshot(member, 'member-view-phone');
  await member.context().close();
});

test('every screenshot shows a page, not a blank', () => {
  assert.equal(shots.length, 12);
  for (const file of shots) {
    const png = decodePng(readFileSync(file));
    const colours = distinctColours(png);
    assert.ok(colours > 20, `${path.basename(file)}: ${colours} colours`);
  }
});

test('no console errors or warnings', () => {
  assert.deepEqual(problems, []);
});
