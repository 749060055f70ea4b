// @ts-check
// The shell: login first, then the views of the logged-in user's role, routed by the URL's hash.
import { api, session, whenUnauthenticated } from './api.js';
import { byId, h, mount } from './dom.js';
import { ROLES } from './format.js';
import { closeMenu, showMenuButton } from './menu.js';
import { renderLogin } from './views/login.js';

/** @typedef {import('./types.js').Shell} Shell */
/** @typedef {import('./types.js').Params} Params */
/** @typedef {import('./types.js').ViewModule} ViewModule */
/** @typedef {{ id: string, label: string, load: () => Promise<ViewModule> }} View */

/**
 * @param {string} id
 * @param {string} label
 * @param {() => Promise<ViewModule>} load
 * @returns {View}
 */
const view = (id, label, load) => ({ id, label, load });

/** @type {Record<import('./types.js').Role, View[]>} */
const VIEWS = {
  filler: [view('report', '本单位月报', () => import('./views/filler.js'))],
  leader: [view('sign', '待我签字', () => import('./views/leader.js'))],
  'region-operator': [
    view('allocation', '任务分解', () => import('./views/allocation.js')),
    view('review', '学校月报审核', () => import('./views/review.js')),
    view('late', '本月报送情况', () => import('./views/timeliness.js')),
    view('users', '账号管理', () => import('./views/users.js')),
  ],
  'province-admin': [
    view('dashboard', '全省总览', () => import('./views/dashboard.js')),
    view('review', '月报审核', () => import('./views/review.js')),
    view('import', '导入计划与平台数据', () => import('./views/import.js')),
    view('users', '账号管理', () => import('./views/users.js')),
  ],
  auditor: [
    view('history', '月报历史与版本对比', () => import('./views/history.js')),
    view('ledger', '账本校验', () => import('./views/ledger.js')),
    view('dashboard', '全省总览', () => import('./views/dashboard.js')),
  ],
};

const app = byId('app');
const nav = byId('nav');
const who = byId('who');
/** @type {Shell | null} */
let shell = null;

/** @returns {{ id: string | null, params: Params }} */
function parseHash() {
  const [path, query] = location.hash.replace(/^#\/?/, '').split('?');
  return { id: path || null, params: Object.fromEntries(new URLSearchParams(query ?? '')) };
}

/**
 * Changes the route; views call it to move between their own pages (a period, a unit).
 * @param {string} id
 * @param {Params} [params]
 */
export function go(id, params = {}) {
  const query = new URLSearchParams(
    Object.entries(params).flatMap(([k, v]) => (v === undefined || v === null || v === '' ? [] : [[k, v]])),
  );
  const hash = `#/${id}${query.toString() ? `?${query}` : ''}`;
  if (location.hash === hash) route();
  else location.hash = hash;
}

async function start() {
  whenUnauthenticated(() => {
    shell = null;
    showLogin('登录已失效，请重新登录。');
  });
  if (!session.token) return showLogin();
  try {
    shell = await loadShell();
  } catch {
    session.token = null;
    return showLogin();
  }
  showIdentity(shell);
  route();
}

/** @returns {Promise<Shell>} */
async function loadShell() {
  /** @type {Promise<import('./types.js').Me>} */
  const whoAmI = api.read('/api/v1/auth/me');
  const [me, context] = await Promise.all([whoAmI, readContext()]);
  /** @type {Promise<import('./types.js').Unit>} */
  const unitRead = api.read(`/api/v1/units/${encodeURIComponent(me.unitCode)}`);
  const unit = await unitRead.catch(() => null);
  return {
    me,
    context,
    // The year every page shows until the selector changes it: the server's choice (console/context).
    year: context.year,
    unit: unit ?? { code: me.unitCode, name: me.unitCode },
  };
}

/** @param {string} [message] */
function showLogin(message) {
  showMenuButton(false);
  mount(nav);
  mount(who);
  renderLogin(app, { message, onLogin: start });
}

/** @param {Shell} current */
function showIdentity(current) {
  const { me, unit } = current;
  showMenuButton(true);
  const logout = h(
    'button',
    {
      type: 'button',
      on: { click: () => ((session.token = null), (shell = null), (location.hash = ''), showLogin()) },
    },
    '退出',
  );
  const years = current.context.years ?? [current.context.year];
  const yearSelect = h(
    'select',
    { 'data-testid': 'year-select', 'aria-label': '查看年度' },
    years.map((y) => h('option', { value: String(y), selected: y === current.year }, `${y} 年度`)),
  );
  yearSelect.addEventListener('change', () => {
    current.year = Number(yearSelect.value);
    go(parseHash().id ?? '');
  });
  mount(
    who,
    yearSelect,
    h(
      'span',
      { 'data-testid': 'identity' },
      `${me.displayName || me.username} · ${ROLES[me.role] ?? me.role} · ${unit.name}`,
    ),
    logout,
  );
}

let routeSeq = 0;

async function route() {
  if (!shell) return;
  const views = VIEWS[shell.me.role] ?? [];
  const { id, params } = parseHash();
  const current = views.find((v) => v.id === id) ?? views[0];
  closeMenu();
  drawNav(views, current);
  if (!current) return mount(app, h('p', {}, '您的账号没有可用的功能。'));
  // Each route draws into a page of its own: a slower page still loading when the user (or a link)
  // moves on then draws into a detached element, never over the page now shown.
  const page = h('div', { class: 'page' }, h('p', { class: 'muted' }, '正在加载…'));
  const banner = h('div', { class: 'no-print' });
  const seq = ++routeSeq;
  mount(app, banner, page);
  // Screen readers wait for the page to be drawn; the browser tests wait for the same signal.
  app.setAttribute('aria-busy', 'true');
  try {
    // The context again at every route: a year the province closed while this console stayed open
    // shows read-only at the next page, rather than offering commands that can only answer YEAR_CLOSED.
    const [module, context] = await Promise.all([current.load(), readContext().catch(() => shell?.context)]);
    if (seq !== routeSeq || !shell) return;
    shell.context = context ?? shell.context;
    const year = Number(params.year) || shell.year;
    const closed = (shell.context.closedYears ?? []).includes(year);
    if (closed) mount(banner, yearClosedNotice(year));
    document.title = `${current.label} · 人人持证、技能河南`;
    await module.render(page, {
      ...shell,
      params,
      year,
      closed,
      go: (p) => go(current.id, p),
      goto: go,
    });
  } finally {
    if (seq === routeSeq) app.removeAttribute('aria-busy');
  }
}

/**
 * The role's pages in the top bar, the current one marked.
 * @param {View[]} views
 * @param {View | undefined} current
 */
function drawNav(views, current) {
  mount(
    nav,
    views.map((v) =>
      h(
        'a',
        {
          href: `#/${v.id}`,
          class: v === current ? 'active' : '',
          'aria-current': v === current ? 'page' : null,
        },
        v.label,
      ),
    ),
  );
}

/** @returns {Promise<import('./types.js').ConsoleContext>} */
const readContext = () => api.read('/api/v1/console/context');

/**
 * Said once above every page of a closed year; the pages themselves then offer no command on it.
 * @param {number} year
 */
function yearClosedNotice(year) {
  return h(
    'p',
    { class: 'notice warn', role: 'status', 'data-testid': 'year-closed' },
    `本年度已关闭，只能查看：${year} 年度的月报、任务分解和计划不再接受填报、签字、审核或修改。`,
    '如需更正，须由省级管理员说明原因后重新开放本年度。',
  );
}

window.addEventListener('hashchange', route);
start();
