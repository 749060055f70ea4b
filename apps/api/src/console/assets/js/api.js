// @ts-check
// The console's only way to the server: the public API, with the bearer token, If-Match and Idempotency-Key.

/** @typedef {{ field: string, message: string }} FieldError */
/** @typedef {{ detail?: string, title?: string, code?: string, errors?: FieldError[] }} Problem */
/**
 * An answer: the body, its ETag (the next command's If-Match) and the status.
 * @template T
 * @typedef {{ data: T, etag: string | null, status: number }} Answer
 */
/**
 * @typedef {object} RequestOptions
 * @property {unknown} [body] sent as JSON, or as it is when `type` is given (a file)
 * @property {string | null} [etag]
 * @property {string} [key]
 * @property {string} [type]
 * @property {boolean} [blob] answer with the body as a Blob (a download)
 */

const TOKEN_KEY = 'skills-ledger.token';

export const session = {
  get token() {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  /** @param {string | null} value */
  set token(value) {
    if (value) sessionStorage.setItem(TOKEN_KEY, value);
    else sessionStorage.removeItem(TOKEN_KEY);
  },
};

/** A refusal from the API, carrying its problem+json body: code, Chinese detail and per-field errors. */
export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {Problem | null} problem
   */
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `请求失败（${status}）`);
    this.status = status;
    this.code = problem?.code ?? null;
    this.detail = this.message;
    /** @type {FieldError[]} */
    this.errors = Array.isArray(problem?.errors) ? problem.errors : [];
  }

  get conflict() {
    return this.status === 412;
  }
}

/** The request never got an answer: the server may or may not have recorded it. */
export class NetworkError extends Error {
  constructor() {
    super('无法连接服务器，请检查网络后重试');
    this.status = 0;
    /** @type {string | null} */
    this.code = null;
    this.detail = this.message;
    /** @type {FieldError[]} */
    this.errors = [];
  }
}

const POSITION_KEY = 'skills-ledger.position';
/** Reads of read models that take `minPosition` (API.md v1.1, "Reading your own writes"). */
const FRESH_READS = /^\/api\/v1\/plans\/\d+\/(progress|progress\.xlsx|timeliness)\?/;

/**
 * The ledger position of this tab's last command (its X-Ledger-Position): dashboards read after it ask
 * for at least that position, so the province's overview after an acceptance shows the acceptance.
 */
const ledger = {
  get position() {
    return Number(sessionStorage.getItem(POSITION_KEY) ?? 0);
  },
  /** @param {string | null} header */
  remember(header) {
    const position = Number(header);
    if (Number.isSafeInteger(position) && position > ledger.position)
      sessionStorage.setItem(POSITION_KEY, String(position));
  },
};

/**
 * @param {string} method
 * @param {string} path
 */
const fresh = (method, path) =>
  method === 'GET' && FRESH_READS.test(path) && ledger.position > 0
    ? `${path}&minPosition=${ledger.position}`
    : path;

/** @type {() => void} */
let onUnauthenticated = () => {};
/** @param {() => void} handler */
export const whenUnauthenticated = (handler) => {
  onUnauthenticated = handler;
};

/**
 * crypto.randomUUID exists only in secure contexts (https or localhost); an office server reached over
 * plain http by its LAN address is not one, so fall back to getRandomValues, which exists everywhere.
 */
export function newKey() {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * One HTTP call. `etag` becomes If-Match; `key` the Idempotency-Key. Answers `{ data, etag, status }`;
 * refusals throw ApiError. A 401 anywhere but the login itself sends the user back to the login screen.
 * `T` is the body API.md promises for this path: the caller names it, nothing checks it at run time.
 * @template [T=unknown]
 * @param {string} method
 * @param {string} path
 * @param {RequestOptions} [options]
 * @returns {Promise<Answer<T>>}
 */
export async function request(method, path, { body, etag, key, type, blob } = {}) {
  /** @type {Record<string, string>} */
  const headers = { Accept: 'application/json' };
  if (session.token) headers.Authorization = `Bearer ${session.token}`;
  if (etag !== undefined && etag !== null) headers['If-Match'] = etag;
  if (key) headers['Idempotency-Key'] = key;
  /** @type {BodyInit | undefined} */
  let payload;
  if (body !== undefined) {
    if (type) {
      headers['Content-Type'] = type;
      payload = body instanceof Blob ? body : String(body);
    } else {
      headers['Content-Type'] = 'application/json';
      payload = JSON.stringify(body);
    }
  }
  let res;
  try {
    res = await fetch(fresh(method, path), { method, headers, body: payload, cache: 'no-store' });
  } catch {
    throw new NetworkError();
  }
  if (!res.ok) {
    /** @type {Problem | null} */
    const problem = await res.json().catch(() => null);
    if (res.status === 401 && path !== '/api/v1/auth/login') {
      session.token = null;
      onUnauthenticated();
    }
    throw new ApiError(res.status, problem);
  }
  if (method !== 'GET') ledger.remember(res.headers.get('X-Ledger-Position'));
  const data = blob ? await res.blob() : res.status === 204 ? null : await res.json().catch(() => null);
  // The body is what API.md promises for this path (the caller's T); the console trusts its own server.
  return { data: /** @type {T} */ (data), etag: res.headers.get('ETag'), status: res.status };
}

/** @typedef {{ etag?: string | null, key?: string, type?: string }} CommandOptions */

export const api = {
  /**
   * @template [T=unknown]
   * @param {string} path
   * @returns {Promise<Answer<T>>}
   */
  get: (path) => request('GET', path),
  /**
   * The body of a GET, for reads that need no ETag.
   * @template [T=unknown]
   * @param {string} path
   * @returns {Promise<T>}
   */
  read: async (path) => {
    /** @type {Answer<T>} */
    const { data } = await request('GET', path);
    return data;
  },
  /**
   * @template [T=unknown]
   * @param {string} path
   * @param {unknown} body
   * @param {CommandOptions} [options]
   * @returns {Promise<Answer<T>>}
   */
  post: (path, body, options) => request('POST', path, { body, ...options }),
  /**
   * @template [T=unknown]
   * @param {string} path
   * @param {unknown} body
   * @param {CommandOptions} [options]
   * @returns {Promise<Answer<T>>}
   */
  put: (path, body, options) => request('PUT', path, { body, ...options }),
};

/**
 * Downloads a file the API serves behind the bearer token (a plain link would carry no token).
 * @param {string} path
 * @param {string} filename
 */
export async function download(path, filename) {
  /** @type {Answer<Blob>} */
  const { data } = await request('GET', path, { blob: true });
  const url = URL.createObjectURL(data);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
