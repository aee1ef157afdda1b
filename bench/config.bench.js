'use strict';
/*
 * Parsing platform config files: a 100,000-key file (YAML and JSON) must parse in under a second, and the
 * time must grow linearly with the keys (10,000 against 100,000).
 */
const { parsePlatformConfig } = require('../dist');
const { median, round } = require('./harness');

/** A config file with `plugins` plugins of `settings` settings each: plugins x (1 + settings) keys. */
function configText(format, plugins, settings) {
  const entries = Array.from({ length: plugins }, (_, i) => [
    `floe.computes:p${i}`,
    Object.fromEntries(Array.from({ length: settings }, (_, s) => [`setting${s}`, (i + s) % 97])),
  ]);
  if (format === 'json') return JSON.stringify({ plugins: Object.fromEntries(entries) }, null, 2);
  const lines = ['plugins:'];
  for (const [key, values] of entries) {
    lines.push(`  ${key}:`);
    for (const [name, value] of Object.entries(values)) lines.push(`    ${name}: ${value}`);
  }
  return `${lines.join('\n')}\n`;
}

module.exports = async function configBench() {
  const rows = [];
  for (const format of ['yaml', 'json']) {
    // 25,000 plugins with 3 settings each: 100,000 keys.
    const large = configText(format, 25_000, 3);
    const small = configText(format, 2_500, 3);
    const file = `floe.config.${format}`;
    const largeMs = await median(() => parsePlatformConfig(large, file), { runs: 5, warmup: 1 });
    const smallMs = await median(() => parsePlatformConfig(small, file), { runs: 5, warmup: 1 });
    rows.push({
      name: `parse a 100,000-key ${format.toUpperCase()} config file (${(large.length / 1e6).toFixed(1)} MB)`,
      subjectMs: round(largeMs),
      baselineMs: 1000,
      ratio: round(largeMs / 1000),
      goal: '< 1 s',
      pass: largeMs < 1000,
    });
    rows.push({
      name: `parse ${format.toUpperCase()} config, 100,000 vs 10,000 keys (linear is 10)`,
      subjectMs: round(largeMs),
      baselineMs: round(smallMs),
      ratio: round(largeMs / smallMs),
      goal: '<= 13',
      pass: largeMs / smallMs <= 13,
    });
  }
  return rows;
};
