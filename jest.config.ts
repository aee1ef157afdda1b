/** @jest-config-loader-options {"transpileOnly": true} */
import type { Config } from 'jest';

const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
    '^.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true, isolatedModules: true } }],
  },
  // inversify and its @inversifyjs parts are ESM only: let ts-jest turn them into CommonJS.
  transformIgnorePatterns: ['/node_modules/(?!(inversify|@inversifyjs)/)'],
  setupFiles: ['reflect-metadata'],
  // Plugin modules written to temporary node_modules say require('floe-core'): give them this checkout's source.
  moduleNameMapper: { '^floe-core$': '<rootDir>/src/index.ts' },
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/examples/'],
  testTimeout: 20000,
};

export default config;
