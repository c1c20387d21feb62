// Browser test of the exchange page, in headless Chromium against a real
// sociod and socio-gateway with demo data (see stack.mjs). Munich's staff
// (ihk-muenchen) link their mission to Mexico (mx27: 3 delegates, no host
// named yet) to Monterrey's chamber (caintra-nl); Monterrey's staff create
// their return visit to Munich (1 delegate, 2 Munich hosts) and link it on
// the page. Both chambers then read the two visits side by side and the
// balance from their own side, with the figures the test wrote: "Delegates
// we sent" 3 for Munich and 1 for Monterrey, "Companies we hosted" 2 and 0.
// A member is not offered the page.
//
//   node tests/web/exchanges.test.mjs --build BUILD_DIR
//
// Exits 77 (skipped) when Chromium or tests/web/node_modules is missing.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DESKTOP, buildDir, chromium, chromiumPath, openPage, signIn, sourceDir } from './harness.mjs';
import { callApi as callApiOf, issueToken, startStack } from './stack.mjs';

let stack;
let browser;
let monterrey;
const problems = [];

// What the test writes, counted by hand.
const VISIT = { delegates: 3, hosts: 0 };
const RETURN = { delegates: 1, hosts: 2 };

function callApi(method, apiPath, token, body) {
  return callApiOf(stack, method, apiPath, token, body);
}

before(async () => {
  stack = await startStack({ buildDir, sourceDir, members: 200 });
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--disable-dev-shm-usage'] });
  monterrey = issueToken(stack, buildDir, 'exchange test', '--role', 'staff', '--chamber', 'caintra-nl');
  await callApi('POST', '/delegations', monterrey, {
    id: 'mty-to-muc',
    chamberId: 'caintra-nl',
    name: 'Visita a Múnich 2027',
    originCountry: 'MX',
    hostCountry: 'DE',
    days: [{ date: '2027-10-11', city: 'München', startTime: '09:00', endTime: '12:00' }],
    delegates: [{ memberId: 'mx-9101' }],
    hosts: [{ memberId: 'de-9102' }, { memberId: 'de-9103' }],
  });
  await callApi('POST', '/exchanges', stack.tokens.staff, {
    exchange: { id: 'muc-mty-2027', name: 'München – Monterrey 2027', chamberId: 'ihk-muenchen', partnerChamberId: 'caintra-nl', visitDelegationId: 'mx27' },
  });
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

async function balanceRows(page) {
  return page.locator('table.balance tbody tr').evaluateAll((trs) =>
    Object.fromEntries(trs.map((tr) => [tr.querySelector('th').textContent, [...tr.querySelectorAll('td')].map((td) => td.textContent)])),
  );
}

function fact(page, visit, name) {
  return page.locator(`section.visit[data-visit="${visit}"] dd[data-fact="${name}"]`).textContent();
}

test('the partner links its return visit and reads the balance from its side', async () => {
  const page = await openPage(browser, problems, { viewport: DESKTOP });
  await signIn(page, stack.url, monterrey);
  await page.getByRole('link', { name: 'Exchanges' }).click();
  await page.getByRole('link', { name: 'München – Monterrey 2027' }).click();
  await page.getByRole('heading', { name: 'München – Monterrey 2027' }).waitFor();
  assert.equal(await page.locator('section.visit').nth(1).locator('dd').first().textContent(), 'Not linked yet');
  await page.getByLabel('Return visit (delegation id)').fill('mty-to-muc');
  await page.getByRole('button', { name: 'Link the return visit' }).click();
  await page.locator('section.visit[data-visit="mty-to-muc"]').waitFor();
  assert.equal(await page.getByRole('form', { name: 'Link the return visit' }).count(), 0);
  assert.equal(await fact(page, 'mty-to-muc', 'Delegates'), String(RETURN.delegates));
  assert.equal(await fact(page, 'mty-to-muc', 'Host companies'), String(RETURN.hosts));
  assert.equal(await fact(page, 'mx27', 'Delegates'), String(VISIT.delegates));
  const rows = await balanceRows(page);
  assert.deepEqual(rows['Delegates we sent'], [String(RETURN.delegates), String(VISIT.delegates)]);
  assert.deepEqual(rows['Delegates we received'], [String(VISIT.delegates), String(RETURN.delegates)]);
  assert.deepEqual(rows['Companies we hosted'], [String(VISIT.hosts), String(RETURN.hosts)]);
  assert.deepEqual(rows['Meetings held'], ['0', '0']);
  assert.equal(await page.locator('.balance-summary').textContent(), 'We received 2 more delegates than we sent.');
  await page.context().close();
});

test('the visiting chamber reads the same exchange from its side', async () => {
  const page = await openPage(browser, problems, { viewport: DESKTOP });
  await signIn(page, stack.url, stack.tokens.staff);
  await page.goto(`${stack.url}/#/exchanges`);
  const row = page.locator('tr[data-exchange="muc-mty-2027"]');
  await row.waitFor();
  assert.equal(await row.locator('td').nth(2).textContent(), 'mty-to-muc');
  await row.getByRole('link').click();
  await page.locator('section.visit[data-visit="mty-to-muc"]').waitFor();
  const rows = await balanceRows(page);
  assert.deepEqual(rows['Delegates we sent'], [String(VISIT.delegates), String(RETURN.delegates)]);
  assert.deepEqual(rows['Companies we hosted'], [String(RETURN.hosts), String(VISIT.hosts)]);
  assert.equal(await page.locator('.balance-summary').textContent(), 'We sent 2 more delegates than we received.');
  await page.context().close();
});

test('a member is not offered the exchange page', async () => {
  const page = await openPage(browser, problems, { viewport: DESKTOP });
  await signIn(page, stack.url, stack.tokens.member);
  assert.equal(await page.locator('#nav').getByRole('link', { name: 'Exchanges' }).count(), 0);
  await page.goto(`${stack.url}/#/exchanges/muc-mty-2027`);
  await page.getByRole('heading', { name: 'A page for chamber staff' }).waitFor();
  await page.context().close();
});

test('no console errors or unexpected HTTP failures', () => {
  assert.deepEqual(problems, []);
});
