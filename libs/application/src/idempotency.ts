import type { SqlClient } from '@app/event-store';

export class IdempotencyKeyInFlight extends Error {
  constructor() {
    super('idempotency key already claimed by a request that recorded events');
  }
}

/**
 * Claims the key in the same transaction as the events it guards: if the append commits, the key is
 * taken; if a concurrent request with the same key got there first, this append fails and records nothing.
 */
export async function claimIdempotencyKey(
  tx: SqlClient,
  claim: { userId: string; key: string; requestHash: string },
  now: Date,
): Promise<void> {
  const rows = await tx.query(
    `INSERT INTO idempotency_keys (user_id, key, request_hash, created_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (user_id, key) DO NOTHING RETURNING key`,
    [claim.userId, claim.key, claim.requestHash, now],
  );
  if (rows.length === 0) throw new IdempotencyKeyInFlight();
}
