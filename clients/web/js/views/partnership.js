// #/partnerships/ID: one partnership. Its status, where it came from, its
// goals with their indicators (baseline, target, the latest value read at a
// review, due date), milestones, the review rhythm and when the next review
// is due, and the reviews so far. Forms to move its status on (ending it
// needs a reason and is final) and to record a review: each indicator's
// value, on track / at risk / off track, a note.

import { api } from '../api.js';
import { h, heading, loading, notice, uid } from '../dom.js';
import { companyNames, listAll } from '../engagement.js';
import { busy, clearErrors, describe, field, formMessage, showError } from '../form.js';
import { dateText, dateTimeText, meetingHash } from '../outcomes.js';
import { JUDGEMENTS, STATUSES, amount, byText, judgementText, originText, partiesOf, statusText } from '../partnerships.js';

export async function renderPartnership(ctx, id) {
  const title = heading('Partnership');
  const status = h('div', { class: 'status-area', 'aria-live': 'polite' });
  const content = h('div', {}, loading('Loading the partnership…'));
  ctx.main.append(title, status, content);
  const path = `/partnerships/${encodeURIComponent(id)}`;
  let p;
  let reviews;
  try {
    [p, reviews] = await Promise.all([
      api.get(path, {}, { signal: ctx.signal }),
      listAll(`${path}/reviews`, {}, 'reviews', { signal: ctx.signal }),
    ]);
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    content.replaceChildren(notice('error', describe(e)));
    return;
  }
  const companies = p.firstMemberId ? await companyNames(ctx).all(partiesOf(p)) : new Map();
  const nameOf = (x) => companies.get(x)?.name || x;

  function say(kind, text) {
    status.replaceChildren(notice(kind, text));
    ctx.announce(text);
  }

  // The latest reading of each indicator: reviews are numbered in order.
  function latest() {
    const out = new Map();
    for (const r of [...reviews].sort((a, b) => a.number - b.number)) {
      for (const reading of r.readings || []) out.set(reading.indicator, { value: reading.value, review: r });
    }
    return out;
  }

  function overview() {
    const parties = partiesOf(p).map(nameOf).join(' and ');
    const o = p.origin || {};
    const meetingRef = o.sourceRequestId ? { requestId: o.sourceRequestId } : o.meetingUid ? { delegationId: o.sourceDelegationId, meetingUid: o.meetingUid } : null;
    const rhythm =
      p.status === 'ENDED'
        ? 'No more reviews: ended.'
        : `Every ${p.reviewEveryWeeks || 4} week${p.reviewEveryWeeks === 1 ? '' : 's'}; next review due ${p.nextReviewTime ? dateText(p.nextReviewTime) : '—'}${p.status === 'PAUSED' ? ' (no reminders while paused)' : ''}.`;
    return h(
      'dl',
      { class: 'summary partnership-summary' },
      h('dt', {}, 'Between'),
      h('dd', {}, parties),
      h('dt', {}, 'Status'),
      h('dd', { dataset: { field: 'status' } }, statusText(p.status), p.endReason ? `: ${p.endReason}` : ''),
      h('dt', {}, 'Came from'),
      h('dd', {}, originText(o), meetingRef ? [' · ', h('a', { href: meetingHash(meetingRef) }, 'the meeting')] : null),
      h('dt', {}, 'Reviews'),
      h('dd', { dataset: { field: 'rhythm' } }, rhythm),
      h('dt', {}, 'Started'),
      h('dd', {}, `${dateText(p.createTime)} by ${byText(p.createdBy, nameOf)}`),
    );
  }

  function goalsTable() {
    const goals = p.goals || [];
    if (!goals.length) return h('p', { class: 'hint' }, 'No shared goals.');
    const last = latest();
    return h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'data goals' },
        h('caption', {}, 'Shared goals and how they are measured'),
        h('thead', {}, h('tr', {}, ['Goal', 'Measured by', 'Baseline', 'Target', 'Latest value', 'Due'].map((t) => h('th', { scope: 'col' }, t)))),
        h(
          'tbody',
          {},
          goals.map((g) => {
            const ind = g.indicator || {};
            const now = last.get(ind.name);
            return h(
              'tr',
              { dataset: { indicator: ind.name || '' } },
              h('th', { scope: 'row' }, g.title),
              h('td', {}, ind.name || ''),
              h('td', { class: 'num' }, amount(ind.baseline, ind.unit)),
              h('td', { class: 'num' }, amount(ind.target, ind.unit)),
              h('td', { class: 'num', dataset: { latest: '' } }, now ? [amount(now.value, ind.unit), h('span', { class: 'hint block' }, `review ${now.review.number}`)] : '—'),
              h('td', {}, ind.dueDate ? dateText(`${ind.dueDate}T12:00:00Z`) : ''),
            );
          }),
        ),
      ),
    );
  }

  function milestonesList() {
    const list = p.milestones || [];
    if (!list.length) return h('p', { class: 'hint' }, 'No milestones.');
    return h(
      'ul',
      { class: 'milestones' },
      list.map((m) => h('li', {}, h('strong', {}, m.title), m.dueDate ? ` · due ${dateText(`${m.dueDate}T12:00:00Z`)}` : '', m.doneTime ? ` · reached ${dateText(m.doneTime)}` : ' · open')),
    );
  }

  function statusForm() {
    if (p.status === 'ENDED') return null;
    const choices = STATUSES.filter(([s]) => s !== p.status);
    const to = field({ label: 'New status', path: 'partnership.status', type: 'select', options: [['', 'Choose…'], ...choices] });
    const reason = field({ label: 'Why it ends', path: 'partnership.end_reason', type: 'textarea', attrs: { maxlength: 500 }, hint: 'Needed to end it; ending is final.' });
    const update = () => {
      reason.hidden = to.input.value !== 'ENDED';
    };
    to.input.addEventListener('change', update);
    update();
    const submit = h('button', { type: 'submit' }, 'Change the status');
    const form = h('form', { class: 'inline-form status-form', novalidate: true, 'aria-label': 'Change the status', dataset: { failed: 'Not changed' } }, to, reason, formMessage(), h('div', { class: 'actions' }, submit));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearErrors(form);
      const body = { status: to.input.value };
      if (to.input.value === 'ENDED') body.endReason = reason.input.value.trim();
      await busy(submit, async () => {
        try {
          p = await api.patch(path, body, { expected_version: p.version });
          draw();
          say('ok', `Status changed to ${statusText(p.status).toLowerCase()}.`);
        } catch (err) {
          if (err.name === 'AbortError') return;
          showError(form, err, 'partnership');
        }
      });
    });
    return form;
  }

  function reviewForm() {
    if (p.status === 'ENDED') return null;
    const indicators = (p.goals || []).map((g) => g.indicator || {}).filter((i) => i.name);
    const last = latest();
    const readings = indicators.map((ind, i) =>
      field({
        label: `${ind.name}${ind.unit ? ` (${ind.unit})` : ''}`,
        path: `review.readings[${i}].value`,
        type: 'number',
        value: last.get(ind.name)?.value ?? ind.baseline ?? 0,
        required: true,
        attrs: { step: 'any' },
        hint: `Target ${amount(ind.target, ind.unit)}`,
      }),
    );
    // How each goal goes, when it differs from the whole.
    const goalJudgements = indicators.map((ind, i) =>
      field({
        label: `How is “${ind.name}” going?`,
        path: `review.readings[${i}].judgement`,
        type: 'select',
        options: [['', 'As the partnership as a whole'], ...JUDGEMENTS],
      }),
    );
    const judgement = field({ label: 'How is it going?', path: 'review.judgement', type: 'select', options: [['', 'Choose…'], ...JUDGEMENTS], required: true });
    const note = field({ label: 'Note', path: 'review.note', type: 'textarea', attrs: { maxlength: 2000 } });
    const submit = h('button', { type: 'submit' }, 'Record the review');
    const form = h(
      'form',
      { class: 'review-form', novalidate: true, 'aria-label': 'Record a review', dataset: { failed: 'Not recorded' } },
      readings.length ? h('fieldset', {}, h('legend', {}, 'Where each indicator stands'), readings.map((r, i) => h('div', { class: 'grid' }, r, goalJudgements[i]))) : null,
      judgement,
      note,
      formMessage(),
      h('div', { class: 'actions' }, submit),
    );
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearErrors(form);
      const review = {
        judgement: judgement.input.value,
        note: note.input.value.trim(),
        readings: indicators.map((ind, i) => ({
          indicator: ind.name,
          value: Number(readings[i].input.value || 0),
          ...(goalJudgements[i].input.value ? { judgement: goalJudgements[i].input.value } : {}),
        })),
      };
      await busy(submit, async () => {
        try {
          const recorded = await api.post(`${path}/reviews`, review, { expected_version: p.version });
          reviews = [...reviews, recorded];
          p = await api.get(path, {}, { signal: ctx.signal });
          draw();
          say('ok', `Review ${recorded.number} recorded: ${judgementText(recorded.judgement).toLowerCase()}.`);
        } catch (err) {
          if (err.name === 'AbortError') return;
          showError(form, err, 'review');
        }
      });
    });
    return form;
  }

  function reviewsList() {
    if (!reviews.length) return h('p', { class: 'hint' }, 'No reviews yet.');
    const units = new Map((p.goals || []).map((g) => [g.indicator?.name, g.indicator?.unit || '']));
    return h(
      'ul',
      { class: 'reviews' },
      [...reviews]
        .sort((a, b) => b.number - a.number)
        .map((r) =>
          h(
            'li',
            { class: `review judgement-${String(r.judgement || '').toLowerCase()}`, dataset: { review: String(r.number) } },
            h('h3', {}, `Review ${r.number}: ${judgementText(r.judgement)}`),
            h('p', { class: 'meta' }, `${dateTimeText(r.createTime)} by ${byText(r.recordedBy, nameOf)}`),
            (r.readings || []).length
              ? h('ul', {}, r.readings.map((x) => h('li', {}, `${x.indicator}: ${amount(x.value, units.get(x.indicator))}`, x.judgement ? ` (${judgementText(x.judgement).toLowerCase()})` : '')))
              : null,
            r.note ? h('blockquote', { class: 'request-message' }, r.note) : null,
          ),
        ),
    );
  }

  const section = (label, ...body) => {
    const hid = uid('part');
    return h('section', { class: 'card', 'aria-labelledby': hid }, h('h2', { id: hid }, label), ...body);
  };

  function draw() {
    title.textContent = p.title || p.id;
    content.replaceChildren(
      overview(),
      section('Goals', goalsTable()),
      section('Milestones', milestonesList()),
      p.status === 'ENDED' ? null : section('Record a review', reviewForm()),
      section('Reviews', reviewsList()),
      p.status === 'ENDED' ? null : section('Status', statusForm()),
    );
  }
  draw();
}
