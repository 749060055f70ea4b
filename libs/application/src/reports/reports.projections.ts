import type { Projection } from '@app/event-store';
import { progressProjection } from './progress.projection';
import { reportsProjection } from './reports.projection';

/** This feature's read models: inline ones are written in the append transaction, async ones by the worker. */
export const REPORTS_INLINE_PROJECTIONS: Projection[] = [reportsProjection];
export const REPORTS_ASYNC_PROJECTIONS: Projection[] = [progressProjection];
