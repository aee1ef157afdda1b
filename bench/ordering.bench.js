'use strict';
/* resolveDependencies over 1,000 / 10,000 / 100,000 plugins: the time should grow linearly. */
const { PluginRegistry, createSilentLogger } = require('../dist');
const { median, round } = require('./harness');
const { generatePlugins } = require('./fixtures');

module.exports = async function orderingBench() {
  const logger = createSilentLogger();
  const times = {};
  const cold = {};
  for (const count of [1_000, 10_000, 100_000]) {
    const registry = new PluginRegistry({ rootDir: __dirname, logger });
    for (const cls of generatePlugins(count).classes) registry.register(cls);
    // The first call also resolves every dependsOn reference; later calls reuse them until plugins are added.
    global.gc?.();
    const start = process.hrtime.bigint();
    await registry.resolveDependencies();
    cold[count] = Number(process.hrtime.bigint() - start) / 1e6;
    times[count] = await median(() => registry.resolveDependencies(), { runs: count >= 100_000 ? 9 : 15, warmup: 3 });
  }
  const ratio10 = times[10_000] / times[1_000];
  const ratio100 = times[100_000] / times[10_000];
  return [
    {
      name: 'resolveDependencies, 10k vs 1k plugins',
      subjectMs: round(times[10_000]),
      baselineMs: round(times[1_000]),
      ratio: round(ratio10),
      coldRatio: round(cold[10_000] / cold[1_000]),
      goal: 'information (1k runs are too short to judge)',
      pass: undefined,
    },
    {
      name: 'resolveDependencies, 100k vs 10k plugins',
      subjectMs: round(times[100_000]),
      baselineMs: round(times[10_000]),
      ratio: round(ratio100),
      coldMs: round(cold[100_000]),
      coldRatio: round(cold[100_000] / cold[10_000]),
      goal: '<= 12',
      pass: ratio100 <= 12,
    },
  ];
};
