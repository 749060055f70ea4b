import { PassThrough, Readable, Writable } from 'node:stream';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ledgerCommand } from '../../apps/cli/src/ledger.command';

/** Runs `ledger <args>` in-process, as `npm run ledger -- <args>` would, and collects what it prints. */
export async function runLedger(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; stdin?: Readable } = {},
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
  const command = ledgerCommand({
    stdout: collect((s) => (stdout += s)),
    stderr: collect((s) => (stderr += s)),
    stdin: options.stdin ?? new PassThrough().end(),
    env: { ...process.env, ...options.env },
  });
  const code = await command.run(args);
  let json: any;
  try {
    json = JSON.parse(stdout);
  } catch {
    json = undefined;
  }
  return { code, stdout, stderr, json };
}

export async function tempDir(): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'skills-ledger-audit-'));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}
