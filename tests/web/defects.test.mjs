// Browser tests of the web console (clients/web) for what chamber staff, a
// member company and the operator hit in daily use, in headless Chromium
// against a real sociod and socio-gateway with demo data (see stack.mjs):
//   - staff list every chamber's members by leaving Chamber empty;
//   - a partner search is the page's heading, title and address, filters
//     included, so a reload keeps it;
//   - forms that store nothing never say "Not saved";
//   - a save's outcome and a field's error show on screen, clear of the
//     sticky Save bar;
//   - a semicolon-separated Windows-1252 CSV from Excel imports; rows rejected
//     while parsing show their id; the kind of problem is in words;
//   - leaving a page with edits not saved asks first;
//   - slow answers show a loading message; a re-plan blocks a second plan; a
//     proxy's HTML error page reads as a clear error, not the sign-in;
//   - a member company sees only the pages it may use;
//   - the operator sees estimates as estimates, is warned about a chamber
//     that does not exist, and its own page speaks of the operator;
//   - "Remember me on this device", off by default, keeps the sign-in for
//     new tabs only when ticked.
//
//   node tests/web/defects.test.mjs --build BUILD_DIR [--web_dir DIR]
//
// --web_dir serves another copy of the console (to check that these tests
// fail on an older one). Exits 77 (skipped) when Chromium or
// tests/web/node_modules is missing.

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { DESKTOP, buildDir, chromium, chromiumPath, option, sourceDir, signIn } from './harness.mjs';
import { startStack } from './stack.mjs';

const webDir = path.resolve(option('web_dir', path.join(sourceDir, 'clients/web')));

let stack;
let browser;
const problems = []; // console errors and warnings nobody expected
const expected = []; // {path, status}: failures a test provokes on purpose

before(async () => {
  stack = await startStack({ buildDir, sourceDir, webDir });
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--disable-dev-shm-usage'] });
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

function expectFailure(apiPath, status) {
  expected.push({ path: `/api/v1${apiPath}`, status });
}

function isExpected(url, status) {
  const u = new URL(url);
  return expected.some((e) => u.pathname === e.path && (status === undefined || status === e.status));
}

// A context (a browser profile: tabs share its localStorage) whose pages
// record console errors, uncaught exceptions and unexpected HTTP failures.
async function newContext(viewport = DESKTOP) {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  context.on('page', (page) => watch(page));
  return context;
}

function watch(page) {
  page.setDefaultTimeout(10000);
  page.on('console', (msg) => {
    if (msg.type() !== 'error' && msg.type() !== 'warning') return;
    const m = /status of (\d{3})/.exec(msg.text());
    const url = msg.location()?.url || '';
    if (m && url && isExpected(url, Number(m[1]))) return;
    problems.push(`${msg.type()}: ${msg.text()} (${url})`);
  });
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400 && !isExpected(r.url(), r.status())) problems.push(`HTTP ${r.status()} for ${r.request().method()} ${r.url()}`);
  });
}

async function newPage(viewport = DESKTOP) {
  return (await newContext(viewport)).newPage();
}

function apiCall(page, method, apiPath) {
  return page.waitForResponse((r) => r.request().method() === method && new URL(r.url()).pathname === `/api/v1${apiPath}`);
}

// The box of the element `selector` matches, in viewport coordinates.
function box(page, selector) {
  return page.locator(selector).first().evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, height: r.height };
  });
}

test('defect 1: staff clear Chamber to list every chamber they may see', async () => {
  const page = await newPage();
  await signIn(page, stack.url, stack.tokens.staff);
  await page.locator('table.data tbody tr').first().waitFor();
  const chamber = page.getByLabel('Chamber', { exact: true });
  assert.equal(await chamber.inputValue(), 'ihk-muenchen', 'the own chamber first');
  await chamber.fill('');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.waitForFunction(() => /chamber=(&|$)/.test(location.hash));
  await page.locator('table.data tbody tr').first().waitFor();
  assert.equal(await chamber.inputValue(), '', 'Chamber stays empty');
  const chambers = await page.locator('table.data tbody tr').evaluateAll((rows) => rows.map((r) => r.children[2].textContent));
  assert.ok(chambers.some((c) => c && c !== 'ihk-muenchen'), `other chambers' members listed: ${chambers}`);
  // The next page keeps "every chamber".
  await page.getByRole('link', { name: 'Next page' }).click();
  await page.waitForFunction(() => location.hash.includes('page='));
  assert.match(await page.evaluate(() => location.hash), /chamber=(&|$)/);
  await page.context().close();
});

test('members: search by name or keyword, sorted by name, with the total that match', async () => {
  const page = await newPage();
  await signIn(page, stack.url, stack.tokens.staff);
  await page.locator('table.data tbody tr').first().waitFor();
  const all = await page.locator('table.data tbody tr').count();
  assert.ok(all > 1);
  // A word of one member's name, typed without its accents and in lower case.
  const name = await page.locator('table.data tbody tr th a').first().textContent();
  const word = name.split(/\s+/).find((w) => w.length > 3) || name;
  const typed = word.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  await page.getByLabel('Name or keyword').fill(typed);
  await page.getByLabel('Sort by').selectOption('name');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.waitForFunction(() => /[?&]q=/.test(location.hash) && /sort=name/.test(location.hash));
  const head = page.locator('#members-results');
  await head.filter({ hasText: /\d+ of \d+ members?/ }).waitFor();
  const [shown, total] = (await head.textContent()).match(/(\d+) of (\d+)/).slice(1).map(Number);
  assert.ok(shown >= 1 && total >= shown, await head.textContent());
  assert.match(await head.textContent(), /by name/);
  const names = await page.locator('table.data tbody tr th a').allTextContents();
  assert.deepEqual(names, [...names].sort((x, y) => x.localeCompare(y, 'en', { sensitivity: 'base' })), 'sorted by name');
  // A reload keeps the search.
  await page.reload();
  await head.filter({ hasText: /\d+ of \d+ members?/ }).waitFor();
  assert.equal(await page.getByLabel('Name or keyword').inputValue(), typed);
  await page.context().close();
});

test('defect 3: a new partner search updates heading, title and address; a reload keeps its filters', async () => {
  const page = await newPage();
  await signIn(page, stack.url, stack.tokens.staff);
  await page.goto(`${stack.url}/#/partners/de-9101`);
  await page.locator('ol.matches > li').first().waitFor();
  await page.getByLabel('Member id').fill('de-9102');
  await page.getByLabel('Partner countries').fill('MX');
  await page.getByText('More filters').click();
  await page.getByLabel('Languages').fill('es');
  const searched = apiCall(page, 'POST', '/partners:find');
  await page.getByRole('button', { name: 'Find partners' }).click();
  assert.equal((await searched).status(), 200);
  await page.getByRole('heading', { level: 1, name: 'Partners for de-9102' }).waitFor();
  assert.match(await page.title(), /^Partners for de-9102 · Socio$/);
  const hash = await page.evaluate(() => location.hash);
  assert.match(hash, /^#\/partners\/de-9102\?/);
  assert.match(hash, /countries=MX/);
  assert.match(hash, /languages=es/);

  await page.reload();
  await page.locator('ol.matches > li, .results p').first().waitFor();
  assert.equal(await page.getByLabel('Member id').inputValue(), 'de-9102');
  assert.equal(await page.getByLabel('Partner countries').inputValue(), 'MX');
  assert.equal(await page.getByLabel('Languages').inputValue(), 'es');
  const countries = await page.locator('ol.matches .match-head .meta').evaluateAll((m) => m.map((x) => x.textContent.split(' · ')[0]));
  assert.ok(countries.every((c) => c === 'MX'), `only partners in MX after the reload: ${countries}`);
  await page.context().close();
});

test('defect 4: forms that store nothing do not say "Not saved"', async () => {
  const page = await newPage();
  await signIn(page, stack.url, stack.tokens.staff);
  const formMessage = () => page.locator('main .form-message').first().textContent();

  await page.goto(`${stack.url}/#/partners`);
  await page.getByRole('button', { name: 'Find partners' }).click();
  await page.locator('[aria-invalid="true"]').waitFor();
  assert.doesNotMatch(await formMessage(), /Not saved/);

  await page.goto(`${stack.url}/#/compare?a=de-9101`);
  await page.getByRole('button', { name: 'Compare' }).click();
  await page.locator('[aria-invalid="true"]').waitFor();
  assert.doesNotMatch(await formMessage(), /Not saved/);

  await page.goto(`${stack.url}/#/import`);
  await page.getByRole('button', { name: 'Import' }).click();
  await page.locator('[aria-invalid="true"]').waitFor();
  assert.doesNotMatch(await formMessage(), /Not saved/);
  await page.context().close();
});

test('defect 5: a save’s outcome and a field’s error are on screen, clear of the sticky bar', async () => {
  const page = await newPage();
  await signIn(page, stack.url, stack.tokens.staff);
  await page.goto(`${stack.url}/#/profiles/de-9103`);
  await page.locator('form.profile-form').waitFor();
  const field = page.getByLabel('Active markets');
  const viewportHeight = DESKTOP.height;
  assert.ok((await box(page, '[data-path="profile.active_markets"]')).top > viewportHeight, 'Active markets starts below the fold');

  // The field sits just behind the sticky bar: in the window, but covered.
  await field.fill('UK');
  await page.evaluate(() => {
    const input = document.querySelector('[data-path="profile.active_markets"]');
    const bar = document.querySelector('.sticky-actions').getBoundingClientRect();
    window.scrollBy(0, input.getBoundingClientRect().top - (bar.top + 4));
  });
  expectFailure('/profiles/de-9103', 400);
  const refused = apiCall(page, 'PATCH', '/profiles/de-9103');
  await page.getByRole('button', { name: 'Save changes' }).click();
  assert.equal((await refused).status(), 400);
  await field.and(page.locator('[aria-invalid="true"]')).waitFor();
  const errorId = (await field.getAttribute('aria-describedby')).split(' ').find((id) => id.endsWith('-error'));
  await page.waitForTimeout(300); // let smooth scrolling settle, if any
  const error = await box(page, `#${errorId}`);
  const bar = await box(page, '.sticky-actions');
  assert.ok(error.top >= 0 && error.bottom <= bar.top, `the error (${JSON.stringify(error)}) sits above the sticky bar (${JSON.stringify(bar)})`);
  assert.match(await page.locator('.form-message').textContent(), /Not saved: see the message beside the field/);

  await field.fill('MX');
  await page.evaluate(() => window.scrollTo(0, 0));
  const saved = apiCall(page, 'PATCH', '/profiles/de-9103');
  await page.getByRole('button', { name: 'Save changes' }).click();
  assert.equal((await saved).status(), 200);
  const ok = page.locator('.notice-ok', { hasText: /Saved 1 field/ });
  await ok.waitFor();
  const okBox = await box(page, '.notice-ok');
  assert.ok(okBox.top >= 0 && okBox.bottom <= viewportHeight, `the saved message is on screen: ${JSON.stringify(okBox)}`);
  await page.context().close();
});

// Latin-1 bytes of `text` (every character below U+0100), as Excel writes
// "CSV (semicolon separated)" on a German Windows.
function windows1252(text) {
  return Buffer.from([...text].map((c) => c.charCodeAt(0)));
}

test('defect 6: a semicolon-separated Excel CSV imports; rejected rows show their id and the problem in words', async () => {
  const page = await newPage();
  await signIn(page, stack.url, stack.tokens.staff);
  await page.goto(`${stack.url}/#/import`);
  const csv = [
    'id;chamber_id;name;country;city;sectors;employees;languages;visibility',
    'de-9301;ihk-muenchen;Müller Präzision GmbH;DE;München;25.62;40;de;FEDERATION',
    'de-9302;ihk-muenchen;"Bauer, Söhne & Co. KG";DE;Augsburg;"10.71; 10.72";12;de;FEDERATION',
    'de-9303;ihk-muenchen;Zeller AG;DE;Passau;28.41;viele;de;FEDERATION',
  ].join('\r\n');
  await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'mitglieder.csv', mimeType: 'text/csv', buffer: windows1252(csv) });
  const imported = apiCall(page, 'POST', '/profiles:import');
  await page.getByRole('button', { name: 'Import' }).click();
  assert.equal((await imported).status(), 200);
  await page.getByRole('heading', { name: 'Imported mitglieder.csv' }).waitFor();
  assert.match(await page.locator('dl.summary').textContent(), /Received3Created2Updated0Rejected1/);
  const row = page.locator('table.import-errors tbody tr');
  assert.equal(await row.count(), 1);
  const cells = await row.locator('td').allTextContents();
  assert.equal(cells[0].trim(), '4', 'the line of the bad row');
  assert.equal(cells[1].trim(), 'de-9303', 'the id of a row rejected while parsing');
  assert.equal(cells[2].trim(), 'Invalid', 'the kind of problem in words');
  assert.match(cells[3], /employees/);
  assert.doesNotMatch(await page.locator('table.import-errors').textContent(), /INVALID_ARGUMENT/);

  await page.goto(`${stack.url}/#/profiles/de-9302`);
  await page.getByRole('heading', { level: 1, name: 'Bauer, Söhne & Co. KG' }).waitFor();
  assert.equal(await page.getByLabel('Sectors (NACE)').first().inputValue(), '10.71, 10.72');
  await page.goto(`${stack.url}/#/profiles/de-9301`);
  await page.getByRole('heading', { level: 1, name: 'Müller Präzision GmbH' }).waitFor();
  assert.equal(await page.getByLabel('City').inputValue(), 'München');
  await page.context().close();
});

test('defect 7: leaving a page with edits not saved asks first', async () => {
  const page = await newPage();
  await signIn(page, stack.url, stack.tokens.staff);
  const questions = [];
  let answer = false;
  page.on('dialog', (dialog) => {
    questions.push(dialog.message());
    if (answer) dialog.accept();
    else dialog.dismiss();
  });

  // Nothing edited: no question.
  await page.goto(`${stack.url}/#/profiles/de-9101`);
  await page.locator('form.profile-form').waitFor();
  await page.locator('#nav').getByRole('link', { name: 'Members' }).click();
  await page.getByRole('heading', { level: 1, name: 'Members' }).waitFor();
  assert.deepEqual(questions, []);

  await page.goto(`${stack.url}/#/profiles/de-9101`);
  await page.getByLabel('Name').fill('Huber Werkzeugmaschinen AG');
  await page.locator('#nav').getByRole('link', { name: 'Members' }).click();
  await page.waitForFunction(() => location.hash === '#/profiles/de-9101');
  assert.equal(questions.length, 1);
  assert.match(questions[0], /not saved/i);
  assert.equal(await page.getByLabel('Name').inputValue(), 'Huber Werkzeugmaschinen AG', 'staying keeps the edit');

  answer = true;
  await page.locator('#nav').getByRole('link', { name: 'Members' }).click();
  await page.getByRole('heading', { level: 1, name: 'Members' }).waitFor();
  assert.equal(questions.length, 2);

  // The weights, too.
  await page.goto(`${stack.url}/#/policy`);
  await page.getByLabel('Market').fill('0.9');
  answer = false;
  await page.locator('#nav').getByRole('link', { name: 'Delegations' }).click();
  await page.waitForFunction(() => location.hash === '#/policy');
  assert.equal(questions.length, 3);
  await page.context().close();
});

test('defect 8: the delegation page says it is loading while its answer is slow', async () => {
  const page = await newPage();
  await signIn(page, stack.url, stack.tokens.staff);
  let release;
  const held = new Promise((resolve) => {
    release = resolve;
  });
  await page.route('**/api/v1/delegations/mx27', async (route) => {
    if (route.request().method() === 'GET') await held;
    await route.continue();
  });
  await page.goto(`${stack.url}/#/delegations/mx27`);
  const status = page.locator('main [role="status"]', { hasText: /Loading/ });
  await status.waitFor();
  assert.ok(await page.locator('main h1').isVisible(), 'a heading while loading');
  release();
  await page.locator('.toolbar').waitFor();
  assert.equal(await status.count(), 0, 'the loading message goes');
  await page.context().close();
});

test('defect 8: while a re-plan runs, "Plan from scratch" does not start a second plan', async () => {
  const page = await newPage();
  await signIn(page, stack.url, stack.tokens.staff);
  await page.goto(`${stack.url}/#/delegations/mx27`);
  await page.locator('.toolbar').waitFor();
  // Plan once, then hold the re-plan and try "Plan from scratch" meanwhile.
  if ((await page.getByRole('button', { name: 'Plan', exact: true }).count()) === 1) {
    const first = apiCall(page, 'POST', '/delegations/mx27:plan');
    await page.getByRole('button', { name: 'Plan', exact: true }).click();
    await first;
    await page.locator('table.schedule').waitFor();
  }
  let plans = 0;
  await page.route((url) => url.pathname === '/api/v1/delegations/mx27:plan', async (route) => {
    plans += 1;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await route.continue();
  });
  await page.getByRole('button', { name: 'Re-plan', exact: true }).click();
  await page.waitForFunction(() => document.querySelector('.toolbar button[aria-busy="true"]'));
  await page.getByRole('button', { name: 'Plan from scratch' }).click({ force: true });
  await page.waitForFunction(() => !document.querySelector('main button[aria-busy="true"]'));
  await page.waitForTimeout(2000); // time for a second plan to be asked for
  assert.equal(plans, 1, 'one plan at a time');
  await page.getByText(/Re-planned: \d+ meetings/).waitFor();
  await page.context().close();
});

test('defect 2: a mistyped host is refused before anything is stored, and the message says so', async () => {
  const page = await newPage();
  await signIn(page, stack.url, stack.tokens.staff);
  await page.goto(`${stack.url}/#/delegations/mx27`);
  await page.locator('.toolbar').waitFor();
  expectFailure('/delegations/mx27', 400);
  const before = await page.evaluate(async (token) => {
    const r = await fetch('/api/v1/delegations/mx27', { headers: { Authorization: `Bearer ${token}` } });
    return (await r.json()).version;
  }, stack.tokens.staff);
  await page.getByLabel('Host id').fill('mx-nope');
  await page.getByRole('button', { name: 'Add pair and re-plan' }).click();
  const alert = page.locator('main [role="alert"]').filter({ hasText: 'mx-nope' });
  await alert.waitFor();
  const text = await alert.textContent();
  assert.match(text, /Not saved; the delegation is unchanged/);
  assert.match(text, /host_id/);
  const after = await page.evaluate(async (token) => {
    const r = await fetch('/api/v1/delegations/mx27', { headers: { Authorization: `Bearer ${token}` } });
    const d = await r.json();
    return { version: d.version, hosts: (d.pairs || []).map((p) => p.hostId) };
  }, stack.tokens.staff);
  assert.equal(after.version, before, 'nothing stored');
  assert.ok(!after.hosts.includes('mx-nope'));
  await page.context().close();
});

test('plain words: the plan’s figures say what they mean where they are shown', async () => {
  const page = await newPage();
  await signIn(page, stack.url, stack.tokens.staff);
  await page.goto(`${stack.url}/#/delegations/mx27`);
  await page.locator('.toolbar').waitFor();
  if ((await page.getByRole('button', { name: 'Plan', exact: true }).count()) === 1) {
    const planned = apiCall(page, 'POST', '/delegations/mx27:plan');
    await page.getByRole('button', { name: 'Plan', exact: true }).click();
    await planned;
  }
  const figures = page.locator('.plan-summary .figures');
  await figures.waitFor();
  const text = await figures.textContent();
  assert.match(text, /Bound[\d.]+No plan of this delegation can score more than this/);
  assert.match(text, /Gap[\d.]+ ?%How far the total may be from the best plan possible/);
  assert.match(text, /Wanted, not given\d+Meetings delegates asked for at least/);
  await page.context().close();
});

test('defect 8: a proxy’s HTML error page reads as an error, not as the sign-in', async () => {
  const page = await newPage();
  await signIn(page, stack.url, stack.tokens.staff);
  const proxyPage = { status: 502, contentType: 'text/html', body: '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>' };
  expectFailure('/whoami', 502);
  expectFailure('/delegations', 502);
  await page.route('**/api/v1/whoami', (route) => route.fulfill(proxyPage));
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Socio cannot be reached' }).waitFor();
  assert.equal(await page.getByLabel('Access token').count(), 0, 'not the sign-in');
  const text = await page.locator('main').textContent();
  assert.doesNotMatch(text, /<html|<h1|nginx/);
  assert.match(text, /HTTP 502/);
  await page.unroute('**/api/v1/whoami');
  await page.getByRole('button', { name: 'Try again' }).click();
  await page.getByRole('heading', { level: 1, name: 'Members' }).waitFor();

  await page.route('**/api/v1/delegations?*', (route) => route.fulfill(proxyPage));
  await page.route('**/api/v1/delegations', (route) => route.fulfill(proxyPage));
  await page.goto(`${stack.url}/#/delegations`);
  const alert = page.locator('main [role="alert"]');
  await alert.waitFor();
  assert.doesNotMatch(await alert.textContent(), /<html|<h1|nginx/);
  assert.match(await alert.textContent(), /HTTP 502/);
  await page.context().close();
});

test('defect 9: a member company sees only the pages it may use', async () => {
  const page = await newPage();
  await signIn(page, stack.url, stack.tokens.member);
  // The page signing in lands on (the member's own profile, with its reveals)
  // finishes loading before the staff pages are counted.
  await page.waitForLoadState('networkidle');
  const calls = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    // whoami and the menu's count of requests waiting for an answer are the
    // member's own; the pages themselves must call nothing.
    if (u.pathname.startsWith('/api/v1/') && !['/api/v1/whoami', '/api/v1/requests'].includes(u.pathname)) calls.push(`${r.method()} ${u.pathname}`);
  });
  for (const hash of ['#/members', '#/import', '#/profiles/new', '#/delegations', '#/delegations/mx27', '#/delegations/new', '#/policy']) {
    await page.goto(`${stack.url}/${hash}`);
    await page.getByRole('heading', { level: 1, name: 'A page for chamber staff' }).waitFor();
    assert.equal(await page.locator('main form').count(), 0, `${hash}: no staff form`);
    assert.doesNotMatch(await page.locator('main').textContent(), /chamber_id|may not act/, `${hash}: no server internals`);
    assert.ok(await page.locator('main').getByRole('link', { name: /your best partners/ }).isVisible(), `${hash}: what the member may use instead`);
  }
  assert.deepEqual(calls, [], 'no call the API would refuse');
  // Partners without an id are the member's own.
  await page.goto(`${stack.url}/#/partners`);
  await page.getByRole('heading', { level: 1, name: 'Partners for de-9101' }).waitFor();
  await page.context().close();
});

test('defect 10: the operator sees estimates as such, a warning for an unknown chamber, and its own page', async () => {
  const page = await newPage();
  await signIn(page, stack.url, stack.tokens.admin);
  await page.goto(`${stack.url}/#/members`);
  const stats = page.locator('p.stats');
  await stats.waitFor();
  assert.match(await stats.textContent(), /about \d+ profiles and about \d+ delegations/);

  await page.goto(`${stack.url}/#/policy?chamber=ihk-muenchn`);
  const warning = page.getByText('No chamber “ihk-muenchn” is known');
  await warning.waitFor();
  assert.equal(await page.getByRole('button', { name: 'Save weights' }).count(), 0, 'no Save for a chamber nobody knows');
  await page.getByRole('button', { name: 'Set weights for ihk-muenchn anyway' }).click();
  await page.getByRole('button', { name: 'Save weights' }).waitFor();

  await page.goto(`${stack.url}/#/policy?chamber=ihk-muenchen`);
  await page.getByRole('button', { name: 'Save weights' }).waitFor();
  assert.equal(await page.getByText(/is known/).count(), 0, 'a chamber with members is known');

  await page.goto(`${stack.url}/#/me`);
  await page.locator('main .notice').waitFor();
  const text = await page.locator('main').textContent();
  assert.doesNotMatch(text, /speaks for a chamber/);
  assert.match(text, /operator/);
  await page.context().close();
});

test('defect 11: "Remember me on this device" keeps the sign-in for new tabs, only when ticked', async () => {
  const context = await newContext();
  const first = await context.newPage();
  await signIn(first, stack.url, stack.tokens.staff);
  assert.equal(await first.getByLabel('Remember me on this device').count(), 0);
  assert.equal(await first.evaluate(() => localStorage.length), 0, 'nothing in localStorage by default');
  const second = await context.newPage();
  await second.goto(`${stack.url}/#/members`);
  await second.getByLabel('Access token').waitFor();
  await second.close();

  await first.getByRole('button', { name: 'Sign out' }).click();
  await first.getByLabel('Access token').fill(stack.tokens.staff);
  assert.equal(await first.getByLabel('Remember me on this device').isChecked(), false, 'off by default');
  await first.getByLabel('Remember me on this device').check();
  await first.getByRole('button', { name: 'Sign in' }).click();
  await first.locator('#account .who').waitFor();
  const third = await context.newPage();
  await third.goto(`${stack.url}/#/members`);
  await third.getByRole('heading', { level: 1, name: 'Members' }).waitFor();
  assert.match(await third.locator('#account .who').textContent(), /Staff · ihk-muenchen/);

  await third.getByRole('button', { name: 'Sign out' }).click();
  await third.getByLabel('Access token').waitFor();
  assert.equal(await third.evaluate(() => localStorage.length), 0, 'signing out forgets the token');
  const fourth = await context.newPage();
  await fourth.goto(`${stack.url}/#/members`);
  await fourth.getByLabel('Access token').waitFor();
  await context.close();
});

test('no console errors or warnings', () => {
  assert.deepEqual(problems, []);
});
