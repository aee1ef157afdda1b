import type * as OpenTelemetry from '@opentelemetry/api';
import type * as TraceBase from '@opentelemetry/sdk-trace-base';
import type * as Tracing from '../../src/tracing';

describe('spans while no tracer provider is registered', () => {
  it('record nothing, and do not load the OpenTelemetry API', () => {
    let loaded = false;
    jest.isolateModules(() => {
      jest.doMock('@opentelemetry/api', () => {
        loaded = true;
        return jest.requireActual('@opentelemetry/api');
      });
      const tracing = jest.requireActual<typeof Tracing>('../../src/tracing');
      const span = tracing.startPluginSpan('floe.plugin.startup', {
        key: 'floe.computes:x',
        type: 'floe.computes',
        name: 'x',
      });
      expect(span.isRecording()).toBe(false);
      expect(span.spanContext().traceFlags).toBe(0);
      // Every method of a span is there, chains as a span's does, and records nothing.
      expect(span.setAttribute('k', 'v')).toBe(span);
      expect(span.setAttributes({ k: 'v' })).toBe(span);
      expect(span.addEvent('e')).toBe(span);
      expect(span.addLink({ context: span.spanContext() })).toBe(span);
      expect(span.addLinks([])).toBe(span);
      expect(span.setStatus({ code: 2 })).toBe(span);
      expect(span.updateName('other')).toBe(span);
      expect(span.recordException(new Error('x'))).toBeUndefined();
      expect(span.spanContext()).toEqual({
        traceId: '00000000000000000000000000000000',
        spanId: '0000000000000000',
        traceFlags: 0,
      });
      tracing.endSpan(span, new Error('failed'));
      tracing.endRunSpan(tracing.startSpan('floe.startAll'), 'a problem');
      expect(tracing.contextOf(span)).toBeUndefined();
    });
    expect(loaded).toBe(false);
  });

  it('load the API and follow a provider registered later', () => {
    jest.isolateModules(() => {
      const api = jest.requireActual<typeof OpenTelemetry>('@opentelemetry/api');
      const { BasicTracerProvider } = jest.requireActual<typeof TraceBase>('@opentelemetry/sdk-trace-base');
      const tracing = jest.requireActual<typeof Tracing>('../../src/tracing');
      expect(tracing.startSpan('before').isRecording()).toBe(false);
      api.trace.setGlobalTracerProvider(new BasicTracerProvider());
      try {
        const span = tracing.startSpan('after');
        expect(span.isRecording()).toBe(true);
        span.end();
      } finally {
        api.trace.disable();
      }
      expect(tracing.startSpan('disabled again').isRecording()).toBe(false);
    });
  });
});
