import { configuredPublicKey } from '@app/application/audit/checkpoints';
import { restoreBackup } from '@app/application/backup/restore-backup';
import { SystemClock } from '@app/platform/clock';
import { ConfigError, loadConfig } from '@app/platform/config';
import { say } from './backup.command';
import type { CliCommand } from './commands';
import { type CliIo, processIo } from './ledger.command';

/**
 * `restore DIR`: into an empty database (DATABASE_URL), after checking every file against the manifest;
 * then the proof. One JSON line on stdout; exit 0 only when everything holds.
 */
export function restoreCommand(io: CliIo = processIo()): CliCommand {
  return {
    name: 'restore',
    usage: 'restore DIR',
    description: 'check, restore into an empty database (DATABASE_URL) and verify a backup',
    async run(args: string[]): Promise<number> {
      if (args.length !== 1 || args[0].startsWith('-')) {
        say(io.stderr, 'usage: restore DIR   (DATABASE_URL: an empty database)');
        return 2;
      }
      let config;
      try {
        config = loadConfig(io.env);
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        say(io.stderr, error.message);
        return 2;
      }
      const clock = new SystemClock(config.FAKE_NOW);
      const report = await restoreBackup({
        dir: args[0],
        databaseUrl: config.DATABASE_URL,
        appRole: config.DATABASE_ROLE,
        trustedPublicKeyPem: configuredPublicKey(config),
        checkpointDir: config.AUDIT_CHECKPOINT_DIR,
        pgBin: config.BACKUP_PG_BIN,
        now: () => clock.now(),
      });
      for (const problem of report.problems) say(io.stderr, `错误：${problem}`);
      for (const note of report.notes) say(io.stderr, `注意：${note}`);
      say(io.stdout, JSON.stringify(report));
      return report.ok ? 0 : 1;
    },
  };
}
