import type { Projection } from '@app/event-store';
import {
  DEADLINES_ASYNC_PROJECTIONS,
  DEADLINES_INLINE_PROJECTIONS,
} from '../deadlines/deadlines.projections';
import { EXPORTS_ASYNC_PROJECTIONS, EXPORTS_INLINE_PROJECTIONS } from '../exports/exports.projections';
import { PLAN_ASYNC_PROJECTIONS, PLAN_INLINE_PROJECTIONS } from '../plan/plan.projections';
import { REPORTS_ASYNC_PROJECTIONS, REPORTS_INLINE_PROJECTIONS } from '../reports/reports.projections';
import { unitsProjection } from '../units/units.projection';
import { usersProjection } from '../users/users.projection';

/**
 * Read models written in the append transaction (a read right after a write must see them) and those the
 * worker builds asynchronously from the log. Rebuilds replay both, from the first event.
 */
export const INLINE_PROJECTIONS: Projection[] = [
  unitsProjection,
  usersProjection,
  ...PLAN_INLINE_PROJECTIONS,
  ...REPORTS_INLINE_PROJECTIONS,
  ...DEADLINES_INLINE_PROJECTIONS,
  ...EXPORTS_INLINE_PROJECTIONS,
];
export const ASYNC_PROJECTIONS: Projection[] = [
  ...PLAN_ASYNC_PROJECTIONS,
  ...REPORTS_ASYNC_PROJECTIONS,
  ...DEADLINES_ASYNC_PROJECTIONS,
  ...EXPORTS_ASYNC_PROJECTIONS,
];
