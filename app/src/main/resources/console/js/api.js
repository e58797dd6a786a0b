// Calls to Ladder's ops port. The token lives in this tab's sessionStorage and travels only as an
// Authorization header: never a cookie, so another site cannot make the browser send it.

const KEY = 'ladder.ops-token';

export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

/** Takes a token handed over in the URL fragment (#token=...) and removes it from the address bar. */
export function captureToken() {
  const m = location.hash.match(/^#token=([^&]+)/);
  if (m) {
    sessionStorage.setItem(KEY, decodeURIComponent(m[1]));
    history.replaceState(null, '', location.pathname + '#/ladder');
  }
}

export function token() {
  return sessionStorage.getItem(KEY);
}

export function setToken(value) {
  if (value) {
    sessionStorage.setItem(KEY, value.trim());
  } else {
    sessionStorage.removeItem(KEY);
  }
}

/** GET (or another method) a JSON endpoint with the token; throws ApiError on a non-2xx answer. */
export async function api(path, method = 'GET') {
  const headers = { Accept: 'application/json' };
  const t = token();
  if (t) {
    headers.Authorization = 'Bearer ' + t;
  }
  const res = await fetch(path, { method, headers, credentials: 'omit', cache: 'no-store' });
  let body = null;
  try {
    body = await res.json();
  } catch (e) {
    body = null;
  }
  if (!res.ok) {
    throw new ApiError(res.status, (body && body.error) || res.statusText || 'HTTP ' + res.status, body);
  }
  return body;
}

/** A query string of the non-empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && String(v).trim() !== '') {
      q.set(k, String(v).trim());
    }
  }
  const s = q.toString();
  return s ? '?' + s : '';
}
