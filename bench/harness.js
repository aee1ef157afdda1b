'use strict';
/* Small timing helpers shared by the benchmarks: medians of repeated runs, compared within one run. */

/** Runs `fn` `warmup` times, then `runs` times, and returns the median duration in milliseconds. */
async function median(fn, { runs = 7, warmup = 2 } = {}) {
  for (let i = 0; i < warmup; i++) await fn();
  const times = [];
  for (let i = 0; i < runs; i++) {
    // With --expose-gc (npm run bench sets it), each run starts without the garbage of the one before.
    global.gc?.();
    const start = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/**
 * Measures two functions in alternation, so that drift in machine load hits both alike, and returns
 * their medians and the ratio subject / baseline.
 */
async function compare(subject, baseline, options = {}) {
  const runs = options.runs ?? 7;
  const a = [];
  const b = [];
  for (let i = 0; i < (options.warmup ?? 2); i++) {
    await subject();
    await baseline();
  }
  for (let i = 0; i < runs; i++) {
    a.push(await median(subject, { runs: 1, warmup: 0 }));
    b.push(await median(baseline, { runs: 1, warmup: 0 }));
  }
  const mid = (xs) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  const subjectMs = mid(a);
  const baselineMs = mid(b);
  return { subjectMs, baselineMs, ratio: subjectMs / baselineMs };
}

function round(value, digits = 2) {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

module.exports = { median, compare, round };
