import type { Projection } from '@app/event-store';
import { unitsProjection } from '../units/units.projection';
import { usersProjection } from '../users/users.projection';

/**
 * Read models written in the append transaction (a read right after a write must see them) and those the
 * worker builds asynchronously from the log. Rebuilds replay both, from the first event.
 */
export const INLINE_PROJECTIONS: Projection[] = [unitsProjection, usersProjection];
export const ASYNC_PROJECTIONS: Projection[] = [];
