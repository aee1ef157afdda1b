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
  // TypeScript with module nodenext (and ES modules) imports `./pool-plugin.js` for `./pool-plugin.ts`: Jest
  // resolves a relative `.js` import without its extension, which finds the .ts source (or the .js file).
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
};
