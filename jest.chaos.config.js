// Fault injection: PostgreSQL crashes, killed connections, Redis loss, killed workers, several processes.
// Runs alone and in band: some scenarios stop the machine's PostgreSQL or Redis.
const base = require('./jest.config.js').projects[1];
module.exports = {
  ...base,
  displayName: 'chaos',
  testMatch: ['<rootDir>/test/chaos/**/*.chaos.ts'],
  globalSetup: '<rootDir>/test/chaos/support/global-setup.ts',
  testTimeout: 600_000,
  maxWorkers: 1,
};
