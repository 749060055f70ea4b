import type { Type } from '@nestjs/common';

/** Feature modules of the API (plan, allocation, reports, ...), each owning its controllers. */
export const FEATURE_MODULES: Type<unknown>[] = [];
