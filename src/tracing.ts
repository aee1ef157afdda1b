import { context as otelContext, SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';
import { describeThrown } from './errors';

// One tracer for the package: it follows whatever provider the application registers, even later.
const tracer = trace.getTracer('floe-core');

/** The attributes of every plugin span. */
export function pluginAttributes(plugin: { key: string; type: string; name: string }): Record<string, string> {
  return { 'floe.plugin.key': plugin.key, 'floe.plugin.type': plugin.type, 'floe.plugin.name': plugin.name };
}

/**
 * Starts a span: a child of `parent` when given, else of the active context. Without an OpenTelemetry SDK
 * registered this is a no-op span.
 */
export function startSpan(name: string, attributes: Record<string, string> = {}, parent?: Context): Span {
  return tracer.startSpan(name, { attributes }, parent ?? otelContext.active());
}

/** The context in which spans become children of `span`. */
export function contextOf(span: Span, parent?: Context): Context {
  return trace.setSpan(parent ?? otelContext.active(), span);
}

/** Ends a span; with an error, its status is ERROR and the exception is recorded. Never throws. */
export function endSpan(span: Span, error?: unknown): void {
  if (error !== undefined) {
    const { type, message } = describeThrown(error);
    span.recordException({ name: type, message, ...stackOf(error) });
    span.setStatus({ code: SpanStatusCode.ERROR, message });
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
  if (problem !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: problem });
  span.end();
}
