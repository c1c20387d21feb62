// One scored match, explained: the score in both directions, each factor's
// contribution as a bar (with the numbers as text beside it) and the reasons
// in words.

import { anonymousNote, anonymousTitle, isAnonymous, nameFor } from './anonymous.js';
import { fixed, h, joinList, loading, notice, uid } from './dom.js';
import { describe } from './form.js';
import { FACTOR_ABOUT, FACTORS, labelOf } from './labels.js';
import { metBeforeText } from './met_before.js';

const FACTOR_NAMES = FACTORS.map(([value, , label]) => [value, label]);

// The factor table: weight, score each way and contribution, with a bar whose
// length is the contribution's share of the whole score.
export function factorTable(match) {
  const score = Number(match.score || 0);
  const rows = (match.factors || []).map((f) => {
    const contribution = Number(f.contribution || 0);
    const share = score > 0 ? Math.max(0, Math.min(1, contribution / score)) : 0;
    const bar = h('span', { class: 'bar', 'aria-hidden': 'true' }, h('span', { class: `bar-fill factor-${String(f.factor).toLowerCase()}` }));
    bar.firstChild.style.width = `${(share * 100).toFixed(1)}%`;
    return h(
      'tr',
      {},
      h('th', { scope: 'row', title: FACTOR_ABOUT[String(f.factor).toLowerCase()] || '' }, labelOf(FACTOR_NAMES, f.factor)),
      h('td', { class: 'num' }, fixed(f.weight, 3)),
      h('td', { class: 'num' }, fixed(f.forward, 2)),
      h('td', { class: 'num' }, fixed(f.backward, 2)),
      h('td', {}, h('div', { class: 'contribution' }, bar, h('span', { class: 'num' }, `${fixed(contribution, 3)} (${Math.round(share * 100)} %)`))),
    );
  });
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'data factors' },
      h('caption', {}, `How the score of ${fixed(score, 3)} adds up`),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'Factor'),
          h('th', { scope: 'col' }, 'Weight'),
          h('th', { scope: 'col' }, h('abbr', { title: 'how good the partner is for the member (a → b)' }, 'For member')),
          h('th', { scope: 'col' }, h('abbr', { title: 'how good the member is for the partner (b → a)' }, 'For partner')),
          h('th', { scope: 'col' }, 'Contribution to the score'),
        ),
      ),
      h('tbody', {}, rows),
    ),
    h(
      'details',
      { class: 'factor-meanings' },
      h('summary', {}, 'What the factors measure'),
      h('dl', {}, FACTORS.flatMap(([, key, label]) => [h('dt', {}, label), h('dd', {}, FACTOR_ABOUT[key])])),
    ),
  );
}

export function reasonList(match) {
  const reasons = match.reasons || [];
  if (!reasons.length) return h('p', { class: 'hint' }, 'No reasons given.');
  return h('ul', { class: 'reasons' }, reasons.map((r) => h('li', {}, r)));
}

export function scoreLine(match) {
  return h(
    'p',
    { class: 'score-line' },
    h('strong', { class: 'score' }, `Score ${fixed(match.score, 3)}`),
    ` · for the member ${fixed(match.forwardScore, 3)} · for the partner ${fixed(match.backwardScore, 3)}`,
  );
}

// What "Why" shows once opened: every factor and every reason of the pair,
// asked of `explain` (a Promise of the full match) the first time it opens.
// Until then a loading line; if the call fails, why, with "Try again" (so
// does opening it again).
function explanation(details, partner, explain) {
  const body = h('div', { class: 'explanation', 'aria-live': 'polite' });
  let state = 'closed'; // 'loading', 'shown'
  async function load() {
    if (state !== 'closed') return;
    state = 'loading';
    body.setAttribute('aria-busy', 'true');
    body.replaceChildren(loading(`Working out every factor for ${partner}…`));
    try {
      const full = await explain();
      body.replaceChildren(factorTable(full), h('h4', {}, 'Every reason, strongest first'), reasonList(full));
      state = 'shown';
    } catch (e) {
      state = 'closed';
      if (e.name === 'AbortError') return; // the page was left
      const again = h('button', { type: 'button', class: 'secondary' }, 'Try again');
      again.addEventListener('click', () => {
        details.querySelector('summary').focus(); // the button goes; the focus stays on the card
        load();
      });
      body.replaceChildren(
        notice('error', h('p', {}, `The factors for ${partner} cannot be shown: ${describe(e)}`), h('div', { class: 'actions' }, again)),
      );
    } finally {
      body.removeAttribute('aria-busy');
    }
  }
  details.addEventListener('toggle', () => {
    if (details.open) load();
  });
  return body;
}

// A card of the ranked list. The list's matches are FindPartners' BASIC
// view: the card shows the strongest reason, and "Why" fetches the rest
// (every factor, every reason) with `explain()` when it is opened.
export function matchCard(match, { memberId, staff = false, explain }) {
  const titleId = uid('match');
  const anonymous = isAnonymous(match.partnerId);
  const partner = nameFor(match.partnerId, match.partnerName);
  // An anonymous partner's page (staff of other chambers) is its anonymous
  // view, by its handle.
  const title = anonymous ? anonymousTitle(match.partnerId) : partner;
  const details = h('details', { class: 'why' }, h('summary', {}, `Why: every factor for ${partner}`));
  details.append(explanation(details, partner, explain));
  const strongest = { reasons: (match.reasons || []).slice(0, 1) };
  const compareHref = `#/compare?a=${encodeURIComponent(memberId)}&b=${encodeURIComponent(match.partnerId)}`;
  return h(
    'li',
    { class: 'match card', 'aria-labelledby': titleId },
    h(
      'div',
      { class: 'match-head' },
      h('span', { class: 'rank', 'aria-hidden': 'true' }, `#${match.rank}`),
      h(
        'h3',
        { id: titleId },
        h('span', { class: 'visually-hidden' }, `Rank ${match.rank}: `),
        staff ? h('a', { href: `#/profiles/${encodeURIComponent(match.partnerId)}` }, title) : title,
      ),
      h('span', { class: 'meta' }, `${match.partnerCountry} · ${joinList(match.partnerSectors)} · ${match.partnerChamberId || ''}`),
    ),
    anonymous ? anonymousNote() : null,
    scoreLine(match),
    match.metBefore ? h('p', { class: 'met-before' }, metBeforeText(match.metBefore)) : null,
    h('div', { class: 'match-body' }, h('div', {}, reasonList(strongest)), details),
    h('p', { class: 'row-actions' }, h('a', { href: compareHref }, `Compare ${memberId} with ${match.partnerId}`)),
  );
}
