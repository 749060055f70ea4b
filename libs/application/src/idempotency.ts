import type { SqlClient } from '@app/event-store';

export class IdempotencyKeyInFlight extends Error {
  constructor() {
    super('idempotency key already claimed by a request that recorded events');
  }
}

const UNIQUE_VIOLATION = '23505';

/**
 * Claims the key in the same transaction as the events it guards: if the append commits, the key is
 * taken; if a concurrent request with the same key got there first, this append fails and records nothing.
 * A plain INSERT (no RETURNING): the store can then send it with the batch's other writes in one round
 * trip; a taken key makes that batch fail, and the store redoes it append by append, where this
 * append alone fails with IdempotencyKeyInFlight.
 */
export async function claimIdempotencyKey(
  tx: SqlClient,
  claim: { userId: string; key: string; requestHash: string },
  now: Date,
): Promise<void> {
  try {
    await tx.query(
      `INSERT INTO idempotency_keys (user_id, key, request_hash, created_at) VALUES ($1, $2, $3, $4)`,
      [claim.userId, claim.key, claim.requestHash, now],
    );
  } catch (error) {
    if ((error as { code?: string })?.code === UNIQUE_VIOLATION) throw new IdempotencyKeyInFlight();
    throw error;
  }
}
