// @ts-check
// The login screen: the token goes to sessionStorage, so closing the browser logs out.
import { api, ApiError, session } from '../api.js';
import { field, h, messageOf, mount, noticeBox, say } from '../dom.js';

/**
 * @param {HTMLElement} root
 * @param {{ message?: string, onLogin: () => Promise<void> }} options
 */
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
  const form = h('form', {}, field('用户名', username), field('密码', password), submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    submit.disabled = true;
    say(notice, 'info', '正在登录…');
    try {
      await logIn(username.value.trim(), password.value);
      await onLogin();
    } catch (error) {
      say(notice, 'error', refusal(error));
    } finally {
      submit.disabled = false;
    }
  });
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

/**
 * Keeps the token for this tab.
 * @param {string} username
 * @param {string} password
 */
async function logIn(username, password) {
  /** @type {import('../api.js').Answer<{ accessToken: string }>} */
  const { data } = await api.post('/api/v1/auth/login', { username, password });
  session.token = data.accessToken;
}

/**
 * Why the login failed, in words for the person at the keyboard.
 * @param {unknown} error
 */
function refusal(error) {
  if (error instanceof ApiError && error.status === 401) return '用户名或密码不正确';
  if (error instanceof ApiError && error.status === 429) return '登录失败次数过多，请 15 分钟后再试';
  return messageOf(error);
}
