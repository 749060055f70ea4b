import type { Projection } from '@app/event-store';
import { allocationProjection } from './allocation.projection';
import { planProjection } from './plan.projection';

/** This feature's read models: inline ones are written in the append transaction, async ones by the worker. */
export const PLAN_INLINE_PROJECTIONS: Projection[] = [planProjection, allocationProjection];
export const PLAN_ASYNC_PROJECTIONS: Projection[] = [];
