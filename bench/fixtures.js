'use strict';
/* Generated plugin classes for the ordering and lifecycle benchmarks. */
const {
  FloePlugin,
  PluginMetadata,
  PluginRegistry,
  PLUGIN_TYPES,
  createSilentLogger,
  getPluginOptions,
  pluginKey,
} = require('../dist');

/** A deterministic pseudo-random generator (mulberry32), so every run measures the same graph. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `count` plugin classes spread over the eleven types, each depending on up to `maxDeps` plugins among the
 * `window` created just before it (so the graph is a DAG of bounded depth growth), with `hooks` mixed in.
 */
function generatePlugins(count, { maxDeps = 3, window = 50, seed = 7, hooks = {} } = {}) {
  const next = random(seed);
  const keys = [];
  const classes = [];
  for (let i = 0; i < count; i++) {
    const type = PLUGIN_TYPES[i % PLUGIN_TYPES.length];
    const name = `p${i}`;
    const dependsOn = new Set();
    const wanted = Math.floor(next() * (maxDeps + 1));
    for (let d = 0; d < wanted && i > 0; d++) dependsOn.add(keys[Math.max(0, i - 1 - Math.floor(next() * window))]);
    const cls = class extends PluginMetadata {};
    Object.assign(cls.prototype, hooks);
    FloePlugin({ type, name, version: '1.0.0', apiVersion: '1.0', dependsOn: [...dependsOn] })(cls);
    keys.push(pluginKey(type, name));
    classes.push(cls);
  }
  return { keys, classes };
}

/** The longest dependency chain of generated plugins, in plugins. */
function longestChain(classes) {
  const { getPluginOptions, pluginKey: key } = require('../dist');
  const depth = new Map();
  for (const cls of classes) {
    const options = getPluginOptions(cls);
    const own = 1 + Math.max(0, ...options.dependsOn.map((dep) => depth.get(dep) ?? 0));
    depth.set(key(options.type, options.name), own);
  }
  return Math.max(...depth.values());
}

/** A registry with a silent logger and the given classes registered. */
function registryWith(classes) {
  const registry = new PluginRegistry({ rootDir: __dirname, logger: createSilentLogger() });
  for (const cls of classes) registry.register(cls);
  return registry;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The floor the lifecycle benchmarks compare with, in a few lines: `startAll` starts each plugin as soon as
 * its dependencies are up, `stopAll` stops each once everything depending on it is down, all concurrently.
 * Nothing else: no states, timeouts, reports, container or logging.
 */
function handWrittenPlatform(classes) {
  const plugins = new Map(
    classes.map((cls) => {
      const options = getPluginOptions(cls);
      return [pluginKey(options.type, options.name), { cls, deps: options.dependsOn }];
    }),
  );
  const dependents = new Map([...plugins.keys()].map((key) => [key, []]));
  for (const [key, { deps }] of plugins) for (const dep of deps) dependents.get(dep).push(key);
  const started = new Map();
  const start = (key) => {
    let promise = started.get(key);
    if (promise === undefined) {
      const { cls, deps } = plugins.get(key);
      promise = Promise.all(deps.map(start)).then(async () => {
        const instance = new cls();
        await instance.startup();
        return instance;
      });
      started.set(key, promise);
    }
    return promise;
  };
  const stopAll = () => {
    const stopped = new Map();
    const stop = (key) => {
      let promise = stopped.get(key);
      if (promise === undefined) {
        promise = Promise.all(dependents.get(key).map(stop)).then(async () => (await started.get(key)).shutdown());
        stopped.set(key, promise);
      }
      return promise;
    };
    return Promise.all([...plugins.keys()].map(stop));
  };
  return { startAll: () => Promise.all([...plugins.keys()].map(start)), stopAll };
}

module.exports = { generatePlugins, handWrittenPlatform, longestChain, random, registryWith, sleep };
