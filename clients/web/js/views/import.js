// #/import: a JSONL or CSV file of profiles, uploaded with a progress bar; the
// good records are stored, each bad one is listed with its line, its id and
// the reason in words.
//
// Spreadsheets are read as they are saved: a CSV file separated by semicolons
// (Excel's default where the decimal mark is a comma) or tabs is sent as the
// comma-separated CSV the server reads, row for row on the same lines, and a
// file that is not UTF-8 is read as Windows-1252 (Excel's "CSV" on Windows).

import { upload } from '../api.js';
import { detectDelimiter, parseCsv, toCsv } from '../csv.js';
import { h, heading } from '../dom.js';
import { busy, clearErrors, codeLabel, field, formMessage, showError } from '../form.js';

const CONTENT_TYPES = { csv: 'text/csv; charset=utf-8', jsonl: 'application/x-ndjson; charset=utf-8' };

function formatOf(name, chosen) {
  if (chosen) return chosen;
  return /\.csv$/i.test(name) ? 'csv' : 'jsonl';
}

const SEPARATORS = { ',': 'commas', ';': 'semicolons', '\t': 'tabs' };

async function readText(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'UTF-8' };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'Windows-1252' };
  }
}

// The file as the server reads it (UTF-8; CSV separated by commas), what was
// changed to get there, and the id of the record on each line, for the rows
// the server rejects before it can read their id.
async function prepare(file, format) {
  const { text, encoding } = await readText(file);
  const notes = encoding === 'UTF-8' ? [] : [`read as ${encoding} text`];
  const ids = new Map();
  let body = text;
  if (format === 'csv') {
    const delimiter = detectDelimiter(text);
    const rows = parseCsv(text, { delimiter });
    const idColumn = (rows[0] || []).findIndex((name) => name.trim().toLowerCase() === 'id');
    if (idColumn >= 0) for (const row of rows.slice(1)) ids.set(row.line, (row[idColumn] || '').trim());
    if (delimiter !== ',') {
      body = toCsv(rows);
      notes.push(`cells separated by ${SEPARATORS[delimiter]}`);
    }
  } else {
    text.split(/\r?\n/).forEach((line, i) => {
      let id = '';
      try {
        id = String(JSON.parse(line)?.id ?? '');
      } catch {
        id = /"id"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(line)?.[1] || '';
      }
      if (id) ids.set(i + 1, id);
    });
  }
  return { body: new Blob([body], { type: CONTENT_TYPES[format] }), notes, ids };
}

export async function renderImport(ctx) {
  const f = {
    file: field({
      label: 'File',
      path: 'file',
      type: 'file',
      required: true,
      hint: 'A spreadsheet saved as CSV, with a header row naming the columns (id, chamber_id, name, country, …), separated by commas or semicolons; or a JSON Lines file, one member per line.',
      attrs: { accept: '.jsonl,.json,.ndjson,.csv,.txt,text/csv,application/json' },
    }),
    format: field({
      label: 'Format',
      path: 'format',
      type: 'select',
      value: '',
      options: [['', 'From the file name'], ['jsonl', 'JSONL'], ['csv', 'CSV']],
    }),
    upsert: field({ label: 'Replace profiles whose id exists (upsert)', path: 'upsert', type: 'checkbox', value: false }),
  };
  const submit = h('button', { type: 'submit' }, 'Import');
  const progress = h('progress', { max: '100', value: '0', 'aria-label': 'Upload progress' });
  const progressText = h('span', { class: 'progress-text' }, '');
  const progressBox = h('div', { class: 'progress', hidden: true }, progress, progressText);
  const form = h(
    'form',
    { class: 'filters', novalidate: true, 'aria-label': 'Import profiles', 'data-failed': 'Nothing imported' },
    f.file,
    f.format,
    f.upsert,
    formMessage(),
    h('div', { class: 'actions' }, submit),
    progressBox,
  );
  const result = h('section', { class: 'results', 'aria-live': 'polite' });
  ctx.main.append(heading('Import members'), form, result);

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(submit, async () => {
      clearErrors(form);
      const file = f.file.input.files[0];
      if (!file) {
        showError(form, { field: 'file', message: 'Choose a file to import.' });
        return;
      }
      const format = formatOf(file.name, f.format.input.value);
      progressBox.hidden = false;
      progress.value = 0;
      progressText.textContent = `Uploading ${file.name}…`;
      result.replaceChildren();
      try {
        const prepared = await prepare(file, format);
        const summary = await upload(
          '/profiles:import',
          { format, upsert: f.upsert.input.checked ? 'true' : 'false' },
          prepared.body,
          CONTENT_TYPES[format],
          (loaded, total) => {
            const pct = total ? Math.round((loaded / total) * 100) : 0;
            progress.value = pct;
            progressText.textContent = loaded < total ? `Uploading: ${pct} %` : 'Uploaded; the server is storing the records…';
          },
        );
        progress.value = 100;
        progressText.textContent = 'Done.';
        showSummary(result, summary || {}, file.name, prepared);
        ctx.announce(`Import finished: ${summary?.created || 0} created, ${summary?.rejected || 0} rejected`);
      } catch (err) {
        progressText.textContent = 'Failed.';
        showError(form, err, '');
      }
    });
  });
}

function showSummary(result, s, name, { notes, ids }) {
  const n = (v) => Number(v || 0);
  const errors = s.errors || [];
  const lineOf = (e) => (e.line !== undefined ? Number(e.line) : e.index !== undefined ? Number(e.index) + 1 : null);
  result.append(
    h('h2', { tabindex: '-1' }, `Imported ${name}`),
    notes.length ? h('p', { class: 'hint' }, `The file was ${notes.join(', ')}.`) : null,
    h(
      'dl',
      { class: 'summary' },
      h('dt', {}, 'Received'), h('dd', {}, String(n(s.received))),
      h('dt', {}, 'Created'), h('dd', {}, String(n(s.created))),
      h('dt', {}, 'Updated'), h('dd', {}, String(n(s.updated))),
      h('dt', {}, 'Rejected'), h('dd', {}, String(n(s.rejected))),
    ),
  );
  if (errors.length) {
    result.append(
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'data import-errors' },
          h('caption', {}, `Rejected records (${errors.length}${n(s.errorsOmitted) ? `, ${n(s.errorsOmitted)} more not listed` : ''})`),
          h('thead', {}, h('tr', {}, ['Line', 'Id', 'Problem', 'Message'].map((t) => h('th', { scope: 'col' }, t)))),
          h(
            'tbody',
            {},
            errors.map((e) =>
              h(
                'tr',
                {},
                h('td', { class: 'num' }, String(lineOf(e) ?? '')),
                h('td', {}, h('code', {}, e.id || ids.get(lineOf(e)) || '')),
                h('td', {}, codeLabel(e.code)),
                h('td', {}, e.message || ''),
              ),
            ),
          ),
        ),
      ),
    );
  } else {
    result.append(h('p', { class: 'notice notice-ok', role: 'status' }, 'Every record was stored.'));
  }
  result.querySelector('h2').focus();
}
