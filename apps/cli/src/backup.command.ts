import { CheckpointStore } from '@app/application/audit/checkpoints';
import { dataDirSnapshot } from '@app/application/backup/datadir-snapshot';
import { PgToolError } from '@app/application/backup/pg-tools';
import { type BackupOutcome, BackupRefused, takeBackup } from '@app/application/backup/take-backup';
import { EventStore } from '@app/event-store';
import { SystemClock } from '@app/platform/clock';
import { Database } from '@app/platform/database';
import { type BackupTarget, parseBackupArgs, say } from './backup-target';
import type { CliCommand } from './commands';
import { engineFor } from './embedded-engine';
import { type CliIo, processIo } from './ledger.command';

/**
 * `backup [--embedded[=DATA_DIR]] DIR`: a consistent backup of the live database (DATABASE_URL, the
 * owner; or the embedded mode's data directory, running or stopped) while the api and worker keep
 * writing, with the signed checkpoints and the public key, and DIR/manifest.json.
 */
export function backupCommand(io: CliIo = processIo()): CliCommand {
  return {
    name: 'backup',
    usage: 'backup [--embedded] DIR',
    description: 'pg_dump (or the embedded data directory) + signed checkpoints + manifest.json into DIR',
    async run(args: string[]): Promise<number> {
      const target = parseBackupArgs('backup', args, io);
      if (typeof target === 'number') return target;
      let engine;
      try {
        engine = target.embedded ? await engineFor(target.embedded) : undefined;
      } catch (error) {
        say(io.stderr, `备份失败：${(error as Error).message}`);
        return 1;
      }
      try {
        const outcome = await backUp(target, engine?.url);
        if (engine) {
          say(
            io.stderr,
            `嵌入式模式：数据目录 ${target.embedded}（${engine.running ? '快速启动正在运行，复制期间 api 与 worker 的写入稍候' : '未在运行，为备份临时启动'}）`,
          );
        }
        report(io, outcome);
        return 0;
      } catch (error) {
        if (!(error instanceof BackupRefused) && !(error instanceof PgToolError)) throw error;
        say(io.stderr, `备份失败：${error.message}`);
        return 1;
      } finally {
        await engine?.stop();
      }
    },
  };
}

async function backUp(target: BackupTarget, embeddedUrl?: string): Promise<BackupOutcome> {
  const { config } = target;
  const db = await Database.create({
    url: embeddedUrl ?? config.DATABASE_URL,
    poolSize: 2,
    applicationName: 'skills-ledger-backup',
  }).connect();
  const clock = new SystemClock(config.FAKE_NOW);
  try {
    return await takeBackup(target.dir, {
      db,
      databaseUrl: config.DATABASE_URL,
      snapshot: target.embedded ? (dir) => dataDirSnapshot(dir, db, target.embedded!) : undefined,
      checkpoints: new CheckpointStore(db, new EventStore(db), config, clock),
      checkpointDir: config.AUDIT_CHECKPOINT_DIR,
      pgBin: config.BACKUP_PG_BIN,
      now: () => clock.now(),
    });
  } finally {
    await db.close();
  }
}

function report(io: CliIo, outcome: BackupOutcome): void {
  const { inDump, files, signedForBackup } = outcome.checkpoints;
  say(
    io.stderr,
    outcome.publicKey
      ? `备份完成：${outcome.dir}，账本头第 ${outcome.head.position} 条；签名检查点 ${inDump} 个在数据库转储中、${files} 个文件` +
          (signedForBackup ? '（含为本次备份签署的账本头）' : '（未配置签名私钥，本次未签署新的检查点）')
      : `备份完成：${outcome.dir}，账本头第 ${outcome.head.position} 条。注意：未配置检查点签名密钥（AUDIT_SIGNING_KEY / AUDIT_PUBLIC_KEY），本备份不含签名检查点，恢复时只能校验哈希链`,
  );
  say(
    io.stdout,
    JSON.stringify({
      ok: true,
      dir: outcome.dir,
      head: outcome.head,
      files: outcome.files.length,
      bytes: outcome.bytes,
      signedCheckpoints: outcome.publicKey ? inDump + files : 0,
      dumpMs: outcome.dumpMs,
      durationMs: outcome.durationMs,
    }),
  );
}
