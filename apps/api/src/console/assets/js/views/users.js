// Accounts: a province admin manages everyone; a region operator the fillers and leaders of its region and schools.
import { bindAction } from '../actions.js';
import { api } from '../api.js';
import { field, h, mount, noticeBox, option, say } from '../dom.js';
import { ROLES } from '../format.js';

export async function render(root, ctx) {
  const admin = ctx.me.role === 'province-admin';
  const notice = noticeBox();
  const list = h('div');
  mount(root, h('h1', {}, '账号管理'), createCard(), notice, list);

  async function reload() {
    const { data: users } = await api.get('/api/v1/users');
    mount(
      list,
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
          users.map((u) => {
            const disable = h('button', { type: 'button', class: 'link' }, '停用');
            bindAction(disable, {
              notice,
              reload,
              run: async (keyFor) => {
                if (!confirm(`确定停用账号 ${u.username}？停用后该账号不能再登录。`)) return '';
                const current = await api.get(`/api/v1/users/${encodeURIComponent(u.username)}`);
                await api.post(`/api/v1/users/${encodeURIComponent(u.username)}/disable`, undefined, {
                  etag: current.etag,
                  key: keyFor(u.username),
                });
                await reload();
                return `已停用 ${u.username}。`;
              },
            });
            const mayDisable =
              !u.disabled &&
              u.username !== ctx.me.username &&
              (admin || ['filler', 'leader'].includes(u.role));
            return h(
              'tr',
              {},
              h('td', {}, u.username),
              h('td', {}, u.displayName),
              h('td', {}, ROLES[u.role] ?? u.role),
              h('td', {}, u.unitCode),
              h('td', {}, u.disabled ? '已停用' : '正常'),
              h('td', {}, mayDisable ? disable : ''),
            );
          }),
        ),
      ),
    );
  }

  function createCard() {
    const roles = admin ? Object.keys(ROLES) : ['filler', 'leader'];
    const inputs = {
      username: h('input', { name: 'username', autocomplete: 'off' }),
      displayName: h('input', { name: 'displayName' }),
      password: h('input', { name: 'password', type: 'password', autocomplete: 'new-password' }),
      role: h(
        'select',
        { name: 'role' },
        roles.map((r) => option(r, ROLES[r])),
      ),
      unitCode: h('input', {
        name: 'unitCode',
        value: admin ? '' : ctx.me.unitCode,
        placeholder: admin ? '如 R01、U01、province' : '',
      }),
    };
    const labels = {
      username: '用户名',
      displayName: '姓名',
      password: '初始密码',
      role: '角色',
      unitCode: '单位代码',
    };
    const fields = Object.fromEntries(
      Object.entries(inputs).map(([k, input]) => [k, field(labels[k], input)]),
    );
    const cardNotice = noticeBox();
    const create = h('button', { class: 'primary', type: 'button' }, '新建账号');
    bindAction(create, {
      notice: cardNotice,
      fields,
      reload,
      run: async (keyFor) => {
        const payload = Object.fromEntries(
          Object.entries(inputs).map(([k, input]) => [
            k,
            k === 'password' ? input.value : input.value.trim(),
          ]),
        );
        await api.post('/api/v1/users', payload, { key: keyFor(payload) });
        inputs.password.value = '';
        await reload();
        return `已新建账号 ${payload.username}（${ROLES[payload.role]}）。`;
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

  try {
    await reload();
  } catch (error) {
    say(notice, 'error', error.message);
  }
}
