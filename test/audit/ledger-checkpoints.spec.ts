import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  loadSigningKey,
  signCheckpoint,
  generateSigningKeyPair,
} from '../../libs/application/src/audit/checkpoint-signature';
import { writeCheckpointFile } from '../../libs/application/src/audit/checkpoints';
import { oncePerBlock } from '../support/once-per-block';
import { at, EVENTS, event, exportedLedger } from './exported-ledger';
import { runLedger } from './support';

/**
 * The checkpoints an offline verification trusts, and the rest of the `ledger` command: a forged or
 * edited checkpoint is named and vouches for nothing; keygen, checkpoints from the database, usage errors.
 */
describe('verifying an exported ledger offline', () => {
  const kit = oncePerBlock(exportedLedger);

  describe('forged checkpoints', () => {
    async function verifyWith(
      checkpointFiles: (dir: string) => Promise<void>,
      name: string,
      ledger = kit.exported,
    ) {
      const { dir, publicKey } = kit;
      const forgedDir = join(dir.path, `checkpoints-${name}`);
      await checkpointFiles(forgedDir);
      return runLedger(['verify', ledger, '--checkpoints', forgedDir, '--public-key', publicKey]);
    }

    it('reports a checkpoint signed with another key, and does not trust it', async () => {
      const { lines } = kit;
      const other = loadSigningKey(generateSigningKeyPair().privateKeyPem);
      const head = event(lines[EVENTS - 1]);
      const result = await verifyWith(
        (d) => writeCheckpointFile(d, signCheckpoint(other, head, at, 'forged')),
        'other-key',
      );
      expect(result.code).toBe(1);
      expect(result.json).toMatchObject({
        ok: false,
        checked: EVENTS,
        firstInvalid: { position: EVENTS, reason: 'forged-checkpoint' },
        checkpoints: { total: 1, trusted: 0, forged: [{ position: EVENTS }] },
      });
    });

    it('reports a checkpoint whose hash was changed after signing', async () => {
      const { lines, checkpoints } = kit;
      const original = JSON.parse(await readFile(join(checkpoints, 'checkpoint-000000000009.json'), 'utf8'));
      const result = await verifyWith(
        (d) => writeCheckpointFile(d, { ...original, hash: event(lines[7]).hash, position: 8 }),
        'edited',
      );
      expect(result.json.firstInvalid).toMatchObject({ position: 8, reason: 'forged-checkpoint' });
    });

    it('does not let a forged checkpoint vouch for a rewritten tail', async () => {
      const { dir, lines } = kit;
      const other = loadSigningKey(generateSigningKeyPair().privateKeyPem);
      const rewritten = join(dir.path, 'rewritten.ndjson');
      const l = lines.slice(0, 5);
      await writeFile(rewritten, l.join('\n') + '\n');
      const result = await verifyWith(
        async (d) => {
          await writeCheckpointFile(d, signCheckpoint(other, event(l[4]), at, 'forged'));
        },
        'vouching',
        rewritten,
      );
      expect(result.code).toBe(1);
      expect(result.json.firstInvalid.reason).toBe('forged-checkpoint');
    });

    it('without a public key, still catches an edited checkpoint by its own key, with a warning', async () => {
      const { dir, exported, checkpoints } = kit;
      const original = JSON.parse(await readFile(join(checkpoints, 'checkpoint-000000000004.json'), 'utf8'));
      const forgedDir = join(dir.path, 'checkpoints-no-key');
      await writeCheckpointFile(forgedDir, { ...original, hash: 'a'.repeat(64) });
      const result = await runLedger(['verify', exported, '--checkpoints', forgedDir]);
      expect(result.stderr).toMatch(/--public-key/);
      expect(result.json).toMatchObject({
        ok: false,
        firstInvalid: { position: 4, reason: 'forged-checkpoint' },
        checkpoints: { signatures: 'embedded-key' },
      });
    });
  });

  describe('the ledger command', () => {
    it('keygen writes a usable key pair and refuses to overwrite it', async () => {
      const { dir } = kit;
      const keys = join(dir.path, 'keys');
      const pem = await readFile(join(keys, 'audit-signing-key.pem'), 'utf8');
      expect(loadSigningKey(pem).asymmetricKeyType).toBe('ed25519');
      const again = await runLedger(['keygen', keys]);
      expect(again.code).toBe(1);
      expect(await readFile(join(keys, 'audit-signing-key.pem'), 'utf8')).toBe(pem);
    });

    it('checkpoints copies the signed checkpoints of the database into files', async () => {
      const { f, dir, exported, lines, publicKey } = kit;
      const key = loadSigningKey(await readFile(join(dir.path, 'keys', 'audit-signing-key.pem'), 'utf8'));
      const head = event(lines[EVENTS - 1]);
      const c = signCheckpoint(key, head, at, 'hourly');
      await f.db.query(
        `INSERT INTO audit_checkpoints (position, hash, signed_at, reason, public_key, signature)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [c.position, c.hash, c.signedAt, c.reason, c.publicKey, c.signature],
      );
      const out = join(dir.path, 'from-db');
      expect((await runLedger(['checkpoints', out], { env: { DATABASE_URL: f.url } })).code).toBe(0);
      const result = await runLedger(['verify', exported, '--checkpoints', out, '--public-key', publicKey]);
      expect(result.json).toMatchObject({ ok: true, checkpoints: { total: 1, trusted: 1 } });
    });

    it('answers usage errors with exit code 2', async () => {
      const { dir, exported } = kit;
      expect((await runLedger([])).code).toBe(2);
      expect((await runLedger(['frobnicate'])).code).toBe(2);
      expect((await runLedger(['verify'])).code).toBe(2);
      expect((await runLedger(['verify', join(dir.path, 'absent.ndjson')])).code).toBe(2);
      expect((await runLedger(['verify', exported, '--bogus'])).code).toBe(2);
    });
  });
});
