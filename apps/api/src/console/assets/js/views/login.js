// The login screen: the token goes to sessionStorage, so closing the browser logs out.
import { api, ApiError, session } from '../api.js';
import { field, h, mount, noticeBox, say } from '../dom.js';

export function renderLogin(root, { message, onLogin }) {
  document.title = '登录 · 人人持证、技能河南';
  const notice = noticeBox();
  if (message) say(notice, 'warn', message);
  const username = h('input', {
    name: 'username',
    autocomplete: 'username',
    required: true,
    autofocus: true,
  });
  const password = h('input', {
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
  });
  const submit = h('button', { class: 'primary', type: 'submit' }, '登录');
  const form = h(
    'form',
    {
      on: {
        submit: async (event) => {
          event.preventDefault();
          submit.disabled = true;
          say(notice, 'info', '正在登录…');
          try {
            const { data } = await api.post('/api/v1/auth/login', {
              username: username.value.trim(),
              password: password.value,
            });
            session.token = data.accessToken;
            await onLogin();
          } catch (error) {
            const text =
              error instanceof ApiError && error.status === 401
                ? '用户名或密码不正确'
                : error instanceof ApiError && error.status === 429
                  ? '登录失败次数过多，请 15 分钟后再试'
                  : error.message;
            say(notice, 'error', text);
          } finally {
            submit.disabled = false;
          }
        },
      },
    },
    field('用户名', username),
    field('密码', password),
    submit,
  );
  mount(
    root,
    h(
      'div',
      { class: 'card login' },
      h('h1', {}, '“人人持证、技能河南”任务台账'),
      h('p', { class: 'muted' }, '请使用单位分配的账号登录。'),
      notice,
      form,
    ),
  );
  username.focus();
}
