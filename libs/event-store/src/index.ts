export * from './types';
export * from './errors';
export * from './hash';
export * from './event-store';
export * from './verify';
export * from './projection';
