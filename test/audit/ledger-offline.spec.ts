import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { chainHash, hashedContent, type StoredEvent } from '../../libs/event-store/src';
import {
  loadSigningKey,
  signCheckpoint,
  generateSigningKeyPair,
} from '../../libs/application/src/audit/checkpoint-signature';
import { writeCheckpointFile } from '../../libs/application/src/audit/checkpoints';
import { ledgerFixture, meta } from '../support/ledger-fixture';
import { runLedger, tempDir } from './support';

const at = new Date('2024-04-30T08:00:00.000Z');
const EVENTS = 12;

/**
 * Offline verification of an exported ledger: each kind of rewrite an attacker with the file (or the
 * database) could make is named by `ledger verify`, which needs neither the database nor the service.
 */
describe('verifying an exported ledger offline', () => {
  let f: Awaited<ReturnType<typeof ledgerFixture>>;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let exported: string;
  let lines: string[];
  let publicKey: string;
  let checkpoints: string;

  beforeAll(async () => {
    f = await ledgerFixture(4);
    dir = await tempDir();
    for (let i = 1; i <= EVENTS; i++) {
      await f.store.append(
        `report-R0${i % 3}-2024-03`,
        [
          {
            type: 'FiguresEntered',
            data: { figures: { training: i * 100, certified: i }, note: `第${i}次填报` },
          },
        ],
        { expectedVersion: 'any', metadata: meta(), recordedAt: new Date(at.getTime() + i * 60_000) },
      );
    }
    const keygen = await runLedger(['keygen', join(dir.path, 'keys')]);
    expect(keygen.code).toBe(0);
    publicKey = join(dir.path, 'keys', 'audit-public-key.pem');
    const signingKey = loadSigningKey(
      await readFile(join(dir.path, 'keys', 'audit-signing-key.pem'), 'utf8'),
    );
    checkpoints = join(dir.path, 'checkpoints');
    for (const position of [4, 9]) {
      const [row] = await f.db.query('SELECT hash FROM events WHERE position = $1', [position]);
      await writeCheckpointFile(
        checkpoints,
        signCheckpoint(signingKey, { position, hash: row.hash }, at, 'test'),
      );
    }
    exported = join(dir.path, 'ledger.ndjson');
    const result = await runLedger(['export', '--out', exported], { env: { DATABASE_URL: f.url } });
    expect(result.code).toBe(0);
    lines = (await readFile(exported, 'utf8')).trimEnd().split('\n');
  });
  afterAll(async () => {
    await f.close();
    await dir.remove();
  });

  /** Writes a mutated copy of the export and verifies it with the signed checkpoints and the public key. */
  async function verifyCopy(mutate: (lines: string[]) => string[], name: string, withCheckpoints = true) {
    const file = join(dir.path, `${name}.ndjson`);
    await writeFile(file, mutate([...lines]).join('\n') + '\n');
    const args = ['verify', file];
    if (withCheckpoints) args.push('--checkpoints', checkpoints, '--public-key', publicKey);
    return runLedger(args);
  }

  const event = (line: string): StoredEvent => JSON.parse(line);

  it('exports every event in order, one StoredEvent JSON per line', async () => {
    expect(lines).toHaveLength(EVENTS);
    expect(lines.map((l) => event(l).position)).toEqual(Array.from({ length: EVENTS }, (_, i) => i + 1));
    const [first] = await f.store.readAll(0, 1);
    expect(event(lines[0])).toEqual(first);
  });

  it('passes a clean export, with and without checkpoints, and exits 0', async () => {
    const bare = await runLedger(['verify', exported]);
    expect(bare.code).toBe(0);
    expect(bare.json).toMatchObject({ ok: true, checked: EVENTS, firstInvalid: null });
    const full = await verifyCopy((l) => l, 'clean');
    expect(full.code).toBe(0);
    expect(full.json).toMatchObject({
      ok: true,
      checked: EVENTS,
      head: { position: EVENTS, hash: event(lines[EVENTS - 1]).hash },
      checkpoints: { total: 2, trusted: 2, signatures: 'trusted-key', forged: [] },
    });
  });

  it('reads the export from standard input with "-"', async () => {
    const result = await runLedger(['verify', '-'], { stdin: Readable.from([lines.join('\n') + '\n']) });
    expect(result.json).toMatchObject({ ok: true, checked: EVENTS });
  });

  it('names one changed byte of a payload as edited content, and exits 1', async () => {
    const result = await verifyCopy((l) => {
      l[4] = l[4].replace('"training":500', '"training":600');
      return l;
    }, 'edited');
    expect(result.code).toBe(1);
    expect(result.json).toMatchObject({
      ok: false,
      checked: 4,
      head: { position: 4 },
      firstInvalid: { position: 5, reason: 'content-edited' },
    });
  });

  it('names an edited Chinese note (a changed UTF-8 byte) as edited content', async () => {
    const result = await verifyCopy((l) => {
      l[6] = l[6].replace('第7次', '第8次');
      return l;
    }, 'edited-note');
    expect(result.json.firstInvalid).toMatchObject({ position: 7, reason: 'content-edited' });
  });

  it('names a deleted line as a missing position', async () => {
    const result = await verifyCopy((l) => l.filter((_, i) => i !== 5), 'deleted');
    expect(result.code).toBe(1);
    expect(result.json.firstInvalid).toMatchObject({ position: 6, reason: 'missing-position' });
  });

  it('names two swapped lines as a reordering at the first of them', async () => {
    const result = await verifyCopy((l) => {
      [l[2], l[7]] = [l[7], l[2]];
      return l;
    }, 'swapped');
    expect(result.code).toBe(1);
    expect(result.json.firstInvalid).toMatchObject({ position: 3, reason: 'reordered' });
  });

  it('names a forged line that links and hashes correctly as an extra position', async () => {
    const result = await verifyCopy((l) => {
      const previous = event(l[5]);
      const body = { ...previous, position: 7, streamPosition: 99, data: { figures: { training: 1 } } };
      const forged = {
        ...body,
        prevHash: previous.hash,
        hash: chainHash(previous.hash, hashedContent(body)),
      };
      l.splice(6, 0, JSON.stringify(forged));
      return l;
    }, 'forged-line');
    expect(result.code).toBe(1);
    expect(result.json.firstInvalid).toMatchObject({ position: 7, reason: 'extra-position' });
  });

  it('names a forged line with a made-up hash at its position', async () => {
    const result = await verifyCopy((l) => {
      const forged = { ...event(l[3]), hash: 'f'.repeat(64) };
      l.splice(4, 0, JSON.stringify({ ...forged, position: 5 }));
      return l;
    }, 'forged-hash');
    expect(result.code).toBe(1);
    expect(result.json.firstInvalid.position).toBe(5);
  });

  it('catches a history rewritten and re-hashed from a position on, through a checkpoint', async () => {
    const result = await verifyCopy((l) => {
      let prevHash = event(l[1]).hash;
      for (let i = 2; i < l.length; i++) {
        const body = { ...event(l[i]), data: { figures: { training: 0 } } };
        const hash = chainHash(prevHash, hashedContent(body));
        l[i] = JSON.stringify({ ...body, prevHash, hash });
        prevHash = hash;
      }
      return l;
    }, 'rehashed');
    expect(result.code).toBe(1);
    expect(result.json.firstInvalid).toMatchObject({ position: 4, reason: 'checkpoint-mismatch' });
    const withoutCheckpoints = await verifyCopy((l) => l, 'rehashed-bare', false);
    expect(withoutCheckpoints.code).toBe(0);
  });

  it('catches a cut tail through the signed checkpoints (and only through them)', async () => {
    const cut = (l: string[]) => l.slice(0, 7);
    const bare = await verifyCopy(cut, 'cut-bare', false);
    expect(bare.json).toMatchObject({ ok: true, checked: 7 });
    const result = await verifyCopy(cut, 'cut');
    expect(result.code).toBe(1);
    expect(result.json.firstInvalid).toMatchObject({ position: 8, reason: 'truncated' });
  });

  it('names a line that is not an event, instead of failing', async () => {
    const result = await verifyCopy((l) => {
      l[3] = l[3].slice(0, 40);
      return l;
    }, 'garbled');
    expect(result.code).toBe(1);
    expect(result.json).toMatchObject({
      checked: 3,
      firstInvalid: { position: 4, reason: 'malformed-line' },
    });
  });

  describe('forged checkpoints', () => {
    async function verifyWith(
      checkpointFiles: (dir: string) => Promise<void>,
      name: string,
      ledger = exported,
    ) {
      const forgedDir = join(dir.path, `checkpoints-${name}`);
      await checkpointFiles(forgedDir);
      return runLedger(['verify', ledger, '--checkpoints', forgedDir, '--public-key', publicKey]);
    }

    it('reports a checkpoint signed with another key, and does not trust it', async () => {
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
      const original = JSON.parse(await readFile(join(checkpoints, 'checkpoint-000000000009.json'), 'utf8'));
      const result = await verifyWith(
        (d) => writeCheckpointFile(d, { ...original, hash: event(lines[7]).hash, position: 8 }),
        'edited',
      );
      expect(result.json.firstInvalid).toMatchObject({ position: 8, reason: 'forged-checkpoint' });
    });

    it('does not let a forged checkpoint vouch for a rewritten tail', async () => {
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
      const keys = join(dir.path, 'keys');
      const pem = await readFile(join(keys, 'audit-signing-key.pem'), 'utf8');
      expect(loadSigningKey(pem).asymmetricKeyType).toBe('ed25519');
      const again = await runLedger(['keygen', keys]);
      expect(again.code).toBe(1);
      expect(await readFile(join(keys, 'audit-signing-key.pem'), 'utf8')).toBe(pem);
    });

    it('checkpoints copies the signed checkpoints of the database into files', async () => {
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
      expect((await runLedger([])).code).toBe(2);
      expect((await runLedger(['frobnicate'])).code).toBe(2);
      expect((await runLedger(['verify'])).code).toBe(2);
      expect((await runLedger(['verify', join(dir.path, 'absent.ndjson')])).code).toBe(2);
      expect((await runLedger(['verify', exported, '--bogus'])).code).toBe(2);
    });
  });
});
