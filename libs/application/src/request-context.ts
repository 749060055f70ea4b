import { AsyncLocalStorage } from 'node:async_hooks';
import type { Actor } from '@app/domain';

/** What a command needs to know about the request that caused it, without threading it through every call. */
export interface RequestContext {
  /** Chosen by the server: the only id permanent event metadata trusts. */
  requestId: string;
  correlationId: string;
  /** The caller's own X-Request-Id, kept beside ours (bounded, plain characters) so it can be traced. */
  clientRequestId?: string;
  actor?: Actor;
  idempotency?: { userId: string; key: string; requestHash: string };
  /** The global position of the last event this request's commands recorded (X-Ledger-Position). */
  ledgerPosition?: number;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();

export const currentContext = (): RequestContext | undefined => requestContext.getStore();
