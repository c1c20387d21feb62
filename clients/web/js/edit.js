// What an edit changed: the body of a PATCH holds only the fields that differ
// from what was read (the gateway makes the update mask of the body's keys).
// Proto JSON leaves empty values out, so "", 0, [] and a missing key are equal.

function normalized(value) {
  if (value === undefined || value === null || value === '' || value === 0 || value === false) return undefined;
  if (Array.isArray(value)) {
    const items = value.map(normalized);
    return items.length ? items.map((v) => (v === undefined ? null : v)) : undefined;
  }
  if (typeof value === 'object') {
    const out = {};
    for (const key of Object.keys(value).sort()) {
      const v = normalized(value[key]);
      if (v !== undefined) out[key] = v;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return value;
}

export function same(a, b) {
  return JSON.stringify(normalized(a)) === JSON.stringify(normalized(b));
}

// The fields of `edited` whose values differ from `original`.
export function changedFields(original, edited) {
  const body = {};
  for (const key of Object.keys(edited)) {
    if (!same(original[key], edited[key])) body[key] = edited[key];
  }
  return body;
}

export function toInt(text) {
  const n = Number.parseInt(String(text).trim(), 10);
  return Number.isFinite(n) ? n : 0;
}

export function toNumberOrNull(text) {
  if (String(text).trim() === '') return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}
