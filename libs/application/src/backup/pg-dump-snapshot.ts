import { join } from 'node:path';
import { GENESIS_HASH } from '@app/event-store';
import type { Database, SqlClient } from '@app/platform/database';
import { DUMP_FILE } from './backup-manifest';
import { connectionArgs, PgToolError, pgToolVersion, runPgTool, serverMajor } from './pg-tools';
import type { Snapshot } from './take-backup';

/**
 * Exports a snapshot, reads the head in it and has pg_dump dump that very snapshot. The exporting
 * transaction stays open until pg_dump is done: the snapshot lives only as long as it does.
 */
export async function pgDumpSnapshot(
  dir: string,
  db: Database,
  databaseUrl: string,
  pgBin?: string,
): Promise<Snapshot> {
  const tool = await pgToolVersion('pg_dump', pgBin);
  return db.withClient(async (tx) => {
    await tx.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      const [info] = await tx.query<{ snapshot: string; num: string; server: string }>(
        `SELECT pg_export_snapshot() AS snapshot, current_setting('server_version_num') AS num,
                current_setting('server_version') AS server`,
      );
      if (tool.major < serverMajor(info.num)) {
        throw new PgToolError(
          `pg_dump ${tool.version} 比数据库服务器 ${info.server} 旧，无法备份：请安装 ${serverMajor(info.num)} 版的 PostgreSQL 客户端工具，并用 BACKUP_PG_BIN 指向其目录`,
        );
      }
      const { head, checkpoints } = await headInSnapshot(tx);
      const { dbname, env } = connectionArgs(databaseUrl);
      await runPgTool(
        'pg_dump',
        [
          '--format=custom',
          `--snapshot=${info.snapshot}`,
          `--file=${join(dir, DUMP_FILE)}`,
          `--dbname=${dbname}`,
        ],
        { binDir: pgBin, env },
      );
      await tx.query('COMMIT');
      return {
        head,
        checkpointsInDump: checkpoints,
        server: info.server.split(' ')[0],
        tool: { pgDump: tool.version },
      };
    } catch (error) {
      await tx.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  });
}

/** The ledger's head and the signed checkpoints at or below it, as the open transaction sees them. */
export async function headInSnapshot(tx: SqlClient) {
  const [row] = await tx.query<{ position: string; hash: string }>(
    'SELECT position, hash FROM events ORDER BY position DESC LIMIT 1',
  );
  const head = row ? { position: Number(row.position), hash: row.hash } : { position: 0, hash: GENESIS_HASH };
  const [{ n }] = await tx.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM audit_checkpoints WHERE position <= $1',
    [head.position],
  );
  return { head, checkpoints: n };
}
