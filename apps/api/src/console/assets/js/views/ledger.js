// @ts-check
// The ledger verification: walks the whole hash chain and the signed checkpoints, then says what it found.
import { bindAction } from '../actions.js';
import { api } from '../api.js';
import { h, mount, noticeBox } from '../dom.js';
import { num } from '../format.js';

/** @type {Record<string, string>} */
const FAULTS = {
  'forged-checkpoint': '检查点签名不符（可能被伪造）',
  'malformed-line': '记录格式不正确',
  'extra-position': '出现多余的记录位置',
};

/** @param {HTMLElement} root */
export async function render(root) {
  const notice = noticeBox();
  const result = h('div', { 'data-testid': 'verification' });
  const run = h('button', { class: 'primary', type: 'button', 'data-testid': 'verify' }, '立即校验账本');
  bindAction(run, {
    notice,
    busy: '正在逐条校验，请稍候…',
    run: async (keyFor) => {
      /** @type {import('../api.js').Answer<import('../types.js').Verification>} */
      const { data } = await api.post('/api/v1/audit/verifications', undefined, {
        key: keyFor(String(Date.now())),
      });
      mount(result, verdict(data));
      return '';
    },
  });
  mount(
    root,
    h('h1', {}, '账本校验'),
    h(
      'div',
      { class: 'card' },
      h('p', {}, '逐条核对每条记录的哈希链和已签名的检查点，检查是否有记录被篡改、删除或调换顺序。'),
      run,
    ),
    notice,
    result,
  );
}

/** @param {import('../types.js').Verification} v */
function verdict(v) {
  const cp = v.checkpoints;
  return h(
    'div',
    { class: `notice ${v.ok ? 'ok' : 'error'}` },
    h('h2', {}, v.ok ? '校验通过：账本完整，未发现篡改' : '校验未通过：发现异常'),
    h(
      'ul',
      {},
      h('li', {}, `已校验记录：${num(v.checked)} 条`),
      h('li', {}, `链头：第 ${num(v.head?.position ?? 0)} 条，哈希 ${v.head?.hash ?? '—'}`),
      cp
        ? h(
            'li',
            {},
            `检查点：共 ${cp.total} 个，签名有效 ${cp.trusted} 个${cp.signatures === 'embedded-key' ? '（未配置可信公钥，按检查点自带公钥核验）' : ''}`,
          )
        : null,
      v.firstInvalid
        ? h(
            'li',
            {},
            `第一处异常：第 ${num(v.firstInvalid.position)} 条，${FAULTS[v.firstInvalid.reason] ?? v.firstInvalid.reason}${v.firstInvalid.detail ? `：${v.firstInvalid.detail}` : ''}`,
          )
        : null,
    ),
  );
}
