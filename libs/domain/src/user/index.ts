export * from './user.events';
export * from './user.commands';
export * from './user.decider';
export * from './user.access';
