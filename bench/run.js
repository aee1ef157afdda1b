'use strict';
/*
 * Runs the benchmarks against the built package (npm run bench builds first), prints a table and writes
 * bench/results/latest.json. Pass names to run only some: npm run bench -- discovery lookup
 */
const fs = require('node:fs');
const path = require('node:path');

const BENCHES = {
  discovery: require('./discovery.bench'),
  lookup: require('./lookup.bench'),
  ordering: require('./ordering.bench'),
  lifecycle: require('./lifecycle.bench'),
  cycles: require('./cycles.bench'),
  config: require('./config.bench'),
  cost: require('./cost.bench'),
};

async function main() {
  const wanted = process.argv.slice(2);
  const names = wanted.length === 0 ? Object.keys(BENCHES) : wanted;
  const rows = [];
  for (const name of names) {
    const bench = BENCHES[name];
    if (bench === undefined)
      throw new Error(`unknown benchmark "${name}"; choose from ${Object.keys(BENCHES).join(', ')}`);
    for (const row of await bench()) {
      rows.push({ bench: name, ...row });
      console.log(`${row.pass === undefined ? 'INFO' : row.pass ? 'PASS' : 'MISS'}  ${row.name}: ${describe(row)}`);
    }
  }
  console.log('');
  console.table(rows.map(({ bench, name, ratio, goal, pass }) => ({ bench, name, ratio, goal, pass })));
  const out = path.join(__dirname, 'results');
  fs.mkdirSync(out, { recursive: true });
  const report = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: require('node:os').cpus().length,
    rows,
  };
  fs.writeFileSync(path.join(out, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log(`results written to ${path.relative(process.cwd(), path.join(out, 'latest.json'))}`);
}

function describe(row) {
  return Object.entries(row)
    .filter(([key]) => !['name', 'pass', 'goal'].includes(key))
    .map(([key, value]) => `${key}=${value}`)
    .join(' ');
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
