import { AsyncLocalStorage } from 'node:async_hooks';
import type { Actor } from '@app/domain';

/** What a command needs to know about the request that caused it, without threading it through every call. */
export interface RequestContext {
  requestId: string;
  correlationId: string;
  actor?: Actor;
  idempotency?: { userId: string; key: string; requestHash: string };
}

export const requestContext = new AsyncLocalStorage<RequestContext>();

export const currentContext = (): RequestContext | undefined => requestContext.getStore();
