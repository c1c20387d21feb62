// Browser tests of "Our chamber", in headless Chromium against a real sociod
// and socio-gateway with demo data (see stack.mjs):
//   1. the operator has entered Munich's record; Munich's staff change its
//      city and a contact on the page, and the API then holds them (version 2);
//      a web site that is not a URL is refused beside its field;
//   2. Munich's staff propose Mexico City's chamber (which has no record) as a
//      partner chamber; Mexico City's staff see the proposal on their page,
//      told that no record exists, and accept it; both are then partners, in
//      the API too; Munich's staff end it;
//   3. a member company is told the page is for chamber staff;
//   4. no console error or unexpected HTTP failure.
//
//   node tests/web/chamber.test.mjs --build BUILD_DIR
//
// Exits 77 (skipped) when Chromium or tests/web/node_modules is missing.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DESKTOP, buildDir, chromium, chromiumPath, openPage, signIn, sourceDir } from './harness.mjs';
import { callApi as callApiOf, issueToken, startStack } from './stack.mjs';

let stack;
let browser;
let mexicoStaff;
const problems = [];

function callApi(method, apiPath, token, body) {
  return callApiOf(stack, method, apiPath, token, body);
}

// The refusals these tests provoke: a bad web site; Mexico City's missing
// record, read by its page.
function expected(url, status) {
  const p = new URL(url).pathname;
  return (status === 400 && p === '/api/v1/chambers/ihk-muenchen') || (status === 404 && p === '/api/v1/chambers/canaco-cdmx');
}

before(async () => {
  stack = await startStack({ buildDir, sourceDir, members: 50 });
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--disable-dev-shm-usage'] });
  mexicoStaff = issueToken(stack, buildDir, 'chamber test', '--role', 'staff', '--chamber', 'canaco-cdmx');
  await callApi('POST', '/chambers', stack.tokens.admin, {
    id: 'ihk-muenchen',
    name: 'IHK München und Oberbayern',
    country: 'DE',
    city: 'München',
    languages: ['de', 'en'],
    website: 'https://www.ihk-muenchen.de',
  });
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

function newPage() {
  return openPage(browser, problems, { viewport: DESKTOP, timezoneId: 'UTC', expected });
}

test('staff keep their chamber’s record up to date', async () => {
  const page = await newPage();
  await signIn(page, stack.url, stack.tokens.staff);
  await page.getByRole('link', { name: 'Our chamber' }).click();
  const form = page.locator('form.chamber-form');
  await form.waitFor();
  assert.equal(await form.getByLabel('Name').inputValue(), 'IHK München und Oberbayern');
  await form.getByLabel('Web site').fill('ihk-muenchen.de');
  await form.getByRole('button', { name: 'Save' }).click();
  await form.locator('.field-error:not([hidden])').waitFor();
  assert.match(await form.locator('.field-error:not([hidden])').textContent(), /http/);

  await page.reload();
  await form.waitFor();
  await form.getByLabel('City').fill('Munich');
  await form.getByRole('button', { name: 'Add a contact' }).click();
  await form.getByLabel('Name', { exact: true }).last().fill('Anna Huber');
  await form.getByLabel('E-mail').fill('anna.huber@ihk.example');
  await form.getByRole('button', { name: 'Save' }).click();
  await page.locator('main').getByText('Version 2').waitFor();
  const stored = await callApi('GET', '/chambers/ihk-muenchen', stack.tokens.admin);
  assert.equal(stored.city, 'Munich');
  assert.equal(stored.website, 'https://www.ihk-muenchen.de');
  assert.deepEqual(stored.contacts.map((c) => [c.name, c.email]), [['Anna Huber', 'anna.huber@ihk.example']]);
});

test('two chambers become partners only when the other accepts', async () => {
  const munich = await newPage();
  await signIn(munich, stack.url, stack.tokens.staff);
  await munich.goto(`${stack.url}/#/chamber`);
  const propose = munich.locator('form.propose-partner');
  await propose.getByLabel('Chamber id').fill('canaco-cdmx');
  await propose.getByLabel('A word to them').fill('Exchange visits in 2027');
  await propose.getByRole('button', { name: 'Propose as partner' }).click();
  const ours = munich.locator('tr[data-partner="canaco-cdmx"]');
  await ours.getByRole('cell', { name: 'Proposed', exact: true }).waitFor();
  assert.equal(await ours.getByRole('button', { name: 'Accept' }).count(), 0, 'the proposer cannot accept');
  await ours.getByRole('button', { name: 'Withdraw' }).waitFor();

  const mexico = await newPage();
  await signIn(mexico, stack.url, mexicoStaff);
  await mexico.goto(`${stack.url}/#/chamber`);
  await mexico.locator('main').getByText('has no directory record yet').waitFor();
  const theirs = mexico.locator('tr[data-partner="ihk-muenchen"]');
  await theirs.getByText('IHK München und Oberbayern (ihk-muenchen)').waitFor();
  assert.match(await theirs.innerText(), /They did/);
  await theirs.getByRole('button', { name: 'Accept' }).click();
  await theirs.getByRole('cell', { name: 'Partners', exact: true }).waitFor();
  const links = await callApi('GET', '/chambers/ihk-muenchen/partners?state=active', stack.tokens.staff);
  assert.deepEqual(links.partners.map((l) => [l.partnerChamberId, l.acceptedBy]), [['canaco-cdmx', 'staff:canaco-cdmx']]);

  await munich.reload();
  await ours.getByRole('cell', { name: 'Partners', exact: true }).waitFor();
  await ours.getByRole('button', { name: 'End the partnership' }).click();
  await ours.getByRole('cell', { name: 'Ended', exact: true }).waitFor();
});

test('a member company is told the page is for chamber staff', async () => {
  const page = await newPage();
  await signIn(page, stack.url, stack.tokens.member);
  await page.goto(`${stack.url}/#/chamber`);
  await page.locator('h1', { hasText: 'A page for chamber staff' }).waitFor();
});

test('no console error or unexpected HTTP failure', () => {
  assert.deepEqual(problems, []);
});
