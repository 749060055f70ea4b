import type { Projection } from '@app/event-store';
import { platformFiguresProjection } from '../exports/platform-figures.projection';
import { allocationProjection } from '../plan/allocation.projection';
import { planProjection } from '../plan/plan.projection';
import { progressProjection } from '../reports/progress.projection';
import { reportsProjection } from '../reports/reports.projection';
import { unitsProjection } from '../units/units.projection';
import { usersProjection } from '../users/users.projection';

/**
 * Every read model, in one list per kind. Inline ones are written in the append transaction (a read right
 * after a write must see them); async ones the worker builds from the log. Rebuilds replay both, from the
 * first event. A new projection is added here and nowhere else.
 */
export const INLINE_PROJECTIONS: Projection[] = [
  unitsProjection,
  usersProjection,
  planProjection,
  allocationProjection,
  reportsProjection,
  platformFiguresProjection,
];
export const ASYNC_PROJECTIONS: Projection[] = [progressProjection];
