// Bar charts as SVG drawn by hand, readable without sight: the <svg> has
// role="img" with a <title> and a <desc> naming every bar's value, and each
// bar carries its group and value (data-label, data-value) so a table beside
// it can show, and tests can check, the same numbers.
//
//   barChart({ title: 'Requests sent by month', desc: '…',
//              bars: [{ label: '2027-03', value: 12, text: '12' }],
//              band: { low: 0.4, high: 0.6, label: 'typical' }, max: 1 });

import { uid } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';

function s(tag, attrs = {}, text) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

// Horizontal bars, one per item of `bars` ({label, value, text}), longest =
// `max` (default: the largest value). `band` ({low, high, label}) shades a
// range on the value axis (a typical range). Returns the <svg>.
export function barChart({ title, desc, bars, max, band }) {
  const width = 520;
  const labelWidth = 120;
  const valueWidth = 60;
  const row = 26;
  const top = band ? 22 : 6;
  const height = top + bars.length * row + 6;
  const plot = width - labelWidth - valueWidth;
  const longest = Math.max(max ?? 0, ...bars.map((b) => b.value), band ? band.high : 0) || 1;
  const x = (v) => labelWidth + (Math.max(0, v) / longest) * plot;
  const titleId = uid('chart-title');
  const descId = uid('chart-desc');
  const svg = s('svg', { class: 'chart', role: 'img', viewBox: `0 0 ${width} ${height}`, width: '100%', 'aria-labelledby': `${titleId} ${descId}`, preserveAspectRatio: 'xMinYMin meet' });
  svg.append(s('title', { id: titleId }, title), s('desc', { id: descId }, desc));
  if (band) {
    svg.append(
      s('rect', { class: 'chart-band', x: x(band.low), y: top - 4, width: Math.max(1, x(band.high) - x(band.low)), height: bars.length * row + 4 }),
      s('text', { class: 'chart-band-label', x: x(band.low), y: 14 }, band.label),
    );
  }
  bars.forEach((b, i) => {
    const y = top + i * row;
    const g = s('g', { class: 'chart-bar', 'data-label': b.label, 'data-value': b.value });
    g.append(
      s('text', { class: 'chart-label', x: labelWidth - 8, y: y + row / 2 + 4, 'text-anchor': 'end' }, b.label),
      s('rect', { x: labelWidth, y: y + 4, width: Math.max(0, x(b.value) - labelWidth), height: row - 8, rx: 2 }),
      s('text', { class: 'chart-value', x: x(b.value) + 6, y: y + row / 2 + 4 }, b.text ?? String(b.value)),
    );
    svg.append(g);
  });
  svg.append(s('line', { class: 'chart-axis', x1: labelWidth, x2: labelWidth, y1: top - 4, y2: height - 2 }));
  return svg;
}
