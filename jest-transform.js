'use strict';
/*
 * A Jest transformer that turns ES modules into CommonJS, so that Inversify (ES modules only) and plugin
 * packages written as ES modules load under Jest without --experimental-vm-modules. CommonJS files pass
 * through untouched. It compiles with the project's TypeScript, else with Babel's CommonJS plugin, whichever
 * the project has. Used by floe-core's Jest preset: `{ "preset": "floe-core" }`.
 */
const crypto = require('node:crypto');

// A static import or export at the start of a line: the file is an ES module.
const ESM = /(?:^|[\n;])\s*(?:import\s*(?:[\w{*]|["'])|export\s+(?:[\w{*]|default\b))/;

let compile;
function compiler() {
  if (compile !== undefined) return compile;
  const paths = [process.cwd(), __dirname];
  try {
    const ts = require(require.resolve('typescript', { paths }));
    compile = (code, filename) =>
      ts.transpileModule(code, {
        fileName: filename,
        compilerOptions: {
          module: ts.ModuleKind.CommonJS,
          target: ts.ScriptTarget.ES2022,
          allowJs: true,
          esModuleInterop: true,
          inlineSourceMap: true,
          inlineSources: true,
        },
      }).outputText;
    return compile;
  } catch {
    // No TypeScript: try Babel.
  }
  try {
    const babel = require(require.resolve('@babel/core', { paths }));
    const plugin = require.resolve('@babel/plugin-transform-modules-commonjs', { paths });
    compile = (code, filename) =>
      babel.transformSync(code, {
        filename,
        plugins: [plugin],
        babelrc: false,
        configFile: false,
        sourceMaps: 'inline',
      }).code;
    return compile;
  } catch {
    throw new Error(
      'floe-core/jest-transform turns ES modules into CommonJS with TypeScript or Babel: install `typescript`, or `@babel/core` and `@babel/plugin-transform-modules-commonjs`, as a dev dependency.',
    );
  }
}

module.exports = {
  process(source, filename) {
    if (!filename.endsWith('.mjs') && !ESM.test(source)) return { code: source };
    return { code: compiler()(source, filename) };
  },
  getCacheKey(source, filename) {
    return crypto.createHash('sha1').update('floe-core-jest-transform-1').update(filename).update(source).digest('hex');
  },
};
