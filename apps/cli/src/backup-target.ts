import { dirname, join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { type AppConfig, ConfigError, loadConfig } from '@app/platform/config';
import type { CliIo } from './ledger.command';

export const say = (stream: Writable, text: string) => stream.write(text.endsWith('\n') ? text : `${text}\n`);

/** What `backup` and `restore` were asked to work on. */
export interface BackupTarget {
  /** The backup directory. */
  dir: string;
  config: AppConfig;
  /** The embedded mode's data directory (`--embedded`); absent for a PostgreSQL server (DATABASE_URL). */
  embedded?: string;
}

const USAGE = {
  backup:
    'usage: backup [--embedded[=DATA_DIR]] DIR\n' +
    '  DIR: a new or empty directory. The live database is DATABASE_URL, or with --embedded the\n' +
    "  embedded mode's data directory (default var/pgdata), running or stopped.",
  restore:
    'usage: restore [--embedded[=DATA_DIR]] DIR\n' +
    '  DIR: a backup. Restores into DATABASE_URL, an empty database, or with --embedded into the\n' +
    "  embedded mode's data directory (default var/pgdata), which must be absent or empty.",
};

/** Settings of the caller that the embedded mode never uses (the quickstart drops the same ones). */
const FOREIGN = /^(DATABASE_|MIGRATION_DATABASE_|REDIS_|PG[A-Z]|BULLMQ_)/;

/**
 * The one reading of `backup` / `restore` arguments and settings: `[--embedded[=DATA_DIR]] DIR`, then
 * the configuration, in which the embedded mode ignores the caller's database settings and keeps its
 * checkpoints where the quickstart does (beside its data directory). A number is the exit code of a
 * refusal already explained on stderr.
 */
export function parseBackupArgs(
  name: 'backup' | 'restore',
  args: string[],
  io: CliIo,
): BackupTarget | number {
  const positional = args.filter((a) => !a.startsWith('-'));
  const flags = args.filter((a) => a.startsWith('-'));
  const embeddedFlags = flags.filter((f) => f === '--embedded' || f.startsWith('--embedded='));
  if (positional.length !== 1 || flags.length !== embeddedFlags.length || flags.length > 1) {
    say(io.stderr, USAGE[name]);
    return 2;
  }
  const chosen = embeddedFlags[0]?.slice('--embedded='.length);
  const embedded = embeddedFlags.length
    ? resolve(chosen || join(io.env.QUICKSTART_VAR_DIR || 'var', 'pgdata'))
    : undefined;
  const env = embedded ? embeddedEnv(io.env, embedded) : io.env;
  try {
    return { dir: positional[0], config: loadConfig(env), embedded };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    say(io.stderr, error.message);
    return 2;
  }
}

function embeddedEnv(env: NodeJS.ProcessEnv, dataDir: string): NodeJS.ProcessEnv {
  const own = Object.fromEntries(Object.entries(env).filter(([key]) => !FOREIGN.test(key)));
  return { ...own, AUDIT_CHECKPOINT_DIR: env.AUDIT_CHECKPOINT_DIR || join(dirname(dataDir), 'checkpoints') };
}
