// @ts-check
// A user action (a click that changes something): one request, one Idempotency-Key, one explanation.
import { ApiError, download, NetworkError, newKey } from './api.js';
import { h, messageOf, say, setHint } from './dom.js';

/** @typedef {import('./api.js').FieldError} FieldError */
/** @typedef {import('./dom.js').Hinted} Hinted */
/** @typedef {Record<string, Hinted | undefined>} Fields */
/**
 * The Idempotency-Key for a body: the same body after a network failure gets the same key.
 * @typedef {(body: unknown) => string} KeyFor
 */
/**
 * @typedef {object} ActionOptions
 * @property {HTMLElement} notice where the outcome is said
 * @property {Fields} [fields] where each field's refusal is said
 * @property {(keyFor: KeyFor) => Promise<string | void>} run the requests; answers the words of success
 * @property {() => Promise<void>} [reload] redraws the page's data after a conflict
 * @property {string} [busy]
 */

export const CONFLICT_MESSAGE =
  '这条记录刚刚已被其他人（或系统）修改，您看到的页面已过期，本次操作未保存。已为您重新加载最新数据，请核对后再操作。';

/**
 * Domain refusals that carry no `errors` list, and the field they are about.
 * @type {Record<string, string>}
 */
const FIELD_OF_CODE = {
  ADVANCED_EXCEEDS_CERTIFIED: 'advanced',
  SAME_SIGNER: 'name',
  REASON_REQUIRED: 'reason',
  TRANSFER_EXCEEDS_SHARE: 'amount',
  USERNAME_TAKEN: 'username',
  UNIT_CODE_TAKEN: 'code',
};

/**
 * Binds a button to an action. While it runs the button is disabled, so a double click sends one
 * request. `run(keyFor)` builds each body and calls the API with `keyFor(body)` as Idempotency-Key: the
 * same key comes back only when the same body is retried after a network failure (the server may have
 * recorded the first try), so a retry never records twice and a changed form never reuses a key.
 * @param {HTMLButtonElement} button
 * @param {ActionOptions} options
 */
export function bindAction(button, { notice, fields = {}, run, reload, busy = '正在提交…' }) {
  // Keys of the requests of the attempt under way; kept only after a network failure.
  /** @type {Map<string, string>} */
  let pending = new Map();
  /** @type {KeyFor} */
  const keyFor = (body) => {
    const text = fingerprint(body);
    const key = pending.get(text) ?? newKey();
    pending.set(text, key);
    return key;
  };
  button.addEventListener('click', async (event) => {
    event.preventDefault();
    if (button.disabled) return;
    button.disabled = true;
    clearHints(fields);
    say(notice, 'info', busy);
    try {
      const message = await run(keyFor);
      pending = new Map();
      if (message) say(notice, 'ok', message);
      else say(notice, 'info', '');
    } catch (error) {
      if (!(error instanceof NetworkError)) pending = new Map();
      await explain(error, { notice, fields, reload });
    } finally {
      button.disabled = false;
      keepFocus(button, notice);
    }
  });
  return button;
}

/**
 * An action disables its button (which blurs it) and usually redraws the page; the browser then puts the
 * focus back at the top, and a keyboard user would have to Tab through everything again. The focus goes
 * back to the button, to the same control in the redrawn page, or to the message that says what happened.
 * @param {HTMLButtonElement} button
 * @param {HTMLElement | null | undefined} notice
 */
function keepFocus(button, notice) {
  if (document.activeElement && document.activeElement !== document.body) return;
  // Disabling the focused button while it ran blurred it, even when the page was not redrawn.
  if (button.isConnected) return button.focus();
  const id = button.dataset.testid;
  const again = id ? document.querySelector(`[data-testid="${id}"]`) : null;
  if (again instanceof HTMLElement && !(again instanceof HTMLButtonElement && again.disabled))
    return again.focus();
  if (notice?.isConnected) {
    notice.tabIndex = -1;
    notice.focus();
  }
}

/** @param {unknown} body */
function fingerprint(body) {
  if (typeof File !== 'undefined' && body instanceof File)
    return `${body.name}|${body.size}|${body.lastModified}`;
  return JSON.stringify(body ?? null);
}

/**
 * Says why an action failed: conflicts reload the page's data; field errors go next to their fields.
 * @param {unknown} error
 * @param {{ notice: HTMLElement, fields?: Fields, reload?: () => Promise<void> }} where
 */
export async function explain(error, { notice, fields = {}, reload }) {
  if (error instanceof ApiError && error.conflict) {
    say(notice, 'warn', CONFLICT_MESSAGE);
    if (reload) await reload();
    return;
  }
  if (error instanceof ApiError || error instanceof NetworkError || error instanceof LocalError) {
    say(notice, 'error', error.detail ?? error.message);
    for (const e of error.errors) {
      const wrap = fieldFor(fields, e.field);
      if (wrap) setHint(wrap, 'error', e.message);
    }
    const name = error.code ? FIELD_OF_CODE[error.code] : undefined;
    const byCode = name ? fields[name] : undefined;
    if (byCode && !error.errors.length) setHint(byCode, 'error', error.detail);
    return;
  }
  say(notice, 'error', `页面出错：${messageOf(error)}`);
}

/**
 * `figures.advanced`, `advanced` and `units[0].quota.advanced` all find the `advanced` field.
 * @param {Fields} fields
 * @param {string | undefined} name
 */
function fieldFor(fields, name) {
  if (!name) return undefined;
  if (fields[name]) return fields[name];
  const last = String(name).split('.').pop() ?? '';
  return fields[last];
}

/** @param {Fields} fields */
export function clearHints(fields) {
  for (const wrap of Object.values(fields)) if (wrap?.hint) setHint(wrap, '', '');
}

/** A refusal decided in the page (before any request), shown the same way as the API's. */
export class LocalError extends Error {
  /**
   * @param {string} detail
   * @param {Record<string, string>} [fieldErrors] the message for each field, by its name
   */
  constructor(detail, fieldErrors = {}) {
    super(detail);
    this.detail = detail;
    /** @type {string | null} */
    this.code = null;
    /** @type {FieldError[]} */
    this.errors = Object.entries(fieldErrors).map(([f, message]) => ({ field: f, message }));
  }
}

/**
 * @param {string} detail
 * @param {Record<string, string>} [fieldErrors]
 */
export const localError = (detail, fieldErrors) => new LocalError(detail, fieldErrors);

/**
 * A button that downloads a workbook or form the API serves behind the bearer token.
 * @param {string} label
 * @param {string} path
 * @param {string} filename
 * @param {HTMLElement} [notice]
 */
export function downloadButton(label, path, filename, notice) {
  const button = h('button', { type: 'button' }, label);
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      await download(path, filename);
    } catch (error) {
      if (notice) say(notice, 'error', `下载失败：${messageOf(error)}`);
    } finally {
      button.disabled = false;
      keepFocus(button, notice);
    }
  });
  return button;
}
