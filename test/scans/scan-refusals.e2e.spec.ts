import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { eventCount, reportUrl } from '../reports/report-steps';
import { oncePerBlock } from '../support/once-per-block';
import { SEAL_PNG, scanUrl } from './files';
import { figures, sealedFormApp } from './sealed-form-app';

jest.setTimeout(30_000);

/** A sealed form refused for its state, type, content, size, sender or unit, and nothing recorded. */
describe('the sealed form (签字盖章扫描件), over HTTP', () => {
  const forms = oncePerBlock(sealedFormApp, 60_000);

  describe('refusals record nothing', () => {
    it('refuses a scan before the leader signed: 422 INVALID_TRANSITION', async () => {
      const { h, steps, filler, leader, upload, storedScans } = forms;
      expect((await steps.enter(filler, 'U01', '2024-03', figures)).status).toBe(200);
      const before = await eventCount(h);
      const res = await upload(filler, SEAL_PNG);
      expect(res.status).toBe(422);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body).toMatchObject({ code: 'INVALID_TRANSITION', detail: expect.stringMatching(/签字/) });
      expect(await eventCount(h)).toBe(before);
      expect(await storedScans()).toBe(0);
      await steps.sign(filler, 'U01', '2024-03', '张三', '0371-69691788');
      await steps.sign(leader, 'U01', '2024-03', '李四');
    });

    it('refuses another type (415), content that is not its type or is empty (422), and above 10 MiB (413)', async () => {
      const { h, filler, upload, storedScans } = forms;
      const before = await eventCount(h);
      for (const type of ['image/gif', 'text/plain', 'application/msword']) {
        const res = await upload(filler, SEAL_PNG, type);
        expect([res.status, res.body.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
      }
      const mismatch = await upload(filler, SEAL_PNG, 'application/pdf');
      expect(mismatch.status).toBe(422);
      expect(mismatch.body).toMatchObject({
        code: 'SCAN_CONTENT_MISMATCH',
        detail: expect.stringMatching(/PNG/),
      });
      const word = await upload(filler, Buffer.from('PK\u0003\u0004 word/document.xml'), 'image/jpeg');
      expect(word.body.code).toBe('SCAN_CONTENT_MISMATCH');
      const empty = await upload(filler, Buffer.alloc(0));
      expect([empty.status, empty.body.code, empty.body.detail]).toEqual([
        422,
        'SCAN_CONTENT_MISMATCH',
        '上传的文件是空的',
      ]);
      const big = Buffer.concat([SEAL_PNG, Buffer.alloc(10 * 1024 * 1024 + 1 - SEAL_PNG.length)]);
      const tooLarge = await upload(filler, big);
      expect(tooLarge.status).toBe(413);
      expect(tooLarge.body).toMatchObject({
        code: 'PAYLOAD_TOO_LARGE',
        detail: expect.stringMatching(/10 MiB/),
      });
      expect(await eventCount(h)).toBe(before);
      expect(await storedScans()).toBe(0);
    });

    it('refuses a file cut short, and an upload broken off before its declared length', async () => {
      const { h, filler, upload, storedScans } = forms;
      const before = await eventCount(h);
      const cut = await upload(filler, SEAL_PNG.subarray(0, SEAL_PNG.length - 100));
      expect(cut.status).toBe(422);
      expect(cut.body).toMatchObject({
        code: 'SCAN_CONTENT_MISMATCH',
        detail: expect.stringMatching(/不完整/),
      });

      // A client that promises the whole file and then stops: the server never sees the rest.
      const server = h.http.listening ? h.http : h.http.listen(0);
      const { port } = server.address() as AddressInfo;
      const answer = await new Promise<string>((resolve) => {
        const socket = connect(port, '127.0.0.1', () => {
          socket.write(
            `PUT ${scanUrl('U01', '2024-03')} HTTP/1.1\r\nHost: localhost\r\n` +
              `Authorization: Bearer ${filler}\r\nContent-Type: image/png\r\n` +
              `Content-Length: ${SEAL_PNG.length}\r\nConnection: close\r\n\r\n`,
          );
          socket.write(SEAL_PNG.subarray(0, 500));
          socket.end();
        });
        let text = '';
        socket.on('data', (c) => (text += c.toString()));
        socket.on('close', () => resolve(text));
        socket.on('error', () => resolve(text));
      });
      if (answer) expect(answer).toMatch(/^HTTP\/1\.1 400/);
      expect(await eventCount(h)).toBe(before);
      expect(await storedScans()).toBe(0);
    });

    it("refuses a scan of another unit's report, and one sent by the leader: 403", async () => {
      const { h, admin, leader, otherFiller, upload } = forms;
      const before = await eventCount(h);
      expect((await upload(otherFiller, SEAL_PNG)).status).toBe(403);
      expect((await upload(leader, SEAL_PNG)).status).toBe(403);
      expect((await upload(admin, SEAL_PNG)).status).toBe(403);
      expect(await eventCount(h)).toBe(before);
    });

    it('answers 404 for a report with no scan yet', async () => {
      const { h, filler } = forms;
      const res = await h.as(filler).get(scanUrl('U01', '2024-03'));
      expect([res.status, res.body.code]).toEqual([404, 'NOT_FOUND']);
    });
  });

  it('leaves the JSON body limit of other routes as it was (1 MiB)', async () => {
    const { h, filler } = forms;
    const res = await h
      .as(filler)
      .put(reportUrl('U01', '2024-04'))
      .set('If-Match', '"0"')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ figures, note: 'x'.repeat(2 * 1024 * 1024) }));
    expect(res.status).toBe(413);
  });
});
