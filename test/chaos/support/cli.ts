import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { cliMain } from './build';

const ROOT = join(__dirname, '../../..');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The last stdout line as JSON (backup and restore print one). */
  json: any;
  ms: number;
}

/** `npm run <command> -- <args>` as a child process of the compiled CLI, with only the settings given. */
export function runCliProcess(args: string[], env: Record<string, string>): Promise<CliRun> {
  const started = Date.now();
  const { AUDIT_CHECKPOINT_DIR: _dir, AUDIT_SIGNING_KEY_FILE: _key, ...inherited } = process.env;
  const child = spawn(process.execPath, [cliMain(), ...args], {
    cwd: ROOT,
    env: { ...inherited, NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      const last = stdout.trim().split('\n').pop() ?? '';
      let json: any;
      try {
        json = JSON.parse(last);
      } catch {
        json = undefined;
      }
      resolve({ code, stdout, stderr, json, ms: Date.now() - started });
    });
  });
}
