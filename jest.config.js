// Three projects: fast pure unit tests; integration tests that talk to the real PostgreSQL and Redis;
// and the embedded mode (PGlite, no Redis), which needs neither and runs the compiled apps.
const moduleNameMapper = {
  '^@app/(domain|event-store|platform|application)$': '<rootDir>/libs/$1/src',
  '^@app/(domain|event-store|platform|application)/(.*)$': '<rootDir>/libs/$1/src/$2',
};
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] };
const common = {
  moduleFileExtensions: ['js', 'json', 'ts'],
  rootDir: '.',
  testEnvironment: 'node',
  transform,
  moduleNameMapper,
};
module.exports = {
  // A hang guard, not a speed goal: on 2 shared cores an app start or an argon2 hash can take seconds.
  // jest-circus reads it from the global config only (a project's own testTimeout is ignored).
  testTimeout: 30000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/libs/domain/**/*.spec.ts',
        '<rootDir>/libs/**/*.unit.spec.ts',
        '<rootDir>/apps/**/*.unit.spec.ts',
      ],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: [
        '<rootDir>/test/**/*.spec.ts',
        '<rootDir>/libs/{event-store,application,platform}/**/*.int.spec.ts',
        '<rootDir>/apps/**/*.int.spec.ts',
      ],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/embedded/'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      setupFiles: ['<rootDir>/test/support/env.ts'],
    },
    {
      ...common,
      displayName: 'embedded',
      testMatch: ['<rootDir>/test/embedded/**/*.spec.ts'],
      globalSetup: '<rootDir>/test/embedded/global-setup.ts',
    },
  ],
};
