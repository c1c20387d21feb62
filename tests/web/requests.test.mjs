// Browser tests of interest and meeting requests in the web console, in
// headless Chromium against a real sociod and socio-gateway with demo data
// (see stack.mjs):
//   1. member de-9101 marks its best partner "Interested" and sends it a
//      meeting request proposing two times; the partner signs in, sees it
//      waiting (with a count beside "Requests"), accepts the second time;
//      de-9101 then sees it accepted at that time;
//   2. the staff of another partner's chamber see a request to their member
//      and decline it for the member, with a reason, which the requester
//      reads;
//   3. "Not interested" hides a partner after a confirmation, Undo brings it
//      back; once marked, the partner is gone after a reload, and "Show
//      hidden partners" shows it again with its mark;
//   4. screenshots of a partner's card with the request form and of the
//      inbox of a member and of staff, none blank; no
//      console error or unexpected HTTP failure.
//
//   node tests/web/requests.test.mjs --build BUILD_DIR [--screenshots DIR]
//
// Exits 77 (skipped) when Chromium or tests/web/node_modules is missing.
// --screenshots docs/screenshots refreshes the committed screenshots.

import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { decodePng, distinctColours } from './png.mjs';
import { DESKTOP, buildDir, chromium, chromiumPath, openPage, option, signIn, sourceDir } from './harness.mjs';
import { callApi as callApiOf, issueToken, startStack } from './stack.mjs';

const shotsDir = path.resolve(option('screenshots', path.join(buildDir, 'web-screenshots')));
const MEMBER = 'de-9101';
// The browser shows times in UTC, so that the test can compute what it reads.
const ZONE = 'UTC';

let stack;
let browser;
let partners; // the member's best partners (Match), best first
let partnerToken; // a member token of partners[0]
let staffOfSecond; // a staff token of partners[1]'s chamber
const problems = [];
const shots = [];

function issue(...args) {
  return issueToken(stack, buildDir, 'requests test', ...args);
}

function callApi(method, apiPath, token, body) {
  return callApiOf(stack, method, apiPath, token, body);
}

before(async () => {
  mkdirSync(shotsDir, { recursive: true });
  stack = await startStack({ buildDir, sourceDir });
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--disable-dev-shm-usage'] });
  const found = await callApi('POST', '/partners:find', stack.tokens.member, { memberId: MEMBER, k: 10 });
  partners = found.matches;
  assert.ok(partners.length >= 3, `at least three partners for ${MEMBER}`);
  partnerToken = issue('--role', 'member', '--profile', partners[0].partnerId);
  staffOfSecond = issue('--role', 'staff', '--chamber', partners[1].partnerChamberId);
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

function newPage() {
  return openPage(browser, problems, { viewport: DESKTOP, timezoneId: ZONE });
}

async function screenshot(page, name) {
  const file = path.join(shotsDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  shots.push(file);
}

// Whole days from now at hh:mm, as a datetime-local input takes it and as
// the console writes it ("22 March, 15:30"; the year when it is not this
// year's).
function timeIn(days, hhmm) {
  const t = new Date(Date.now() + days * 86400000);
  const date = t.toISOString().slice(0, 10);
  const sameYear = t.getUTCFullYear() === new Date().getUTCFullYear();
  const day = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', timeZone: ZONE, ...(sameYear ? {} : { year: 'numeric' }) }).format(t);
  return { input: `${date}T${hhmm}`, text: `${day}, ${hhmm}` };
}

const card = (page, partnerId) => page.locator(`li.match[data-partner="${partnerId}"]`);

test('a member asks its best partner for a meeting; the partner accepts the second time', async () => {
  const first = partners[0];
  const name = first.partnerName;
  const times = [timeIn(10, '10:00'), timeIn(12, '15:30')];

  const page = await newPage();
  await signIn(page, stack.url, stack.tokens.member);
  await page.goto(`${stack.url}/#/partners/${MEMBER}`);
  const c = card(page, first.partnerId);
  await c.getByRole('button', { name: 'Interested', exact: true }).click();
  await c.getByText('You are interested').waitFor();
  assert.equal(await c.getByRole('button', { name: 'Interested', exact: true }).getAttribute('aria-pressed'), 'true');

  await c.getByRole('button', { name: 'Request a meeting' }).click();
  await c.getByLabel(`Message to ${name}`).fill('We are looking for a distributor of machine tools in Mexico.');
  await c.getByLabel('Proposed time 1').fill(times[0].input);
  await c.getByLabel('Proposed time 2').fill(times[1].input);
  await c.locator('.engage').scrollIntoViewIfNeeded();
  assert.doesNotMatch(await c.locator('.engage').innerText(), /null|undefined/);
  await screenshot(page, 'partner-request');
  await c.getByRole('button', { name: 'Send request' }).click();
  await c.getByText('Waiting for their answer').waitFor();

  // The partner: one request waiting, beside "Requests" and on the page.
  const partner = await newPage();
  await signIn(partner, stack.url, partnerToken);
  const badge = partner.locator('#nav [data-count="requests"]');
  await badge.locator('[aria-hidden="true"]', { hasText: '1' }).waitFor();
  await partner.getByRole('link', { name: /Requests/ }).click();
  const received = partner.locator('.requests-received li.request').first();
  await received.getByText('Waiting for your answer').waitFor();
  assert.match(await received.locator('h3').textContent(), /^From Huber Werkzeugmaschinen GmbH$/);
  assert.match(await received.textContent(), /distributor of machine tools/);
  await screenshot(partner, 'requests-member');
  await received.getByRole('button', { name: `Accept ${times[1].text}–16:30` }).click();
  await received.getByText(`Accepted – ${times[1].text}`).waitFor();
  await badge.waitFor({ state: 'hidden' });
  await partner.context().close();

  // The requester reads the answer.
  await page.goto(`${stack.url}/#/requests`);
  const sent = page.locator('.requests-sent li.request').first();
  await sent.getByText(`Accepted – ${times[1].text}`).waitFor();
  assert.equal(await sent.locator('h3').textContent(), `To ${name}`);
  await page.context().close();
});

test('staff of the receiver’s chamber decline a request for their member', async () => {
  const second = partners[1];
  const start = new Date(`${timeIn(20, '09:30').input}:00Z`);
  const sent = await callApi('POST', '/requests', stack.tokens.member, {
    request: {
      fromMemberId: MEMBER,
      toRef: second.partnerId,
      message: 'Could we meet at the trade fair?',
      proposed: [{ startTime: start.toISOString(), endTime: new Date(start.getTime() + 3600000).toISOString() }],
    },
  });

  const staff = await newPage();
  await signIn(staff, stack.url, staffOfSecond);
  await staff.getByRole('link', { name: /Requests/ }).click();
  const item = staff.locator(`li.request[data-request="${sent.id}"]`);
  await item.getByText(`Answer for ${second.partnerName}`).waitFor();
  await item.getByText(`Waiting for an answer from ${second.partnerName}`).waitFor();
  await screenshot(staff, 'requests-staff');
  await item.getByPlaceholder('Reason (optional)').fill('They already have a distributor in Germany');
  await item.getByRole('button', { name: `Decline for ${second.partnerName}` }).click();
  await item.getByText('Declined: They already have a distributor in Germany').waitFor();
  await staff.context().close();

  const stored = await callApi('GET', `/requests/${sent.id}`, stack.tokens.member);
  assert.equal(stored.state, 'DECLINED');
  assert.equal(stored.changedBy, `staff:${second.partnerChamberId}`);
});

test('Not interested hides a partner, with an undo; Show hidden partners brings it back', async () => {
  const third = partners[2];
  const page = await newPage();
  await signIn(page, stack.url, stack.tokens.member);
  await page.goto(`${stack.url}/#/partners/${MEMBER}`);
  const c = card(page, third.partnerId);
  await c.getByRole('button', { name: 'Not interested' }).click();
  await c.getByRole('button', { name: 'Yes, not interested' }).click();
  await c.waitFor({ state: 'hidden' });
  await page.getByText(`${third.partnerName} is hidden: not interested.`).waitFor();
  await page.getByRole('button', { name: 'Undo' }).click();
  await c.waitFor({ state: 'visible' });
  let marks = await callApi('GET', `/interests?member_id=${MEMBER}`, stack.tokens.member);
  assert.ok(!(marks.interests || []).some((i) => i.partnerRef === third.partnerId), 'Undo cleared the mark');

  await c.getByRole('button', { name: 'Not interested' }).click();
  await c.getByRole('button', { name: 'Yes, not interested' }).click();
  await c.waitFor({ state: 'hidden' });
  marks = await callApi('GET', `/interests?member_id=${MEMBER}`, stack.tokens.member);
  assert.ok(marks.interests.some((i) => i.partnerRef === third.partnerId && i.mark === 'NOT_INTERESTED'));

  // Gone from the results the server sends; back with the toggle.
  await page.reload();
  await card(page, partners[0].partnerId).waitFor();
  assert.equal(await c.count(), 0, `${third.partnerId} is left out after a reload`);
  await page.getByLabel('Show hidden partners').check();
  await c.getByText('Not interested: hidden from your partners').waitFor();
  assert.match(page.url(), /hidden=yes/);
  await page.context().close();
});

test('every screenshot shows a page, not a blank', () => {
  assert.equal(shots.length, 3);
  for (const file of shots) {
    const colours = distinctColours(decodePng(readFileSync(file)));
    assert.ok(colours > 20, `${path.basename(file)}: ${colours} colours`);
  }
});

test('no console errors or unexpected HTTP failures', () => {
  assert.deepEqual(problems, []);
});
