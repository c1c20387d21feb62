// Browser test of the printable cultural briefing (#/delegations/ID/briefing),
// in headless Chromium against a real sociod and socio-gateway with demo data
// (see stack.mjs). Staff of ihk-muenchen create a delegation from Germany to
// two days in Ciudad de México (before and after Germany moves to summer
// time) with notes for the briefing, open the briefing from the delegation
// page and see each day's time difference and the working hours both sides
// share exactly as the API's JSON gives them, their notes,
// and the languages with who speaks them; "Download Markdown" saves the API's
// Markdown under the API's file name, and the print stylesheet leaves the
// navigation and the buttons off the sheet. The delegate de-9101 opens the
// briefing from its own page and sees no staff notes, in the page or in its
// Markdown.
//
//   node tests/web/briefing.test.mjs --build BUILD_DIR
//
// Exits 77 (skipped) when Chromium or tests/web/node_modules is missing.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { DESKTOP, buildDir, chromium, chromiumPath, openPage, signIn, sourceDir } from './harness.mjs';
import { callApi as callApiOf, startStack } from './stack.mjs';

const ID = 'br27';
const NOTES = 'Bring business cards in Spanish.\nLunch is late there: around 14:00.';

let stack;
let browser;
const problems = [];

function callApi(method, apiPath, token, body) {
  return callApiOf(stack, method, apiPath, token, body);
}

// The briefing's Markdown file as the API serves it to `token`.
async function markdownOf(token) {
  const r = await fetch(`${stack.url}/api/v1/delegations/${ID}/briefing?format=markdown`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(r.status, 200);
  return r.text();
}

// "8 h", "5 h 30 min", "45 min": how long, as the page words it.
function duration(minutes) {
  const m = Math.abs(minutes);
  const hours = Math.floor(m / 60);
  if (!hours) return `${m % 60} min`;
  return m % 60 ? `${hours} h ${m % 60} min` : `${hours} h`;
}

async function download(page, name) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name }).click()]);
  return { name: file.suggestedFilename(), text: readFileSync(await file.path(), 'utf8') };
}

before(async () => {
  stack = await startStack({ buildDir, sourceDir, members: 60 });
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--disable-dev-shm-usage'] });
  await callApi('POST', '/delegations', stack.tokens.staff, {
    id: ID,
    chamberId: 'ihk-muenchen',
    name: 'Briefing mission 2027',
    originCountry: 'DE',
    hostCountry: 'MX',
    // Before and after Germany moves its clocks to summer time (28 March).
    days: [
      { date: '2027-03-22', city: 'Ciudad de México', venue: 'CANACO, Paseo de la Reforma 42', startTime: '09:00', endTime: '13:00' },
      { date: '2027-04-12', city: 'Ciudad de México', venue: 'CANACO, Paseo de la Reforma 42', startTime: '09:00', endTime: '13:00' },
    ],
    meetingMinutes: 30,
    delegates: [{ memberId: 'de-9101' }, { memberId: 'de-9102' }],
    hosts: [{ memberId: 'mx-9101' }],
    briefingNotes: NOTES,
  });
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

test('staff see the clocks, languages and notes the API gives, print them and download the Markdown', async () => {
  const b = await callApi('GET', `/delegations/${ID}/briefing`, stack.tokens.staff);
  assert.equal(b.days.length, 2);
  assert.equal(b.staffNotes, NOTES);
  const page = await openPage(browser, problems, { viewport: DESKTOP, acceptDownloads: true });
  await signIn(page, stack.url, stack.tokens.staff);
  await page.goto(`${stack.url}/#/delegations/${ID}`);
  await page.getByRole('link', { name: 'Briefing', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Briefing: Briefing mission 2027' }).waitFor();
  assert.equal(await page.evaluate(() => location.hash), `#/delegations/${ID}/briefing`);

  // Each day's clocks, as the API's JSON has them.
  for (const day of b.days) {
    const row = page.locator(`table.briefing-clocks tr[data-day="${day.date}"]`);
    const cell = (name) => row.locator(`[data-cell="${name}"]`);
    const offset = Number(day.offsetMinutes || 0);
    assert.ok(offset < 0, 'Mexico City is behind Germany');
    assert.equal(await cell('offset').textContent(), `Ciudad de México is ${duration(offset)} behind Germany`);
    assert.equal(await cell('offset').getAttribute('data-minutes'), String(offset));
    const overlap = Number(day.overlapMinutes || 0);
    assert.equal(await cell('overlap').textContent(), overlap ? duration(overlap) : 'None: the working days do not overlap');
    assert.equal(await cell('overlap').getAttribute('data-minutes'), String(overlap));
    assert.equal(await cell('venue-hours').textContent(), overlap ? `${day.venueOverlapStart}–${day.venueOverlapEnd}` : '—');
    assert.equal(await cell('origin-hours').textContent(), overlap ? `${day.originOverlapStart}–${day.originOverlapEnd}` : '—');
  }
  assert.ok(b.days[0].overlapMinutes > 0, 'in winter time the working days overlap');
  assert.notEqual(b.days[0].offsetMinutes, b.days[1].offsetMinutes, 'the clocks change between the days');

  // The countries, the languages with how many speak each and who, the notes.
  const countries = await page.locator('table.briefing-countries tbody').textContent();
  for (const c of [b.origin, b.host]) {
    assert.ok(countries.includes(`${c.name} (${c.code})`), c.code);
    assert.ok(countries.includes(c.region), c.region);
  }
  for (const l of b.languages) {
    const cells = await page.locator(`table.briefing-languages tr[data-language="${l.code}"] td`).allTextContents();
    assert.equal(cells[3], String(l.delegates || 0), `${l.code} delegates`);
    assert.equal(cells[4], String(l.hosts || 0), `${l.code} hosts`);
    for (const c of l.companies || []) assert.ok(cells[5].includes(c.name), `${c.name} speaks ${l.code}`);
  }
  const spanish = b.languages.find((l) => l.code === 'es');
  assert.ok(spanish && spanish.delegates >= 1, 'de-9101 lists Spanish');
  assert.equal(await page.locator('.staff-notes').textContent(), NOTES);
  assert.equal(await page.locator('[data-none="dimensions"]').count(), (b.dimensions || []).length ? 0 : 1, 'says plainly when there are no dimensions');

  // The sheet as printed: content without navigation or buttons.
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('#nav').isVisible(), false, 'no navigation on paper');
  assert.equal(await page.getByRole('button', { name: 'Print' }).isVisible(), false, 'no buttons on paper');
  assert.equal(await page.locator('table.briefing-clocks').isVisible(), true);
  await page.emulateMedia({ media: 'screen' });

  // The Markdown file: the API's, under the API's name.
  const file = await download(page, 'Download Markdown');
  assert.equal(file.name, b.fileName);
  assert.equal(file.text, await markdownOf(stack.tokens.staff));
  assert.equal(file.text, b.markdown);
  await page.context().close();
});

test('a delegate reads the briefing from its own page without the staff notes', async () => {
  const page = await openPage(browser, problems, { viewport: DESKTOP, acceptDownloads: true });
  await signIn(page, stack.url, stack.tokens.member);
  await page.locator(`ul.my-delegations li[data-delegation="${ID}"]`).getByRole('link', { name: 'Briefing for Briefing mission 2027' }).click();
  await page.getByRole('heading', { level: 1, name: 'Briefing: Briefing mission 2027' }).waitFor();
  await page.locator('table.briefing-clocks').waitFor();
  const text = await page.locator('main').textContent();
  assert.ok(!text.includes('Bring business cards'), 'no staff notes for a company taking part');
  assert.equal(await page.getByRole('heading', { name: 'Notes from the staff' }).count(), 0);
  const file = await download(page, 'Download Markdown');
  assert.equal(file.text, await markdownOf(stack.tokens.member));
  assert.ok(!file.text.includes('Bring business cards'));
  await page.context().close();
});

test('no console errors or unexpected HTTP failures', () => {
  assert.deepEqual(problems, []);
});
