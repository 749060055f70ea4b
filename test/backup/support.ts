import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { backupCommand } from '../../apps/cli/src/backup.command';
import { restoreCommand } from '../../apps/cli/src/restore.command';
import { sha256File } from '../../libs/application/src/backup/backup-manifest';
import { stampedName, urlFor, withAdmin } from '../support/databases';

/** Runs `backup DIR` or `restore DIR` in-process, as `npm run backup -- DIR` would, and collects its output. */
export async function runCli(
  name: 'backup' | 'restore',
  dir: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string; json: any }> {
  let stdout = '';
  let stderr = '';
  const collect = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _encoding, done) {
        append(chunk.toString());
        done();
      },
    });
  const io = {
    stdout: collect((s) => (stdout += s)),
    stderr: collect((s) => (stderr += s)),
    stdin: new PassThrough().end(),
    env: { ...process.env, AUDIT_CHECKPOINT_DIR: undefined, ...env },
  };
  const command = name === 'backup' ? backupCommand(io) : restoreCommand(io);
  const code = await command.run([dir]);
  const lines = stdout.trim().split('\n');
  let json: any;
  try {
    json = JSON.parse(lines[lines.length - 1]);
  } catch {
    json = undefined;
  }
  return { code, stdout, stderr, json };
}

/** A new, empty database (no template): what `restore` expects. Named so stale-run cleanup finds it. */
export async function emptyDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = stampedName('skills_t');
  await withAdmin((c) => c.query(`CREATE DATABASE ${name}`));
  return {
    url: urlFor(name),
    drop: () =>
      withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

export async function tempDir(): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'skills-ledger-backup-'));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** Rewrites the manifest's digest of `name` after a change: a forger who also updates the manifest. */
export async function resealManifest(dir: string, name: string): Promise<void> {
  const manifestPath = join(dir, 'manifest.json');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
  const sha256 = await sha256File(join(dir, name));
  const files = manifest.files.filter((f: { name: string }) => f.name !== name);
  manifest.files = [...files, { name, sha256 }];
  await writeFile(manifestPath, JSON.stringify(manifest, null, 2));
}
