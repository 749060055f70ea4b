import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateSigningKeyPair } from '../../libs/application/src/audit/checkpoint-signature';
import { startApp, type Harness } from '../support/app';
import { publishPlan2024, registerSchool } from '../support/plan';
import { emptyDatabase, resealManifest, runCli, tempDir } from './support';

/**
 * `backup DIR` and `restore DIR` as an operator runs them: a backup of the live database whose manifest
 * names the head inside the dump, and a restore that checks every file first, refuses what it must, and
 * proves what it brought back.
 */
jest.setTimeout(60_000);

describe('backing up and restoring the ledger', () => {
  let h: Harness;
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  const targets: { drop: () => Promise<void> }[] = [];
  let keys: { signing: string; public: string };
  let plain: string;
  const head = async () =>
    (await h.db.query('SELECT position, hash FROM events ORDER BY position DESC LIMIT 1')).map((r) => ({
      position: Number(r.position),
      hash: r.hash,
    }))[0];
  const target = async () => {
    const db = await emptyDatabase();
    targets.push(db);
    return db.url;
  };
  const copyOf = async (dir: string, name: string) => {
    const copy = join(tmp.path, name);
    await cp(dir, copy, { recursive: true });
    return copy;
  };
  const tableCount = async (url: string) => {
    const { Client } = await import('pg');
    const c = new Client({ connectionString: url });
    await c.connect();
    try {
      const { rows } = await c.query(
        `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`,
      );
      return rows[0].n as number;
    } finally {
      await c.end();
    }
  };

  beforeAll(async () => {
    h = await startApp({ now: '2024-03-05T02:00:00.000Z' });
    tmp = await tempDir();
    await publishPlan2024(h);
    await h.user('auditor1', 'auditor', 'province');
    await registerSchool(h, 'R01-S1', 'R01');
    const pair = generateSigningKeyPair();
    keys = { signing: join(tmp.path, 'signing.pem'), public: join(tmp.path, 'public.pem') };
    await writeFile(keys.signing, pair.privateKeyPem, { mode: 0o600 });
    await writeFile(keys.public, pair.publicKeyPem);
    plain = join(tmp.path, 'plain');
  }, 60_000);
  afterAll(async () => {
    await h.close();
    for (const t of targets) await t.drop();
    await tmp.remove();
  });

  it('backs up without a signing key: exit 0, saying the backup carries no signed checkpoint', async () => {
    const result = await runCli('backup', plain, { DATABASE_URL: process.env.DATABASE_URL });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('不含签名检查点');
    const manifest = JSON.parse(await readFile(join(plain, 'manifest.json'), 'utf8'));
    expect(manifest.head).toEqual(await head());
    expect(typeof manifest.head.position).toBe('number');
    expect(manifest.files.map((f: { name: string }) => f.name)).toEqual(['database.dump']);
    expect(manifest.files[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(result.json).toMatchObject({ ok: true, head: manifest.head, signedCheckpoints: 0 });
  });

  it('restores into an empty database: the chain reaches the manifest head, the read models rebuild equal', async () => {
    const manifest = JSON.parse(await readFile(join(plain, 'manifest.json'), 'utf8'));
    const result = await runCli('restore', plain, { DATABASE_URL: await target() });
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    expect(result.json).toMatchObject({
      ok: true,
      head: manifest.head,
      checked: manifest.head.position,
      problems: [],
      readModels: { differing: [], rebuiltFrom: manifest.head.position },
    });
    expect(result.code).toBe(0);
  });

  it('with a signing key, carries the public key and signed checkpoints, and signs the head it backs up', async () => {
    const checkpointDir = join(tmp.path, 'offsite-checkpoints');
    const env = {
      DATABASE_URL: process.env.DATABASE_URL,
      AUDIT_SIGNING_KEY_FILE: keys.signing,
      AUDIT_CHECKPOINT_DIR: checkpointDir,
    };
    const first = await runCli('backup', join(tmp.path, 'signed-1'), env);
    expect(first.code).toBe(0);
    const firstHead = first.json.head;
    await h.user('filler-after-first', 'filler', 'U01');
    const second = await runCli('backup', join(tmp.path, 'signed-2'), env);
    expect(second.code).toBe(0);
    expect(second.json.head.position).toBeGreaterThan(firstHead.position);

    const dir = join(tmp.path, 'signed-2');
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
    const names = manifest.files.map((f: { name: string }) => f.name);
    const checkpointFile = (p: number) => `checkpoints/checkpoint-${String(p).padStart(12, '0')}.json`;
    expect(names).toEqual(
      [
        'audit-public-key.pem',
        checkpointFile(firstHead.position),
        checkpointFile(manifest.head.position),
        'database.dump',
      ].sort(),
    );
    const signed = await h.db.query('SELECT position, reason FROM audit_checkpoints ORDER BY position');
    expect(signed).toEqual([
      { position: String(firstHead.position), reason: 'backup' },
      { position: String(manifest.head.position), reason: 'backup' },
    ]);

    const restored = await runCli('restore', dir, {
      DATABASE_URL: await target(),
      AUDIT_PUBLIC_KEY_FILE: keys.public,
      AUDIT_CHECKPOINT_DIR: checkpointDir,
    });
    expect(restored.json).toMatchObject({
      ok: true,
      head: manifest.head,
      // The first backup's checkpoint: its table row in the dump, its file in the backup and offsite;
      // the second's: in the backup and offsite (signed after the snapshot, so not in the dump).
      checkpoints: { total: 5, trusted: 5, signatures: 'trusted-key', forged: [] },
    });
    expect(restored.code).toBe(0);
  });

  describe('refusals', () => {
    it('names a changed file and restores nothing', async () => {
      const dir = await copyOf(plain, 'changed');
      const dump = join(dir, 'database.dump');
      const bytes = await readFile(dump);
      bytes[bytes.length - 100] ^= 0xff;
      await writeFile(dump, bytes);
      const url = await target();
      const result = await runCli('restore', dir, { DATABASE_URL: url });
      expect(result.code).toBe(1);
      expect(result.json).toMatchObject({ ok: false, head: null, checked: 0 });
      expect(result.json.problems).toEqual([
        expect.stringContaining('文件 database.dump 的 sha256 与清单不符'),
      ]);
      expect(result.stderr).toContain('database.dump');
      expect(await tableCount(url)).toBe(0);
    });

    it('names a file the manifest does not list, and a listed file that is missing', async () => {
      const dir = await copyOf(join(tmp.path, 'signed-2'), 'extra-missing');
      await writeFile(join(dir, 'checkpoints', 'checkpoint-000000000001.json'), '{}');
      const key = (await readdir(dir)).find((n) => n.endsWith('.pem'))!;
      await writeFile(join(dir, 'notes.txt'), 'x');
      await import('node:fs/promises').then((fs) => fs.rm(join(dir, key)));
      const result = await runCli('restore', dir, { DATABASE_URL: await target() });
      expect(result.code).toBe(1);
      expect(result.json.problems).toEqual([
        expect.stringContaining(`文件 ${key} 缺失`),
        expect.stringContaining('文件 checkpoints/checkpoint-000000000001.json 不在清单中'),
        expect.stringContaining('文件 notes.txt 不在清单中'),
      ]);
    });

    it('refuses a manifest whose head disagrees with the data it came with', async () => {
      const dir = await copyOf(plain, 'manifest-head');
      const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
      const claimed = { position: manifest.head.position + 5, hash: manifest.head.hash };
      await writeFile(join(dir, 'manifest.json'), JSON.stringify({ ...manifest, head: claimed }));
      const result = await runCli('restore', dir, { DATABASE_URL: await target() });
      expect(result.code).toBe(1);
      expect(result.json).toMatchObject({ ok: false, head: manifest.head, manifestHead: claimed });
      expect(result.json.problems).toEqual([expect.stringContaining('与清单的 head')]);
    });

    it('refuses a non-empty target database and leaves it untouched', async () => {
      const before = await head();
      const result = await runCli('restore', plain, { DATABASE_URL: process.env.DATABASE_URL });
      expect(result.code).toBe(1);
      expect(result.json.problems).toEqual([expect.stringContaining('目标数据库不是空的')]);
      expect(await head()).toEqual(before);
    });

    it('refuses a directory without a manifest', async () => {
      const result = await runCli('restore', join(tmp.path, 'nothing-here'), {
        DATABASE_URL: await target(),
      });
      expect(result.code).toBe(1);
      expect(result.json.problems).toEqual([expect.stringContaining('manifest.json 不存在')]);
    });

    it('names a forged checkpoint even when the forger resealed the manifest', async () => {
      const dir = await copyOf(join(tmp.path, 'signed-2'), 'forged');
      const name = (await readdir(join(dir, 'checkpoints'))).sort()[0];
      const file = join(dir, 'checkpoints', name);
      const checkpoint = JSON.parse(await readFile(file, 'utf8'));
      await writeFile(file, JSON.stringify({ ...checkpoint, hash: 'f'.repeat(64) }));
      await resealManifest(dir, `checkpoints/${name}`);
      const result = await runCli('restore', dir, {
        DATABASE_URL: await target(),
        AUDIT_PUBLIC_KEY_FILE: keys.public,
      });
      expect(result.code).toBe(1);
      expect(result.json.ok).toBe(false);
      expect(result.json.checkpoints.forged).toEqual([
        expect.objectContaining({ source: `backup:checkpoints/${name}`, position: checkpoint.position }),
      ]);
    });

    it('refuses to back up into a directory that holds files', async () => {
      const result = await runCli('backup', plain, { DATABASE_URL: process.env.DATABASE_URL });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('不是空目录');
      const manifest = JSON.parse(await readFile(join(plain, 'manifest.json'), 'utf8'));
      expect(manifest.files).toHaveLength(1);
    });
  });
});
