import type * as OpenTelemetry from '@opentelemetry/api';
import type { Context, Span } from '@opentelemetry/api';
import { lazy } from './lazy';
import { describeThrown } from './errors';

// Loaded with the first span. One tracer for the package: it follows whatever provider the application
// registers, even later.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use
const api = lazy(() => require('@opentelemetry/api') as typeof OpenTelemetry);
const tracer = lazy(() => api().trace.getTracer('floe-core'));
// What an unregistered provider delegates to.
const noopProvider = lazy(() => new (api().ProxyTracerProvider)().getDelegate());

/**
 * Where every copy of OpenTelemetry's API (major version 1) keeps what an application registered: the
 * tracer provider under `trace`. Until something is registered there, no copy can record a span, and the
 * API need not even be loaded.
 */
const OPENTELEMETRY_GLOBALS = Symbol.for('opentelemetry.js.api.1');

/** The span handed out while no tracer provider is registered: one object that records nothing. */
const idleSpan: Span = {
  spanContext: () => ({ traceId: '00000000000000000000000000000000', spanId: '0000000000000000', traceFlags: 0 }),
  setAttribute: () => idleSpan,
  setAttributes: () => idleSpan,
  addEvent: () => idleSpan,
  addLink: () => idleSpan,
  addLinks: () => idleSpan,
  setStatus: () => idleSpan,
  updateName: () => idleSpan,
  end: () => undefined,
  isRecording: () => false,
  recordException: () => undefined,
};

/**
 * Whether a tracer provider is registered. Asked at every span, so that a provider registered later is
 * followed; while none is, spans, their attributes and their contexts are not made at all (they would be
 * no-ops, at a cost a plugin's start would notice), and the API is not loaded.
 */
function tracing(): boolean {
  const registered = (globalThis as Record<symbol, { trace?: unknown } | undefined>)[OPENTELEMETRY_GLOBALS];
  if (registered?.trace === undefined) return false;
  const provider = api().trace.getTracerProvider();
  return !(provider instanceof api().ProxyTracerProvider) || provider.getDelegate() !== noopProvider();
}

/** The attributes of every plugin span. */
function pluginAttributes(plugin: { key: string; type: string; name: string }): Record<string, string> {
  return { 'floe.plugin.key': plugin.key, 'floe.plugin.type': plugin.type, 'floe.plugin.name': plugin.name };
}

/**
 * Starts a span: a child of `parent` when given, else of the active context. Without an OpenTelemetry SDK
 * registered this is a no-op span.
 */
export function startSpan(name: string, attributes: Record<string, string> = {}, parent?: Context): Span {
  if (!tracing()) return idleSpan;
  return tracer().startSpan(name, { attributes }, parent ?? api().context.active());
}

/** Starts the span of one plugin's step (`floe.plugin.startup`, ...), with the plugin's attributes. */
export function startPluginSpan(
  name: string,
  plugin: { key: string; type: string; name: string },
  parent?: Context,
): Span {
  if (!tracing()) return idleSpan;
  return tracer().startSpan(name, { attributes: pluginAttributes(plugin) }, parent ?? api().context.active());
}

/** The context in which spans become children of `span`; `parent` itself for a span that records nothing. */
export function contextOf(span: Span, parent?: Context): Context | undefined {
  if (!span.isRecording()) return parent;
  return api().trace.setSpan(parent ?? api().context.active(), span);
}

/** Ends a span; with an error, its status is ERROR and the exception is recorded. Never throws. */
export function endSpan(span: Span, error?: unknown): void {
  if (error !== undefined && span.isRecording()) {
    const { type, message } = describeThrown(error);
    span.recordException({ name: type, message, ...stackOf(error) });
    span.setStatus({ code: api().SpanStatusCode.ERROR, message });
  }
  span.end();
}

function stackOf(error: unknown): { stack?: string } {
  try {
    const stack = (error as { stack?: unknown } | null)?.stack;
    return typeof stack === 'string' ? { stack } : {};
  } catch {
    return {};
  }
}

/** Ends a span of a run that reports failures instead of throwing: status ERROR with `problem` when there is one. */
export function endRunSpan(span: Span, problem: string | undefined): void {
  if (problem !== undefined && span.isRecording())
    span.setStatus({ code: api().SpanStatusCode.ERROR, message: problem });
  span.end();
}
