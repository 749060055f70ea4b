import type { Projection } from '@app/event-store';

/** This feature's read models: inline ones are written in the append transaction, async ones by the worker. */
export const EXPORTS_INLINE_PROJECTIONS: Projection[] = [];
export const EXPORTS_ASYNC_PROJECTIONS: Projection[] = [];
