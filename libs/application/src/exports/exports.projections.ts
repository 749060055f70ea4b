import type { Projection } from '@app/event-store';
import { platformFiguresProjection } from './platform-figures.projection';

/** This feature's read models: inline ones are written in the append transaction, async ones by the worker. */
export const EXPORTS_INLINE_PROJECTIONS: Projection[] = [platformFiguresProjection];
export const EXPORTS_ASYNC_PROJECTIONS: Projection[] = [];
