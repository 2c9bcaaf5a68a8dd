// Two projects: `unit` (pure, no I/O, next to the code) and `integration` (real PostgreSQL, Kafka and Redis; service
// tests in apps/*/test, journeys in e2e/ and the fault suite in e2e/faults/). The integration project starts the
// infrastructure once per run.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];
const moduleNameMapper = {
  '^@agdar/(contracts|messaging|service-kit|testing)$': '<rootDir>/libs/$1/src/index.ts',
  '^@agdar/(gateway|scheduling|participant|billing|notification)$': '<rootDir>/apps/$1/src/index.ts',
};
const common = { transform: { '^.+\\.ts$': swc }, moduleNameMapper, testEnvironment: 'node', rootDir: __dirname };

module.exports = {
  testTimeout: 60000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/apps/**/src/**/*.spec.ts',
        '<rootDir>/libs/**/src/**/*.spec.ts',
        '<rootDir>/tools/**/*.spec.ts',
      ],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: [
        '<rootDir>/apps/*/test/**/*.int.spec.ts',
        '<rootDir>/libs/*/test/**/*.int.spec.ts',
        '<rootDir>/e2e/**/*.e2e.spec.ts',
        '<rootDir>/e2e/faults/**/*.faults.spec.ts',
      ],
      globalSetup: '<rootDir>/libs/testing/src/global-setup.js',
      setupFilesAfterEnv: ['<rootDir>/libs/testing/src/after-each-file.ts'],
      globalTeardown: '<rootDir>/libs/testing/src/global-teardown.js',
    },
  ],
};
