export * from './platform.events';
export * from './platform.decider';
