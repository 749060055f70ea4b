import type { SqlClient } from '@app/platform/database';
import { GENESIS_HASH } from './hash';

/** Every append in every process takes this lock, so global positions commit in order and the chain never forks. */
export const LEDGER_LOCK_KEY = 7_348_215_001;

/** The last event's global position and hash: where the next append chains on. */
export interface LedgerHead {
  position: number;
  hash: string;
}

export const EMPTY_HEAD: LedgerHead = { position: 0, hash: GENESIS_HASH };

/** SQLSTATE raised by ledger_assert_head when the head or a stream moved since this process last appended. */
export const HEAD_MOVED = 'SL409';

export const HEAD_SQL = 'SELECT position, hash FROM events ORDER BY position DESC LIMIT 1';

export function toHead(row: { position: string | number; hash: string } | undefined): LedgerHead {
  return row ? { position: Number(row.position), hash: row.hash } : EMPTY_HEAD;
}

export async function readHead(db: SqlClient): Promise<LedgerHead> {
  const [row] = await db.query<{ position: string; hash: string }>(HEAD_SQL);
  return toHead(row);
}
