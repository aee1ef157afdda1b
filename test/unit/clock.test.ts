import { monotonicMs } from '../../src/clock';
import { FloePlugin, PluginMetadata, PluginRegistry, PluginType, createSilentLogger } from '../../src';

describe('the clock', () => {
  it('counts milliseconds on the process’s monotonic clock', () => {
    const [seconds, nanoseconds] = process.hrtime();
    const now = monotonicMs();
    expect(now).toBeGreaterThanOrEqual(seconds * 1e3 + nanoseconds / 1e6);
    expect(now - (seconds * 1e3 + nanoseconds / 1e6)).toBeLessThan(1000);
    const began = monotonicMs();
    const until = process.hrtime.bigint() + 3_000_000n;
    while (process.hrtime.bigint() < until);
    expect(monotonicMs() - began).toBeGreaterThanOrEqual(3);
  });

  it('is what a start and a stop read, never performance.now (which loads perf_hooks in a fresh process)', async () => {
    @FloePlugin({ type: PluginType.Compute, name: 'timed', version: '1.0.0', apiVersion: '1.0' })
    class Timed extends PluginMetadata {}
    const performanceNow = jest.spyOn(performance, 'now');
    try {
      const registry = new PluginRegistry({ logger: createSilentLogger() });
      registry.register(Timed);
      const report = await registry.startAll();
      expect(report.timings['floe.computes:timed'].durationMs).toBeGreaterThanOrEqual(0);
      await registry.shutdownAll();
      expect(performanceNow).not.toHaveBeenCalled();
    } finally {
      performanceNow.mockRestore();
    }
  });
});
