import { Writable } from 'node:stream';
import { CheckpointStore } from '@app/application/audit/checkpoints';
import { BackupRefused, takeBackup } from '@app/application/backup/take-backup';
import { PgToolError } from '@app/application/backup/pg-tools';
import { EventStore } from '@app/event-store';
import { SystemClock } from '@app/platform/clock';
import { ConfigError, loadConfig } from '@app/platform/config';
import { Database } from '@app/platform/database';
import type { CliCommand } from './commands';
import { type CliIo, processIo } from './ledger.command';

export const say = (stream: Writable, text: string) => stream.write(text.endsWith('\n') ? text : `${text}\n`);

/**
 * `backup DIR`: a consistent backup of the live database (DATABASE_URL, the owner) while the api and
 * worker keep writing, with the signed checkpoints and the public key, and DIR/manifest.json.
 */
export function backupCommand(io: CliIo = processIo()): CliCommand {
  return {
    name: 'backup',
    usage: 'backup DIR',
    description: 'pg_dump + signed checkpoints + manifest.json into a new directory (DATABASE_URL)',
    async run(args: string[]): Promise<number> {
      if (args.length !== 1 || args[0].startsWith('-')) {
        say(io.stderr, 'usage: backup DIR   (DIR: a new or empty directory)');
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
      const db = await Database.create({
        url: config.DATABASE_URL,
        poolSize: 2,
        applicationName: 'skills-ledger-backup',
      }).connect();
      const clock = new SystemClock(config.FAKE_NOW);
      try {
        const outcome = await takeBackup(args[0], {
          db,
          databaseUrl: config.DATABASE_URL,
          checkpoints: new CheckpointStore(db, new EventStore(db), config, clock),
          checkpointDir: config.AUDIT_CHECKPOINT_DIR,
          pgBin: config.BACKUP_PG_BIN,
          now: () => clock.now(),
        });
        const { inDump, files, signedForBackup } = outcome.checkpoints;
        say(
          io.stderr,
          outcome.publicKey
            ? `备份完成：${outcome.dir}，账本头第 ${outcome.head.position} 条；签名检查点 ${inDump} 个在数据库转储中、${files} 个文件` +
                (signedForBackup
                  ? '（含为本次备份签署的账本头）'
                  : '（未配置签名私钥，本次未签署新的检查点）')
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
        return 0;
      } catch (error) {
        if (!(error instanceof BackupRefused) && !(error instanceof PgToolError)) throw error;
        say(io.stderr, `备份失败：${error.message}`);
        return 1;
      } finally {
        await db.close();
      }
    },
  };
}
