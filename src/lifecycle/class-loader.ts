import type { Logger } from 'winston';
import { loadPluginClass, type LoaderIO } from '../discovery/plugin-loader';
import { InvalidPluginError, messageOf } from '../errors';
import { logs } from '../logging';
import { getPluginOptions, type PluginClass } from '../plugin/floe-plugin';
import { endSpan, startPluginSpan } from '../tracing';
import { lifeOf } from './attempt';
import { elapsed } from './hooks';
import type { PluginRecord } from './plugin-life';
import { runHook } from './run-hook';

/** What loading needs from the registry's options. */
export interface LoadParts {
  readonly logger: Logger;
  readonly loadMs: number;
  readonly now: () => number;
  readonly apiVersion: string;
  readonly loader: LoaderIO;
}

/**
 * Imports and checks a plugin's class, once even when asked concurrently; a failure is not cached. A
 * discovered plugin turns `loaded`, or `failed` with the error.
 *
 * @throws PluginError `PLUGIN_LOAD_FAILED`, InvalidPluginError, PluginIncompatibleError, or a PluginTimeoutError.
 */
export function loadClass(record: PluginRecord, parts: LoadParts): Promise<PluginClass> {
  const life = lifeOf(record);
  if (life.cls !== undefined) return Promise.resolve(life.cls);
  if (life.loading !== undefined) return life.loading;
  const entry = record.entry;
  if (entry === undefined) return Promise.reject(new InvalidPluginError(`plugin ${record.key} has no class.`));
  const { logger, now, loadMs, apiVersion, loader } = parts;
  const began = now();
  const span = startPluginSpan('floe.plugin.load', record);
  if (logs(logger, 'debug'))
    logger.debug(`loading plugin ${record.key}`, { event: 'plugin.loading', plugin: record.key });
  const loading = runHook({
    pluginKey: record.key,
    phase: 'load',
    timeoutMs: loadMs,
    hook: () => loadPluginClass(entry, apiVersion, loader),
  }).then(
    (cls) => {
      life.cls = cls;
      life.options = getPluginOptions(cls);
      if (life.state === 'discovered' || life.state === 'failed') life.enter('loaded');
      else life.changed();
      endSpan(span);
      if (logs(logger, 'debug'))
        logger.debug(`loaded plugin ${record.key}`, {
          event: 'plugin.loaded',
          plugin: record.key,
          package: entry.packageName,
          durationMs: elapsed(now, began),
        });
      return cls;
    },
    (error: unknown) => {
      endSpan(span, error);
      if (life.state === 'discovered' || life.state === 'failed') {
        life.error = error;
        life.enter('failed');
      }
      logger.error(messageOf(error), { event: 'plugin.load_failed', plugin: record.key, package: entry.packageName });
      throw error;
    },
  );
  life.loading = loading;
  const clear = () => {
    if (life.loading === loading) life.loading = undefined;
  };
  loading.then(clear, clear);
  return loading;
}
