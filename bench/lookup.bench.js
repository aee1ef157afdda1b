'use strict';
/* registry.get of a live plugin against container.get of the same binding, both awaited in the same loop. */
const { FloePlugin, PluginMetadata, PluginRegistry, PluginType, createSilentLogger } = require('../dist');
const { compare, round } = require('./harness');

module.exports = async function lookupBench() {
  const registry = new PluginRegistry({ rootDir: __dirname, logger: createSilentLogger() });
  for (let i = 0; i < 50; i++) {
    class Filler extends PluginMetadata {}
    FloePlugin({ type: PluginType.Compute, name: `filler${i}`, version: '1.0.0', apiVersion: '1.0' })(Filler);
    registry.register(Filler);
  }
  class DuckDB extends PluginMetadata {}
  FloePlugin({ type: PluginType.Compute, name: 'duckdb', version: '1.0.0', apiVersion: '1.0' })(DuckDB);
  registry.register(DuckDB);
  const live = await registry.get(PluginType.Compute, 'duckdb');
  const container = registry.container;
  const options = { name: 'duckdb' };
  const loops = 100_000;
  let sink = 0;
  const result = await compare(
    async () => {
      for (let i = 0; i < loops; i++) if ((await registry.get(PluginType.Compute, 'duckdb')) === live) sink++;
    },
    async () => {
      for (let i = 0; i < loops; i++) if ((await container.get(PluginType.Compute, options)) === live) sink++;
    },
    { runs: 9, warmup: 2 },
  );
  if (sink === 0) throw new Error('lookups returned another instance');
  return [
    {
      name: `get of a live plugin, ${loops} awaited lookups`,
      subjectMs: round(result.subjectMs),
      baselineMs: round(result.baselineMs),
      ratio: round(result.ratio),
      perLookupNs: round((result.subjectMs * 1e6) / loops, 0),
      goal: '<= 1.5x container.get',
      pass: result.ratio <= 1.5,
    },
  ];
};
