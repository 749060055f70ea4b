import { join } from 'node:path';
import type { Database } from '@app/platform/database';
import { DATADIR_FILE } from './backup-manifest';
import { headInSnapshot } from './pg-dump-snapshot';
import { PgToolError } from './pg-tools';
import type { Snapshot } from './take-backup';
import { packDirectory } from './tar';

/** Files of a running engine that describe that process, not the data (pg_basebackup leaves them out too). */
const PROCESS_FILES = new Set(['postmaster.pid', 'postmaster.opts']);

/**
 * The embedded mode's copy: its PGlite data directory archived through the running engine.
 *
 * pg_dump cannot do it: every connection to the embedded server shares one PostgreSQL session, so
 * pg_dump's session settings (search_path '') would land in the api's session, and its snapshot
 * could not be shared; and the PostgreSQL 18 inside PGlite refuses an older pg_dump. Instead this
 * holds the one transaction the embedded server runs at a time (a second connection waits until it
 * commits): from BEGIN to COMMIT nothing else reaches the engine, which is a single process with no
 * background writer. CHECKPOINT writes every changed page into the files, the head is read, and the
 * directory is archived as it then stands: the copy is what a clean shutdown at that head would leave.
 * The api and the worker wait for the copy (seconds for a small office's year) and then go on.
 */
export async function dataDirSnapshot(dir: string, db: Database, dataDir: string): Promise<Snapshot> {
  return db.withClient(async (tx) => {
    await tx.query('BEGIN');
    try {
      const [{ version }] = await tx.query<{ version: string }>('SELECT version() AS version');
      const match = /PostgreSQL (\S+) \(PGlite (\S+)\)/.exec(version);
      if (!match) throw new PgToolError(`不是嵌入式数据库（PGlite）：${version}`);
      // CHECKPOINT is the owner's; the quickstart's shared session runs as skills_app, undone here
      // for this transaction only.
      await tx.query('SET LOCAL ROLE NONE');
      await tx.query('CHECKPOINT');
      const { head, checkpoints } = await headInSnapshot(tx);
      await packDirectory(dataDir, join(dir, DATADIR_FILE), (name) => PROCESS_FILES.has(name));
      await tx.query('COMMIT');
      return {
        head,
        checkpointsInDump: checkpoints,
        server: match[1],
        tool: { engine: 'embedded', pglite: match[2] },
      };
    } catch (error) {
      await tx.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  });
}
