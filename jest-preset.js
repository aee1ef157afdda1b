'use strict';
/*
 * floe-core's Jest preset: `{ "preset": "floe-core" }` in a project's Jest config makes Inversify's ES modules,
 * and plugin packages written as ES modules, load under Jest. Keep your own transform for TypeScript files
 * (ts-jest or babel-jest): Jest merges it with this one.
 */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.[cm]?js$': require.resolve('./jest-transform.js') },
  // ES modules also live in node_modules; the transformer leaves CommonJS files as they are.
  transformIgnorePatterns: [],
};
