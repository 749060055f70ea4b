import type { StoredEvent } from '@app/event-store';

/** One line of a stream's history as auditors read it: what happened, when, by whom, in which ledger position. */
export interface HistoryEntry {
  position: number;
  streamPosition: number;
  type: string;
  recordedAt: string;
  actor: string | null;
  role: string | null;
  unitCode: string | null;
  requestId: string | null;
  data: unknown;
}

export const historyEntry = (e: StoredEvent): HistoryEntry => ({
  position: e.position,
  streamPosition: e.streamPosition,
  type: e.type,
  recordedAt: e.recordedAt,
  actor: e.metadata?.actor?.username ?? null,
  role: e.metadata?.actor?.role ?? null,
  unitCode: e.metadata?.actor?.unitCode ?? null,
  requestId: e.metadata?.requestId ?? null,
  data: e.data,
});
