/**
 * Milliseconds on the process's monotonic clock, for durations and deadlines (the origin means nothing).
 * It reads `process.hrtime()` rather than `performance.now()`: the first use of `performance` in a process
 * loads Node's perf_hooks, about a millisecond that the first start of a platform would otherwise pay.
 */
export function monotonicMs(): number {
  const [seconds, nanoseconds] = process.hrtime();
  return seconds * 1e3 + nanoseconds / 1e6;
}
