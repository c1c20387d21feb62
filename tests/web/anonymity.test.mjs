// Browser test of anonymity until mutual interest in the web console, in
// headless Chromium against a real sociod and socio-gateway with demo data
// (see stack.mjs). Member A (de-9101, chamber ihk-muenchen) and B, one of its
// best partners in another chamber:
//   1. B's chamber's staff tick "Show this company anonymously ..." on B's
//      profile and save; the page then shows B's handle;
//   2. A signs in and sees B among its partners as "Anonymous company" with
//      its handle and the hint, and neither B's id, its name nor its city on
//      the page, nor in its explanation once opened; A marks it Interested
//      and asks it for a meeting (the console sends the handle);
//   3. B signs in and accepts; A reloads and sees B's name;
//   4. B's chamber's staff open B's profile and see the reveal to A, why and
//      when; no console error or unexpected HTTP failure.
//
//   node tests/web/anonymity.test.mjs --build BUILD_DIR [--screenshots DIR]
//
// Exits 77 (skipped) when Chromium or tests/web/node_modules is missing.

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { DESKTOP, buildDir, chromium, chromiumPath, openPage, option, signIn, sourceDir } from './harness.mjs';
import { callApi as callApiOf, issueToken, startStack } from './stack.mjs';

const shotsDir = path.resolve(option('screenshots', path.join(buildDir, 'web-screenshots')));
const MEMBER = 'de-9101';
const ZONE = 'UTC';

let stack;
let browser;
let a; // A's profile
let b; // B's profile, as its chamber reads it
let staffOfB; // a staff token of B's chamber
let memberB; // a member token of B
const problems = [];

function issue(...args) {
  return issueToken(stack, buildDir, 'anonymity test', ...args);
}

function callApi(method, apiPath, token, body) {
  return callApiOf(stack, method, apiPath, token, body);
}

before(async () => {
  mkdirSync(shotsDir, { recursive: true });
  stack = await startStack({ buildDir, sourceDir });
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--disable-dev-shm-usage'] });
  a = await callApi('GET', `/profiles/${MEMBER}`, stack.tokens.admin);
  const found = await callApi('POST', '/partners:find', stack.tokens.member, { memberId: MEMBER, k: 10 });
  // B: the best partner of another chamber whose city no other listed
  // partner shares, so that the city's absence from the page means B's.
  const listed = await Promise.all(found.matches.map((m) => callApi('GET', `/profiles/${encodeURIComponent(m.partnerId)}`, stack.tokens.admin)));
  b = listed.find(
    (p) => p.chamberId !== a.chamberId && p.city && !p.anonymous && listed.filter((q) => q.city === p.city).length === 1,
  );
  assert.ok(b, `a partner of ${MEMBER} in another chamber with a city of its own`);
  staffOfB = issue('--role', 'staff', '--chamber', b.chamberId);
  memberB = issue('--role', 'member', '--profile', b.id);
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

function newPage() {
  return openPage(browser, problems, { viewport: DESKTOP, timezoneId: ZONE });
}

test('staff choose anonymity on their member’s profile; A sees B only by its handle, B accepts A’s request, A then sees B', async () => {
  // 1. B's staff make B anonymous through the profile form.
  const staff = await newPage();
  await signIn(staff, stack.url, staffOfB);
  await staff.goto(`${stack.url}/#/profiles/${encodeURIComponent(b.id)}`);
  const choice = staff.getByLabel(/Show this company anonymously to companies outside our chamber/);
  assert.equal(await choice.isChecked(), false);
  await choice.check();
  await staff.getByRole('button', { name: 'Save changes' }).click();
  await staff.getByText(/Saved 1 field\(s\)/).waitFor();
  const stored = await callApi('GET', `/profiles/${encodeURIComponent(b.id)}`, staffOfB);
  assert.equal(stored.anonymous, true);
  const handle = stored.handle;
  assert.match(handle, /^anon-[a-z2-7]{16}$/);
  await staff.reload();
  await staff.getByText(`Shown to others as ${handle}`, { exact: false }).waitFor();
  await staff.getByText('Not revealed to any company yet.').waitFor();
  await staff.context().close();

  // 2. A: B is an anonymous company with its handle and the hint.
  const page = await newPage();
  await signIn(page, stack.url, stack.tokens.member);
  await page.goto(`${stack.url}/#/partners/${MEMBER}`);
  const c = page.locator(`li.match[data-partner="${handle}"]`);
  await c.waitFor();
  const head = await c.locator('h3').innerText();
  assert.match(head, /Anonymous company/);
  assert.match(head, new RegExp(handle));
  await c.getByText('shown once both sides are interested or a meeting is accepted', { exact: false }).waitFor();
  const before = await page.locator('body').innerText();
  assert.ok(!before.includes(b.id), `B's id ${b.id} is not on the page`);
  assert.ok(!before.includes(b.name), `B's name ${b.name} is not on the page`);
  assert.ok(!before.includes(b.city), `B's city ${b.city} is not on the page`);
  assert.ok(!(await page.content()).includes(b.id), `B's id is not in the page's HTML either`);
  // Its explanation, loaded when opened, names it by its handle too.
  await c.getByText(/^Why: every factor for /).click();
  await c.locator('table.factors tbody tr').first().waitFor();
  assert.equal(await c.locator('table.factors tbody tr').count(), 7);
  const explained = await page.content();
  assert.ok(!explained.includes(b.id) && !explained.includes(b.name), 'the explanation shows neither B’s id nor its name');

  await c.getByRole('button', { name: 'Interested', exact: true }).click();
  await c.getByText('You are interested').waitFor();
  await c.getByRole('button', { name: 'Request a meeting' }).click();
  await c.getByLabel(`Message to Anonymous company ${handle}`).fill('We are looking for a distributor of machine tools.');
  const t = new Date(Date.now() + 9 * 86400000).toISOString().slice(0, 10);
  await c.getByLabel('Proposed time 1').fill(`${t}T10:00`);
  await c.getByRole('button', { name: 'Send request' }).click();
  await c.getByText('Waiting for their answer').waitFor();
  const marks = await callApi('GET', `/interests?member_id=${MEMBER}`, stack.tokens.member);
  assert.ok(marks.interests.some((i) => i.partnerRef === handle && i.mark === 'INTERESTED'), 'the mark names the handle');
  const sentText = await page.locator('body').innerText();
  assert.ok(!sentText.includes(b.id) && !sentText.includes(b.name), 'still neither B’s id nor its name');

  // 3. B accepts the request from A.
  const partner = await newPage();
  await signIn(partner, stack.url, memberB);
  await partner.getByRole('link', { name: /Requests/ }).click();
  const received = partner.locator('.requests-received li.request').first();
  await received.getByText('Waiting for your answer').waitFor();
  assert.equal(await received.locator('h3').textContent(), `From ${a.name}`);
  await received.getByRole('button', { name: /^Accept / }).first().click();
  await received.getByText(/^Accepted – /).waitFor();
  await partner.context().close();

  // A reloads: B by its id and name.
  await page.reload();
  const revealed = page.locator(`li.match[data-partner="${b.id}"]`);
  await revealed.waitFor();
  assert.match(await revealed.locator('h3').innerText(), new RegExp(b.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  assert.equal(await page.locator(`li.match[data-partner="${handle}"]`).count(), 0);
  await page.context().close();

  // 4. B's staff see the reveal to A: the company, why and when.
  const staffAfter = await newPage();
  await signIn(staffAfter, stack.url, staffOfB);
  await staffAfter.goto(`${stack.url}/#/profiles/${encodeURIComponent(b.id)}`);
  const reveals = staffAfter.locator('section.reveals');
  const item = reveals.locator('li', { hasText: a.name });
  await item.waitFor();
  assert.match(await item.innerText(), /meeting accepted/);
  const listed = await callApi('GET', `/profiles/${encodeURIComponent(b.id)}/reveals`, staffOfB);
  assert.deepEqual(
    listed.reveals.map((r) => [r.revealedTo, r.reason]),
    [[MEMBER, 'ACCEPTED_REQUEST']],
  );
  await staffAfter.context().close();
});

test('no console errors or unexpected HTTP failures', () => {
  assert.deepEqual(problems, []);
});
