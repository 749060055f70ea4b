import { attachmentDisposition } from './content-disposition';

/** The parameters a browser would read: quoted strings honour backslash escapes, as RFC 6266 says. */
function parameters(header: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /;\s*([^=;\s]+)=("(?:[^"\\]|\\.)*"|[^;]*)/g;
  for (let m = re.exec(header); m; m = re.exec(header)) {
    out[m[1].toLowerCase()] = m[2].startsWith('"') ? m[2].slice(1, -1).replace(/\\(.)/g, '$1') : m[2];
  }
  return out;
}

describe('attachmentDisposition', () => {
  it('keeps a hostile school name inside its quotes: no extra parameter, the real name in filename*', () => {
    const name = '月报表-某校"; filename="evil.html\\"-2024-03.xlsx';
    const header = attachmentDisposition(name);
    const params = parameters(header);
    expect(Object.keys(params).sort()).toEqual(['filename', 'filename*']);
    expect(params.filename).not.toMatch(/["\\]/);
    expect(params.filename.endsWith('.xlsx')).toBe(true);
    expect(decodeURIComponent(params['filename*'].replace(/^UTF-8''/, ''))).toBe(name);
  });

  it('encodes every character outside RFC 8187 attr-char in filename*', () => {
    const header = attachmentDisposition("任务进度-全省 (R01)'*!.xlsx");
    const encoded = parameters(header)['filename*'].replace(/^UTF-8''/, '');
    expect(encoded).toMatch(/^[A-Za-z0-9!#$&+.^_`|~%-]+$/);
    expect(encoded).not.toMatch(/[!'()*]/);
    expect(decodeURIComponent(encoded)).toBe("任务进度-全省 (R01)'*!.xlsx");
  });
});
