// The pure domain of skills-ledger. shared/testing.ts is spec-only (it uses jest) and stays out of here.
export * from './shared/actor';
export * from './shared/decider';
export * from './shared/errors';
export * from './shared/figures';
export * from './shared/hash';
export * from './shared/validation';
export * from './calendar';
export * from './plan';
export * from './allocation';
export * from './report';
export * from './user';
export * from './unit';
export * from './platform';
