// #/import: a JSONL or CSV file of profiles, uploaded with a progress bar; the
// good records are stored, each bad one is listed with its line and reason.

import { upload } from '../api.js';
import { h, heading } from '../dom.js';
import { busy, clearErrors, field, formMessage, showError } from '../form.js';

const CONTENT_TYPES = { csv: 'text/csv; charset=utf-8', jsonl: 'application/x-ndjson; charset=utf-8' };

function formatOf(name, chosen) {
  if (chosen) return chosen;
  return /\.csv$/i.test(name) ? 'csv' : 'jsonl';
}

export async function renderImport(ctx) {
  const f = {
    file: field({
      label: 'File',
      path: 'file',
      type: 'file',
      required: true,
      hint: 'JSONL (one profile per line, proto JSON) or CSV with a header row naming the fields.',
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
    { class: 'filters', novalidate: true, 'aria-label': 'Import profiles' },
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
        const summary = await upload(
          '/profiles:import',
          { format, upsert: f.upsert.input.checked ? 'true' : 'false' },
          file,
          CONTENT_TYPES[format],
          (loaded, total) => {
            const pct = total ? Math.round((loaded / total) * 100) : 0;
            progress.value = pct;
            progressText.textContent = loaded < total ? `Uploading: ${pct} %` : 'Uploaded; the server is storing the records…';
          },
        );
        progress.value = 100;
        progressText.textContent = 'Done.';
        showSummary(result, summary || {}, file.name);
        ctx.announce(`Import finished: ${summary?.created || 0} created, ${summary?.rejected || 0} rejected`);
      } catch (err) {
        progressText.textContent = 'Failed.';
        showError(form, err, '');
      }
    });
  });
}

function showSummary(result, s, name) {
  const n = (v) => Number(v || 0);
  const errors = s.errors || [];
  result.append(
    h('h2', { tabindex: '-1' }, `Imported ${name}`),
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
          h('thead', {}, h('tr', {}, ['Line', 'Id', 'Code', 'Message'].map((t) => h('th', { scope: 'col' }, t)))),
          h(
            'tbody',
            {},
            errors.map((e) =>
              h(
                'tr',
                {},
                h('td', { class: 'num' }, String(e.line ?? (e.index !== undefined ? Number(e.index) + 1 : ''))),
                h('td', {}, h('code', {}, e.id || '')),
                h('td', {}, e.code || ''),
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
