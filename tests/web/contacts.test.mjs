// Browser tests of a member's contact persons in the web console, in headless
// Chromium against a real sociod and socio-gateway with demo data (see
// stack.mjs):
//   - the chamber's staff add a contact person on the profile form (name,
//     role, e-mail, phone, languages); the server's refusal of a malformed
//     e-mail shows beside that contact's e-mail field; once saved, the
//     profile page shows the contact again after a reload;
//   - staff of another chamber open the same (federation-visible) profile and
//     see neither the contact's name, e-mail nor phone, in the page or in
//     any answer of the API; the member itself sees them.
//
//   node tests/web/contacts.test.mjs --build BUILD_DIR [--web_dir DIR]
//
// --web_dir serves another copy of the console (to check that these tests
// fail on an older one). Exits 77 (skipped) when Chromium or
// tests/web/node_modules is missing.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { DESKTOP, buildDir, chromium, chromiumPath, option, sourceDir, signIn } from './harness.mjs';
import { startStack } from './stack.mjs';

const webDir = path.resolve(option('web_dir', path.join(sourceDir, 'clients/web')));

// de-9101 (ihk-muenchen, FEDERATION) and the contact its chamber's staff add.
const MEMBER = 'de-9101';
const CONTACT = {
  name: 'Katharina Vogl',
  role: 'Leiterin Export',
  email: 'k.vogl@huber-werkzeug.de',
  phone: '+49 89 1234-5670',
  languages: ['de', 'es'],
};

let stack;
let browser;
let otherStaff; // a staff token of caintra-nl, another chamber
const problems = []; // console errors and warnings nobody expected
const expected = []; // {path, status}: failures a test provokes on purpose

before(async () => {
  stack = await startStack({ buildDir, sourceDir, webDir });
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--disable-dev-shm-usage'] });
  otherStaff = execFileSync(
    path.join(buildDir, 'clients/socio'),
    ['--server', stack.server, '--token_file', path.join(stack.dir, 'socio-data/admin.token'), 'admin', 'token', 'issue', '--role', 'staff', '--chamber', 'caintra-nl', '--label', 'contacts test'],
    { encoding: 'utf8' },
  ).trim();
});

after(async () => {
  await browser?.close();
  await stack?.stop();
  assert.deepEqual(problems, [], 'no console errors or unexpected HTTP failures');
});

// The gateway's JSON API with `token`, as raw text and parsed.
async function callApi(method, apiPath, token) {
  const response = await fetch(`${stack.url}/api/v1${apiPath}`, { method, headers: { Authorization: `Bearer ${token}` } });
  const text = await response.text();
  assert.ok(response.ok, `${method} ${apiPath}: HTTP ${response.status} ${text}`);
  return { text, json: JSON.parse(text) };
}

async function newPage() {
  const context = await browser.newContext({ viewport: DESKTOP });
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  page.on('console', (msg) => {
    if (msg.type() !== 'error' && msg.type() !== 'warning') return;
    // The browser logs the 400 a test provokes; that response is checked below.
    if (/status of 400/.test(msg.text()) && expected.some((e) => e.status === 400)) return;
    problems.push(`${msg.type()}: ${msg.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() < 400) return;
    const url = new URL(r.url());
    if (expected.some((e) => e.status === r.status() && url.pathname === e.path)) return;
    problems.push(`HTTP ${r.status()} for ${r.request().method()} ${r.url()}`);
  });
  return page;
}

const contactInput = (page, index, name) => page.locator(`[data-path="profile.contacts[${index}].${name}"]`);

test('staff add a contact person; a malformed e-mail is refused beside its field', async () => {
  const page = await newPage();
  await signIn(page, stack.url, stack.tokens.staff);
  await page.goto(`${stack.url}/#/profiles/${MEMBER}`);
  await page.getByRole('button', { name: 'Add contact' }).click();
  await contactInput(page, 0, 'name').fill(CONTACT.name);
  await contactInput(page, 0, 'role').fill(CONTACT.role);
  await contactInput(page, 0, 'email').fill('k.vogl at huber-werkzeug.de');
  await contactInput(page, 0, 'phone').fill(CONTACT.phone);
  await contactInput(page, 0, 'languages').fill(CONTACT.languages.join(', '));

  expected.push({ path: `/api/v1/profiles/${MEMBER}`, status: 400 });
  await page.getByRole('button', { name: 'Save changes' }).click();
  const email = contactInput(page, 0, 'email');
  await page.locator('[data-path="profile.contacts[0].email"][aria-invalid="true"]').waitFor();
  const errorText = await page.locator(`#${await email.getAttribute('id')}-error`).textContent();
  assert.match(errorText, /e-mail address/, `the reason beside the e-mail field: ${errorText}`);
  expected.pop();

  await email.fill(CONTACT.email);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.locator('.form-message .notice-ok').waitFor();

  const { json } = await callApi('GET', `/profiles/${MEMBER}`, stack.tokens.staff);
  assert.deepEqual(json.contacts, [CONTACT], 'stored as entered');

  await page.reload();
  await contactInput(page, 0, 'name').waitFor();
  assert.equal(await contactInput(page, 0, 'name').inputValue(), CONTACT.name);
  assert.equal(await contactInput(page, 0, 'email').inputValue(), CONTACT.email);
  assert.equal(await contactInput(page, 0, 'phone').inputValue(), CONTACT.phone);
  await page.context().close();
});

test('staff of another chamber never see the contact; the member itself does', async () => {
  const secrets = [CONTACT.name, CONTACT.email, CONTACT.phone];
  const page = await newPage();
  await signIn(page, stack.url, otherStaff);
  await page.goto(`${stack.url}/#/profiles/${MEMBER}`);
  await page.getByRole('heading', { name: 'Huber Werkzeugmaschinen GmbH' }).waitFor();
  await page.getByText('Contact persons are shown only to the member itself and its own chamber.').waitFor();
  const html = await page.content();
  for (const s of secrets) assert.ok(!html.includes(s), `another chamber's staff were shown ${s}`);
  assert.equal(await page.getByRole('button', { name: 'Add contact' }).count(), 0);
  await page.context().close();

  const one = await callApi('GET', `/profiles/${MEMBER}`, otherStaff);
  assert.equal(one.json.name, 'Huber Werkzeugmaschinen GmbH', 'the profile itself is readable');
  const list = await callApi('GET', '/profiles?page_size=1000', otherStaff);
  assert.ok(list.json.profiles.some((p) => p.id === MEMBER), 'the profile is listed');
  for (const s of secrets) {
    assert.ok(!one.text.includes(s), `GET /profiles/${MEMBER} showed ${s}`);
    assert.ok(!list.text.includes(s), `GET /profiles showed ${s}`);
  }

  const own = await callApi('GET', `/profiles/${MEMBER}`, stack.tokens.member);
  assert.deepEqual(own.json.contacts, [CONTACT], 'the member reads its own contacts');
  const memberPage = await newPage();
  await signIn(memberPage, stack.url, stack.tokens.member);
  await memberPage.goto(`${stack.url}/#/profiles/${MEMBER}`);
  await contactInput(memberPage, 0, 'email').waitFor();
  assert.equal(await contactInput(memberPage, 0, 'email').inputValue(), CONTACT.email);
  await memberPage.context().close();
});
