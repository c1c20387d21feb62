// #/import: members from a spreadsheet (CSV) or a JSON Lines file.
//
// 1. A template to start from and a guide to its columns.
// 2. A preview before anything is stored: the file is read in the browser,
//    each of its columns is matched to a Socio field (a select per column,
//    pre-set from the header's words), the first rows are shown as they will
//    be read and the rows that cannot be read are listed with the reason.
// 3. "Import N rows" uploads with a progress bar; the server stores the good
//    rows and names each bad one. Then: the rejected rows as a file (the
//    file's own columns plus "Problem") to fix and import again, and links to
//    the members stored.
//
// Spreadsheets are read as they are saved: separated by commas, semicolons
// (Excel's default where the decimal mark is a comma) or tabs, with or
// without a byte order mark, in UTF-8 or else Windows-1252 (Excel's "CSV" on
// Windows). The server receives a comma-separated UTF-8 CSV with the matched
// columns under Socio's names, each row on the line it had in the file, so
// the server's line numbers are the file's. Rows that cannot be split into
// fields are not sent; every other row is, and the server is the judge of it.

import { saveBlob, upload } from '../api.js';
import { isBlankRow, readSheet, toCsv } from '../csv.js';
import { append, h, heading } from '../dom.js';
import { busy, clearErrors, codeLabel, field, formMessage, showError } from '../form.js';
import { FIELDS, example, fieldOf, mappingProblems, matchColumns, rowProblem, templateRows } from '../import_columns.js';

const CONTENT_TYPES = { csv: 'text/csv; charset=utf-8', jsonl: 'application/x-ndjson; charset=utf-8' };
const SEPARATORS = { ',': 'commas', ';': 'semicolons', '\t': 'tabs' };
const PREVIEW_ROWS = 5;
const LISTED_PROBLEMS = 100;
const LISTED_MEMBERS = 100;

function formatOf(name, chosen) {
  if (chosen) return chosen;
  return /\.csv$/i.test(name) ? 'csv' : 'jsonl';
}

function plural(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

async function readText(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'UTF-8' };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'Windows-1252' };
  }
}

// The file, read: for CSV its header, rows (blank lines included) and the
// column matching; for JSONL the id on each line.
async function readFile(file, format) {
  const { text, encoding } = await readText(file);
  const notes = encoding === 'UTF-8' ? [] : [`read as ${encoding} text`];
  if (format !== 'csv') {
    const ids = new Map();
    const lines = text.split(/\r?\n/);
    lines.forEach((line, i) => {
      let id = '';
      try {
        id = String(JSON.parse(line)?.id ?? '');
      } catch {
        id = /"id"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(line)?.[1] || '';
      }
      if (id) ids.set(i + 1, id);
    });
    return { format, name: file.name, text, notes, ids, records: lines.filter((l) => l.trim()).length };
  }
  const { delimiter, rows } = readSheet(text);
  if (delimiter !== ',') notes.push(`cells separated by ${SEPARATORS[delimiter]}`);
  const header = (rows[0] || []).map((c) => c.trim());
  return { format, name: file.name, notes, delimiter, rows, header, mapping: matchColumns(header) };
}

// Each data row with what becomes of it: {row, id, reason, structural}.
function checkRows(sheet, chamberId) {
  return sheet.rows
    .slice(1)
    .filter((row) => !isBlankRow(row))
    .map((row) => ({ row, id: cell(row, sheet.mapping, 'id'), ...rowProblem(row, sheet.mapping, { chamberId }) }));
}

function lineBreaks(text) {
  return (text.match(/\r\n|\r|\n/g) || []).length;
}

// The CSV the server reads: the matched columns under Socio's names, comma
// separated, each sent row on its line in the file (rows not sent and
// columns left out become blank lines, which the server skips).
function bodyOf(sheet, checked) {
  const sent = new Set(checked.filter((c) => !c.structural).map((c) => c.row));
  const kept = sheet.mapping.flatMap((name, i) => (name ? [i] : []));
  const out = [];
  sheet.rows.forEach((row, r) => {
    let text = '';
    if (r === 0) text = toCsv([kept.map((i) => sheet.mapping[i])]);
    else if (sent.has(row)) text = toCsv([kept.map((i) => row[i] ?? '')]);
    const next = sheet.rows[r + 1];
    if (next) text += '\n'.repeat(Math.max(0, next.line - row.line - 1 - lineBreaks(text)));
    out.push(text);
  });
  return out.join('\n');
}

export async function renderImport(ctx) {
  const chamberId = ctx.me?.role === 'STAFF' ? ctx.me.chamberId || '' : '';
  const f = {
    file: field({
      label: 'File',
      path: 'file',
      type: 'file',
      required: true,
      hint: 'A spreadsheet saved as CSV (separated by commas, semicolons or tabs) with a header row naming the columns, or a JSON Lines file, one member per line. Nothing is stored until you press Import.',
      attrs: { accept: '.jsonl,.json,.ndjson,.csv,.txt,text/csv,application/json' },
    }),
    format: field({
      label: 'Format',
      path: 'format',
      type: 'select',
      value: '',
      options: [['', 'From the file name'], ['jsonl', 'JSONL'], ['csv', 'CSV']],
    }),
    upsert: field({ label: 'Replace members whose id exists (upsert)', path: 'upsert', type: 'checkbox', value: false }),
  };
  const submit = h('button', { type: 'submit' }, 'Import');
  const progress = h('progress', { max: '100', value: '0', 'aria-label': 'Upload progress' });
  const progressText = h('span', { class: 'progress-text' }, '');
  const progressBox = h('div', { class: 'progress', hidden: true }, progress, progressText);
  const preview = h('section', { class: 'import-preview', 'aria-label': 'Preview', hidden: true });
  const form = h(
    'form',
    { class: 'filters', novalidate: true, 'aria-label': 'Import profiles', 'data-failed': 'Nothing imported' },
    f.file,
    f.format,
    f.upsert,
    formMessage(),
    preview,
    h('div', { class: 'actions' }, submit),
    progressBox,
  );
  const result = h('section', { class: 'results', 'aria-live': 'polite' });
  ctx.main.append(heading('Import members'), templateSection(chamberId), form, result);

  // The file as last read; its preview is redrawn when a column's field changes.
  let reading = null;
  const readChosen = () => {
    const file = f.file.input.files[0];
    reading = file ? readFile(file, formatOf(file.name, f.format.input.value)) : null;
    return reading;
  };
  const redraw = (sheet) => {
    const count = drawPreview(preview, sheet, chamberId, () => redraw(sheet));
    submit.textContent = count === null ? 'Import' : `Import ${plural(count, sheet.format === 'csv' ? 'row' : 'record')}`;
  };
  const refresh = async () => {
    clearErrors(form);
    result.replaceChildren();
    const pending = readChosen();
    if (!pending) {
      preview.hidden = true;
      submit.textContent = 'Import';
      return;
    }
    const sheet = await pending;
    if (pending === reading) redraw(sheet);
  };
  f.file.input.addEventListener('change', refresh);
  f.format.input.addEventListener('change', refresh);

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(submit, async () => {
      clearErrors(form);
      const file = f.file.input.files[0];
      if (!file) {
        showError(form, { field: 'file', message: 'Choose a file to import.' });
        return;
      }
      const sheet = await (reading || readChosen());
      if (sheet.format === 'csv') {
        const problems = mappingProblems(sheet.mapping, sheet.header);
        if (problems.length) {
          showError(form, { message: `Nothing imported: ${problems.join(' ')}` });
          return;
        }
      }
      const checked = sheet.format === 'csv' ? checkRows(sheet, chamberId) : [];
      const body = sheet.format === 'csv' ? bodyOf(sheet, checked) : sheet.text;
      progressBox.hidden = false;
      progress.value = 0;
      progressText.textContent = `Uploading ${file.name}…`;
      result.replaceChildren();
      try {
        const summary = await upload(
          '/profiles:import',
          { format: sheet.format, upsert: f.upsert.input.checked ? 'true' : 'false' },
          new Blob([body], { type: CONTENT_TYPES[sheet.format] }),
          CONTENT_TYPES[sheet.format],
          (loaded, total) => {
            const pct = total ? Math.round((loaded / total) * 100) : 0;
            progress.value = pct;
            progressText.textContent = loaded < total ? `Uploading: ${pct} %` : 'Uploaded; the server is storing the records…';
          },
        );
        progress.value = 100;
        progressText.textContent = 'Done.';
        // The preview has done its work; the outcome takes its place.
        preview.hidden = true;
        const outcome = outcomeOf(summary || {}, sheet, checked);
        showSummary(result, outcome, sheet, f.upsert.input.checked);
        ctx.announce(`Import finished: ${outcome.created} created, ${outcome.rejected} rejected`);
      } catch (err) {
        progressText.textContent = 'Failed.';
        showError(form, err, '');
      }
    });
  });
}

// The template download and the column guide.
function templateSection(chamberId) {
  const download = h('button', { type: 'button', class: 'secondary' }, 'Download the template (CSV)');
  download.addEventListener('click', () => {
    const text = toCsv(templateRows(chamberId || 'your-chamber'));
    saveBlob(new Blob(['\uFEFF', text, '\n'], { type: 'text/csv; charset=utf-8' }), 'socio-members-template.csv');
  });
  return h(
    'section',
    { class: 'import-start', 'aria-label': 'Template' },
    h('p', {}, 'Start from the template: one column per field and two example members to overwrite. Columns you do not need can be left out; your own column names are matched in the preview.'),
    download,
    h(
      'details',
      { class: 'column-guide' },
      h('summary', {}, 'What each column means'),
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'data' },
          h('thead', {}, h('tr', {}, ['Column', 'What to write', 'Example'].map((t) => h('th', { scope: 'col' }, t)))),
          h(
            'tbody',
            {},
            FIELDS.map((fl) =>
              h(
                'tr',
                {},
                h('th', { scope: 'row' }, h('code', {}, fl.name), fl.required ? h('span', { class: 'required' }, ' (required)') : null),
                h('td', {}, fl.guide),
                h('td', {}, h('code', { class: 'wrap' }, example(fl, 0, chamberId || 'your-chamber'))),
              ),
            ),
          ),
        ),
      ),
    ),
  );
}

// Draws the preview of `sheet`; returns how many rows an import would send
// (null when nothing can be imported yet).
function drawPreview(preview, sheet, chamberId, onChange) {
  preview.hidden = false;
  if (sheet.format !== 'csv') {
    preview.replaceChildren(
      h('h2', {}, 'Preview'),
      h('p', {}, `${sheet.name}: a JSON Lines file of ${plural(sheet.records, 'record')}, each read by the server as it is.`),
    );
    return sheet.records;
  }
  const { header, mapping } = sheet;
  const dataRows = sheet.rows.slice(1).filter((row) => !isBlankRow(row));
  const selects = header.map((name, i) => {
    const select = h(
      'select',
      { 'aria-label': `Field for column “${name}”`, 'data-column': String(i) },
      h('option', { value: '' }, 'Leave out'),
      FIELDS.map((fl) => h('option', { value: fl.name }, `${fl.label} (${fl.name})`)),
    );
    select.value = mapping[i];
    select.addEventListener('change', () => {
      mapping[i] = select.value;
      onChange();
      preview.querySelector(`select[data-column="${i}"]`)?.focus();
    });
    return select;
  });
  const columns = h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'data import-columns' },
      h('caption', {}, `Columns of ${sheet.name}`),
      h('thead', {}, h('tr', {}, ['Column in the file', 'First value', 'Read as'].map((t) => h('th', { scope: 'col' }, t)))),
      h(
        'tbody',
        {},
        header.map((name, i) =>
          h(
            'tr',
            { class: mapping[i] ? '' : 'left-out' },
            h('th', { scope: 'row' }, name || `(column ${i + 1} has no name)`),
            h('td', {}, (dataRows[0]?.[i] ?? '').trim()),
            h('td', {}, selects[i]),
          ),
        ),
      ),
    ),
  );
  const parts = [
    h('h2', {}, 'Preview'),
    h('p', { class: 'hint' }, `${sheet.name}: ${plural(dataRows.length, 'row')}${sheet.notes.length ? `; ${sheet.notes.join(', ')}` : ''}. Nothing is stored until you press Import.`),
    columns,
  ];
  const problems = mappingProblems(mapping, header);
  if (problems.length) {
    parts.push(h('div', { class: 'notice notice-error mapping-problems' }, h('ul', {}, problems.map((p) => h('li', {}, p)))));
    preview.replaceChildren(...parts);
    return null;
  }
  const checked = checkRows(sheet, chamberId);
  const kept = mapping.flatMap((name, i) => (name ? [i] : []));
  const shown = Math.min(PREVIEW_ROWS, checked.length);
  parts.push(
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'data import-preview-rows' },
        h('caption', {}, shown === 1 ? 'The first row as it will be read' : `The first ${shown} rows as they will be read`),
        h('thead', {}, h('tr', {}, [h('th', { scope: 'col' }, 'Line'), ...kept.map((i) => h('th', { scope: 'col' }, fieldOf(mapping[i]).label)), h('th', { scope: 'col' }, 'Check')])),
        h(
          'tbody',
          {},
          checked.slice(0, PREVIEW_ROWS).map((c) =>
            h(
              'tr',
              { class: c.reason ? 'flagged' : '' },
              h('td', { class: 'num' }, String(c.row.line)),
              ...kept.map((i) => h('td', {}, (c.row[i] ?? '').trim())),
              h('td', {}, c.reason ? 'Cannot be read' : 'Ready'),
            ),
          ),
        ),
      ),
    ),
  );
  const flagged = checked.filter((c) => c.reason);
  if (flagged.length) {
    parts.push(
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'data import-flagged' },
          h('caption', {}, `Rows that cannot be read (${flagged.length}${flagged.length > LISTED_PROBLEMS ? `, the first ${LISTED_PROBLEMS} listed` : ''})`),
          h('thead', {}, h('tr', {}, ['Line', 'Id', 'Reason'].map((t) => h('th', { scope: 'col' }, t)))),
          h(
            'tbody',
            {},
            flagged.slice(0, LISTED_PROBLEMS).map((c) =>
              h('tr', {}, h('td', { class: 'num' }, String(c.row.line)), h('td', {}, h('code', {}, c.id)), h('td', {}, c.reason)),
            ),
          ),
        ),
      ),
      h('p', { class: 'hint' }, `${plural(flagged.length, 'row')} will be refused. Fix ${flagged.length === 1 ? 'it' : 'them'} in the file and choose it again, or import the others now and fix the rest from the file of rejected rows.`),
    );
  } else {
    parts.push(h('p', { class: 'notice notice-ok' }, `Every row can be read.`));
  }
  preview.replaceChildren(...parts);
  return checked.length;
}

function cell(row, mapping, name) {
  const i = mapping.indexOf(name);
  return i < 0 ? '' : (row[i] ?? '').trim();
}

// The server's summary joined with the rows the browser did not send: the
// counts, every rejected row (line, id, code, message and, for CSV, its
// cells) in line order, and the ids stored.
function outcomeOf(s, sheet, checked) {
  const n = (v) => Number(v || 0);
  const lineOf = (e) => (e.line !== undefined ? Number(e.line) : e.index !== undefined ? Number(e.index) + 1 : null);
  const byLine = new Map(checked.map((c) => [c.row.line, c]));
  const unsent = checked.filter((c) => c.structural);
  const errors = [
    ...(s.errors || []).map((e) => {
      const line = lineOf(e);
      const c = byLine.get(line);
      return { line, id: e.id || c?.id || sheet.ids?.get(line) || '', code: e.code, message: e.message || '', row: c?.row };
    }),
    ...unsent.map((c) => ({ line: c.row.line, id: c.id, code: 'INVALID_ARGUMENT', message: c.reason, row: c.row })),
  ].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  const omitted = n(s.errorsOmitted);
  const rejectedLines = new Set(errors.map((e) => e.line));
  const stored = omitted
    ? null
    : sheet.format === 'csv'
      ? checked.filter((c) => !rejectedLines.has(c.row.line)).map((c) => ({ id: c.id, name: cell(c.row, sheet.mapping, 'name') }))
      : [...sheet.ids].filter(([line]) => !rejectedLines.has(line)).map(([, id]) => ({ id, name: '' }));
  return {
    received: n(s.received) + unsent.length,
    created: n(s.created),
    updated: n(s.updated),
    rejected: n(s.rejected) + unsent.length,
    errors,
    omitted,
    stored,
  };
}

// The rejected rows as the file had them, plus a "Problem" column: the same
// separator, UTF-8 with a byte order mark so that Excel reads its accents.
function rejectedFile(sheet, errors) {
  const rows = [
    [...sheet.rows[0], 'Problem'],
    ...errors.filter((e) => e.row).map((e) => [...e.row, `${codeLabel(e.code)}: ${e.message}`]),
  ];
  return new Blob(['\uFEFF', toCsv(rows, { delimiter: sheet.delimiter }), '\n'], { type: 'text/csv; charset=utf-8' });
}

function showSummary(result, o, sheet, upsert) {
  append(result, [
    h('h2', { tabindex: '-1' }, `Imported ${sheet.name}`),
    sheet.notes.length ? h('p', { class: 'hint' }, `The file was ${sheet.notes.join(', ')}.`) : null,
    h(
      'dl',
      { class: 'summary' },
      h('dt', {}, 'Received'), h('dd', {}, String(o.received)),
      h('dt', {}, 'Created'), h('dd', {}, String(o.created)),
      h('dt', {}, 'Updated'), h('dd', {}, String(o.updated)),
      h('dt', {}, 'Rejected'), h('dd', {}, String(o.rejected)),
    ),
  ]);
  if (o.errors.length) {
    const actions = [];
    if (sheet.format === 'csv') {
      const download = h('button', { type: 'button', class: 'secondary' }, 'Download the rejected rows (CSV)');
      download.addEventListener('click', () => saveBlob(rejectedFile(sheet, o.errors), `${sheet.name.replace(/\.[^.]*$/, '')}-rejected.csv`));
      actions.push(
        h('div', { class: 'actions rejected-actions' }, download,
          h('p', { class: 'hint' }, 'The rejected rows with the file’s own columns and a “Problem” column: fix them, then import that file (the Problem column is left out).')),
      );
    }
    append(result, [
      ...actions,
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'data import-errors' },
          h('caption', {}, `Rejected records (${o.errors.length}${o.omitted ? `, ${o.omitted} more not listed` : ''})`),
          h('thead', {}, h('tr', {}, ['Line', 'Id', 'Problem', 'Message'].map((t) => h('th', { scope: 'col' }, t)))),
          h(
            'tbody',
            {},
            o.errors.map((e) =>
              h(
                'tr',
                {},
                h('td', { class: 'num' }, String(e.line ?? '')),
                h('td', {}, h('code', {}, e.id)),
                h('td', {}, codeLabel(e.code)),
                h('td', {}, e.message),
              ),
            ),
          ),
        ),
      ),
    ]);
  } else {
    result.append(h('p', { class: 'notice notice-ok', role: 'status' }, 'Every record was stored.'));
  }
  if (o.stored && o.stored.length) {
    const members = o.stored.filter((m) => m.id);
    append(result, [
      h('h3', {}, `${upsert ? 'Members created or updated' : 'Members created'} (${members.length})`),
      h(
        'ul',
        { class: 'stored-members' },
        members.slice(0, LISTED_MEMBERS).map((m) =>
          h('li', {}, h('a', { href: `#/profiles/${encodeURIComponent(m.id)}` }, m.name || m.id), m.name ? h('span', { class: 'hint' }, ` ${m.id}`) : null),
        ),
      ),
      members.length > LISTED_MEMBERS ? h('p', { class: 'hint' }, `and ${members.length - LISTED_MEMBERS} more, on the Members page.`) : null,
    ]);
  }
  result.querySelector('h2').focus();
}
