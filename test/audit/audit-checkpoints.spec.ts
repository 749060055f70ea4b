import { readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import {
  generateSigningKeyPair,
  loadSigningKey,
  signCheckpoint,
} from '../../libs/application/src/audit/checkpoint-signature';
import { writeCheckpointFile } from '../../libs/application/src/audit/checkpoints';
import { oncePerBlock } from '../support/once-per-block';
import { auditApp } from './audit-app';

/** Signed checkpoints of the ledger's head, and the verification that names what was forged or edited. */
describe('the audit API', () => {
  const audit = oncePerBlock(async () => {
    const app = await auditApp();
    // The checkpoint signed on demand carries this instant as its signing time.
    app.h.clock.set('2024-03-10T01:00:00.000Z');
    return app;
  }, 60_000);

  describe('checkpoints and verification', () => {
    it('verifies the clean chain', async () => {
      const { h, auditor, eventCount } = audit;
      const res = await h.as(auditor).post('/api/v1/audit/verifications');
      expect(res.status).toBe(200);
      const total = await eventCount();
      const [head] = await h.db.query('SELECT hash FROM events WHERE position = $1', [total]);
      expect(res.body).toMatchObject({
        ok: true,
        checked: total,
        head: { position: total, hash: head.hash },
        firstInvalid: null,
        checkpoints: { signatures: 'trusted-key', forged: [] },
      });
    });

    it('signs the head on demand (201), answers 200 when it is already signed, and lists it', async () => {
      const { h, checkpointDir, admin, auditor, eventCount } = audit;
      const head = await eventCount();
      const signed = await h.as(admin).post('/api/v1/audit/checkpoints').send({ reason: '年度审计前封存' });
      expect(signed.status).toBe(201);
      expect(signed.body).toMatchObject({
        position: head,
        signedAt: '2024-03-10T01:00:00.000Z',
        reason: 'manual (admin): 年度审计前封存',
        signatureValid: true,
      });
      expect(await readdir(checkpointDir)).toContain(`checkpoint-${String(head).padStart(12, '0')}.json`);
      const again = await h.as(admin).post('/api/v1/audit/checkpoints');
      expect(again.status).toBe(200);
      expect(again.body.position).toBe(head);
      const list = await h.as(auditor).get('/api/v1/audit/checkpoints');
      expect(list.status).toBe(200);
      expect(list.body).toEqual([expect.objectContaining({ position: head, signatureValid: true })]);
      const verified = await h.as(auditor).post('/api/v1/audit/verifications');
      expect(verified.body).toMatchObject({ ok: true, checkpoints: { total: 2, trusted: 2 } });
    });

    it('refuses a bad reason with 400', async () => {
      const { h, admin } = audit;
      // A NUL character PostgreSQL's text refuses, found by the hostile-input suite (a 500 before).
      const bodies = [{ reason: 5 }, { reason: '' }, { reason: 'x', extra: 1 }, [1], { reason: 'a\u0000b' }];
      for (const body of bodies) {
        const res = await h.as(admin).post('/api/v1/audit/checkpoints').send(body);
        expect([body, res.status, res.body.code]).toEqual([body, 400, 'VALIDATION_FAILED']);
      }
    });

    it('reports a checkpoint file signed with another key as forged, and does not trust it', async () => {
      const { h, checkpointDir, auditor, eventCount } = audit;
      const head = await eventCount();
      const [row] = await h.db.query<{ hash: string }>('SELECT hash FROM events WHERE position = $1', [
        head - 1,
      ]);
      const other = loadSigningKey(generateSigningKeyPair().privateKeyPem);
      const forged = signCheckpoint(other, { position: head - 1, hash: row.hash }, new Date(), 'forged');
      await writeCheckpointFile(checkpointDir, forged);
      const file = join(checkpointDir, `checkpoint-${String(head - 1).padStart(12, '0')}.json`);
      try {
        const res = await h.as(auditor).post('/api/v1/audit/verifications');
        expect(res.body).toMatchObject({
          ok: false,
          checked: head,
          firstInvalid: { position: head - 1, reason: 'forged-checkpoint' },
          checkpoints: { forged: [{ position: head - 1, source: expect.stringMatching(/^file:/) }] },
        });
      } finally {
        await unlink(file);
      }
      expect((await h.as(auditor).post('/api/v1/audit/verifications')).body.ok).toBe(true);
    });

    it('reports a checkpoint row edited in the database as forged', async () => {
      const { h, owner, auditor } = audit;
      const [{ position, hash }] = await h.db.query('SELECT position, hash FROM audit_checkpoints');
      const [other] = await h.db.query('SELECT hash FROM events WHERE position = 1');
      await owner.query('UPDATE audit_checkpoints SET hash = $1 WHERE position = $2', [other.hash, position]);
      try {
        const res = await h.as(auditor).post('/api/v1/audit/verifications');
        expect(res.body.firstInvalid).toMatchObject({
          position: Number(position),
          reason: 'forged-checkpoint',
        });
        const list = await h.as(auditor).get('/api/v1/audit/checkpoints');
        expect(list.body[0].signatureValid).toBe(false);
      } finally {
        await owner.query('UPDATE audit_checkpoints SET hash = $1 WHERE position = $2', [hash, position]);
      }
    });

    it('names an event edited in the database behind the service', async () => {
      const { h, owner, auditor } = audit;
      const [original] = await owner.query<{ data: Record<string, unknown> }>(
        'SELECT data FROM events WHERE position = 3',
      );
      const tamper = (data: unknown) =>
        owner.transaction(async (tx) => {
          await tx.query('SET LOCAL session_replication_role = replica');
          await tx.query('UPDATE events SET data = $1 WHERE position = 3', [JSON.stringify(data)]);
        });
      await tamper({ ...original.data, role: 'province-admin' });
      try {
        const res = await h.as(auditor).post('/api/v1/audit/verifications');
        expect(res.body).toMatchObject({
          ok: false,
          checked: 2,
          head: { position: 2 },
          firstInvalid: { position: 3, reason: 'content-edited' },
        });
      } finally {
        await tamper(original.data);
      }
      expect((await h.as(auditor).post('/api/v1/audit/verifications')).body.ok).toBe(true);
    });
  });
});
