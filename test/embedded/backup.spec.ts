import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { ApiClient } from '../../apps/quickstart/src/api-client';
import { parseEnv } from '../../apps/quickstart/src/env-file';
import { generateSigningKeyPair } from '../../libs/application/src/audit/checkpoint-signature';
import { freePort, QuickstartRun, runCompiledCli, untilPortFree } from './support';

jest.setTimeout(600_000);

type Row = { position: number; hash: string; stream_id: string };

/** The events of the engine serving `dataDir`, read through the URL its lock file names. */
async function eventsOf(dataDir: string): Promise<Row[]> {
  const { url } = JSON.parse(readFileSync(`${dataDir}.lock.json`, 'utf8'));
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT position, hash, stream_id FROM events ORDER BY position');
    return rows.map((r) => ({ ...r, position: Number(r.position) }));
  } finally {
    await client.end();
  }
}

/**
 * `npm run backup -- --embedded DIR` and `npm run restore -- --embedded DIR` as an operator of the
 * embedded mode runs them: a backup of the running quickstart while it takes writes, a restore into
 * another data directory that proves itself and then runs, and the refusals.
 */
describe('backing up and restoring the embedded mode', () => {
  let tmp: string;
  let port: number;
  let run: QuickstartRun | undefined;
  let env: NodeJS.ProcessEnv;
  const varOf = (name: string) => join(tmp, name);
  const backupDir = () => join(tmp, 'backup');
  const figures: Record<string, unknown> = {};

  const start = async (varDir: string) => {
    run = new QuickstartRun(['--embedded'], { ...env, QUICKSTART_VAR_DIR: varDir, PORT: String(port) });
    await run.ready();
    const secrets = parseEnv(readFileSync(join(varDir, 'quickstart.env'), 'utf8'));
    const root = await new ApiClient(`http://127.0.0.1:${port}`).login(
      secrets.ADMIN_USERNAME,
      secrets.ADMIN_PASSWORD,
    );
    return { quickstart: run, root };
  };
  const stop = async () => {
    expect(await run?.stop('SIGTERM')).toBe(0);
    run = undefined;
    await untilPortFree(port);
  };
  const cli = (args: string[], varDir: string) =>
    runCompiledCli(args, { ...env, QUICKSTART_VAR_DIR: varDir });

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'skills-embedded-backup-'));
    port = await freePort();
    const pair = generateSigningKeyPair();
    await writeFile(join(tmp, 'signing.pem'), pair.privateKeyPem, { mode: 0o600 });
    env = {
      // The embedded mode ignores these: a run that used them would fail.
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/not-this-one',
      REDIS_URL: 'redis://127.0.0.1:1',
      FAKE_NOW: '2024-01-10T02:00:00.000Z',
      LOG_LEVEL: 'warn',
      AUDIT_SIGNING_KEY_FILE: join(tmp, 'signing.pem'),
      AUDIT_CHECKPOINT_DIR: '',
      AUDIT_CHECKPOINT_EVERY_MS: '2000',
    };
  });

  afterAll(async () => {
    await run?.stop('SIGKILL');
    process.stderr.write(`embedded backup figures: ${JSON.stringify(figures)}\n`);
    await rm(tmp, { recursive: true, force: true });
  });

  it('backs up the running quickstart while it takes writes; the restore proves itself and runs', async () => {
    const live = varOf('var');
    const { root } = await start(live);
    const acknowledged: string[] = [];
    let writing = true;
    const writer = (async () => {
      for (let i = 0; writing; i++) {
        const username = `writer-${i}`;
        await root.command('POST', '/api/v1/users', {
          username,
          password: `${username}-password`,
          displayName: username,
          role: 'auditor',
          unitCode: 'province',
        });
        acknowledged.push(username);
      }
    })();
    const until = async (n: number) => {
      while (acknowledged.length < n) await new Promise((r) => setTimeout(r, 100));
    };
    await until(3);
    const before = [...acknowledged];

    const backup = await cli(['backup', '--embedded', backupDir()], live);
    const afterBackup = acknowledged.length;
    await until(afterBackup + 2);
    writing = false;
    await writer;
    const after = acknowledged.slice(afterBackup + 1); // the one in flight at the end may be either side

    expect(backup.stderr).toMatch(/正在运行/);
    expect(backup.code).toBe(0);
    const manifest = JSON.parse(await readFile(join(backupDir(), 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ engine: 'embedded', pglite: '0.5.14', head: backup.json.head });
    const names = manifest.files.map((f: { name: string }) => f.name);
    expect(names).toEqual(expect.arrayContaining(['pgdata.tar', 'audit-public-key.pem']));
    expect(names.some((n: string) => n.startsWith('checkpoints/'))).toBe(true);

    // A restore refuses the directory the running quickstart holds.
    const busy = await cli(['restore', '--embedded', backupDir()], live);
    expect(busy.code).toBe(1);
    expect(busy.stderr).toMatch(/请先停止快速启动/);

    const liveEvents = await eventsOf(join(live, 'pgdata'));
    await stop();
    expect(liveEvents.at(-1)!.position).toBeGreaterThan(manifest.head.position);

    const fresh = varOf('var2');
    const restore = await cli(['restore', '--embedded', backupDir()], fresh);
    expect(restore.code).toBe(0);
    expect(restore.json).toMatchObject({
      ok: true,
      head: manifest.head,
      checked: manifest.head.position,
      problems: [],
      readModels: { differing: [] },
    });
    expect(restore.json.checkpoints.trusted).toBeGreaterThan(0);
    expect(restore.json.checkpoints.forged).toEqual([]);
    Object.assign(figures, {
      events: manifest.head.position,
      archiveBytes: backup.json.bytes,
      backupCopyMs: backup.json.dumpMs,
      backupMs: backup.json.durationMs,
      backupCommandMs: backup.ms,
      writesDuringBackup: afterBackup - before.length,
      restoreSeconds: restore.json.seconds,
      restoreCommandMs: restore.ms,
    });

    // The restored directory runs: a new var/ reuses the admin recorded in it, and the ledger verifies.
    const { quickstart, root: restoredRoot } = await start(fresh);
    expect(quickstart.output).toMatch(/reusing its admin admin/);
    const verified = await restoredRoot.command('POST', '/api/v1/audit/verifications');
    expect(verified.body).toMatchObject({ ok: true, firstInvalid: null });
    const restored = await eventsOf(join(fresh, 'pgdata'));
    expect(restored).toEqual(liveEvents.filter((e) => e.position <= manifest.head.position));
    const streams = new Set(restored.map((e) => e.stream_id));
    for (const name of before) expect(streams).toContain(`user-${name}`);
    for (const name of after) expect(streams).not.toContain(`user-${name}`);
    await stop();
  });

  it('backs up a stopped data directory by starting its engine for the copy, and leaves no lock', async () => {
    const stopped = varOf('var2');
    const second = join(tmp, 'backup-stopped');
    const backup = await cli(['backup', '--embedded', second], stopped);
    expect(backup.code).toBe(0);
    expect(backup.stderr).toMatch(/未在运行/);
    const restoredHead = JSON.parse(await readFile(join(backupDir(), 'manifest.json'), 'utf8')).head;
    expect(backup.json.head).toEqual(restoredHead);
    expect(existsSync(join(stopped, 'pgdata.lock.json'))).toBe(false);
  });

  it('names a changed byte of the archive and leaves the target untouched', async () => {
    const tampered = join(tmp, 'tampered');
    await cp(backupDir(), tampered, { recursive: true });
    const archive = join(tampered, 'pgdata.tar');
    const bytes = await readFile(archive);
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    await writeFile(archive, bytes);
    const target = varOf('var3');
    const result = await cli(['restore', '--embedded', tampered], target);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/文件 pgdata\.tar 的 sha256 与清单不符/);
    expect(existsSync(join(target, 'pgdata'))).toBe(false);
  });

  it('refuses a data directory that holds data, and an embedded backup offered to a server', async () => {
    const occupied = await cli(['restore', '--embedded', backupDir()], varOf('var2'));
    expect(occupied.code).toBe(1);
    expect(occupied.stderr).toMatch(/已有数据：恢复不覆盖已有数据/);

    const server = await cli(['restore', backupDir()], varOf('var4'));
    expect(server.code).toBe(1);
    expect(server.stderr).toMatch(/这是嵌入式模式的备份.*--embedded/);
  });
});
