import { spawn } from 'node:child_process';
import { join } from 'node:path';

export type PgTool = 'pg_dump' | 'pg_restore';

/** A PostgreSQL client tool that could not run, or refused; the message says which and why. */
export class PgToolError extends Error {}

const binary = (tool: PgTool, binDir?: string) => (binDir ? join(binDir, tool) : tool);

/**
 * libpq reads the password from the environment instead of the command line, where every user of the
 * machine could see it in the process list.
 */
export function connectionArgs(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  return { dbname: parsed.toString(), env: password ? { PGPASSWORD: password } : {} };
}

/** Runs a client tool to its end; rejects with what it wrote on stderr when it fails. */
export function runPgTool(
  tool: PgTool,
  args: string[],
  options: { binDir?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary(tool, options.binDir), args, {
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.once('error', (error) =>
      reject(
        new PgToolError(
          `无法运行 ${tool}（${error.message}）：请安装 PostgreSQL 客户端工具，或用 BACKUP_PG_BIN 指定其目录`,
        ),
      ),
    );
    child.once('close', (code) =>
      code === 0
        ? resolve(out)
        : reject(new PgToolError(`${tool} 失败（退出码 ${code}）：${err.trim().slice(-2000)}`)),
    );
  });
}

/** `15.20` from `pg_dump (PostgreSQL) 15.20 (Debian ...)`. */
export async function pgToolVersion(
  tool: PgTool,
  binDir?: string,
): Promise<{ version: string; major: number }> {
  const text = await runPgTool(tool, ['--version'], { binDir });
  const match = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?/.exec(text);
  if (!match) throw new PgToolError(`无法识别 ${tool} 的版本：${text.trim()}`);
  return { version: match[2] ? `${match[1]}.${match[2]}` : match[1], major: Number(match[1]) };
}

/** The server's major version from `server_version_num` (150020 → 15). */
export const serverMajor = (versionNum: string | number): number => Math.floor(Number(versionNum) / 10_000);
