'use strict';
/* discoverAll over generated trees against a bare scan of the same package.json files. */
const fs = require('node:fs');
const { PluginRegistry, createSilentLogger } = require('../dist');
const { compare, round } = require('./harness');
const { generateTree, bareScan, settleDisk } = require('./trees');

module.exports = async function discoveryBench() {
  const rows = [];
  // Every tree is written before the first measurement and removed after the last: removing thousands of
  // files sets the file system to work in the background, which slowed whichever size was measured next
  // (the scan more than the bare scan: 1.04 became 1.25 at 10,000 packages).
  const trees = new Map([1_000, 10_000].map((count) => [count, generateTree(count)]));
  settleDisk();
  try {
    for (const [count, root] of trees) {
      const logger = createSilentLogger();
      let found = 0;
      const result = await compare(
        () => {
          found = new PluginRegistry({ rootDir: root, logger }).discoverAll().found.length;
        },
        () => bareScan(root),
        // Enough warm-up for V8 to finish optimizing discovery: the bare scan is a few lines and is warm at once.
        { runs: count >= 10_000 ? 9 : 25, warmup: count >= 10_000 ? 10 : 30 },
      );
      rows.push({
        name: `discoverAll, ${count} packages (${found} plugins)`,
        subjectMs: round(result.subjectMs),
        baselineMs: round(result.baselineMs),
        ratio: round(result.ratio),
        goal: '<= 1.1x bare scan',
        pass: result.ratio <= 1.1,
      });
    }
  } finally {
    for (const root of trees.values()) fs.rmSync(root, { recursive: true, force: true });
  }
  return rows;
};
