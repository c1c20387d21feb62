// Browser tests of a delegation co-planned with a host chamber, in headless
// Chromium against a real sociod and socio-gateway with demo data (see
// stack.mjs): Munich's mission to Mexico (ihk-muenchen organises), hosted
// by CAINTRA Nuevo León (caintra-nl), whose member mx-9101 is a host.
//   - the host chamber's staff find the delegation marked "We host" and are
//     not offered the controls only the organisers may use (plan, edit,
//     delete, pairs, moves; the programme form);
//   - the host chamber's staff add a host, enter when it cannot meet and
//     invite it with a deadline; the host company accepts in the console with
//     a note; the organiser's page shows the response rate, and the hosts
//     tab each host's answer.
//
//   node tests/web/host_chamber.test.mjs --build BUILD_DIR [--web_dir DIR]
//
// Exits 77 (skipped) when Chromium or tests/web/node_modules is missing.

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { DESKTOP, buildDir, chromium, chromiumPath, option, sourceDir, signIn, openPage } from './harness.mjs';
import { callApi, issueToken, startStack } from './stack.mjs';

const webDir = path.resolve(option('web_dir', path.join(sourceDir, 'clients/web')));
const HOST_CHAMBER = 'caintra-nl';
const HOST = 'mx-9101'; // a caintra-nl member (tests/web/fixtures/delegates.jsonl)

let stack;
let browser;
let tokens;
const problems = []; // console errors and failed requests nobody expected

before(async () => {
  stack = await startStack({ buildDir, sourceDir, webDir });
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--disable-dev-shm-usage'] });
  tokens = {
    organiser: stack.tokens.staff,
    host: issueToken(stack, buildDir, 'host chamber staff', '--role', 'staff', '--chamber', HOST_CHAMBER),
    member: issueToken(stack, buildDir, 'host company', '--role', 'member', '--profile', HOST),
  };
  // The organisers name the host chamber and plan.
  const d = await callApi(stack, 'GET', '/delegations/mx27', tokens.organiser);
  await callApi(stack, 'PATCH', `/delegations/mx27?expected_version=${d.version}`, tokens.organiser, { hostChamberId: HOST_CHAMBER });
  await callApi(stack, 'POST', '/delegations/mx27:plan', tokens.organiser);
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

function newPage() {
  return openPage(browser, problems, { viewport: DESKTOP, warnings: false });
}

test('host chamber staff see "We host" and are not offered the delegate controls', async () => {
  const page = await newPage();
  await signIn(page, stack.url, tokens.host);
  await page.goto(`${stack.url}/#/delegations`);
  const row = page.getByRole('row', { name: /Mission to Mexico 2027/ });
  await row.waitFor();
  assert.equal((await row.locator('[data-part]').textContent()).trim(), 'We host');
  await row.getByRole('link', { name: 'Mission to Mexico 2027' }).click();
  await page.locator('table.schedule').waitFor();
  assert.match(await page.locator('.mission').textContent(), /ihk-muenchen with caintra-nl hosting/);
  for (const name of ['Plan', 'Re-plan', 'Plan from scratch…', 'Delete…', 'Add pair and re-plan']) {
    assert.equal(await page.getByRole('button', { name, exact: true }).count(), 0, `no "${name}"`);
  }
  assert.equal(await page.getByRole('link', { name: 'Edit', exact: true }).count(), 0, 'no link to the delegation form');
  assert.equal(await page.getByRole('heading', { name: 'Pairs decided by staff' }).count(), 0);
  // A meeting shows what it is, without moves or locks.
  await page.locator('button.meeting').first().click();
  await page.locator('.selected-panel').waitFor();
  assert.equal(await page.locator('.selected-panel select').count(), 0, 'no "Move to"');
  assert.equal(await page.getByRole('button', { name: /^Lock|^Decline/ }).count(), 0);
  assert.match(await page.locator('.selected-panel').textContent(), /ihk-muenchen plans the meetings/);
  // The programme: read, not edited.
  await page.getByRole('link', { name: 'Programme and interpreters' }).click();
  await page.getByRole('heading', { name: 'Programme', exact: true }).waitFor();
  assert.equal(await page.getByRole('form', { name: 'Add a programme item' }).count(), 0);
  assert.equal(await page.getByRole('form', { name: 'Interpreters' }).count(), 0);

  // The organisers see their own delegation as theirs, with every control.
  const organiser = await newPage();
  await signIn(organiser, stack.url, tokens.organiser);
  await organiser.goto(`${stack.url}/#/delegations`);
  const own = organiser.getByRole('row', { name: /Mission to Mexico 2027/ });
  await own.waitFor();
  assert.equal((await own.locator('[data-part]').textContent()).trim(), 'We organise');
  await organiser.goto(`${stack.url}/#/delegations/mx27`);
  await organiser.getByRole('button', { name: 'Re-plan', exact: true }).waitFor();
  await page.context().close();
  await organiser.context().close();
});

test('host staff invite a host, the host accepts in the console, the organisers see the response rate', async () => {
  const staff = await newPage();
  await signIn(staff, stack.url, tokens.host);
  await staff.goto(`${stack.url}/#/delegations/mx27?tab=hosts`);
  await staff.getByRole('heading', { name: 'Invitations', exact: true }).waitFor();
  let d = await callApi(stack, 'GET', '/delegations/mx27', tokens.host);
  const first = [...d.days].sort((a, b) => a.date.localeCompare(b.date))[0];

  // Name the host, then say it cannot meet on the first morning.
  const add = staff.getByRole('form', { name: 'Add a host' });
  await add.getByLabel('Member id').fill(HOST);
  await add.getByRole('button', { name: 'Add host' }).click();
  await staff.locator('.status-area .notice-ok', { hasText: /^Added .* to the hosts\.$/ }).waitFor();
  const hostRow = staff.locator(`tr[data-host="${HOST}"]`);
  await hostRow.getByRole('button', { name: 'Unavailable times' }).click();
  const times = staff.getByRole('form', { name: /cannot meet/ });
  await times.getByRole('button', { name: 'Add an unavailable time' }).click();
  await times.getByLabel('Day').selectOption(first.date);
  await times.getByLabel('From').fill('09:00');
  await times.getByLabel('To', { exact: true }).fill('10:00');
  await times.getByRole('button', { name: `Save the times of ${HOST}` }).click();
  await staff.locator('.status-area .notice-ok', { hasText: /^Saved when .* cannot meet\.$/ }).waitFor();
  d = await callApi(stack, 'GET', '/delegations/mx27', tokens.host);
  assert.deepEqual(d.hosts.find((p) => p.memberId === HOST).unavailable, [{ date: first.date, startTime: '09:00', endTime: '10:00' }]);
  assert.match(await hostRow.locator('td').nth(1).textContent(), /09:00–10:00/);

  // Invite it, to answer within a week.
  const invite = staff.getByRole('form', { name: 'Invite hosts' });
  const box = invite.getByRole('checkbox', { name: new RegExp(HOST) });
  assert.equal(await box.isChecked(), true);
  const deadline = new Date(Date.now() + 7 * 86400e3);
  const local = new Date(deadline.getTime() - deadline.getTimezoneOffset() * 60e3).toISOString().slice(0, 16);
  await invite.getByLabel('Answer by').fill(local);
  await invite.getByRole('button', { name: 'Invite the chosen hosts' }).click();
  await staff.getByText(/Invited 1 host/).waitFor();
  assert.equal(await hostRow.locator('[data-invitation]').getAttribute('data-invitation'), 'PENDING');
  d = await callApi(stack, 'GET', '/delegations/mx27', tokens.host);
  assert.equal(d.invitationSummary.invited, 1);
  assert.equal(d.invitationSummary.pending, 1);

  // The host company sees the invitation, with what it may know of the delegation, and accepts.
  const member = await newPage();
  await signIn(member, stack.url, tokens.member);
  await member.getByRole('link', { name: 'Invitations' }).click();
  const card = member.locator('li.invitation[data-delegation="mx27"]');
  await card.waitFor();
  assert.equal((await card.getByRole('heading').textContent()).trim(), 'Mission to Mexico 2027');
  const meta = await card.locator('.meta').textContent();
  for (const day of d.days) assert.ok(meta.includes(day.city), `${meta} names ${day.city}`);
  assert.match(meta, /organised by ihk-muenchen with caintra-nl/);
  assert.match(await card.locator('.request-state').textContent(), /Waiting for an answer \(answer by /);
  await card.getByLabel('Note for the organisers').fill('Glad to meet machine-tool makers; our sales director comes.');
  await card.getByRole('button', { name: 'Accept', exact: true }).click();
  await member.locator('.status-area .notice-ok').waitFor();
  const answered = member.locator('li.invitation[data-delegation="mx27"] .request-state');
  assert.match(await answered.textContent(), /^Accepted by the company on .*: Glad to meet machine-tool makers/);
  assert.equal(await answered.getAttribute('data-status'), 'ACCEPTED');
  await member.context().close();

  // The organisers' page: the response rate as the API counts it, and the answer on the hosts tab.
  d = await callApi(stack, 'GET', '/delegations/mx27', tokens.organiser);
  assert.equal(d.invitationSummary.accepted, 1);
  const organiser = await newPage();
  await signIn(organiser, stack.url, tokens.organiser);
  await organiser.goto(`${stack.url}/#/delegations/mx27`);
  const rate = organiser.locator('.invitation-line [data-figure="response-rate"]');
  await rate.waitFor();
  const expected = `${d.invitationSummary.invited} invited: ${d.invitationSummary.accepted} accepted, 0 declined, 0 waiting, 0 without answer · response rate ${(d.invitationSummary.responseRate * 100).toFixed(1)} %`;
  assert.equal((await rate.textContent()).trim(), expected);
  assert.match(expected, /response rate 100\.0 %/);
  await organiser.getByRole('link', { name: 'each host’s answer' }).click();
  const answer = organiser.locator(`tr[data-host="${HOST}"] [data-invitation]`);
  await answer.waitFor();
  assert.equal(await answer.getAttribute('data-invitation'), 'ACCEPTED');
  assert.match(await answer.textContent(), /Accepted by the company on .*: Glad to meet/);
  await organiser.context().close();
  await staff.context().close();
});

test('no console errors or failed requests', () => {
  assert.deepEqual(problems, []);
});
