// @ts-check
// A tiny element builder: h('td', { class: 'num' }, '1,200'). Text is always set as text, never as HTML.

/** @typedef {Node | string | number | boolean | null | undefined} Leaf */
/**
 * What h() and mount() take as children: nodes, text, and arrays of them (two levels deep; JSDoc has no
 * recursive type alias, and no view nests deeper).
 * @typedef {Leaf | ReadonlyArray<Leaf | ReadonlyArray<Leaf>>} Child
 */
/**
 * Attributes; `on` adds event listeners, `dataset` data-* attributes. `false`, null and undefined leave
 * an attribute out; a non-string value of a property the element has (checked, selected) sets the property.
 * @typedef {{ [name: string]: unknown, on?: Record<string, (event: Event) => void>, class?: string, dataset?: Record<string, string>, style?: string }} Attrs
 */
/** @typedef {HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement} Control */
/**
 * A control with the hint line under it, where its warning or refusal appears.
 * @typedef {{ input: HTMLElement, hint: HTMLElement }} Hinted
 */
/** @typedef {'' | 'info' | 'ok' | 'warn' | 'error'} Kind */

/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Attrs | null} [attrs]
 * @param {...Child} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'on') {
      for (const [event, handler] of Object.entries(attrs?.on ?? {})) el.addEventListener(event, handler);
    } else if (name === 'class') {
      el.className = String(value);
    } else if (name === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (name === 'style') {
      el.setAttribute('style', String(value));
    } else if (name in el && typeof value !== 'string') {
      Reflect.set(el, name, value);
    } else {
      el.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

/**
 * @param {Element} el
 * @param {ReadonlyArray<Child>} children
 */
function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/**
 * @template {Element} T
 * @param {T} target
 * @param {...Child} children
 * @returns {T}
 */
export function mount(target, ...children) {
  target.replaceChildren();
  append(target, children);
  for (const table of target.querySelectorAll('table:not(.annex2)')) scrollBox(table);
  return target;
}

/**
 * The element index.html holds for the shell; a missing one is a broken page, said at once.
 * @param {string} id
 * @returns {HTMLElement}
 */
export function byId(id) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`index.html has no #${id}`);
  return el;
}

let lastId = 0;
/**
 * A page-unique id, for aria-describedby and friends.
 * @param {string} prefix
 */
export const uid = (prefix) => `${prefix}-${++lastId}`;

// Keys scroll a box only when it can take focus, so a box that scrolls gets tabindex and a name.
const scrollable = new ResizeObserver((entries) => {
  for (const { target: box } of entries) {
    if (!(box instanceof HTMLElement)) continue;
    if (box.scrollWidth > box.clientWidth + 1) {
      box.tabIndex = 0;
      box.setAttribute('role', 'region');
      box.setAttribute('aria-label', `${box.dataset.label}（可左右滚动）`);
    } else {
      box.removeAttribute('tabindex');
      box.removeAttribute('role');
      box.removeAttribute('aria-label');
    }
  }
});

/**
 * Puts a table in a box that scrolls sideways when the table is wider than the page (see console.css).
 * @param {Element} table
 */
function scrollBox(table) {
  if (table.parentElement?.classList.contains('table-scroll')) return;
  const heading = table.parentElement?.closest('section, .card')?.querySelector('h2, h3');
  const box = h('div', {
    class: 'table-scroll',
    dataset: { label: table.getAttribute('aria-label') || heading?.textContent || '表格' },
  });
  table.replaceWith(box);
  box.append(table);
  scrollable.observe(box);
}

/**
 * A message box: kind is info, ok, warn or error. Empty text hides it.
 * @param {HTMLElement} box
 * @param {Kind} kind
 * @param {string | null} [text]
 */
export function say(box, kind, text) {
  box.className = `notice ${kind}`;
  box.textContent = text ?? '';
  if (text) box.setAttribute('role', kind === 'error' ? 'alert' : 'status');
}

export const noticeBox = () => h('div', { class: 'notice info', 'aria-live': 'polite' });

/**
 * A labelled input with a hint line under it, where a field's warning or refusal appears.
 * @template {Control} I
 * @param {string} label
 * @param {I} input
 * @param {{ name?: string }} [extra]
 */
export function field(label, input, extra = {}) {
  const hint = describedBy(input);
  input.setAttribute('aria-label', label);
  const wrap = h(
    'label',
    { class: 'field', dataset: { field: extra.name ?? input.name ?? '' } },
    label,
    input,
    hint,
  );
  return Object.assign(wrap, { hint, input });
}

/**
 * The hint line under an input, tied to it: a screen reader reads the warning or refusal with the field.
 * @param {HTMLElement} input
 */
export function describedBy(input) {
  const hint = h('div', { class: 'hint', id: uid('hint'), 'aria-live': 'polite' });
  const ids = input.getAttribute('aria-describedby');
  input.setAttribute('aria-describedby', ids ? `${ids} ${hint.id}` : hint.id);
  return hint;
}

/**
 * @param {Hinted} wrap
 * @param {Kind} kind
 * @param {string | null} [text]
 */
export function setHint(wrap, kind, text) {
  const invalid = kind === 'error' && !!text;
  // Rewriting the same words would make a screen reader announce them again at every keystroke.
  if (wrap.hint.textContent !== (text ?? '') || !wrap.hint.classList.contains(kind || 'hint')) {
    wrap.hint.className = `hint ${kind}`;
    wrap.hint.textContent = text ?? '';
  }
  wrap.input.classList.toggle('invalid', invalid);
  if (invalid) wrap.input.setAttribute('aria-invalid', 'true');
  else wrap.input.removeAttribute('aria-invalid');
}

/**
 * @param {string} value
 * @param {string} label
 * @param {boolean} [selected]
 */
export function option(value, label, selected) {
  return h('option', { value, selected: selected ? true : undefined }, label);
}

/**
 * What a failure says: an Error's message, or the thing itself.
 * @param {unknown} error
 */
export const messageOf = (error) => (error instanceof Error ? error.message : String(error));
