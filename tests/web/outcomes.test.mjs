// Browser tests of what comes after a meeting, in headless Chromium against a
// real sociod and socio-gateway with demo data (see stack.mjs):
//   1. member de-9101 meets its best partner (an accepted request for a few
//      seconds from now); before the meeting's end its page offers no
//      feedback form; after it, the meeting waits on "Meeting feedback", the
//      member answers stage 1 (held, 4 of 5, follow up: yes, a note) and the
//      answer is stored; a stage 2 report without the agreement's type is
//      refused with the server's message beside the field;
//   2. the member starts a partnership from the meeting's page with a goal;
//      the chamber's staff find it under Partnerships, record a review (the
//      indicator's value, at risk, a note), which the API then holds, and end
//      it: without a reason the server's refusal is shown, with one it ends;
//      before that, the staff's Feedback page shows both sides' answers;
//   3. no console error or unexpected HTTP failure.
//
//   node tests/web/outcomes.test.mjs --build BUILD_DIR
//
// Exits 77 (skipped) when Chromium or tests/web/node_modules is missing.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DESKTOP, buildDir, chromium, chromiumPath, openPage, signIn, sourceDir } from './harness.mjs';
import { callApi as callApiOf, issueToken, startStack } from './stack.mjs';

const MEMBER = 'de-9101';
const ZONE = 'UTC';

let stack;
let browser;
let partner; // the member's best partner (Match)
let partnerToken;
let meetingId; // the accepted request both sides met at
let meetingEnd; // its end, ms since the epoch
let partnershipId;
const problems = [];

function callApi(method, apiPath, token, body) {
  return callApiOf(stack, method, apiPath, token, body);
}

// The refusals these tests provoke: stage 2 without an agreement type, ending
// without a reason.
function expected(url, status) {
  return (status === 400 && /\/outcome$/.test(new URL(url).pathname)) || (status === 400 && /\/partnerships\/pt-/.test(url));
}

before(async () => {
  stack = await startStack({ buildDir, sourceDir, members: 200 });
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--disable-dev-shm-usage'] });
  const found = await callApi('POST', '/partners:find', stack.tokens.member, { memberId: MEMBER, k: 3 });
  partner = found.matches[0];
  partnerToken = issueToken(stack, buildDir, 'outcomes test', '--role', 'member', '--profile', partner.partnerId);
  // A meeting that ends in a few seconds: long enough to see it before its
  // end, short enough to answer it after.
  const start = Date.now() + 1500;
  meetingEnd = start + 4000;
  const sent = await callApi('POST', '/requests', stack.tokens.member, {
    request: {
      fromMemberId: MEMBER,
      toRef: partner.partnerId,
      message: 'Shall we meet?',
      proposed: [{ startTime: new Date(start).toISOString(), endTime: new Date(meetingEnd).toISOString() }],
    },
  });
  meetingId = sent.id;
  await callApi('POST', `/requests/${meetingId}:answer`, partnerToken, { accept: true, window: 0 });
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

function newPage() {
  return openPage(browser, problems, { viewport: DESKTOP, timezoneId: ZONE, expected });
}

test('a member answers stage 1 after the meeting’s end, and the answer is stored', async () => {
  const page = await newPage();
  await signIn(page, stack.url, stack.tokens.member);
  await page.getByRole('link', { name: /Requests/ }).click();
  await page.locator(`li.request[data-request="${meetingId}"]`).getByRole('link', { name: 'Feedback on this meeting' }).click();
  const card = page.locator('article.meeting');
  await card.getByText('Feedback opens when the meeting ends').waitFor();
  assert.equal(await card.locator('form.feedback-form').count(), 0, 'no form before the meeting’s end');
  assert.match(await card.locator('section.side').nth(1).innerText(), /not shown to you/);

  await new Promise((resolve) => setTimeout(resolve, Math.max(0, meetingEnd - Date.now() + 300)));
  await page.reload();
  const form = card.locator('form.feedback-form');
  await form.getByLabel('Did the meeting take place?').selectOption('HELD');
  await form.getByLabel('How did it go?').selectOption('4');
  await form.getByLabel(`Follow up with ${partner.partnerName}?`).selectOption('YES');
  await form.getByLabel('Note (optional)').fill('Good fit for Mexico');
  await form.getByRole('button', { name: 'Send feedback' }).click();
  await page.locator('main').getByText('Feedback saved.').waitFor();
  await card.locator(`section.side[data-member="${MEMBER}"] [data-stage="feedback"]`, { hasText: 'Held · rated 4 of 5 · follow up: yes' }).waitFor();

  const stored = await callApi('GET', `/requests/${meetingId}/outcome`, stack.tokens.member);
  const own = stored.sides.find((s) => s.memberId === MEMBER);
  assert.deepEqual(own.feedback, { attendance: 'HELD', rating: 4, followUp: 'YES', note: 'Good fit for Mexico' });
  assert.equal(own.updatedBy, 'member');

  // The partner has not answered: the meeting waits on its list.
  const other = await newPage();
  await signIn(other, stack.url, partnerToken);
  await other.getByRole('link', { name: 'Meeting feedback' }).click();
  const waiting = other.locator('.meetings-feedback article.meeting');
  await waiting.first().waitFor();
  assert.equal(await waiting.count(), 1);
  assert.equal(await waiting.locator('h3').first().textContent(), 'Meeting with Huber Werkzeugmaschinen GmbH');
  assert.equal(await waiting.locator('form.feedback-form').count(), 1);
  await other.context().close();

  // Stage 2 early, an agreement without its type: the server's refusal
  // beside the field, nothing stored.
  await page.goto(`${stack.url}/#/meetings/request/${meetingId}`);
  const side = page.locator(`section.side[data-member="${MEMBER}"]`);
  await side.getByText('Report what came of it now').click();
  const report = side.locator('form.follow-up-form');
  await report.getByLabel('Where does it stand?').selectOption('AGREEMENT_SIGNED');
  await report.getByRole('button', { name: 'Send the follow-up report' }).click();
  await report.locator('.field-error:not([hidden])').waitFor();
  assert.match(await report.locator('.field-error:not([hidden])').textContent(), /agreement_type/);
  assert.ok(!(await callApi('GET', `/requests/${meetingId}/outcome`, stack.tokens.member)).sides.find((s) => s.memberId === MEMBER).followUp);
  await page.context().close();
});

test('a partnership started from the meeting; staff record a review and end it', async () => {
  const page = await newPage();
  await signIn(page, stack.url, stack.tokens.member);
  await page.goto(`${stack.url}/#/meetings/request/${meetingId}`);
  await page.getByRole('link', { name: 'Start a partnership from this meeting' }).click();
  await page.getByLabel('Title').fill('Machine tools for Mexico');
  await page.getByLabel('Goal', { exact: true }).fill('Enter the Mexican market');
  await page.getByLabel('Measured by').fill('Machines sold');
  await page.getByLabel('Unit', { exact: true }).fill('units');
  await page.getByLabel('Target', { exact: true }).fill('40');
  await page.getByLabel('Reach the target by').fill(`${new Date().getUTCFullYear() + 1}-12-31`);
  await page.getByRole('button', { name: 'Start the partnership' }).click();
  await page.locator('h1', { hasText: 'Machine tools for Mexico' }).waitFor();
  partnershipId = decodeURIComponent(new URL(page.url()).hash.split('/')[2]);
  const created = await callApi('GET', `/partnerships/${partnershipId}`, stack.tokens.member);
  assert.equal(created.origin.sourceRequestId, meetingId);
  assert.equal(created.secondMemberId, partner.partnerId);
  assert.equal(created.status, 'EXPLORING');
  await page.context().close();

  const staff = await newPage();
  await signIn(staff, stack.url, stack.tokens.staff);
  // Staff see both sides' answers of their member's meeting.
  await staff.getByRole('link', { name: 'Feedback' }).click();
  const row = staff.locator(`table.meetings tr[data-meeting="${meetingId}"]`);
  await row.waitFor();
  assert.match(await row.locator('td').nth(1).innerText(), /Huber Werkzeugmaschinen GmbH\s+Held · rated 4 of 5 · follow up: yes/);
  assert.match(await row.locator('td').nth(2).innerText(), new RegExp(`${partner.partnerName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s+Not answered yet`));
  await staff.getByRole('link', { name: 'Partnerships' }).click();
  await staff.getByRole('link', { name: 'Machine tools for Mexico' }).click();
  await staff.getByText(`Every 8 weeks; next review due`).waitFor();
  const review = staff.locator('form.review-form');
  await review.getByLabel('Machines sold (units)').fill('6');
  await review.getByLabel('How is “Machines sold” going?').selectOption('OFF_TRACK');
  await review.getByLabel('How is it going?').selectOption('AT_RISK');
  await review.getByLabel('Note').fill('Customs delays');
  await review.getByRole('button', { name: 'Record the review' }).click();
  await staff.locator('main').getByText('Review 1 recorded: at risk.').waitFor();
  const goal = staff.locator('table.goals tr[data-indicator="Machines sold"]');
  assert.match(await goal.locator('td[data-latest]').innerText(), /^6 units/);
  await staff.locator('li.review[data-review="1"]').getByText('Machines sold: 6 units (off track)').waitFor();

  const reviews = await callApi('GET', `/partnerships/${partnershipId}/reviews`, stack.tokens.member);
  assert.equal(reviews.reviews.length, 1);
  assert.equal(reviews.reviews[0].judgement, 'AT_RISK');
  assert.deepEqual(reviews.reviews[0].readings, [{ indicator: 'Machines sold', value: 6, judgement: 'OFF_TRACK' }]);
  assert.equal(reviews.reviews[0].note, 'Customs delays');
  assert.equal(reviews.reviews[0].recordedBy, 'staff:ihk-muenchen');

  // Ending needs a reason: the server says so; with one it ends for good.
  const status = staff.locator('form.status-form');
  await status.getByLabel('New status').selectOption('ENDED');
  await status.getByRole('button', { name: 'Change the status' }).click();
  await status.locator('[role="alert"], .field-error:not([hidden])').first().waitFor();
  await status.getByLabel('Why it ends').fill('The partner chose another supplier');
  await status.getByRole('button', { name: 'Change the status' }).click();
  await staff.locator('main').getByText('Status changed to ended.').waitFor();
  assert.equal(await staff.locator('form.status-form').count(), 0);
  const ended = await callApi('GET', `/partnerships/${partnershipId}`, stack.tokens.member);
  assert.equal(ended.status, 'ENDED');
  assert.equal(ended.endReason, 'The partner chose another supplier');
  await staff.context().close();
});

test('no console errors or unexpected HTTP failures', () => {
  assert.deepEqual(problems, []);
});
