export * from './report.events';
export * from './report.commands';
export * from './report.decider';
export * from './report.rules';
