// Browser tests of the delegation grid and of a member's delegations, in
// headless Chromium against a real sociod and socio-gateway with demo data
// (see stack.mjs):
//   - hosts without meetings are folded away until a toggle shows them;
//   - a meeting's partner and a row's company are named in full on hover and
//     on keyboard focus (title and accessible description);
//   - arrow keys move between the grid's meetings, Escape clears a selection;
//   - "Move to" marks busy slots and asks before a move displaces a meeting;
//   - "Plan from scratch" asks first, then lists the meetings added, removed
//     and moved;
//   - a plan made from an older version of the delegation is flagged, with a
//     button to re-plan;
//   - staff filter the delegations by member; a member company lists its
//     delegations on its own page, with links to its agendas;
//   - the agenda and the delegation page fit a phone (390 px) without
//     sideways scrolling.
//
//   node tests/web/delegation_grid.test.mjs --build BUILD_DIR [--screenshots DIR] [--web_dir DIR]
//
// --web_dir serves another copy of the console (to check that these tests
// fail on an older one).
// Screenshots go to BUILD_DIR/web-screenshots unless --screenshots names
// another folder (docs/screenshots refreshes the committed ones). Exits 77
// (skipped) when Chromium or tests/web/node_modules is missing.

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { DESKTOP, buildDir, chromium, chromiumPath, option, sourceDir, signIn, openPage } from './harness.mjs';
import { startStack } from './stack.mjs';

const PHONE = { width: 390, height: 844 };
const webDir = path.resolve(option('web_dir', path.join(sourceDir, 'clients/web')));
const shotsDir = path.resolve(option('screenshots', path.join(buildDir, 'web-screenshots')));

let stack;
let browser;
const problems = []; // console errors and failed requests nobody expected

before(async () => {
  mkdirSync(shotsDir, { recursive: true });
  stack = await startStack({ buildDir, sourceDir, webDir });
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--disable-dev-shm-usage'] });
  // Every test starts from a plan, with one host (named, away every day of
  // the itinerary) that has no meeting.
  const first = await api('POST', '/delegations/mx27:plan', stack.tokens.staff);
  assert.ok(first.plan.meetings.length > 0, 'the demo delegation has meetings');
  const away = first.plan.hostIds.find((id) => !(first.pairs || []).some((p) => p.hostId === id));
  const unavailable = first.days.map((day) => ({ date: day.date }));
  await api('PATCH', `/delegations/mx27?expected_version=${first.version}`, stack.tokens.staff, { hosts: [{ memberId: away, unavailable }] });
  const planned = await api('POST', '/delegations/mx27:plan', stack.tokens.staff);
  assert.ok(!planned.plan.meetings.some((m) => m.hostId === away), `${away} has no meeting`);
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

// The gateway's JSON API, as the console calls it.
async function api(method, apiPath, token, body) {
  const r = await fetch(`${stack.url}/api/v1${apiPath}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  assert.ok(r.ok, `${method} ${apiPath}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : {};
}

// Company names by id, from the whole plan as CSV.
async function planNames() {
  const r = await fetch(`${stack.url}/api/v1/delegations/mx27/agenda?format=csv`, { headers: { Authorization: `Bearer ${stack.tokens.staff}` } });
  const [head, ...rows] = (await r.text()).trim().split(/\r?\n/);
  const columns = head.split(',');
  const names = new Map();
  for (const line of rows) {
    // Names may be quoted and hold commas: split on commas outside quotes.
    const cells = [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)].map((m) => m[1].replace(/^"|"$/g, '').replace(/""/g, '"'));
    const row = Object.fromEntries(columns.map((c, i) => [c, cells[i]]));
    names.set(row.delegate_id, row.delegate_name);
    names.set(row.host_id, row.host_name);
  }
  return names;
}

function newPage(viewport = DESKTOP) {
  return openPage(browser, problems, { viewport, warnings: false });
}

async function openGrid(page) {
  await signIn(page, stack.url, stack.tokens.staff);
  await page.goto(`${stack.url}/#/delegations/mx27`);
  await page.locator('table.schedule').waitFor();
  // The pointer rests where "Sign in" was, which may be over a meeting now.
  await page.mouse.move(0, 0);
}

function apiCall(page, method, apiPath) {
  return page.waitForResponse((r) => r.request().method() === method && new URL(r.url()).pathname === `/api/v1${apiPath}`);
}

// The requests `page` sends to `apiPath` from now on.
function recordRequests(page, method, apiPath) {
  const seen = [];
  page.on('request', (r) => {
    if (r.method() === method && new URL(r.url()).pathname === `/api/v1${apiPath}`) seen.push(r);
  });
  return seen;
}

async function screenshot(page, name) {
  await page.screenshot({ path: path.join(shotsDir, `${name}.png`), fullPage: false });
}

test('hosts without meetings are folded away, and a toggle shows them', async () => {
  const d = await api('GET', '/delegations/mx27', stack.tokens.staff);
  const meeting = new Set(d.plan.meetings.map((m) => m.hostId));
  const busyHosts = d.plan.hostIds.filter((h) => meeting.has(h));
  const idleHosts = d.plan.hostIds.filter((h) => !meeting.has(h));
  assert.ok(idleHosts.length > 0, 'the plan leaves a host without meetings');

  const page = await newPage();
  await openGrid(page);
  const hostRows = () => page.locator('table.schedule tbody:nth-of-type(2) tr[data-company]').evaluateAll((rows) => rows.map((r) => r.dataset.company));
  assert.deepEqual(await hostRows(), busyHosts, 'only hosts with meetings, in the plan’s order');
  const toggle = page.getByRole('button', { name: `Show the ${idleHosts.length} hosts without meetings` });
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  await toggle.click();
  assert.deepEqual(await hostRows(), d.plan.hostIds, 'every host the plan chose from');
  const hide = page.getByRole('button', { name: `Hide the ${idleHosts.length} hosts without meetings` });
  assert.equal(await hide.getAttribute('aria-expanded'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.toggle), 'idle-hosts', 'the focus stays on the toggle');
  await hide.click();
  assert.deepEqual(await hostRows(), busyHosts);
  await page.context().close();
});

test('full company names on hover and on keyboard focus', async () => {
  const names = await planNames();
  const page = await newPage();
  await openGrid(page);
  const button = page.locator('tr[data-company="de-9102"] button.meeting').first();
  const host = await button.getAttribute('data-host');
  const full = names.get(host);
  assert.ok(full && full.length > 20, `a host with a long name: ${full}`);
  assert.ok((await button.getAttribute('title')).includes(full), 'the title names the partner in full');
  const describedBy = await button.getAttribute('aria-describedby');
  const description = page.locator(`[id="${describedBy}"]`);
  assert.equal((await description.textContent()).trim(), `With ${full} (${host})`, 'the accessible description names it in full');
  assert.equal(await description.isVisible(), false, 'hidden until asked for');

  await button.focus();
  assert.equal(await description.isVisible(), true, 'shown on keyboard focus');
  await page.locator('#grid-head').focus();
  assert.equal(await description.isVisible(), false);
  await button.hover();
  assert.equal(await description.isVisible(), true, 'shown on hover');

  // Row headings: the whole name in the text (cut by the style only) and the title.
  const row = page.locator(`tr[data-company="${host}"] th.company`);
  assert.equal((await row.locator('.name').textContent()).trim(), full);
  assert.ok((await row.getAttribute('title')).startsWith(`${full} (${host})`));
  await page.context().close();
});

test('arrow keys move between meetings and Escape clears the selection', async () => {
  const page = await newPage();
  await openGrid(page);
  const first = page.locator('tr[data-company="de-9101"] button.meeting').first();
  await first.focus();
  // Where the focus should land: the next button to the right in the row,
  // then the first button below in the same column.
  const expected = await page.evaluate(() => {
    const start = document.activeElement.closest('td');
    const rows = [...document.querySelectorAll('table.schedule tbody tr:not(.group)')];
    const right = [...start.parentElement.cells].slice(start.cellIndex + 1).find((c) => c.querySelector('button'));
    const r = rows.indexOf(start.parentElement);
    const below = rows.slice(r + 1).find((row) => row.cells[start.cellIndex]?.querySelector('button'));
    return {
      right: right ? `${right.parentElement.dataset.company}#${right.cellIndex}` : null,
      below: below ? `${below.dataset.company}#${start.cellIndex}` : null,
    };
  });
  const where = () => page.evaluate(() => {
    const cell = document.activeElement.closest('td');
    return cell ? `${cell.parentElement.dataset.company}#${cell.cellIndex}` : null;
  });
  const startAt = await where();
  assert.ok(expected.right && expected.below, `a meeting to the right and one below: ${JSON.stringify(expected)}`);
  await page.keyboard.press('ArrowRight');
  assert.equal(await where(), expected.right);
  await page.keyboard.press('ArrowLeft');
  assert.equal(await where(), startAt);
  await page.keyboard.press('ArrowDown');
  assert.equal(await where(), expected.below);
  await page.keyboard.press('ArrowUp');
  assert.equal(await where(), startAt);

  // Enter selects; Escape clears and gives the focus back to the meeting.
  const delegate = await first.getAttribute('data-delegate');
  const host = await first.getAttribute('data-host');
  await page.keyboard.press('Enter');
  await page.locator('.selected-panel').waitFor();
  await page.keyboard.press('Escape');
  await page.locator('.selected-panel').waitFor({ state: 'detached' });
  assert.equal(await page.locator('button.meeting[aria-pressed="true"]').count(), 0);
  assert.deepEqual(await page.evaluate(() => [document.activeElement.dataset.delegate, document.activeElement.dataset.host]), [delegate, host]);
  await page.context().close();
});

test('"Move to" marks busy slots and asks before a move displaces a meeting', async () => {
  const page = await newPage();
  await openGrid(page);
  const meeting = page.locator('tr[data-company="de-9102"] td:not(.locked) > button.meeting').first();
  const host = await meeting.getAttribute('data-host');
  await meeting.click();
  await page.locator('.selected-panel').waitFor();
  // The slots where de-9102 or its host meets someone else, read off the grid.
  const busy = await page.evaluate((h) => {
    const times = document.querySelectorAll('table.schedule thead tr:nth-child(2) th');
    const slots = new Set();
    for (const company of ['de-9102', h]) {
      for (const b of document.querySelectorAll(`tr[data-company="${company}"] button.meeting[aria-pressed="false"]`)) {
        slots.add(`${b.dataset.date} ${times[b.closest('td').cellIndex - 1].textContent}`);
      }
    }
    return [...slots].sort();
  }, host);
  assert.ok(busy.length > 0, 'de-9102 or its host has other meetings');
  const select = page.locator('.selected-panel select');
  const marked = await select.locator('option[data-busy="true"]').evaluateAll((o) => o.map((x) => x.value).sort());
  assert.deepEqual(marked, busy, 'exactly the busy slots are marked');
  assert.match(await select.locator(`option[value="${busy[0]}"]`).textContent(), /busy: .+ – .+/);

  const patches = recordRequests(page, 'PATCH', '/delegations/mx27');
  await select.selectOption(busy[0]);
  const warning = page.locator('.selected-panel .displace');
  await warning.waitFor();
  assert.match(await warning.textContent(), /is busy: moving .+ there displaces /);
  await page.getByRole('button', { name: 'Lock here and re-plan…' }).click();
  const yes = page.getByRole('button', { name: /^Yes, move and displace \d+ meetings?$/ });
  await yes.waitFor();
  assert.equal(patches.length, 0, 'nothing is written before the yes');
  const patched = apiCall(page, 'PATCH', '/delegations/mx27');
  const replanned = apiCall(page, 'POST', '/delegations/mx27:plan');
  await yes.click();
  const body = JSON.parse((await patched).request().postData());
  const [date, startTime] = busy[0].split(' ');
  assert.deepEqual(body.pairs.find((p) => p.delegateId === 'de-9102' && p.hostId === host), { delegateId: 'de-9102', hostId: host, status: 'ACCEPTED', date, startTime });
  assert.equal((await replanned).status(), 200);
  await page.getByText(/Re-planned: \d+ meetings/).waitFor();
  await page.context().close();
});

test('"Plan from scratch" asks first, then lists what changed', async () => {
  const before = (await api('GET', '/delegations/mx27', stack.tokens.staff)).plan;
  const page = await newPage();
  await openGrid(page);
  const plans = recordRequests(page, 'POST', '/delegations/mx27:plan');
  await page.getByRole('button', { name: 'Plan from scratch…' }).click();
  await page.getByText(/^Plan from scratch\? /).waitFor();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.getByText(/^Plan from scratch\? /).waitFor({ state: 'detached' });
  assert.equal(plans.length, 0, 'Cancel plans nothing');

  await page.getByRole('button', { name: 'Plan from scratch…' }).click();
  const planned = apiCall(page, 'POST', '/delegations/mx27:plan');
  await page.getByRole('button', { name: 'Yes, plan from scratch' }).click();
  const response = await planned;
  assert.match(response.url(), /fresh=true/);
  const after = (await response.json()).plan;

  // The lists match the two plans, pair by pair.
  const key = (m) => `${m.delegateId}|${m.hostId}`;
  const old = new Map(before.meetings.map((m) => [key(m), m]));
  const now = new Map(after.meetings.map((m) => [key(m), m]));
  const expected = {
    added: [...now.keys()].filter((k) => !old.has(k)).length,
    removed: [...old.keys()].filter((k) => !now.has(k)).length,
    moved: [...now.keys()].filter((k) => old.has(k) && (old.get(k).date !== now.get(k).date || Number(old.get(k).slot || 0) !== Number(now.get(k).slot || 0))).length,
  };
  const changes = page.locator('.status-area .plan-changes');
  await changes.waitFor();
  for (const kind of ['added', 'removed', 'moved']) {
    const part = changes.locator(`[data-changes="${kind}"]`);
    assert.match(await part.locator('h3').textContent(), new RegExp(`\\(${expected[kind]}\\)$`), kind);
    assert.equal(await part.locator('li').count(), expected[kind], kind);
  }
  await screenshot(page, 'delegation-plan-changes');
  await page.context().close();
});

test('a plan made from an older version of the delegation is flagged, with a button to re-plan', async () => {
  const page = await newPage();
  await openGrid(page);
  assert.equal(await page.locator('.stale-plan').count(), 0, 'a fresh plan is current');
  const d = await api('GET', '/delegations/mx27', stack.tokens.staff);
  // Someone changes a setting after the plan was made.
  await api('PATCH', `/delegations/mx27?expected_version=${d.version}`, stack.tokens.staff, { tablesPerVenue: 9 });
  await page.reload();
  const flag = page.locator('.stale-plan');
  await flag.waitFor();
  assert.match(await flag.textContent(), new RegExp(`made from version ${d.plan.delegationVersion} .*\\(now version ${Number(d.version) + 1}\\)`));
  const replanned = apiCall(page, 'POST', '/delegations/mx27:plan');
  await flag.getByRole('button', { name: 'Re-plan now' }).click();
  assert.equal((await replanned).status(), 200);
  await flag.waitFor({ state: 'detached' });
  await page.context().close();
});

test('staff filter the delegations by member; a member lists its own with links to its agendas', async () => {
  const d = await api('GET', '/delegations/mx27', stack.tokens.staff);
  const host = d.plan.meetings[0].hostId;
  // A member of the chamber that takes part in no delegation.
  const named = new Set([...d.delegates.map((p) => p.memberId), ...d.plan.hostIds]);
  const members = await api('GET', '/profiles?chamber_id=ihk-muenchen&page_size=50', stack.tokens.staff);
  const outsider = members.profiles.map((p) => p.id).find((id) => !named.has(id));
  const page = await newPage();
  await signIn(page, stack.url, stack.tokens.staff);
  await page.goto(`${stack.url}/#/delegations`);
  await page.getByLabel('Member', { exact: true }).fill(host);
  await page.getByRole('button', { name: 'Show' }).click();
  await page.waitForFunction((id) => location.hash.includes(`member=${id}`), host);
  await page.getByRole('link', { name: 'Mission to Mexico 2027' }).waitFor();
  await page.getByLabel('Member', { exact: true }).fill(outsider);
  await page.getByRole('button', { name: 'Show' }).click();
  await page.getByText(`${outsider} takes part in no delegation of ihk-muenchen.`).waitFor();
  await page.context().close();

  // Another chamber's delegation with the same member is listed cut down,
  // without a link to a page only its organisers may open.
  await api('POST', '/delegations', stack.tokens.admin, {
    id: 'vie27', chamberId: 'wko-wien', name: 'Vienna to Mexico 2027', originCountry: 'AT', hostCountry: 'MX',
    days: [{ date: '2027-05-10', city: 'Ciudad de México', venue: 'WKO AußenwirtschaftsCenter', startTime: '09:00', endTime: '12:00' }],
    meetingMinutes: 30, delegates: [{ memberId: 'de-9101' }], hosts: [{ memberId: 'mx-9101' }],
  });
  const staff = await newPage();
  await signIn(staff, stack.url, stack.tokens.staff);
  await staff.goto(`${stack.url}/#/delegations?chamber=&member=de-9101`);
  await staff.getByRole('link', { name: 'Mission to Mexico 2027' }).waitFor();
  const vienna = staff.getByRole('row', { name: /Vienna to Mexico 2027/ });
  await vienna.waitFor();
  assert.match(await vienna.textContent(), /run by wko-wien: only its organisers and hosts open it/);
  assert.equal(await vienna.getByRole('link').count(), 0, 'no link to a delegation staff may not open');
  await staff.context().close();

  // The member company de-9101, a delegate of mx27.
  const member = await newPage();
  await signIn(member, stack.url, stack.tokens.member);
  const item = member.locator('ul.my-delegations li[data-delegation="mx27"]');
  await item.waitFor();
  assert.match(await item.textContent(), /Mission to Mexico 2027 · DE → MX · .* · you are a delegate/);
  await item.getByRole('link', { name: 'My agenda in Mission to Mexico 2027' }).click();
  await member.waitForFunction(() => location.hash === '#/me?delegation=mx27');
  const rows = member.locator('table.agenda-table tbody tr');
  await rows.first().waitFor();
  const theirs = d.plan.meetings.filter((m) => m.delegateId === 'de-9101').length;
  assert.equal(await rows.count(), theirs, 'one row per meeting of de-9101');
  await member.getByRole('heading', { name: 'My meetings in mx27' }).scrollIntoViewIfNeeded();
  await screenshot(member, 'member-agenda');
  await member.context().close();
});

test('the agenda and the delegation page fit a phone without sideways scrolling', async () => {
  const fits = (page) => page.evaluate(() => ({ page: document.documentElement.scrollWidth, window: window.innerWidth }));
  const member = await newPage(PHONE);
  await signIn(member, stack.url, stack.tokens.member);
  await member.goto(`${stack.url}/#/me?delegation=mx27`);
  await member.locator('table.agenda-table tbody tr').first().waitFor();
  const agenda = await fits(member);
  assert.ok(agenda.page <= agenda.window, `the agenda page: ${JSON.stringify(agenda)}`);
  const table = await member.locator('table.agenda-table').evaluate((t) => ({ table: t.scrollWidth, box: t.parentElement.clientWidth }));
  assert.ok(table.table <= table.box, `the agenda does not scroll sideways in its box: ${JSON.stringify(table)}`);
  await member.getByRole('heading', { name: 'My meetings in mx27' }).evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await screenshot(member, 'member-agenda-phone');
  await member.context().close();

  const staff = await newPage(PHONE);
  await openGrid(staff);
  const delegation = await fits(staff);
  assert.ok(delegation.page <= delegation.window, `the delegation page: ${JSON.stringify(delegation)}`);
  // With a meeting selected and a busy slot chosen, too.
  await staff.locator('tr[data-company="de-9102"] td:not(.locked) > button.meeting').first().click();
  await staff.locator('.selected-panel').waitFor();
  const busyOption = await staff.locator('.selected-panel option[data-busy="true"]').first().getAttribute('value');
  await staff.locator('.selected-panel select').selectOption(busyOption);
  await staff.locator('.selected-panel .displace').waitFor();
  const selected = await fits(staff);
  assert.ok(selected.page <= selected.window, `the delegation page with a selection: ${JSON.stringify(selected)}`);
  await screenshot(staff, 'delegation-move-phone');
  await staff.context().close();
});

test('no console errors or failed requests', () => {
  assert.deepEqual(problems, []);
});
