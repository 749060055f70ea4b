import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { generateSigningKeyPair, loadPublicKey } from '@app/application/audit/checkpoint-signature';
import {
  type CheckpointRow,
  readCheckpointDir,
  writeCheckpointFile,
} from '@app/application/audit/checkpoints';
import { exportLedger, readLedgerFile } from '@app/application/audit/ledger-file';
import { verifyLedger } from '@app/application/audit/ledger-verification';
import { Database } from '@app/platform/database';
import type { CliCommand } from './commands';

/** Where a command reads and writes: the process's own streams, or a test's. */
export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  stdin: Readable;
  env: NodeJS.ProcessEnv;
}

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/skills';
export const SIGNING_KEY_FILE = 'audit-signing-key.pem';
export const PUBLIC_KEY_FILE = 'audit-public-key.pem';

const USAGE = `usage:
  ledger export [--out FILE]                 the events table as NDJSON, in order (DATABASE_URL)
  ledger checkpoints DIR                     the signed checkpoints of the database, one JSON file each
  ledger verify FILE|- [--checkpoints DIR] [--public-key FILE]
                                             verify an export offline; exit 0 valid, 1 invalid
  ledger keygen DIR                          a new Ed25519 key pair for AUDIT_SIGNING_KEY_FILE`;

/**
 * `ledger`: the auditor's offline tools. Export and checkpoints read the database; verify needs
 * neither the database nor the service, only the exported file, the checkpoint files and a public key.
 */
export function ledgerCommand(io: CliIo = processIo()): CliCommand {
  const say = (stream: Writable, text: string) => stream.write(text.endsWith('\n') ? text : `${text}\n`);
  const usage = (problem?: string) => {
    say(io.stderr, problem ? `${problem}\n${USAGE}` : USAGE);
    return 2;
  };
  const withDatabase = async <T>(work: (db: Database) => Promise<T>): Promise<T> => {
    const db = await Database.create({
      url: io.env.DATABASE_URL ?? DEFAULT_DATABASE_URL,
      poolSize: 1,
      applicationName: 'skills-ledger-cli',
    }).connect();
    try {
      return await work(db);
    } finally {
      await db.close();
    }
  };

  async function exportCommand(args: string[]): Promise<number> {
    const { values } = parseArgs({ args, options: { out: { type: 'string' } }, strict: true });
    if (!values.out) {
      const count = await withDatabase((db) => exportLedger(db, io.stdout));
      say(io.stderr, `exported ${count} events`);
      return 0;
    }
    const file = createWriteStream(values.out, { encoding: 'utf8' });
    try {
      const count = await withDatabase((db) => exportLedger(db, file));
      file.end();
      await once(file, 'finish');
      say(io.stderr, `exported ${count} events to ${values.out}`);
      return 0;
    } catch (error) {
      file.destroy();
      throw error;
    }
  }

  async function checkpointsCommand(args: string[]): Promise<number> {
    const { positionals } = parseArgs({ args, allowPositionals: true, strict: true });
    if (positionals.length !== 1) return usage('ledger checkpoints 需要一个目录');
    const dir = positionals[0];
    const count = await withDatabase(async (db) => {
      const rows = await db.query<CheckpointRow>(
        'SELECT position, hash, signed_at, reason, public_key, signature FROM audit_checkpoints ORDER BY position',
      );
      for (const r of rows) {
        await writeCheckpointFile(dir, {
          position: Number(r.position),
          hash: r.hash,
          signedAt: new Date(r.signed_at).toISOString(),
          reason: r.reason,
          publicKey: r.public_key,
          signature: r.signature,
        });
      }
      return rows.length;
    });
    say(io.stderr, `wrote ${count} checkpoints to ${dir}`);
    return 0;
  }

  async function verifyCommand(args: string[]): Promise<number> {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: { checkpoints: { type: 'string' }, 'public-key': { type: 'string' } },
    });
    if (positionals.length !== 1) return usage('ledger verify 需要一个导出文件（或 - 表示标准输入）');
    const [input] = positionals;
    if (input !== '-' && !existsSync(input)) return usage(`找不到文件 ${input}`);
    if (values.checkpoints && !existsSync(values.checkpoints))
      return usage(`找不到检查点目录 ${values.checkpoints}`);
    const publicKeyPem = values['public-key']
      ? loadPublicKey(await readFile(values['public-key'], 'utf8'))
      : undefined;
    if (values.checkpoints && !publicKeyPem) {
      say(
        io.stderr,
        '警告：未提供 --public-key，检查点只按其自带的公钥核对，能发现被改动的检查点，但不能证明由谁签署',
      );
    }
    const checkpoints = values.checkpoints ? await readCheckpointDir(values.checkpoints, true) : [];
    const result = await verifyLedger(readLedgerFile(input === '-' ? io.stdin : input), checkpoints, {
      publicKeyPem,
    });
    say(io.stdout, JSON.stringify(result, null, 2));
    return result.ok ? 0 : 1;
  }

  async function keygenCommand(args: string[]): Promise<number> {
    const { positionals } = parseArgs({ args, allowPositionals: true, strict: true });
    if (positionals.length !== 1) return usage('ledger keygen 需要一个目录');
    const dir = resolve(positionals[0]);
    const privatePath = join(dir, SIGNING_KEY_FILE);
    const publicPath = join(dir, PUBLIC_KEY_FILE);
    if (existsSync(privatePath) || existsSync(publicPath)) {
      say(io.stderr, `${dir} 中已有密钥文件，未覆盖（换一个目录，或先移走旧密钥）`);
      return 1;
    }
    const { privateKeyPem, publicKeyPem } = generateSigningKeyPair();
    await mkdir(dir, { recursive: true });
    // 'wx' refuses to replace a key that appeared meanwhile; only the owner may read the private key.
    await writeFile(privatePath, privateKeyPem, { mode: 0o600, flag: 'wx' });
    await writeFile(publicPath, publicKeyPem, { mode: 0o644, flag: 'wx' });
    say(
      io.stdout,
      [
        `AUDIT_SIGNING_KEY_FILE=${privatePath}`,
        `AUDIT_PUBLIC_KEY_FILE=${publicPath}`,
        '',
        '私钥只交给 API 与 worker 进程；公钥交给审计人员，用于 ledger verify --public-key。',
      ].join('\n'),
    );
    return 0;
  }

  const subcommands: Record<string, (args: string[]) => Promise<number>> = {
    export: exportCommand,
    checkpoints: checkpointsCommand,
    verify: verifyCommand,
    keygen: keygenCommand,
  };

  return {
    name: 'ledger',
    usage: 'ledger <subcommand>',
    description: 'export, verify (offline), keygen, checkpoints: see ledger --help',
    async run(args: string[]): Promise<number> {
      const [name, ...rest] = args;
      if (name === 'help' || name === '--help' || name === '-h') {
        say(io.stdout, USAGE);
        return 0;
      }
      const sub = name ? subcommands[name] : undefined;
      if (!sub) return usage(name ? `未知的子命令 ${name}` : undefined);
      try {
        return await sub(rest);
      } catch (error) {
        if ((error as { code?: string })?.code?.startsWith('ERR_PARSE_ARGS')) {
          return usage((error as Error).message);
        }
        throw error;
      }
    },
  };
}

export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
}
