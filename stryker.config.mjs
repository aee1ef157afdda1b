// Mutation testing of the registry and the lifecycle owner: `npm run test:mutation` (not part of CI: a full
// run takes over an hour on two cores; later runs reuse reports/stryker-incremental.json).

// The model-based property test runs 2,000 interleavings in the suite; a few hundred tell a mutant apart.
process.env.FLOE_MODEL_RUNS ??= '200';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'jest',
  jest: { configFile: 'jest.stryker.config.ts', enableFindRelatedTests: false },
  mutate: ['src/registry/**/*.ts', 'src/lifecycle/**/*.ts'],
  coverageAnalysis: 'perTest',
  concurrency: 2,
  timeoutMS: 3_000,
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  // Tests read dist/ and examples/ in the sandbox, so they are copied too.
  ignorePatterns: ['reports', 'coverage', 'build-check', '.stryker-tmp', 'bench/results'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
