'use strict';
/*
 * What a V8 code cache would take off floe-core's first run (an experiment, not part of `npm run bench`):
 * each fresh process compiles dist/ through vm.Script, with the code cache that one earlier first run made
 * of every dist module (functions compiled during that run included), or without it, and prints the first
 * start + stop of the peers graph per component. Run after a build: node bench/code-cache.js
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { graph } = require('./peers.bench');

const DIST = path.join(__dirname, '..', 'dist');

/** One fresh process: `mode` is `plain` (Node's own loader), `produce` (write the cache) or `cached`. */
function child(mode, cacheDir) {
  const Module = require('node:module');
  const vm = require('node:vm');
  const scripts = [];
  let accepted = 0;
  if (mode !== 'plain') {
    const compile = Module.prototype._compile;
    Module.prototype._compile = function (content, filename) {
      if (!filename.startsWith(DIST + path.sep)) return compile.call(this, content, filename);
      const cacheFile = path.join(cacheDir, path.relative(DIST, filename).replace(/[\\/]/g, '_'));
      const cachedData = mode === 'cached' && fs.existsSync(cacheFile) ? fs.readFileSync(cacheFile) : undefined;
      const script = new vm.Script(Module.wrap(content), { filename, cachedData });
      if (cachedData !== undefined && !script.cachedDataRejected) accepted++;
      scripts.push([script, cacheFile]);
      const load = (id) => this.require(id);
      load.resolve = (request, options) => Module._resolveFilename(request, this, false, options);
      load.cache = Module._cache;
      return script.runInThisContext().call(this.exports, this.exports, load, this, filename, path.dirname(filename));
    };
  }
  const floe = require(DIST);
  const types = ['floe.computes', 'floe.catalogs', 'floe.storage', 'floe.secrets', 'floe.identity'];
  // The peers graph (10 layers of 20, each component depending on up to two of the layer before).
  const classes = graph().map((node) => {
    const cls = class extends floe.PluginMetadata {
      async startup() {}
      async shutdown() {}
    };
    const dependsOn = node.deps.map((dep) => `${types[dep % 5]}:c${dep}`);
    floe.FloePlugin({ type: types[node.id % 5], name: `c${node.id}`, version: '1.0.0', apiVersion: '1.0', dependsOn })(
      cls,
    );
    return cls;
  });
  return (async () => {
    const start = process.hrtime.bigint();
    const registry = new floe.PluginRegistry({ rootDir: __dirname, logger: floe.createSilentLogger() });
    for (const cls of classes) registry.register(cls);
    await registry.startAll();
    await registry.shutdownAll();
    const us = Number(process.hrtime.bigint() - start) / 1e3 / classes.length;
    if (mode === 'produce') for (const [script, file] of scripts) fs.writeFileSync(file, script.createCachedData());
    process.stdout.write(JSON.stringify({ us, accepted }));
  })();
}

if (process.argv[2] === '--child') {
  child(process.argv[3], process.argv[4]).catch((error) => {
    console.error(error);
    process.exit(1);
  });
} else {
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'floe-code-cache-'));
  const run = (mode) =>
    JSON.parse(execFileSync(process.execPath, [__filename, '--child', mode, cacheDir], { encoding: 'utf8' }));
  try {
    run('produce');
    const plain = [];
    const cached = [];
    let accepted = 0;
    for (let i = 0; i < 7; i++) {
      plain.push(run('plain').us);
      const result = run('cached');
      cached.push(result.us);
      accepted = result.accepted;
    }
    const mid = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    console.log(
      `first run per component, median of 7 fresh processes each: ${mid(plain).toFixed(1)} µs plain, ` +
        `${mid(cached).toFixed(1)} µs with a code cache of ${accepted} dist modules (${(mid(cached) / mid(plain)).toFixed(2)})`,
    );
  } finally {
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
}
