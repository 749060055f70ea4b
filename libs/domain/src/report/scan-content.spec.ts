import { DomainError } from '../shared/errors';
import { checkScanContent, sniffScanType } from './scan-content';

const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(40, 1),
  Buffer.from([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]),
]);
const jpeg = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
  Buffer.alloc(40, 7),
  Buffer.from([0xff, 0xd9]),
]);
const pdf = Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n', 'latin1');

const codeOf = (run: () => void) => {
  try {
    run();
  } catch (e) {
    return { code: (e as DomainError).code, detail: (e as DomainError).detail };
  }
  return null;
};

describe('the sealed form file, judged by its content', () => {
  it('knows PDF, JPEG and PNG by their first bytes', () => {
    expect(sniffScanType(png)).toBe('image/png');
    expect(sniffScanType(jpeg)).toBe('image/jpeg');
    expect(sniffScanType(pdf)).toBe('application/pdf');
    expect(sniffScanType(Buffer.from('PK\u0003\u0004 a docx'))).toBeNull();
  });

  it('takes whole files whose content is the declared type', () => {
    expect(codeOf(() => checkScanContent('image/png', png))).toBeNull();
    expect(codeOf(() => checkScanContent('image/jpeg', jpeg))).toBeNull();
    expect(codeOf(() => checkScanContent('application/pdf', pdf))).toBeNull();
  });

  it('refuses a PNG declared as a PDF, and a Word file declared as a JPEG', () => {
    expect(codeOf(() => checkScanContent('application/pdf', png))).toMatchObject({
      code: 'SCAN_CONTENT_MISMATCH',
      detail: expect.stringContaining('内容却是 PNG'),
    });
    expect(codeOf(() => checkScanContent('image/jpeg', Buffer.from('PK\u0003\u0004')))?.code).toBe(
      'SCAN_CONTENT_MISMATCH',
    );
  });

  it('refuses an empty file', () => {
    expect(codeOf(() => checkScanContent('image/png', Buffer.alloc(0)))).toMatchObject({
      code: 'SCAN_CONTENT_MISMATCH',
      detail: '上传的文件是空的',
    });
  });

  it('refuses a file cut short: the magic bytes are there, the end marker is not', () => {
    for (const [type, file] of [
      ['image/png', png],
      ['image/jpeg', jpeg],
      ['application/pdf', pdf],
    ] as const) {
      expect(codeOf(() => checkScanContent(type, file.subarray(0, file.length - 8)))).toMatchObject({
        code: 'SCAN_CONTENT_MISMATCH',
        detail: expect.stringContaining('不完整'),
      });
    }
  });
});
