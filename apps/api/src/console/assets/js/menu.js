// @ts-check
// The top bar's menu button (shown on narrow screens by narrow.css): a disclosure button that says
// whether the menu is open (aria-expanded), closes with Escape and after a page is chosen.
import { byId } from './dom.js';

const toggle = byId('menu-toggle');
const menu = byId('menu');

const isOpen = () => toggle.getAttribute('aria-expanded') === 'true';

/** @param {{ refocus?: boolean }} [options] */
export function closeMenu({ refocus = false } = {}) {
  if (!isOpen()) return;
  toggle.setAttribute('aria-expanded', 'false');
  if (refocus) toggle.focus();
}

/**
 * The button is there only when there is a menu to open (not on the login screen).
 * @param {boolean} shown
 */
export function showMenuButton(shown) {
  toggle.hidden = !shown;
  if (!shown) closeMenu();
}

toggle.addEventListener('click', () => toggle.setAttribute('aria-expanded', String(!isOpen())));

document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && isOpen()) closeMenu({ refocus: true });
});

// A tap outside the open menu closes it, as people expect of a drop-down.
document.addEventListener('click', (event) => {
  const target = event.target instanceof Node ? event.target : null;
  if (isOpen() && !menu.contains(target) && !toggle.contains(target)) closeMenu();
});
