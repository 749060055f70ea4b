import { LedgerCore1732500000000 } from './1732500000000-ledger-core';
import { Identity1732500000001 } from './1732500000001-identity';

/** Every migration in order; listed here rather than globbed so that ts-jest and the build agree. */
export const MIGRATIONS = [LedgerCore1732500000000, Identity1732500000001];
