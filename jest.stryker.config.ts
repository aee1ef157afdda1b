/** @jest-config-loader-options {"transpileOnly": true} */
import type { Config } from 'jest';
import base from './jest.config';

/**
 * The suite as Stryker runs it against each mutant of src/registry and src/lifecycle: no coverage (Stryker
 * measures its own), and not the tests that only drive the built CLI or package in child processes, which
 * never load the mutated sources.
 */
const config: Config = {
  ...base,
  // Transpile only: the suite's own run type-checks; here every mutant would pay for it again.
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', isolatedModules: true, diagnostics: false }],
    '^.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true, isolatedModules: true } }],
  },
  roots: ['<rootDir>/test'],
  collectCoverage: false,
  coverageThreshold: undefined,
  testPathIgnorePatterns: ['/node_modules/', '/test/cli/', '/test/docs/', '/test/integration/packaging.test.ts'],
};

export default config;
