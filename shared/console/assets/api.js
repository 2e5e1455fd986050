// The API client shared by the console and the kiosk: the session (access token in memory,
// refresh token in the HttpOnly cookie the server sets), relative URLs and problem answers.

/** An API error: the `application/problem+json` answer, with Retry-After when sent. */
export class ApiError extends Error {
  constructor(status, problem, retryAfter) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = problem.code || '';
    this.detail = problem.detail || '';
    this.retryAfter = retryAfter;
  }
}

/** Raised when a call needed a session and the person chose not to sign in again. */
export class SignedOut extends Error {
  constructor() {
    super('signed out');
    this.name = 'SignedOut';
  }
}

// Every URL is relative to the page (`…/console/x.html` → `…/v1/`), so the console also works
// under an API Gateway stage prefix such as `/Prod/console/`.
const apiBase = () => new URL('../v1/', document.baseURI);

/** The URL of API path `path` (no leading slash) with the non-empty `query` values. */
export function apiUrl(path, query = {}) {
  const url = new URL(path, apiBase());
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(name, value);
  }
  return url;
}

// The session: never written to storage.
let session = null; // {token, role, employeeId, expiresAt}
let refreshTimer = 0;
let refreshing = null; // the refresh under way, shared by every caller
let reauthenticate = null; // shows a sign-in and resolves once signed in again
const listeners = new Set();

/** The signed-in account (`role`, `employeeId`), or null. */
export function currentSession() {
  return session && { role: session.role, employeeId: session.employeeId };
}

/** Calls `listener(session or null)` whenever the session starts, changes account or ends. */
export function onSessionChange(listener) {
  listeners.add(listener);
}

/**
 * Sets what happens when a call meets an ended session that a refresh cannot renew:
 * `handler()` shows a sign-in and returns a promise that resolves when signed in again,
 * or rejects when the person gives up.
 */
export function setReauthHandler(handler) {
  reauthenticate = handler;
}

function adopt(pair) {
  const previous = session;
  session = {
    token: pair.access_token,
    role: pair.role,
    employeeId: pair.employee_id,
    expiresAt: Date.now() + pair.expires_in * 1000,
  };
  scheduleRefresh(pair.expires_in);
  if (!previous || previous.employeeId !== session.employeeId || previous.role !== session.role) notify();
}

function drop() {
  clearTimeout(refreshTimer);
  const had = session !== null;
  session = null;
  if (had) notify();
}

function notify() {
  for (const listener of listeners) listener(currentSession());
}

// Renews the access token a minute before it runs out (or at 80 % of a shorter life).
function scheduleRefresh(expiresIn) {
  clearTimeout(refreshTimer);
  const lead = Math.min(60, expiresIn * 0.2);
  refreshTimer = setTimeout(() => {
    refresh().catch(() => {
      // Network trouble: try again soon; a call meeting a 401 recovers on its own.
      scheduleRefresh(Math.max(30, lead + 30));
    });
  }, Math.max(5, expiresIn - lead) * 1000);
}

// The session calls: the server keeps the refresh token in its HttpOnly cookie.
function authPost(path, body) {
  return fetch(apiUrl(path), {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', 'x-lintas-session': 'cookie' },
    body: JSON.stringify(body),
  });
}

async function problemOf(response) {
  let problem = {};
  try {
    problem = await response.json();
  } catch {
    // Not JSON (a proxy's error page): the status alone tells.
  }
  const retry = Number.parseInt(response.headers.get('retry-after') || '', 10);
  return new ApiError(response.status, problem, Number.isFinite(retry) ? retry : undefined);
}

/** Signs in; throws an ApiError (e.g. `invalid_credentials`, `too_many_requests`). */
export async function signIn(login, password) {
  const response = await authPost('auth/login', { login, password });
  if (!response.ok) throw await problemOf(response);
  adopt(await response.json());
  return currentSession();
}

// Two tabs refreshing with the same cookie at once would look like a stolen token (the
// server then revokes the session), so refreshes take a lock shared by the tabs.
function withRefreshLock(task) {
  return navigator.locks ? navigator.locks.request('lintas-refresh', task) : task();
}

/**
 * Exchanges the refresh cookie for a new access token. Resolves true when renewed, false
 * when the cookie is missing, expired or revoked (the session has ended); throws on
 * network failure. Concurrent callers share one request.
 */
export function refresh() {
  if (!refreshing) {
    refreshing = withRefreshLock(async () => {
      const response = await authPost('auth/refresh', {});
      if (response.ok) {
        adopt(await response.json());
        return true;
      }
      if (response.status === 401 || response.status === 403) {
        drop();
        return false;
      }
      throw await problemOf(response);
    }).finally(() => {
      refreshing = null;
    });
  }
  return refreshing;
}

/** Ends the session on the server (cookie cleared) and here. */
export async function signOut() {
  try {
    await authPost('auth/logout', {});
  } finally {
    drop();
  }
}

/**
 * Turns this browser, signed in as an admin, into the kiosk account `kioskId`: the kiosk's
 * refresh token replaces the admin's in the cookie and the admin's session here ends.
 * Throws an ApiError (e.g. `not_a_kiosk`, `account_suspended`, `not_found`).
 */
export async function pairKiosk(kioskId) {
  // After any refresh under way, and holding its lock: a refresh finishing later would put
  // the admin's session back in the cookie.
  if (refreshing) await refreshing.catch(() => {});
  return withRefreshLock(async () => {
    const response = await fetch(apiUrl('auth/kiosk-session'), {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'content-type': 'application/json',
        'x-lintas-session': 'cookie',
        authorization: `Bearer ${session?.token || ''}`,
      },
      body: JSON.stringify({ kiosk_id: kioskId }),
    });
    if (!response.ok) throw await problemOf(response);
    adopt(await response.json());
    return currentSession();
  });
}

// A fresh session after a 401: a refresh, else the sign-in handler.
async function recover() {
  if (await refresh()) return;
  if (!reauthenticate) throw new SignedOut();
  await reauthenticate();
}

/**
 * Calls the API and returns the Response (status 2xx). `json` is sent as a JSON body,
 * `form` (FormData) as multipart, `text` as it is (its content type in `headers`); `headers`
 * are added. A 401 is retried once after a refresh, or after signing in again; other failures
 * throw an ApiError.
 */
export async function call(path, { method = 'GET', query, json, form, text, headers = {} } = {}) {
  const send = () => {
    const all = { ...headers };
    if (session) all.authorization = `Bearer ${session.token}`;
    let body;
    if (json !== undefined) {
      all['content-type'] = 'application/json';
      body = JSON.stringify(json);
    } else if (form) {
      body = form;
    } else {
      body = text;
    }
    return fetch(apiUrl(path, query), { method, headers: all, body, credentials: 'same-origin' });
  };
  if (!session) await recover();
  let response = await send();
  if (response.status === 401) {
    await recover();
    response = await send();
  }
  if (!response.ok) throw await problemOf(response);
  return response;
}

/** GET `path` as JSON. */
export async function getJson(path, query) {
  return (await call(path, { query })).json();
}

/** Sends `body` as JSON with `method`; returns the answer's JSON, or null for 204. */
export async function sendJson(method, path, body) {
  const response = await call(path, { method, json: body });
  return response.status === 204 ? null : response.json();
}

/** Every item of a paged list (`{items, next}`), following `next` for at most `maxPages` pages. */
export async function getAll(path, query = {}, maxPages = 20) {
  const items = [];
  let cursor;
  for (let page = 0; page < maxPages; page += 1) {
    const answer = await getJson(path, { ...query, cursor });
    items.push(...answer.items);
    cursor = answer.next;
    if (!cursor) break;
  }
  return items;
}

/**
 * Downloads `path` with the session's token and saves it through a blob URL and an
 * `<a download>` click. Returns the file name (from Content-Disposition, else `fallback`).
 */
export async function download(path, query, fallback) {
  const response = await call(path, { query });
  const disposition = response.headers.get('content-disposition') || '';
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] || fallback;
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has read the blob once the click's task is over.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
  return name;
}
