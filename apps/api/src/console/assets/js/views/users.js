// @ts-check
// Accounts: a province admin manages everyone; a region operator the fillers and leaders of its region and schools.
import { bindAction } from '../actions.js';
import { api } from '../api.js';
import { field, h, messageOf, mount, noticeBox, option, say } from '../dom.js';
import { ROLES } from '../format.js';

/** @typedef {import('../types.js').User} User */
/** @typedef {import('../types.js').ViewContext} ViewContext */
/**
 * @typedef {object} UsersPage
 * @property {ViewContext} ctx
 * @property {boolean} admin whether the user is a province admin (who manages every account)
 * @property {HTMLElement} notice
 * @property {HTMLElement} list
 * @property {() => Promise<void>} reload
 */

/**
 * @param {HTMLElement} root
 * @param {ViewContext} ctx
 */
export async function render(root, ctx) {
  /** @type {UsersPage} */
  const page = {
    ctx,
    admin: ctx.me.role === 'province-admin',
    notice: noticeBox(),
    list: h('div'),
    reload: () => drawUsers(page),
  };
  mount(root, h('h1', {}, '账号管理'), createCard(page), page.notice, page.list);
  try {
    await page.reload();
  } catch (error) {
    say(page.notice, 'error', messageOf(error));
  }
}

/** @param {UsersPage} page */
async function drawUsers(page) {
  /** @type {User[]} */
  const users = await api.read('/api/v1/users');
  mount(
    page.list,
    h(
      'table',
      { 'data-testid': 'users' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['用户名', '姓名', '角色', '所属单位', '状态', ''].map((t) => h('th', {}, t)),
        ),
      ),
      h(
        'tbody',
        {},
        users.map((u) => userRow(page, u)),
      ),
    ),
  );
}

/**
 * @param {UsersPage} page
 * @param {User} u
 */
function userRow(page, u) {
  const mayDisable =
    !u.disabled &&
    u.username !== page.ctx.me.username &&
    (page.admin || ['filler', 'leader'].includes(u.role));
  return h(
    'tr',
    {},
    h('td', {}, u.username),
    h('td', {}, u.displayName),
    h('td', {}, ROLES[u.role] ?? u.role),
    h('td', {}, u.unitCode),
    h('td', {}, u.disabled ? '已停用' : '正常'),
    h('td', {}, mayDisable ? disableButton(page, u) : ''),
  );
}

/**
 * 停用, after a confirmation: the account can no longer log in.
 * @param {UsersPage} page
 * @param {User} u
 */
function disableButton(page, u) {
  const disable = h('button', { type: 'button', class: 'link' }, '停用');
  return bindAction(disable, {
    notice: page.notice,
    reload: page.reload,
    run: async (keyFor) => {
      if (!confirm(`确定停用账号 ${u.username}？停用后该账号不能再登录。`)) return '';
      const path = `/api/v1/users/${encodeURIComponent(u.username)}`;
      const current = await api.get(path);
      await api.post(`${path}/disable`, undefined, { etag: current.etag, key: keyFor(u.username) });
      await page.reload();
      return `已停用 ${u.username}。`;
    },
  });
}

/**
 * ROLES, looked up by what the role select holds.
 * @type {Record<string, string>}
 */
const ROLE_NAMES = ROLES;

const LABELS = {
  username: '用户名',
  displayName: '姓名',
  password: '初始密码',
  role: '角色',
  unitCode: '单位代码',
};

/**
 * 新建账号: a region operator may create only fillers and leaders, of its own region by default.
 * @param {UsersPage} page
 */
function createCard(page) {
  const { admin, ctx } = page;
  const roles = Object.entries(ROLES).filter(([r]) => admin || r === 'filler' || r === 'leader');
  const inputs = {
    username: h('input', { name: 'username', autocomplete: 'off' }),
    displayName: h('input', { name: 'displayName' }),
    password: h('input', { name: 'password', type: 'password', autocomplete: 'new-password' }),
    role: h(
      'select',
      { name: 'role' },
      roles.map(([r, label]) => option(r, label)),
    ),
    unitCode: h('input', {
      name: 'unitCode',
      value: admin ? '' : ctx.me.unitCode,
      placeholder: admin ? '如 R01、U01、province' : '',
    }),
  };
  const fields = {
    username: field(LABELS.username, inputs.username),
    displayName: field(LABELS.displayName, inputs.displayName),
    password: field(LABELS.password, inputs.password),
    role: field(LABELS.role, inputs.role),
    unitCode: field(LABELS.unitCode, inputs.unitCode),
  };
  const cardNotice = noticeBox();
  const create = h('button', { class: 'primary', type: 'button' }, '新建账号');
  bindAction(create, {
    notice: cardNotice,
    fields,
    reload: page.reload,
    run: async (keyFor) => {
      const payload = {
        username: inputs.username.value.trim(),
        displayName: inputs.displayName.value.trim(),
        password: inputs.password.value,
        role: inputs.role.value,
        unitCode: inputs.unitCode.value.trim(),
      };
      await api.post('/api/v1/users', payload, { key: keyFor(payload) });
      inputs.password.value = '';
      await page.reload();
      return `已新建账号 ${payload.username}（${ROLE_NAMES[payload.role]}）。`;
    },
  });
  return h(
    'div',
    { class: 'card no-print' },
    h('h2', {}, '新建账号'),
    h('div', { class: 'row' }, Object.values(fields), create),
    cardNotice,
  );
}
