// Browser test of the analytics page, in headless Chromium against a real
// sociod and socio-gateway with demo data (see stack.mjs). Member de-9101
// (ihk-muenchen) sends three meeting requests: one accepted for a meeting a
// few seconds long, which it then reports held and rates 5; one declined;
// one left waiting. The chamber's staff then see exactly those figures
// (3 sent, 1 accepted, 1 declined, 50 % accepted, 1 meeting held, rated 5.0),
// the vendors' typical ranges beside them, a chart by country pair whose bars
// are the numbers of the table beside it, and the same figures as CSV.
// A member is not offered the page.
//
//   node tests/web/analytics.test.mjs --build BUILD_DIR
//
// Exits 77 (skipped) when Chromium or tests/web/node_modules is missing.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { DESKTOP, buildDir, chromium, chromiumPath, openPage, signIn, sourceDir } from './harness.mjs';
import { callApi as callApiOf, issueToken, startStack } from './stack.mjs';

const MEMBER = 'de-9101';

let stack;
let browser;
const problems = [];

function callApi(method, apiPath, token, body) {
  return callApiOf(stack, method, apiPath, token, body);
}

function request(to, startMs, minutes) {
  const start = new Date(startMs);
  return callApi('POST', '/requests', stack.tokens.member, {
    request: { fromMemberId: MEMBER, toRef: to, proposed: [{ startTime: start.toISOString(), endTime: new Date(startMs + minutes * 60000).toISOString() }] },
  });
}

before(async () => {
  stack = await startStack({ buildDir, sourceDir, members: 200 });
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--disable-dev-shm-usage'] });
  const { matches } = await callApi('POST', '/partners:find', stack.tokens.member, { memberId: MEMBER, k: 3 });
  assert.equal(matches.length, 3);
  const tokenOf = (m) => issueToken(stack, buildDir, 'analytics test', '--role', 'member', '--profile', m.partnerId);
  const end = Date.now() + 4000;
  const met = await request(matches[0].partnerId, end - 3000, 0.05);
  await callApi('POST', `/requests/${met.id}:answer`, tokenOf(matches[0]), { accept: true, window: 0 });
  const declined = await request(matches[1].partnerId, Date.now() + 7 * 86400000, 60);
  await callApi('POST', `/requests/${declined.id}:answer`, tokenOf(matches[1]), { accept: false, reason: 'No capacity' });
  await request(matches[2].partnerId, Date.now() + 8 * 86400000, 60);
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, end - Date.now() + 300)));
  await callApi('POST', `/requests/${met.id}/outcome`, stack.tokens.member, { feedback: { attendance: 'HELD', rating: 5, followUp: 'YES' } });
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

test('staff see the figures the members wrote, a chart matching its table, and the CSV', async () => {
  const page = await openPage(browser, problems, { viewport: DESKTOP, acceptDownloads: true });
  await signIn(page, stack.url, stack.tokens.staff);
  await page.getByRole('link', { name: 'Analytics' }).click();
  await page.getByLabel('Group by').selectOption('country_pair');
  await page.getByRole('button', { name: 'Show' }).click();
  const figure = (key) => page.locator(`[data-figure="${key}"] dd.figure`);
  await figure('requestsSent').waitFor();
  const expected = {
    requestsSent: '3',
    requestsAccepted: '1',
    requestsDeclined: '1',
    acceptanceRate: '50 %',
    meetingsReported: '1',
    meetingsHeld: '1',
    heldRate: '100 %',
    averageRating: '5.0',
    followUpYes: '1',
    agreementsSigned: '0',
  };
  for (const [key, text] of Object.entries(expected)) assert.equal(await figure(key).textContent(), text, key);
  // The vendors' typical figures beside the chamber's.
  assert.match(await page.locator('[data-figure="acceptanceRate"] dd.hint').textContent(), /^Typical: 40–60 % .*ours is within the typical range$/);
  assert.match(await page.locator('[data-figure="heldRate"] dd.hint').textContent(), /^Typical: 75–85 % .*ours is above the typical range$/);

  // The chart (requests sent by country pair) shows the table's numbers.
  const chart = page.locator('svg.chart[role="img"]');
  assert.equal(await chart.locator('title').textContent(), 'Meeting requests sent by country pair');
  const bars = await chart.locator('g.chart-bar').evaluateAll((gs) =>
    gs.map((g) => [g.dataset.label, g.querySelector('.chart-value').textContent, Number(g.dataset.value)]),
  );
  const rows = await page.locator('table.analytics-table tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.querySelector('th').textContent, tr.querySelector('td').textContent]));
  assert.deepEqual(bars.map(([label, text]) => [label, text]), rows);
  assert.equal(bars.reduce((sum, [, , value]) => sum + value, 0), 3, 'the bars add up to the requests sent');
  for (const [label, text] of rows) assert.match(await chart.locator('desc').textContent(), new RegExp(`${label}: ${text}`));

  // The same figures as CSV.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download as CSV' }).click()]);
  const csv = readFileSync(await download.path(), 'utf8').split(/\r?\n/);
  const header = csv[0].split(',');
  const sent = header.indexOf('requests_sent');
  assert.ok(sent > 0, csv[0]);
  for (const [label, text] of rows) {
    const line = csv.find((l) => l.split(',')[0] === label);
    assert.ok(line, `${label} in the CSV`);
    assert.equal(line.split(',')[sent], text);
  }
  await page.context().close();
});

test('a member is not offered the analytics page', async () => {
  const page = await openPage(browser, problems, { viewport: DESKTOP });
  await signIn(page, stack.url, stack.tokens.member);
  assert.equal(await page.locator('#nav').getByRole('link', { name: 'Analytics' }).count(), 0);
  await page.goto(`${stack.url}/#/analytics`);
  await page.getByRole('heading', { name: 'A page for chamber staff' }).waitFor();
  await page.context().close();
});

test('no console errors or unexpected HTTP failures', () => {
  assert.deepEqual(problems, []);
});
