// A tiny element builder: h('td', { class: 'num' }, '1,200'). Text is always set as text, never as HTML.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'on') {
      for (const [event, handler] of Object.entries(value)) el.addEventListener(event, handler);
    } else if (name === 'class') {
      el.className = value;
    } else if (name === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (name === 'style') {
      el.setAttribute('style', value);
    } else if (name in el && typeof value !== 'string') {
      el[name] = value;
    } else {
      el.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function mount(target, ...children) {
  target.replaceChildren();
  append(target, children);
  for (const table of target.querySelectorAll('table:not(.annex2)')) scrollBox(table);
  return target;
}

let lastId = 0;
/** A page-unique id, for aria-describedby and friends. */
export const uid = (prefix) => `${prefix}-${++lastId}`;

// Keys scroll a box only when it can take focus, so a box that scrolls gets tabindex and a name.
const scrollable = new ResizeObserver((entries) => {
  for (const { target: box } of entries) {
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

/** Puts a table in a box that scrolls sideways when the table is wider than the page (see console.css). */
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

/** A message box: kind is info, ok, warn or error. Empty text hides it. */
export function say(box, kind, text) {
  box.className = `notice ${kind}`;
  box.textContent = text ?? '';
  if (text) box.setAttribute('role', kind === 'error' ? 'alert' : 'status');
}

export const noticeBox = () => h('div', { class: 'notice info', 'aria-live': 'polite' });

/** A labelled input with a hint line under it, where a field's warning or refusal appears. */
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
  wrap.hint = hint;
  wrap.input = input;
  return wrap;
}

/** The hint line under an input, tied to it: a screen reader reads the warning or refusal with the field. */
export function describedBy(input) {
  const hint = h('div', { class: 'hint', id: uid('hint'), 'aria-live': 'polite' });
  const ids = input.getAttribute('aria-describedby');
  input.setAttribute('aria-describedby', ids ? `${ids} ${hint.id}` : hint.id);
  return hint;
}

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

export function option(value, label, selected) {
  return h('option', { value, selected: selected ? true : undefined }, label);
}
