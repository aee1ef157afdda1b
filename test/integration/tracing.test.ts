import { SpanStatusCode, trace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { createSilentLogger, FloePlugin, PluginMetadata, PluginRegistry, PluginType } from '../../src';
import { floeField, PackageTree, pluginModule } from '../support/package-tree';

/* Spans through the real OpenTelemetry SDK, kept in memory. */

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

beforeAll(() => {
  trace.setGlobalTracerProvider(provider);
});
afterAll(async () => {
  trace.disable();
  await provider.shutdown();
});
beforeEach(() => exporter.reset());

const meta = { version: '1.0.0', apiVersion: '1.0' };

@FloePlugin({ ...meta, type: PluginType.Secrets, name: 'vault' })
class Vault extends PluginMetadata {}

@FloePlugin({ ...meta, type: PluginType.Compute, name: 'duckdb', dependsOn: ['vault'] })
class DuckDB extends PluginMetadata {}

@FloePlugin({ ...meta, type: PluginType.Catalog, name: 'broken' })
class Broken extends PluginMetadata {
  override startup(): void {
    throw new Error('catalog unreachable');
  }
  override healthCheck(): never {
    throw new Error('unused');
  }
}

function spans(name: string): ReadableSpan[] {
  return exporter.getFinishedSpans().filter((span) => span.name === name);
}

function registry(...classes: (typeof PluginMetadata)[]): PluginRegistry {
  const r = new PluginRegistry({ rootDir: '/nonexistent', logger: createSilentLogger() });
  for (const cls of classes) r.register(cls);
  return r;
}

describe('tracing', () => {
  it('makes each plugin startup a child of floe.startAll, with the plugin attributes', async () => {
    const r = registry(Vault, DuckDB);
    await r.startAll();
    const [startAll] = spans('floe.startAll');
    const startups = spans('floe.plugin.startup');
    expect(startups.map((span) => span.attributes)).toEqual([
      { 'floe.plugin.key': 'floe.secrets:vault', 'floe.plugin.type': 'floe.secrets', 'floe.plugin.name': 'vault' },
      { 'floe.plugin.key': 'floe.computes:duckdb', 'floe.plugin.type': 'floe.computes', 'floe.plugin.name': 'duckdb' },
    ]);
    for (const span of startups) {
      expect(span.parentSpanContext?.spanId).toBe(startAll.spanContext().spanId);
      expect(span.spanContext().traceId).toBe(startAll.spanContext().traceId);
    }
    expect(startAll.status.code).not.toBe(SpanStatusCode.ERROR);
    await r.shutdownAll();
  });

  it('sets status ERROR and records the exception of a failing startup, and marks the run', async () => {
    const r = registry(Broken);
    await r.startAll();
    const [startup] = spans('floe.plugin.startup');
    expect(startup.status.code).toBe(SpanStatusCode.ERROR);
    expect(startup.status.message).toContain('catalog unreachable');
    expect(startup.events.map((event) => event.name)).toEqual(['exception']);
    expect(startup.events[0].attributes?.['exception.message']).toContain('catalog unreachable');
    expect(spans('floe.startAll')[0].status).toEqual({ code: SpanStatusCode.ERROR, message: '1 failed, 0 skipped' });
  });

  it('traces shutdowns as children of floe.shutdownAll, and health checks', async () => {
    const r = registry(Vault, DuckDB);
    await r.startAll();
    await r.healthCheckAll();
    await r.shutdownAll();
    const [shutdownAll] = spans('floe.shutdownAll');
    const stops = spans('floe.plugin.shutdown');
    expect(stops.map((span) => span.attributes['floe.plugin.key'])).toEqual([
      'floe.computes:duckdb',
      'floe.secrets:vault',
    ]);
    for (const span of stops) expect(span.parentSpanContext?.spanId).toBe(shutdownAll.spanContext().spanId);
    expect(spans('floe.plugin.health').map((span) => span.attributes['floe.health.state'])).toEqual([
      'healthy',
      'healthy',
    ]);
  });

  it('traces discovery and each import', async () => {
    const tree = PackageTree.create('tracing');
    try {
      tree.project({});
      tree.package('p', floeField(['floe.storage', 's3', './index.js#s3Plugin']), {
        'index.js': pluginModule({ type: 'floe.storage', name: 's3' }),
      });
      const r = new PluginRegistry({ rootDir: tree.root, logger: createSilentLogger() });
      r.discoverAll();
      expect(spans('floe.discover')[0].attributes).toMatchObject({ 'floe.plugins': 1, 'floe.issues': 0 });
      await r.load(PluginType.Storage, 's3');
      expect(spans('floe.plugin.load').map((span) => span.attributes['floe.plugin.key'])).toEqual(['floe.storage:s3']);
    } finally {
      tree.remove();
    }
  });
});
