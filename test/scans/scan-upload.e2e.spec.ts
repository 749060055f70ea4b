import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Database } from '../../libs/platform/src/database';
import { startApp, type Harness } from '../support/app';
import { publishPlan2024 } from '../support/plan';
import { eventCount, type Figures, reportSteps, reportUrl } from '../reports/report-steps';
import { FORM_PDF, SEAL_JPG, SEAL_PNG, scanUrl, sha256 } from './files';

jest.setTimeout(30_000);

const figures: Figures = { training: 800, certified: 600, advanced: 320, onePlusX: 110 };
const binary = (res: { body: unknown }) => res.body as Buffer;

describe('the sealed form (签字盖章扫描件), over HTTP', () => {
  let h: Harness;
  let steps: ReturnType<typeof reportSteps>;
  let owner: Database;
  let admin: string;
  let auditor: string;
  let filler: string;
  let leader: string;
  let otherFiller: string;

  const upload = (token: string, bytes: Buffer, type = 'image/png', unit = 'U01', period = '2024-03') =>
    h.as(token).put(scanUrl(unit, period)).set('Content-Type', type).send(bytes);
  const download = (token: string, unit = 'U01', period = '2024-03', query = '') =>
    h
      .as(token)
      .get(`${scanUrl(unit, period)}${query}`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
  const storedScans = async () =>
    (await h.db.query<{ count: number }>('SELECT count(*)::int AS count FROM report_scans'))[0].count;
  const submit = async (unit: string, f: string, l: string) => {
    expect((await steps.enter(f, unit, '2024-03', figures)).status).toBe(200);
    expect((await steps.sign(f, unit, '2024-03', '张三', '0371-69691788')).status).toBe(200);
    expect((await steps.sign(l, unit, '2024-03', '李四')).status).toBe(200);
  };

  beforeAll(async () => {
    h = await startApp({ now: '2024-03-15T02:00:00.000Z' });
    owner = await Database.create({ url: process.env.DATABASE_URL!, poolSize: 1 }).connect();
    steps = reportSteps(h);
    admin = await h.token('admin');
    await publishPlan2024(h);
    auditor = await h.user('auditor', 'auditor', 'province');
    filler = await h.user('u01-filler', 'filler', 'U01');
    leader = await h.user('u01-leader', 'leader', 'U01');
    otherFiller = await h.user('u02-filler', 'filler', 'U02');
  }, 60_000);
  afterAll(async () => {
    await owner.close();
    await h.close();
  });

  describe('refusals record nothing', () => {
    it('refuses a scan before the leader signed: 422 INVALID_TRANSITION', async () => {
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
      const before = await eventCount(h);
      expect((await upload(otherFiller, SEAL_PNG)).status).toBe(403);
      expect((await upload(leader, SEAL_PNG)).status).toBe(403);
      expect((await upload(admin, SEAL_PNG)).status).toBe(403);
      expect(await eventCount(h)).toBe(before);
    });

    it('answers 404 for a report with no scan yet', async () => {
      const res = await h.as(filler).get(scanUrl('U01', '2024-03'));
      expect([res.status, res.body.code]).toEqual([404, 'NOT_FOUND']);
    });
  });

  describe('upload, read back, replace', () => {
    let pngAt: string;

    it('records the scan with its sha256, type, size and uploader, and shows it on the report', async () => {
      const res = await upload(filler, SEAL_PNG);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        revision: 1,
        sha256: sha256(SEAL_PNG),
        contentType: 'image/png',
        bytes: SEAL_PNG.length,
        uploadedAt: '2024-03-15T02:00:00.000Z',
      });
      pngAt = res.body.uploadedAt;
      const history = await h.as(auditor).get(`${reportUrl('U01', '2024-03')}/history`);
      const event = history.body.at(-1);
      expect(event).toMatchObject({
        type: 'ReportScanAttached',
        data: {
          revision: 1,
          sha256: sha256(SEAL_PNG),
          contentType: 'image/png',
          bytes: SEAL_PNG.length,
          uploadedBy: { username: 'u01-filler' },
        },
      });
      expect(res.headers.etag).toBe(`"${event.version}"`);
      const report = await h.as(filler).get(reportUrl('U01', '2024-03'));
      expect(report.body.scan).toMatchObject({
        sha256: sha256(SEAL_PNG),
        contentType: 'image/png',
        bytes: SEAL_PNG.length,
        uploadedAt: pngAt,
        uploadedBy: 'u01-filler',
        delivery: null,
      });
    });

    it('gives the file back byte for byte to everyone who may read the report, and to nobody else', async () => {
      for (const token of [filler, leader, admin, auditor]) {
        const res = await download(token);
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toBe('image/png');
        expect(res.headers['x-content-sha256']).toBe(sha256(SEAL_PNG));
        expect(binary(res).equals(SEAL_PNG)).toBe(true);
      }
      expect((await download(otherFiller)).status).toBe(403);
    });

    it('records nothing when the same file is uploaded again', async () => {
      const before = await eventCount(h);
      const res = await upload(filler, SEAL_PNG);
      expect(res.status).toBe(200);
      expect(res.body.sha256).toBe(sha256(SEAL_PNG));
      expect(await eventCount(h)).toBe(before);
    });

    it('replaces the scan before acceptance with a new event; history and as-of reads show which was current', async () => {
      h.clock.set('2024-03-16T02:00:00.000Z');
      const res = await upload(filler, SEAL_JPG, 'image/jpeg');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ sha256: sha256(SEAL_JPG), contentType: 'image/jpeg' });
      const history = await h.as(auditor).get(`${reportUrl('U01', '2024-03')}/history`);
      expect(
        history.body.filter((e: any) => e.type === 'ReportScanAttached').map((e: any) => e.data.sha256),
      ).toEqual([sha256(SEAL_PNG), sha256(SEAL_JPG)]);
      const then = await h.as(auditor).get(`${reportUrl('U01', '2024-03')}?asOf=2024-03-15T12:00:00%2B08:00`);
      expect(then.body.scan.sha256).toBe(sha256(SEAL_PNG));
      const now = await h.as(auditor).get(reportUrl('U01', '2024-03'));
      expect(now.body.scan.sha256).toBe(sha256(SEAL_JPG));
      expect(binary(await download(auditor)).equals(SEAL_JPG)).toBe(true);
      const earlier = await download(auditor, 'U01', '2024-03', `?sha256=${sha256(SEAL_PNG)}`);
      expect(binary(earlier).equals(SEAL_PNG)).toBe(true);
      expect((await download(auditor, 'U01', '2024-03', `?sha256=${'0'.repeat(64)}`)).status).toBe(404);
      expect((await download(auditor, 'U01', '2024-03', '?sha256=nope')).status).toBe(400);
    });

    it('locks the scan of an accepted revision: 409 SCAN_LOCKED, amend instead', async () => {
      expect((await steps.review(admin, 'U01', '2024-03', 'accept')).status).toBe(200);
      const before = await eventCount(h);
      const res = await upload(filler, FORM_PDF, 'application/pdf');
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'SCAN_LOCKED', detail: expect.stringMatching(/修订/) });
      expect(await eventCount(h)).toBe(before);
      const report = await h.as(auditor).get(reportUrl('U01', '2024-03'));
      expect(report.body.official.scan.sha256).toBe(sha256(SEAL_JPG));
    });

    it('takes a scan for an accepted revision that has none, once', async () => {
      const u03f = await h.user('u03-filler', 'filler', 'U03');
      const u03l = await h.user('u03-leader', 'leader', 'U03');
      await submit('U03', u03f, u03l);
      expect((await steps.review(admin, 'U03', '2024-03', 'accept')).status).toBe(200);
      const res = await upload(u03f, FORM_PDF, 'application/pdf', 'U03');
      expect(res.status).toBe(200);
      const back = await download(admin, 'U03');
      expect(back.headers['content-type']).toBe('application/pdf');
      expect(binary(back).equals(FORM_PDF)).toBe(true);
      expect((await upload(u03f, SEAL_PNG, 'image/png', 'U03')).body.code).toBe('SCAN_LOCKED');
    });
  });

  describe('requireScan, a setting of the plan year', () => {
    it('is off by default and changed by the province with If-Match on the plan', async () => {
      const plan = await h.as(admin).get('/api/v1/plans/2024');
      expect(plan.body.requireScan).toBe(false);
      expect((await h.as(admin).put('/api/v1/plans/2024/settings').send({ requireScan: true })).status).toBe(
        428,
      );
      const bad = await h
        .as(admin)
        .put('/api/v1/plans/2024/settings')
        .set('If-Match', plan.headers.etag)
        .send({ requireScan: 'yes' });
      expect(bad.status).toBe(400);
      const res = await h
        .as(admin)
        .put('/api/v1/plans/2024/settings')
        .set('If-Match', plan.headers.etag)
        .send({ requireScan: true });
      expect(res.status).toBe(200);
      expect(res.body.requireScan).toBe(true);
      expect(res.headers.etag).not.toBe(plan.headers.etag);
      expect((await h.as(admin).get('/api/v1/plans/2024')).body.requireScan).toBe(true);
    });

    it('refuses to accept a report without a scan (422 SCAN_REQUIRED) and accepts it with one', async () => {
      const u02l = await h.user('u02-leader', 'leader', 'U02');
      await submit('U02', otherFiller, u02l);
      const before = await eventCount(h);
      const refused = await steps.review(admin, 'U02', '2024-03', 'accept');
      expect(refused.status).toBe(422);
      expect(refused.body).toMatchObject({ code: 'SCAN_REQUIRED', detail: expect.stringMatching(/扫描件/) });
      expect(await eventCount(h)).toBe(before);
      expect((await upload(otherFiller, SEAL_PNG, 'image/png', 'U02')).status).toBe(200);
      const accepted = await steps.review(admin, 'U02', '2024-03', 'accept');
      expect(accepted.status).toBe(200);
      expect(accepted.body.official.scan.sha256).toBe(sha256(SEAL_PNG));
    });
  });

  it('leaves the JSON body limit of other routes as it was (1 MiB)', async () => {
    const res = await h
      .as(filler)
      .put(reportUrl('U01', '2024-04'))
      .set('If-Match', '"0"')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ figures, note: 'x'.repeat(2 * 1024 * 1024) }));
    expect(res.status).toBe(413);
  });

  describe('audit', () => {
    it('verifies every stored scan against its ledger event, and names one whose bytes changed', async () => {
      const clean = await h.as(auditor).post('/api/v1/audit/verifications');
      expect(clean.status).toBe(200);
      expect(clean.body.ok).toBe(true);
      expect(clean.body.scans).toEqual({ checked: 3, invalid: [] });

      // Someone with database access swaps the PNG's bytes (as the owner, the immutability trigger off).
      await owner.transaction(async (tx) => {
        await tx.query('ALTER TABLE report_scans DISABLE TRIGGER report_scans_no_update_or_delete');
        await tx.query('UPDATE report_scans SET content = $1 WHERE sha256 = $2', [
          SEAL_JPG,
          sha256(SEAL_PNG),
        ]);
        await tx.query('ALTER TABLE report_scans ENABLE TRIGGER report_scans_no_update_or_delete');
      });
      const res = await h.as(auditor).post('/api/v1/audit/verifications');
      expect(res.body.ok).toBe(false);
      expect(res.body.firstInvalid).toBeNull();
      expect(res.body.scans.invalid).toEqual([
        {
          sha256: sha256(SEAL_PNG),
          reason: 'altered',
          actual: sha256(SEAL_JPG),
          recordedBy: [
            { streamId: 'report-U01-2024-03', position: expect.any(Number) },
            { streamId: 'report-U02-2024-03', position: expect.any(Number) },
          ],
        },
      ]);
      const served = await download(auditor, 'U02');
      expect(served.status).toBe(500);
      expect(JSON.parse(binary(served).toString()).code).toBe('SCAN_ALTERED');
    });

    it('lets the application role add scans but never change or remove them', async () => {
      await expect(h.db.query(`UPDATE report_scans SET content = '\\x00'`)).rejects.toThrow(
        /permission denied/,
      );
      await expect(h.db.query(`DELETE FROM report_scans`)).rejects.toThrow(/permission denied/);
      await expect(owner.query(`DELETE FROM report_scans`)).rejects.toThrow(/immutable/);
    });
  });
});
