export * from './plan.events';
export * from './plan.commands';
export * from './plan.decider';
export * from './plan.rows';
export * from './plan-settings';
export * from './plan.year';
