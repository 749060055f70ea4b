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
  return target;
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
  const hint = h('div', { class: 'hint' });
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

export function setHint(wrap, kind, text) {
  wrap.hint.className = `hint ${kind}`;
  wrap.hint.textContent = text ?? '';
  wrap.input.classList.toggle('invalid', kind === 'error' && !!text);
}

export function option(value, label, selected) {
  return h('option', { value, selected: selected ? true : undefined }, label);
}
