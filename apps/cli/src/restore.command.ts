import { basename } from 'node:path';
import { configuredPublicKey } from '@app/application/audit/checkpoints';
import { restoreBackup } from '@app/application/backup/restore-backup';
import { restoreDataDir } from '@app/application/backup/restore-datadir';
import { liveLock } from '@app/platform/embedded-lock';
import { SystemClock } from '@app/platform/clock';
import { parseBackupArgs, say } from './backup-target';
import type { CliCommand } from './commands';
import { startEngine } from './embedded-engine';
import { type CliIo, processIo } from './ledger.command';

/**
 * `restore [--embedded[=DATA_DIR]] DIR`: into an empty database (DATABASE_URL) or an empty embedded
 * data directory, after checking every file against the manifest; then the proof. One JSON line on
 * stdout; exit 0 only when everything holds.
 */
export function restoreCommand(io: CliIo = processIo()): CliCommand {
  return {
    name: 'restore',
    usage: 'restore [--embedded] DIR',
    description: 'check, restore into an empty database (DATABASE_URL or --embedded) and verify a backup',
    async run(args: string[]): Promise<number> {
      const target = parseBackupArgs('restore', args, io);
      if (typeof target === 'number') return target;
      const { config, embedded } = target;
      const held = embedded ? liveLock(embedded) : undefined;
      if (held) {
        say(io.stderr, `恢复失败：${embedded} 正被进程 ${held.pid} 使用：请先停止快速启动`);
        return 1;
      }
      const clock = new SystemClock(config.FAKE_NOW);
      const proof = {
        dir: target.dir,
        trustedPublicKeyPem: configuredPublicKey(config),
        checkpointDir: config.AUDIT_CHECKPOINT_DIR,
        now: () => clock.now(),
      };
      const report = embedded
        ? await restoreDataDir({ ...proof, dataDir: embedded, startEngine })
        : await restoreBackup({
            ...proof,
            databaseUrl: config.DATABASE_URL,
            appRole: config.DATABASE_ROLE,
            pgBin: config.BACKUP_PG_BIN,
          });
      for (const problem of report.problems) say(io.stderr, `错误：${problem}`);
      for (const note of report.notes) say(io.stderr, `注意：${note}`);
      if (embedded && report.ok) {
        const mode = basename(embedded) === 'pgdata-demo' ? '--demo' : '--embedded';
        say(io.stderr, `已恢复到 ${embedded}：npm run quickstart -- ${mode} 即可在其上启动`);
      }
      say(io.stdout, JSON.stringify(report));
      return report.ok ? 0 : 1;
    },
  };
}
