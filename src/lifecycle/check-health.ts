import type { Logger } from 'winston';
import { PluginError, describeThrown } from '../errors';
import { HealthState, isHealthStatus, type HealthStatus } from '../health';
import { endRunSpan, startPluginSpan } from '../tracing';
import { runHook } from './run-hook';
import { callWithSignal } from './hook-abort';
import type { PluginRecord } from './plugin-life';
import { logs } from '../logging';
import { plainRecord } from '../plain-record';

/** The part of a plugin a health check calls. */
interface HealthCheckable {
  healthCheck?(signal: AbortSignal): unknown;
}

/**
 * Runs one plugin's health check under the health timeout and never throws: the default (no health
 * check) is Healthy, a returned HealthStatus is kept as is, and a throw, a timeout or a result that is
 * not a HealthStatus is Unhealthy with `details.exceptionType` naming what went wrong.
 */
export async function checkHealth(
  subject: { key: string; type: string; name: string },
  plugin: unknown,
  timeoutMs: number,
): Promise<HealthStatus> {
  const span = startPluginSpan('floe.plugin.health', subject);
  const status = await check(subject.key, plugin, timeoutMs, (error) => {
    const { type, message } = describeThrown(error);
    span.recordException({ name: type, message });
  });
  span.setAttribute('floe.health.state', status.state);
  endRunSpan(span, status.state === HealthState.Unhealthy ? status.message : undefined);
  return status;
}

async function check(
  pluginKey: string,
  plugin: unknown,
  timeoutMs: number,
  threw: (error: unknown) => void,
): Promise<HealthStatus> {
  const target = plugin as HealthCheckable;
  try {
    if (typeof target?.healthCheck !== 'function') return { state: HealthState.Healthy, message: '', details: {} };
    const result = await runHook({
      pluginKey,
      phase: 'health',
      timeoutMs,
      hook: (abort) => callWithSignal(target.healthCheck as () => unknown, target, abort),
    });
    // Read once, into a plain object: the plugin's own object may change or throw when read again.
    if (isHealthStatus(result)) return { state: result.state, message: result.message, details: result.details };
    return {
      state: HealthState.Unhealthy,
      message: `health check of ${pluginKey} returned ${describe(result)}, not a HealthStatus { state, message, details }`,
      details: { exceptionType: 'InvalidHealthStatus' },
    };
  } catch (error) {
    threw(error);
    if (PluginError.is(error, 'PLUGIN_TIMEOUT')) {
      return {
        state: HealthState.Unhealthy,
        message: `health check timed out after ${timeoutMs} ms`,
        details: { exceptionType: 'PluginTimeoutError', timeoutMs },
      };
    }
    const { type, message } = describeThrown(error);
    return {
      state: HealthState.Unhealthy,
      message,
      details: { exceptionType: type, ...(PluginError.is(error) ? { code: error.code } : {}) },
    };
  }
}

function describe(value: unknown): string {
  if (value === undefined || value === null) return String(value);
  if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, 60))}`;
  if (typeof value === 'object') return `an object without a valid state, message and details`;
  return `a ${typeof value}`;
}

/**
 * Checks every live plugin of `records` concurrently, each under the health timeout; never throws and
 * returns within one timeout.
 */
export async function checkAll(
  records: readonly PluginRecord[],
  timeoutMs: number,
  logger: Logger,
): Promise<Record<string, HealthStatus>> {
  const live = records.filter((record) => record.life.state === 'active');
  const statuses = await Promise.all(
    live.map(async (record) => {
      const debug = logs(logger, 'debug');
      if (debug) logger.debug(`checking plugin ${record.key}`, { event: 'plugin.health_checking', plugin: record.key });
      const status = await checkHealth(record, record.life.instance, timeoutMs);
      if (debug)
        logger.debug(`checked plugin ${record.key}: ${status.state}`, {
          event: 'plugin.health_checked',
          plugin: record.key,
        });
      return status;
    }),
  );
  return plainRecord(live.map((record, i) => [record.key, statuses[i]]));
}
