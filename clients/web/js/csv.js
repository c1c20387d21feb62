// CSV as spreadsheets write it: RFC 4180 cells (quotes, doubled quotes, line
// breaks inside quotes, LF or CRLF) separated by commas, or by semicolons as
// Excel writes them where the decimal mark is a comma (Germany, Spain, ...).
//
//   const rows = parseCsv(text, { delimiter: detectDelimiter(text) });
//   rows[0].line  // the line each row starts on, 1-based
//   const same = toCsv(rows);  // comma-separated, each row on its old line

// Rows of cells; each row has `line`, the line of the text it starts on, and
// the last has `unclosed` set when the text ends inside a quoted cell.
export function parseCsv(text, { delimiter = ',' } = {}) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  const endRow = () => {
    row.push(cell);
    row.line = rowLine;
    rows.push(row);
    row = [];
    cell = '';
  };
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line += 1;
        cell += c;
      }
    } else if (c === '"') quoted = true;
    else if (c === delimiter) {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      endRow();
      line += 1;
      rowLine = line;
    } else cell += c;
  }
  if (cell !== '' || row.length || quoted) endRow();
  if (quoted) rows[rows.length - 1].unclosed = true;
  return rows;
}

// The separator of the header row (the first line): ',', ';' or a tab,
// whichever it holds most of outside quotes; ',' when it holds none.
export function detectDelimiter(text) {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const c of text) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && c in counts) counts[c] += 1;
  }
  const [best, n] = Object.entries(counts).sort((a, b) => b[1] - a[1])[0];
  return n > 0 ? best : ',';
}

function quote(cell, delimiter) {
  return /["\r\n]/.test(cell) || cell.includes(delimiter) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

// Text of `rows` separated by `delimiter` (default ','), a row per line (a
// cell's own line breaks stay inside its quotes, so every row keeps the line
// it had). lineEnd: '\n' (the default) or '\r\n', as RFC 4180 and Excel
// write files.
export function toCsv(rows, { delimiter = ',', lineEnd = '\n' } = {}) {
  return rows.map((r) => r.map((cell) => quote(cell, delimiter)).join(delimiter)).join(lineEnd);
}

// A spreadsheet's CSV text as it was saved: a UTF-8 byte order mark dropped,
// the separator detected. `rows` are every row of the text, the header first,
// blank lines included (as ['']), each with its `line`.
export function readSheet(text) {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const delimiter = detectDelimiter(body);
  return { delimiter, rows: parseCsv(body, { delimiter }) };
}

// Whether a row of parseCsv is a blank line.
export function isBlankRow(row) {
  return row.length === 1 && row[0].trim() === '';
}

// CSV text with a header row to objects keyed by the header's names.
export function csvRecords(text) {
  const [header, ...rows] = parseCsv(text);
  if (!header) return [];
  return rows
    .filter((r) => r.length > 1 || r[0] !== '')
    .map((r) => Object.fromEntries(header.map((name, i) => [name, r[i] ?? ''])));
}
