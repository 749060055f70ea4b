// @ts-check
// The sealed paper form (签字盖章扫描件): the filler uploads it after the leader signed; reviewers and
// auditors see it beside the figures. Images are previewed as data: URLs (the console's CSP allows no
// blob: images); a PDF is offered as a link.
import { bindAction, localError } from '../actions.js';
import { api, download, request } from '../api.js';
import { h, messageOf, mount, say } from '../dom.js';
import { when } from '../format.js';

/** @typedef {import('../types.js').Report} Report */
/** @typedef {import('../types.js').Scan} Scan */

/** @type {Record<string, string>} */
const TYPES = { 'application/pdf': 'PDF', 'image/jpeg': 'JPEG', 'image/png': 'PNG' };
/** @type {Record<string, string>} */
const EXTENSIONS = { 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png' };
const MAX_BYTES = 10 * 1024 * 1024;

/** @param {number} bytes */
const sizeLabel = (bytes) =>
  bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${Math.max(1, Math.round(bytes / 1024))} KB`;

/** @type {Record<string, string>} */
const DELIVERY = {
  queued: '等待发送',
  sending: '正在发送',
  sent: '已发送',
  failed: '发送失败，将自动重试',
};

/**
 * Whether the filler may upload now: after the leader signed, or on an accepted revision without one.
 * @param {Report} report
 */
export const mayUploadScan = (report) =>
  report.status === 'submitted' || (report.status === 'accepted' && !report.scan);

/**
 * @param {Blob} blob
 * @returns {Promise<string>}
 */
function dataUrl(blob) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}

/**
 * A preview of a file: the image itself, or a line saying it is a PDF (the link is offered beside it).
 * @param {HTMLElement} holder
 * @param {Blob} blob
 * @param {string} type
 */
async function preview(holder, blob, type) {
  if (type === 'application/pdf') {
    mount(holder, h('p', { class: 'muted' }, 'PDF 文件（请点击链接查看）'));
    return;
  }
  const img = h('img', { alt: '盖章扫描件预览', class: 'scan-preview', 'data-testid': 'scan-preview' });
  img.src = await dataUrl(blob);
  mount(holder, img);
}

/**
 * The stored scan of a report: its preview, fingerprint, uploader and whether it was mailed to the province.
 * @param {Report} report
 * @param {string} path the report's path
 * @param {{ notice?: HTMLElement, scan?: Scan | null, title?: string }} [options]
 */
export function scanCard(report, path, { notice, scan = report.scan, title = '盖章扫描件' } = {}) {
  const card = h('div', { class: 'card scan-card', 'data-testid': 'scan-card' }, h('h2', {}, title));
  if (!scan) {
    card.append(h('p', { class: 'muted', 'data-testid': 'scan-none' }, '尚未上传签字盖章的扫描件。'));
    return card;
  }
  const url = `${path}/scan?sha256=${scan.sha256}`;
  const filename = `${report.unitCode}-${report.period}-盖章扫描件.${EXTENSIONS[scan.contentType] ?? 'bin'}`;
  const holder = h('div', { class: 'scan-holder' }, h('p', { class: 'muted' }, '正在载入…'));
  const link = h('button', { type: 'button', class: 'link', 'data-testid': 'scan-download' }, '下载原件');
  link.addEventListener('click', () =>
    download(url, filename).catch((e) => notice && say(notice, 'error', `下载失败：${messageOf(e)}`)),
  );
  const delivery = scan.delivery
    ? `报送省级邮箱：${DELIVERY[scan.delivery.status] ?? scan.delivery.status}${scan.delivery.sentAt ? `（${when(scan.delivery.sentAt)}）` : ''}`
    : null;
  card.append(
    holder,
    h(
      'p',
      { class: 'muted' },
      `${TYPES[scan.contentType] ?? scan.contentType}，${sizeLabel(scan.bytes)}，${scan.uploadedBy} 于 ${when(scan.uploadedAt)} 上传。`,
    ),
    h('p', { class: 'muted mono', 'data-testid': 'scan-sha256' }, `SHA-256：${scan.sha256}`),
    ...(delivery ? [h('p', { class: 'muted', 'data-testid': 'scan-delivery' }, delivery)] : []),
    link,
  );
  /** @type {Promise<import('../api.js').Answer<Blob>>} */
  const file = request('GET', url, { blob: true });
  file
    .then(({ data }) => preview(holder, data, scan.contentType))
    .catch((error) =>
      mount(holder, h('p', { class: 'notice error' }, `无法载入扫描件：${messageOf(error)}`)),
    );
  return card;
}

/**
 * 上传盖章扫描件: drag and drop or a file button, a preview of the chosen file, then upload.
 * @param {Report} report
 * @param {string} path the report's path
 * @param {{ notice: HTMLElement, reload: () => Promise<void> }} options
 */
export function scanUploader(report, path, { notice, reload }) {
  /** @type {File | null} */
  let chosen = null;
  const holder = h('div', { class: 'scan-holder' });
  /** @param {File | null | undefined} file */
  const choose = async (file) => {
    chosen = file ?? null;
    if (!file) {
      mount(holder);
      return;
    }
    mount(holder, h('p', {}, `已选择：${file.name}（${sizeLabel(file.size)}）`));
    if (TYPES[file.type]) {
      const box = h('div');
      holder.append(box);
      await preview(box, file, file.type);
    }
  };
  const send = h('button', { class: 'primary', type: 'button', 'data-testid': 'scan-upload' }, '上传');
  bindAction(send, {
    notice,
    reload,
    busy: '正在上传…',
    run: async (keyFor) => {
      const file = chosen;
      if (!file) throw localError('请先选择签字盖章后的扫描件或照片。');
      if (!TYPES[file.type]) throw localError('只能上传 PDF、JPEG 或 PNG 文件。');
      if (file.size > MAX_BYTES) throw localError('扫描件不能超过 10 MB，请压缩或降低分辨率后再上传。');
      await api.put(`${path}/scan`, file, { type: file.type, key: keyFor(file) });
      await reload();
      return '扫描件已上传，其摘要已记入台账。';
    },
  });
  return h(
    'div',
    { class: 'card no-print', 'data-testid': 'scan-uploader' },
    h('h2', {}, report.scan ? '重新上传盖章扫描件' : '上传盖章扫描件'),
    h(
      'p',
      { class: 'muted' },
      '打印本表，经填报人和领导小组组长签字并加盖单位公章后，扫描或拍照上传（PDF、JPEG 或 PNG，不超过 10 MB）。',
    ),
    dropZone(choose),
    holder,
    send,
  );
}

/**
 * Where a file is dropped, or chosen with the 选择文件… button (the file input itself stays hidden).
 * @param {(file: File | null | undefined) => void} choose
 */
function dropZone(choose) {
  const input = h('input', {
    type: 'file',
    accept: 'application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png',
    name: 'scan',
    class: 'visually-hidden',
    'aria-label': '选择盖章扫描件文件',
    'data-testid': 'scan-file',
    // The 选择文件… button is the way in for keyboards and screen readers; this input only does its work.
    tabindex: '-1',
    'aria-hidden': 'true',
  });
  const pick = h('button', { type: 'button' }, '选择文件…');
  pick.addEventListener('click', () => input.click());
  const drop = h(
    'div',
    { class: 'scan-drop', 'data-testid': 'scan-drop', role: 'group', 'aria-label': '拖放扫描件' },
    '把扫描件或照片拖到这里，或者 ',
    pick,
    input,
  );
  input.addEventListener('change', () => choose(input.files?.[0]));
  drop.addEventListener('dragover', (event) => {
    event.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (event) => {
    event.preventDefault();
    drop.classList.remove('over');
    choose(event.dataTransfer?.files?.[0]);
  });
  return drop;
}
