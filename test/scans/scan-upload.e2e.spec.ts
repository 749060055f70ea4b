import { eventCount, reportUrl } from '../reports/report-steps';
import { oncePerBlock } from '../support/once-per-block';
import { FORM_PDF, SEAL_JPG, SEAL_PNG, sha256 } from './files';
import { binary, sealedFormApp } from './sealed-form-app';

jest.setTimeout(30_000);

/** A sealed form uploaded, read back, replaced and locked; required by the plan year; checked in an audit. */
describe('the sealed form (签字盖章扫描件), over HTTP', () => {
  const forms = oncePerBlock(async () => {
    const app = await sealedFormApp();
    // A scan follows the leader's signature (scan-refusals.e2e.spec.ts: refused before it).
    await app.submit('U01', app.filler, app.leader);
    return app;
  }, 60_000);

  describe('upload, read back, replace', () => {
    let pngAt: string;

    it('records the scan with its sha256, type, size and uploader, and shows it on the report', async () => {
      const { h, auditor, filler, upload } = forms;
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
      const { admin, auditor, filler, leader, otherFiller, download } = forms;
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
      const { h, filler, upload } = forms;
      const before = await eventCount(h);
      const res = await upload(filler, SEAL_PNG);
      expect(res.status).toBe(200);
      expect(res.body.sha256).toBe(sha256(SEAL_PNG));
      expect(await eventCount(h)).toBe(before);
    });

    it('replaces the scan before acceptance with a new event; history and as-of reads show which was current', async () => {
      const { h, auditor, filler, upload, download } = forms;
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
      const { h, steps, admin, auditor, filler, upload } = forms;
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
      const { h, steps, admin, upload, download, submit } = forms;
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
      const { h, admin } = forms;
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
      const { h, steps, admin, otherFiller, upload, submit } = forms;
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

  describe('audit', () => {
    it('verifies every stored scan against its ledger event, and names one whose bytes changed', async () => {
      const { h, owner, auditor, download } = forms;
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
      const { h, owner } = forms;
      await expect(h.db.query(`UPDATE report_scans SET content = '\\x00'`)).rejects.toThrow(
        /permission denied/,
      );
      await expect(h.db.query(`DELETE FROM report_scans`)).rejects.toThrow(/permission denied/);
      await expect(owner.query(`DELETE FROM report_scans`)).rejects.toThrow(/immutable/);
    });
  });
});
