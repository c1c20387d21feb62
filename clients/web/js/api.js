// The JSON API of socio-gateway (/api/v1), with the bearer token on every call.
//
//   const profile = await api.get(`/profiles/${id}`);
//   await api.patch(`/profiles/${id}`, {city: 'León'}, {expected_version: profile.version});
//
// Every failure is an ApiError: the HTTP status, the gRPC code name the gateway
// reports ("NOT_FOUND") and its message. Messages about one field start with the
// field's path ("profile.objectives[0].markets[1]: ..."), kept in `field`.

const PREFIX = '/api/v1';
const TOKEN_KEY = 'socio.token';
// On a cluster (docs/CLUSTER.md), every answer carries how much of the
// cluster's writes the node that served it had applied. Sent back with each
// later call, it makes whichever node serves that call apply as much first,
// so what this tab changed or saw is never missing from the next page,
// whichever node serves it. Kept per tab, the greatest seen; the embedded
// store sends none.
const CONSISTENCY_KEY = 'socio.consistency';
const CONSISTENCY_HEADER = 'Socio-Consistency-Token';

// What an HTTP status without the gateway's JSON error means, for the code
// name the console shows (a proxy's error page carries no code). A 401 from a
// proxy is not the gateway refusing the token: it does not sign out.
const STATUS_CODES = {
  400: 'INVALID_ARGUMENT',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = code || '';
    const m = /^([A-Za-z_][\w]*(?:\[\d+\])*(?:\.[A-Za-z_][\w]*(?:\[\d+\])*)*): (.+)$/s.exec(this.message);
    this.field = m ? m[1] : '';
    this.detail = m ? m[2] : this.message;
  }
}

// The token is kept in the tab's sessionStorage; "remember on this device"
// also keeps it in localStorage, which every tab of this browser shares and
// which outlives the browser. Signing out removes it from both.
export function token() {
  return sessionStorage.getItem(TOKEN_KEY) || localStorage.getItem(TOKEN_KEY) || '';
}

export function setToken(value, { remember = false } = {}) {
  if (value) {
    sessionStorage.setItem(TOKEN_KEY, value);
    if (remember) localStorage.setItem(TOKEN_KEY, value);
    else localStorage.removeItem(TOKEN_KEY);
  } else {
    sessionStorage.removeItem(TOKEN_KEY);
    localStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(CONSISTENCY_KEY);
  }
}

// Keeps the consistency token an answer carried (a decimal number today),
// if it is past the one kept.
function keepConsistency(value) {
  if (!value || !/^[1-9]\d{0,18}$/.test(value)) return;
  const kept = sessionStorage.getItem(CONSISTENCY_KEY);
  if (kept && BigInt(kept) >= BigInt(value)) return;
  sessionStorage.setItem(CONSISTENCY_KEY, value);
}

function url(path, query) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query || {})) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return `${PREFIX}${path}${s ? `?${s}` : ''}`;
}

function headers(extra = {}) {
  const out = { Accept: 'application/json', ...extra };
  const t = token();
  if (t) out.Authorization = `Bearer ${t}`;
  const seen = sessionStorage.getItem(CONSISTENCY_KEY);
  if (seen) out[CONSISTENCY_HEADER] = seen;
  return out;
}

// Tells the app a call was refused for the token itself (expired, revoked).
function signalUnauthenticated(error) {
  if (error.status === 401) window.dispatchEvent(new CustomEvent('socio:unauthenticated', { detail: error }));
  return error;
}

// The ApiError of a failed answer. The gateway answers with
// {"error": {"code", "message"}}; anything else (a proxy's HTML error page, a
// truncated body) becomes a message in words with the HTTP status, never the
// page's markup.
function errorFrom(status, statusText, text) {
  let body = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  if (body?.error && (body.error.code || body.error.message)) {
    return signalUnauthenticated(new ApiError(status, body.error.code || '', body.error.message || statusText));
  }
  const what = `HTTP ${status}${statusText ? ` ${statusText}` : ''}`;
  const message =
    `The server sent a web page instead of Socio’s answer (${what}): Socio or a proxy in front of it ` +
    'is not working right now. Try again in a minute; if it goes on, tell your administrator.';
  return new ApiError(status, STATUS_CODES[status] || 'UNAVAILABLE', message);
}

async function errorOf(response) {
  const text = await response.text().catch(() => '');
  return errorFrom(response.status, response.statusText, text);
}

function unreachable(e) {
  if (e.name === 'AbortError') throw e;
  return new ApiError(0, 'UNAVAILABLE', 'The Socio gateway cannot be reached. Check the connection and try again.');
}

async function call(method, path, { query, body, signal } = {}) {
  const init = { method, headers: headers(), signal };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url(path, query), init);
  } catch (e) {
    throw unreachable(e);
  }
  keepConsistency(response.headers.get(CONSISTENCY_HEADER));
  if (!response.ok) throw await errorOf(response);
  if (response.status === 204) return null;
  const text = await response.text();
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    throw errorFrom(response.status, response.statusText, text);
  }
}

export const api = {
  get: (path, query, opts = {}) => call('GET', path, { ...opts, query }),
  post: (path, body, query, opts = {}) => call('POST', path, { ...opts, body, query }),
  put: (path, body, query, opts = {}) => call('PUT', path, { ...opts, body, query }),
  patch: (path, body, query, opts = {}) => call('PATCH', path, { ...opts, body, query }),
  del: (path, query, opts = {}) => call('DELETE', path, { ...opts, query }),
};

// A file the API serves (an agenda): its bytes and the name it suggests.
export async function fetchFile(path, query, { signal } = {}) {
  let response;
  try {
    response = await fetch(url(path, query), { headers: headers({ Accept: '*/*' }), signal });
  } catch (e) {
    throw unreachable(e);
  }
  keepConsistency(response.headers.get(CONSISTENCY_HEADER));
  if (!response.ok) throw await errorOf(response);
  const disposition = response.headers.get('Content-Disposition') || '';
  const m = /filename\*=UTF-8''([^;]+)|filename="?([^";]+)"?/i.exec(disposition);
  const fileName = m ? decodeURIComponent(m[1] || m[2]) : '';
  return { blob: await response.blob(), fileName, type: response.headers.get('Content-Type') || '' };
}

// Hands a blob to the browser as a download named `name`.
export function saveBlob(blob, name) {
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10000);
}

// Sends a file (or a Blob) as the request body with XMLHttpRequest, which reports
// upload progress: onProgress(loadedBytes, totalBytes). Resolves to the JSON answer.
export function upload(path, query, file, contentType, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url(path, query));
    for (const [k, v] of Object.entries(headers({ 'Content-Type': contentType }))) xhr.setRequestHeader(k, v);
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) onProgress(e.loaded, e.total);
    });
    xhr.addEventListener('load', () => {
      keepConsistency(xhr.getResponseHeader(CONSISTENCY_HEADER));
      if (xhr.status < 200 || xhr.status >= 300) {
        reject(errorFrom(xhr.status, xhr.statusText, xhr.responseText));
        return;
      }
      try {
        resolve(xhr.responseText ? JSON.parse(xhr.responseText) : null);
      } catch {
        reject(errorFrom(xhr.status, xhr.statusText, xhr.responseText));
      }
    });
    xhr.addEventListener('error', () => reject(unreachable(new Error('network'))));
    xhr.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
    xhr.send(file);
  });
}
