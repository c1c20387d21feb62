// The web console on a cluster, in headless Chromium: one etcd member, two
// sociod nodes (sociod --store etcd), a socio-gateway in front of each and a
// round-robin front before both (see startClusterStack in stack.mjs), so the
// calls of one page go to both nodes in turn:
//   1. Munich's staff change their chamber's city five times on "Our
//      chamber"; each time the page read after the save (served by the other
//      node as often as not) shows the new city and version;
//   2. every call after the first answer sends the Socio-Consistency-Token
//      the tab has seen, never going back, and the call after a save sends at
//      least the save's;
//   3. signing out forgets it; no console error or HTTP failure.
//
//   node tests/web/cluster.test.mjs --build BUILD_DIR
//
// Exits 77 (skipped) when Chromium, tests/web/node_modules or etcd is missing.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { DESKTOP, buildDir, chromium, chromiumPath, openPage, signIn, sourceDir } from './harness.mjs';
import { ETCD, callApi, issueToken, startClusterStack } from './stack.mjs';

if (!existsSync(ETCD)) {
  console.log(`SKIP: no etcd at ${ETCD} (apt-get install etcd-server)`);
  process.exit(77);
}

const HEADER = 'socio-consistency-token';

let stack;
let browser;
let staff;
const problems = [];

before(async () => {
  stack = await startClusterStack({ buildDir, sourceDir });
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--disable-dev-shm-usage'] });
  staff = issueToken(stack, buildDir, 'cluster test', '--role', 'staff', '--chamber', 'ihk-muenchen');
  await callApi(stack, 'POST', '/chambers', stack.tokens.admin, {
    id: 'ihk-muenchen',
    name: 'IHK München und Oberbayern',
    country: 'DE',
    city: 'München',
  });
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

test('a save through one node is on the next page whichever node serves it', async () => {
  const page = await openPage(browser, problems, { viewport: DESKTOP, timezoneId: 'UTC' });
  // Each API call in order: the token it sent, and the token its answer
  // carried (when it has come).
  const calls = [];
  page.on('request', (r) => {
    if (!new URL(r.url()).pathname.startsWith('/api/v1/')) return;
    calls.push({ request: r, method: r.method(), sent: r.headers()[HEADER] || '', answered: '' });
  });
  page.on('response', (r) => {
    const call = calls.find((c) => c.request === r.request());
    if (call) call.answered = r.headers()[HEADER] || '';
  });

  await signIn(page, stack.url, staff);
  await page.getByRole('link', { name: 'Our chamber' }).click();
  const form = page.locator('form.chamber-form');
  const cities = ['Augsburg', 'Ingolstadt', 'Rosenheim', 'Landshut', 'Freising'];
  for (const [i, city] of cities.entries()) {
    await form.waitFor();
    await form.getByLabel('City').fill(city);
    await form.getByRole('button', { name: 'Save' }).click();
    await page.locator('main').getByText(`Version ${i + 2}`).waitFor();
    await page.reload();
    await form.waitFor();
    assert.equal(await form.getByLabel('City').inputValue(), city, `after saving ${city}`);
    await page.locator('main').getByText(`Version ${i + 2}`).waitFor();
  }

  // Both nodes answered, each with a token.
  const answered = calls.filter((c) => c.answered);
  assert.ok(answered.length >= 10, `${answered.length} answers carried a token`);
  // From the first answer on, every call sends one, never going back.
  const first = calls.findIndex((c) => c.answered);
  let last = 0n;
  for (const c of calls.slice(first + 1)) {
    assert.match(c.sent, /^\d+$/, `${c.method} ${c.request.url()} sent no token`);
    assert.ok(BigInt(c.sent) >= last, `${c.method} ${c.request.url()} sent ${c.sent} after ${last}`);
    last = BigInt(c.sent);
  }
  // The call after each save sends at least what the save answered.
  const saves = calls.map((c, i) => [c, i]).filter(([c]) => c.method === 'PATCH');
  assert.equal(saves.length, cities.length);
  for (const [save, i] of saves) {
    const next = calls[i + 1];
    assert.ok(next, 'a call after the save');
    assert.ok(BigInt(next.sent) >= BigInt(save.answered), `sent ${next.sent} after a save answered ${save.answered}`);
  }

  const stored = await callApi(stack, 'GET', '/chambers/ihk-muenchen', stack.tokens.admin);
  assert.equal(stored.city, cities.at(-1));
  assert.equal(Number(stored.version), cities.length + 1);

  await page.getByRole('button', { name: 'Sign out' }).click();
  assert.equal(await page.evaluate(() => sessionStorage.getItem('socio.consistency')), null);
});

test('no console error or HTTP failure', () => {
  assert.deepEqual(problems, []);
});
