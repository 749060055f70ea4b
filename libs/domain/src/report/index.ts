export * from './report.events';
export * from './report.commands';
export * from './report.decider';
export * from './report.rules';
export * from './report-scan';
export * from './scan-content';
export * from './report-signed-form';
