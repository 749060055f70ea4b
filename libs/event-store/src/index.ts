export type { SqlClient } from '@app/platform/database';
export * from './types';
export * from './errors';
export * from './hash';
export * from './event-store';
export { readHead, type LedgerHead } from './ledger-head';
export * from './verify';
export * from './projection';
