'use strict';
/*
 * Runs the benchmarks against the built package (npm run bench builds first), prints a table and writes
 * bench/results/latest.json. Pass names to run only some: npm run bench -- discovery lookup
 *
 * Each benchmark runs in a process of its own: one that builds 100,000 plugin classes leaves a grown heap
 * and inline caches that have seen 100,000 shapes, which would otherwise be charged to the next one.
 */
const { fork } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const BENCHES = [
  'discovery',
  'lookup',
  'ordering',
  'lifecycle',
  'cycles',
  'config',
  'cost',
  'pictures',
  'refresh',
  'peers',
];

// In a benchmark's own process: run it and send its rows back.
if (process.argv[2] === '--child') {
  require(`./${process.argv[3]}.bench`)().then(
    (rows) => process.send({ rows }, () => process.exit(0)),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
} else {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}

/** Runs one benchmark in a fresh process (with --expose-gc, so that runs can start from a collected heap). */
function runIsolated(name) {
  return new Promise((resolve, reject) => {
    let rows;
    const child = fork(__filename, ['--child', name], { execArgv: ['--expose-gc'] });
    child.on('message', (message) => (rows = message.rows));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0 && rows !== undefined) resolve(rows);
      else reject(new Error(`benchmark "${name}" failed (exit code ${code})`));
    });
  });
}

async function main() {
  const wanted = process.argv.slice(2);
  const names = wanted.length === 0 ? BENCHES : wanted;
  for (const name of names)
    if (!BENCHES.includes(name)) throw new Error(`unknown benchmark "${name}"; choose from ${BENCHES.join(', ')}`);
  const rows = [];
  for (const name of names) {
    for (const row of await runIsolated(name)) {
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
