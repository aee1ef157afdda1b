'use strict';
/* discoverAll over generated trees against a bare scan of the same package.json files. */
const fs = require('node:fs');
const { PluginRegistry, createSilentLogger } = require('../dist');
const { compare, round } = require('./harness');
const { generateTree, bareScan } = require('./trees');

module.exports = async function discoveryBench() {
  const rows = [];
  for (const count of [1_000, 10_000]) {
    const root = generateTree(count);
    try {
      const logger = createSilentLogger();
      let found = 0;
      const result = await compare(
        () => {
          found = new PluginRegistry({ rootDir: root, logger }).discoverAll().found.length;
        },
        () => bareScan(root),
        { runs: count >= 10_000 ? 7 : 15, warmup: count >= 10_000 ? 10 : 30 },
      );
      rows.push({
        name: `discoverAll, ${count} packages (${found} plugins)`,
        subjectMs: round(result.subjectMs),
        baselineMs: round(result.baselineMs),
        ratio: round(result.ratio),
        goal: '<= 1.1x bare scan',
        pass: result.ratio <= 1.1,
      });
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  }
  return rows;
};
