export * from './allocation.events';
export * from './allocation.commands';
export * from './allocation.decider';
