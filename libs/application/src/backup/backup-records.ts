import type { SqlClient } from '@app/platform/database';

export interface BackupRecord {
  startedAt: Date;
  finishedAt: Date;
  ok: boolean;
  dir: string;
  head?: { position: number; hash: string };
  bytes?: number;
  signedCheckpoints?: number;
  error?: string;
}

/** One row per scheduled backup, good or failed: the history operators and GET /health read. */
export async function recordBackup(db: SqlClient, r: BackupRecord): Promise<void> {
  await db.query(
    `INSERT INTO backups (started_at, finished_at, ok, dir, head_position, head_hash, bytes, signed_checkpoints, error)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      r.startedAt,
      r.finishedAt,
      r.ok,
      r.dir,
      r.head?.position ?? null,
      r.head?.hash ?? null,
      r.bytes ?? null,
      r.signedCheckpoints ?? null,
      r.error?.slice(0, 2000) ?? null,
    ],
  );
}

export async function lastGoodBackup(db: SqlClient): Promise<Date | undefined> {
  const [row] = await db.query<{ at: Date | null }>('SELECT max(finished_at) AS at FROM backups WHERE ok');
  return row?.at ? new Date(row.at) : undefined;
}

export interface BackupFreshness {
  /** `ok`: a good backup within the allowed age; `stale`: the last good one is older; `none`: never one. */
  status: 'ok' | 'stale' | 'none';
  lastGoodAt: string | null;
  ageSeconds: number | null;
  maxAgeSeconds: number;
}

/** How the last good backup stands against the allowed age. */
export function backupFreshness(lastGood: Date | undefined, now: Date, maxAgeMs: number): BackupFreshness {
  const maxAgeSeconds = Math.round(maxAgeMs / 1000);
  if (!lastGood) return { status: 'none', lastGoodAt: null, ageSeconds: null, maxAgeSeconds };
  const ageMs = Math.max(0, now.getTime() - lastGood.getTime());
  return {
    status: ageMs > maxAgeMs ? 'stale' : 'ok',
    lastGoodAt: lastGood.toISOString(),
    ageSeconds: Math.round(ageMs / 1000),
    maxAgeSeconds,
  };
}
