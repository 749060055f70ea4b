/** Just enough of a MIME reader for the tests: the decoded subject and the attachment's bytes. */
export function subjectOf(data: string): string {
  const [, raw = ''] = /^Subject: (.*(?:\r\n[ \t].*)*)/m.exec(data) ?? [];
  return raw
    .replace(/\r\n[ \t]/g, ' ')
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?UTF-8\?([BQ])\?([^?]*)\?=/gi, (_, enc: string, text: string) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(
            text
              .replace(/_/g, ' ')
              .replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
            'latin1',
          ).toString('utf8'),
    );
}

export function attachmentOf(data: string): Buffer | null {
  const at = data.search(/Content-Disposition: attachment/i);
  if (at < 0) return null;
  const body = data.slice(at).split(/\r\n\r\n/)[1] ?? '';
  return Buffer.from(body.split(/\r\n--/)[0].replace(/\s+/g, ''), 'base64');
}
