// Browser tests of a delegation's programme and interpreters in the console,
// in headless Chromium against a real sociod and socio-gateway with demo data
// (see stack.mjs):
//   - staff add a programme item on the Programme tab; the console re-plans,
//     and the grid shows the item as a block across the slots it covers for
//     every company attending, with no meeting over it (the plan read back
//     over the API), and the travel to an item away from the venue shaded
//     for the minutes the operator's table gives (sociod --travel_times_csv);
//     the page still fits a phone;
//   - staff declare an interpreter on the same tab; a meeting whose two
//     companies share no language shows the interpreter the plan assigned,
//     or that none is free, on the grid and when selected.
//
//   node tests/web/programme.test.mjs --build BUILD_DIR [--web_dir DIR]
//
// Exits 77 (skipped) when Chromium or tests/web/node_modules is missing.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { DESKTOP, buildDir, chromium, chromiumPath, option, sourceDir, signIn, openPage } from './harness.mjs';
import { callApi, startStack } from './stack.mjs';

const webDir = path.resolve(option('web_dir', path.join(sourceDir, 'clients/web')));

let stack;
let browser;
const problems = []; // console errors and failed requests nobody expected

// Two companies that speak only German and only Spanish, so their meeting
// needs an interpreter; and a second Spanish-only host. Hosts meet in their
// own city: the first on the Mexico City day, the second on the Monterrey one.
const GERMAN_ONLY = {
  id: 'de-9160', chamberId: 'ihk-muenchen', name: 'Schreiner Präzisionsteile GmbH', country: 'DE', city: 'Rosenheim',
  sectors: ['28.41'], employees: 45, languages: ['de'], visibility: 'FEDERATION',
  objectives: [{ type: 'DISTRIBUTION', direction: 'SEEK', markets: ['MX'], sectors: ['46.62'] }],
};
const SPANISH_ONLY = [
  { id: 'mx-9160', chamberId: 'caintra-nl', name: 'Herramientas del Valle S.A.', country: 'MX', city: 'Ciudad de México', sectors: ['46.62'], employees: 80, languages: ['es'], visibility: 'FEDERATION', objectives: [{ type: 'DISTRIBUTION', direction: 'OFFER', markets: ['MX'], sectors: ['28.41'] }] },
  { id: 'mx-9161', chamberId: 'caintra-nl', name: 'Maquinados Regiomontanos S.A.', country: 'MX', city: 'Monterrey', sectors: ['46.62'], employees: 60, languages: ['es'], visibility: 'FEDERATION', objectives: [{ type: 'DISTRIBUTION', direction: 'OFFER', markets: ['MX'], sectors: ['28.41'] }] },
];

before(async () => {
  // The operator's travel times: 70 minutes from the first day's venue to the plant.
  const travel = path.join(mkdtempSync(path.join(tmpdir(), 'socio-travel-')), 'travel.csv');
  writeFileSync(travel, 'from,to,minutes\n"CANACO, Paseo de la Reforma 42",Planta Norte,70\n');
  stack = await startStack({ buildDir, sourceDir, webDir, sociodArgs: ['--travel_times_csv', travel] });
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--disable-dev-shm-usage'] });
  for (const p of [GERMAN_ONLY, ...SPANISH_ONLY]) await callApi(stack, 'POST', '/profiles', stack.tokens.admin, p);
  const d = await callApi(stack, 'GET', '/delegations/mx27', stack.tokens.staff);
  // The German-only delegate meets both Spanish-only hosts: the first in the
  // third slot of the first day, the second at the start of the second day.
  const [first, second] = [...d.days].sort((a, b) => a.date.localeCompare(b.date));
  await callApi(stack, 'PATCH', `/delegations/mx27?expected_version=${d.version}`, stack.tokens.staff, {
    delegates: [...d.delegates, { memberId: GERMAN_ONLY.id }],
    hosts: [...(d.hosts || []), ...SPANISH_ONLY.map((p) => ({ memberId: p.id }))],
    pairs: [
      ...(d.pairs || []),
      { delegateId: GERMAN_ONLY.id, hostId: SPANISH_ONLY[0].id, status: 'ACCEPTED', date: first.date, startTime: hhmm(slotsOf(d, first)[2]) },
      { delegateId: GERMAN_ONLY.id, hostId: SPANISH_ONLY[1].id, status: 'ACCEPTED', date: second.date, startTime: second.startTime },
    ],
  });
  await callApi(stack, 'POST', '/delegations/mx27:plan', stack.tokens.staff);
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

function newPage() {
  return openPage(browser, problems, { viewport: DESKTOP, warnings: false });
}

const minutes = (text) => Number(text.slice(0, 2)) * 60 + Number(text.slice(3, 5));
const hhmm = (m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

// The slot start times of a day, as the delegation's meeting and break
// lengths lay them out.
function slotsOf(d, day) {
  const out = [];
  for (let t = minutes(day.startTime); t + d.meetingMinutes <= minutes(day.endTime); t += d.meetingMinutes + d.breakMinutes) out.push(t);
  return out;
}

// The indexes of a day's slots whose meeting time overlaps [from, to).
function overlapping(d, day, from, to) {
  return slotsOf(d, day).flatMap((t, i) => (t < to && t + d.meetingMinutes > from ? [i] : []));
}

// The grid cell of `company` at slot `slot` of the day at `dayIndex`
// (day order), as the header lays the columns out.
async function cell(page, company, d, dayIndex, slot) {
  const days = [...d.days].sort((a, b) => a.date.localeCompare(b.date));
  const before = days.slice(0, dayIndex).reduce((n, day) => n + slotsOf(d, day).length, 0);
  return page.locator(`tr[data-company="${company}"] > td`).nth(before + slot);
}

test('staff add a programme item; the grid shows it as a block with no meeting over it, and the travel to one away shaded', async () => {
  const page = await newPage();
  await signIn(page, stack.url, stack.tokens.staff);
  await page.goto(`${stack.url}/#/delegations/mx27?tab=programme`);
  const form = page.getByRole('form', { name: 'Add a programme item' });
  await form.waitFor();
  let d = await callApi(stack, 'GET', '/delegations/mx27', stack.tokens.staff);
  const first = [...d.days].sort((a, b) => a.date.localeCompare(b.date))[0];
  // A briefing for every delegate over the first two slots of the first day.
  const [s0, s1] = slotsOf(d, first);
  const briefing = { title: 'Market briefing by the chamber', start: hhmm(s0), end: hhmm(s1 + 10) };
  await form.getByLabel('Kind', { exact: true }).selectOption('BRIEFING');
  await form.getByLabel('Title', { exact: true }).fill(briefing.title);
  await form.getByLabel('Day', { exact: true }).selectOption(first.date);
  await form.getByLabel('From', { exact: true }).fill(briefing.start);
  await form.getByLabel('To', { exact: true }).fill(briefing.end);
  assert.equal(await form.getByLabel('All delegates attend').isChecked(), true, 'a new item is for all delegates');
  await form.getByRole('button', { name: 'Add item and re-plan' }).click();
  await page.locator('.status-area .notice-ok').waitFor();
  assert.match(await page.locator('.status-area .notice-ok').textContent(), /Added Market briefing by the chamber .* Re-planned: \d+ meetings/);
  await page.getByRole('row', { name: /Market briefing by the chamber/ }).waitFor();

  // The plan read back: no delegate meets anyone while the briefing runs.
  d = await callApi(stack, 'GET', '/delegations/mx27', stack.tokens.staff);
  const item = d.programme.find((x) => x.title === briefing.title);
  assert.ok(item && item.allDelegates, 'the item is stored for all delegates');
  const covered = overlapping(d, first, minutes(item.startTime), minutes(item.endTime));
  assert.deepEqual(covered, [0, 1], 'the first two slots');
  const delegates = d.delegates.map((p) => p.memberId);
  const over = d.plan.meetings.filter((m) => m.date === first.date && covered.includes(Number(m.slot || 0)) && delegates.includes(m.delegateId));
  assert.deepEqual(over, [], 'no meeting over the briefing');
  assert.ok(d.plan.meetings.length > 0, 'the delegation still has meetings');

  // The grid: a block across both slots for every delegate, named in its first slot.
  await page.getByRole('link', { name: 'Schedule' }).click();
  await page.locator('table.schedule').waitFor();
  for (const company of delegates) {
    const a = await cell(page, company, d, 0, covered[0]);
    const b = await cell(page, company, d, 0, covered[1]);
    assert.match(await a.getAttribute('class'), /\bitem\b.*\bitem-first\b/, `${company}: the block starts at the first slot`);
    assert.match(await b.getAttribute('class'), /\bitem\b.*\bitem-last\b/, `${company}: and ends at the second`);
    assert.equal((await a.locator('.item-title').textContent()).trim(), briefing.title);
    assert.equal(await a.locator('button.meeting').count() + (await b.locator('button.meeting').count()), 0);
  }
  // A host attends nothing: no block in its row.
  const host = d.plan.meetings[0].hostId;
  assert.equal(await page.locator(`tr[data-company="${host}"] td.item`).count(), 0, 'hosts do not attend the briefing');

  // A company visit away from the venue for one delegate: the slot after it is kept for the trip back.
  const visitor = delegates[1];
  const slots = slotsOf(d, first);
  const last = slots.length - 1;
  const visit = {
    id: 'visit-plant', kind: 'COMPANY_VISIT', title: 'Visit to a plant', date: first.date,
    startTime: hhmm(slots[last - 1] + 5),
    endTime: hhmm(slots[last] - 5),
    place: { name: 'Planta Norte' }, memberIds: [visitor],
  };
  d = await callApi(stack, 'PATCH', `/delegations/mx27?expected_version=${d.version}`, stack.tokens.staff, { programme: [...d.programme, visit] });
  d = await callApi(stack, 'POST', '/delegations/mx27:plan', stack.tokens.staff);
  const least = d.minTravelMinutes || 15; // the proto's stated default
  const trip = overlapping(d, first, minutes(visit.startTime) - least, minutes(visit.endTime) + least).filter((i) => !overlapping(d, first, minutes(visit.startTime), minutes(visit.endTime)).includes(i));
  assert.ok(trip.includes(last), `the last slot is travel: ${trip}`);
  assert.deepEqual(d.plan.meetings.filter((m) => m.date === first.date && (m.delegateId === visitor || m.hostId === visitor) && [last - 1, last].includes(Number(m.slot || 0))), [], 'no meeting during the visit or the trip back');
  await page.reload();
  await page.locator('table.schedule').waitFor();
  const travel = await cell(page, visitor, d, 0, last);
  assert.match(await travel.getAttribute('class'), /\btravel\b/);
  // The minutes come from the operator's table, which only the server reads: the plan reports them.
  assert.deepEqual(d.plan.travelTimes.find((t) => t.to === 'Planta Norte')?.minutes, 70);
  assert.match(await travel.getAttribute('title'), /Travel to or from Visit to a plant at Planta Norte \(70 min each way\)/);
  assert.match(await (await cell(page, visitor, d, 0, last - 1)).getAttribute('class'), /\bitem\b/);
  assert.doesNotMatch(await (await cell(page, delegates[0], d, 0, last)).getAttribute('class'), /\btravel\b/, 'only the visitor travels');
  // On a phone the grid scrolls in its box; the page does not scroll sideways.
  await page.setViewportSize({ width: 390, height: 844 });
  const fits = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, window: window.innerWidth }));
  assert.ok(fits.page <= fits.window, `the delegation page with programme items: ${JSON.stringify(fits)}`);
  await page.context().close();
});

test('a meeting whose companies share no language shows its interpreter, or that none is free', async () => {
  const page = await newPage();
  await signIn(page, stack.url, stack.tokens.staff);
  await page.goto(`${stack.url}/#/delegations/mx27?tab=programme`);
  const form = page.getByRole('form', { name: 'Interpreters' });
  await form.waitFor();
  let d = await callApi(stack, 'GET', '/delegations/mx27', stack.tokens.staff);
  const first = [...d.days].sort((a, b) => a.date.localeCompare(b.date))[0];
  // An interpreter for German and Spanish on the first day only.
  await form.getByRole('button', { name: 'Add an interpreter' }).click();
  await form.getByLabel('Name', { exact: true }).fill('Ana López');
  await form.getByLabel('Languages', { exact: true }).fill('de, es');
  await form.getByLabel('Available', { exact: true }).fill(first.date);
  await form.getByRole('button', { name: 'Save interpreters and re-plan' }).click();
  await page.locator('.status-area .notice-ok').waitFor();
  d = await callApi(stack, 'GET', '/delegations/mx27', stack.tokens.staff);
  assert.deepEqual(d.interpreters.map((i) => i.name), ['Ana López']);

  const flagged = d.plan.meetings.filter((m) => m.needsInterpreter);
  const withOne = flagged.find((m) => m.hostId === SPANISH_ONLY[0].id);
  const without = flagged.find((m) => m.hostId === SPANISH_ONLY[1].id);
  assert.ok(withOne && without, `both meetings of ${GERMAN_ONLY.id} are flagged: ${JSON.stringify(flagged)}`);
  assert.equal(withOne.interpreter, 'Ana López', 'the first day has her');
  assert.equal(without.interpreter || '', '', 'the second day has nobody');

  await page.getByRole('link', { name: 'Schedule' }).click();
  await page.locator('table.schedule').waitFor();
  const button = (m) => page.locator(`tr[data-company="${GERMAN_ONLY.id}"] button.meeting[data-host="${m.hostId}"]`);
  assert.equal((await button(withOne).locator('.interp').textContent()).trim(), `Int. ${withOne.interpreter}`);
  assert.equal((await button(without).locator('.interp.missing').textContent()).trim(), 'No interpreter');
  assert.match(await button(without).getAttribute('aria-label'), /No interpreter free \(needs an interpreter: de \/ es\)/);
  // Meetings between companies with a language in common carry no flag.
  const plain = d.plan.meetings.find((m) => !m.needsInterpreter);
  assert.equal(await page.locator(`tr[data-company="${plain.delegateId}"] button.meeting[data-host="${plain.hostId}"] .interp`).count(), 0);

  await button(withOne).click();
  assert.equal((await page.locator('.selected-panel .interpreter-line').textContent()).trim(), 'Interpreter: Ana López (needs an interpreter: de / es)');
  // The plan's figures and its list of meetings without an interpreter.
  assert.equal((await page.locator('[data-figure="interpreters"]').textContent()).trim(), `${flagged.filter((m) => m.interpreter).length} / ${flagged.filter((m) => !m.interpreter).length}`);
  assert.equal(await page.locator('.interpreter-gaps li').count(), (d.plan.interpreterGaps || []).length);
  await page.context().close();
});

test('no console errors or failed requests', () => {
  assert.deepEqual(problems, []);
});
