import { PluginError, PluginTimeoutError, messageOf } from '../errors';
import { HealthState, isHealthStatus, type HealthStatus } from '../health';
import { runHook } from './run-hook';

/** The part of a plugin a health check calls. */
interface HealthCheckable {
  healthCheck?(signal: AbortSignal): unknown;
}

/**
 * Runs one plugin's health check under the health timeout and never throws: the default (no health
 * check) is Healthy, a returned HealthStatus is kept as is, and a throw, a timeout or a result that is
 * not a HealthStatus is Unhealthy with `details.exceptionType` naming what went wrong.
 */
export async function checkHealth(pluginKey: string, plugin: unknown, timeoutMs: number): Promise<HealthStatus> {
  const target = plugin as HealthCheckable;
  if (typeof target?.healthCheck !== 'function') return { state: HealthState.Healthy, message: '', details: {} };
  try {
    const result = await runHook({
      pluginKey,
      phase: 'health',
      timeoutMs,
      hook: (signal) => (target.healthCheck as (signal: AbortSignal) => unknown).call(target, signal),
    });
    if (isHealthStatus(result)) return result;
    return {
      state: HealthState.Unhealthy,
      message: `health check of ${pluginKey} returned ${describe(result)}, not a HealthStatus { state, message, details }`,
      details: { exceptionType: 'InvalidHealthStatus' },
    };
  } catch (error) {
    if (error instanceof PluginTimeoutError) {
      return {
        state: HealthState.Unhealthy,
        message: `health check timed out after ${timeoutMs} ms`,
        details: { exceptionType: error.name, timeoutMs },
      };
    }
    return {
      state: HealthState.Unhealthy,
      message: messageOf(error),
      details: {
        exceptionType: error instanceof Error ? error.constructor.name : typeof error,
        ...(PluginError.is(error) ? { code: error.code } : {}),
      },
    };
  }
}

function describe(value: unknown): string {
  if (value === undefined || value === null) return String(value);
  if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, 60))}`;
  if (typeof value === 'object') return `an object without a valid state, message and details`;
  return `a ${typeof value}`;
}
