import { validateConfig } from '../config/validate-config';
import { loadPluginClass } from '../discovery/plugin-loader';
import { PluginError, PluginShutdownError, PluginStartupError, PluginTimeoutError, messageOf } from '../errors';
import { runHook, type LateOutcome } from '../lifecycle/run-hook';
import type { PluginClass } from '../plugin/floe-plugin';
import { getPluginOptions } from '../plugin/floe-plugin';
import { bindPluginConfig, bindPluginInstance } from './container-bindings';
import type { PluginCatalog } from './plugin-catalog';
import type { PluginRecord } from './plugin-record';
import type { ResolvedOptions } from './registry-options';

interface Hooks {
  startup?(signal: AbortSignal): unknown;
  shutdown?(signal: AbortSignal): unknown;
}

/**
 * Takes one plugin at a time through load, configuration, startup and shutdown. Startup and shutdown
 * run inside the container's activation and deactivation hooks, each under its timeout.
 */
export class PluginActivator {
  private liveCounter = 0;

  constructor(
    private readonly options: ResolvedOptions,
    private readonly catalog: () => PluginCatalog,
    /** The plugins that wait, directly or not, on a plugin; named in the log when its startup times out. */
    private readonly waitingOn: (key: string) => string[],
  ) {}

  /** Imports and checks a plugin's class, once even when asked concurrently; a failure is not cached. */
  load(record: PluginRecord): Promise<PluginClass> {
    if (record.cls !== undefined) return Promise.resolve(record.cls);
    if (record.loading !== undefined) return record.loading;
    const entry = record.entry;
    if (entry === undefined)
      return Promise.reject(new PluginError('PLUGIN_INVALID', `Plugin ${record.key} has no class.`));
    const began = this.options.now();
    const loading = runHook({
      pluginKey: record.key,
      phase: 'load',
      timeoutMs: this.options.timeouts.loadMs,
      hook: () => loadPluginClass(entry, this.options.apiVersion, this.options.loader),
    }).then(
      (cls) => {
        record.cls = cls;
        record.options = getPluginOptions(cls);
        if (record.state === 'discovered' || record.state === 'failed') record.state = 'loaded';
        record.error = undefined;
        this.options.logger.debug(`loaded plugin ${record.key}`, {
          event: 'plugin.loaded',
          plugin: record.key,
          package: entry.packageName,
          durationMs: Math.round(this.options.now() - began),
        });
        return cls;
      },
      (error: unknown) => {
        record.state = 'failed';
        record.error = error;
        this.options.logger.error(messageOf(error), {
          event: 'plugin.load_failed',
          plugin: record.key,
          package: entry.packageName,
        });
        throw error;
      },
    );
    record.loading = loading;
    const clear = () => {
      if (record.loading === loading) record.loading = undefined;
    };
    loading.then(clear, clear);
    return loading;
  }

  /** Validates raw configuration against a loaded plugin's schema; `undefined` for a plugin without schema. */
  async validate(record: PluginRecord, raw: unknown): Promise<object | undefined> {
    const schema = record.options?.configSchema;
    return schema === undefined ? undefined : validateConfig(schema, raw, { name: record.name, key: record.key });
  }

  /** Stores a validated configuration and binds it for the plugin's constructor. */
  store(record: PluginRecord, config: object): void {
    const schema = record.options?.configSchema;
    if (schema !== undefined && record.config === undefined) {
      const key = record.key;
      bindPluginConfig(
        this.options.container,
        schema,
        (serviceId) => serviceId !== undefined && this.catalog().get(key)?.serviceId === serviceId,
        () => this.catalog().get(key)?.config as object,
      );
    }
    record.config = config;
  }

  /** Starts a plugin whose dependencies are live: once, even when asked concurrently. */
  start(record: PluginRecord): Promise<'started' | 'already-live'> {
    if (record.state === 'active') return Promise.resolve('already-live');
    if (record.starting !== undefined) return record.starting;
    const starting = this.startOnce(record);
    record.starting = starting;
    const clear = () => {
      if (record.starting === starting) record.starting = undefined;
    };
    starting.then(clear, clear);
    return starting;
  }

  /** Stops a live plugin through its binding's deactivation hook; rejects with PluginShutdownError when the hook failed. */
  async stop(record: PluginRecord): Promise<void> {
    const serviceId = record.serviceId;
    if (record.state !== 'active' || serviceId === undefined) return;
    record.stopOutcome = undefined;
    await this.options.container.unbindAsync(serviceId);
    const outcome = record.stopOutcome as PluginRecord['stopOutcome'];
    if (outcome?.error !== undefined) throw outcome.error;
  }

  private async startOnce(record: PluginRecord): Promise<'started'> {
    const cls = await this.load(record);
    if (record.options?.configSchema !== undefined && record.config === undefined) {
      try {
        this.store(record, (await this.validate(record, {})) as object);
      } catch (error) {
        record.state = 'failed';
        record.error = error;
        throw error;
      }
    }
    const key = record.key;
    const serviceId = Symbol(key);
    const attempt: { failure?: PluginError } = {};
    record.serviceId = serviceId;
    bindPluginInstance(this.options.container, serviceId, cls, {
      onActivation: (instance) => this.activate(key, instance, attempt),
      onDeactivation: (instance) => this.deactivate(key, instance),
    });
    let instance: unknown;
    try {
      instance = await this.options.container.getAsync(serviceId);
    } catch (error) {
      attempt.failure ??= new PluginStartupError(key, error);
    }
    if (attempt.failure !== undefined) {
      record.state = 'failed';
      record.error = attempt.failure;
      record.serviceId = undefined;
      await this.discard(serviceId);
      throw attempt.failure;
    }
    record.instance = instance;
    record.state = 'active';
    record.error = undefined;
    record.liveSince = ++this.liveCounter;
    return 'started';
  }

  // The activation hook: runs startup under its timeout and never rejects, so a failed instance can be unbound.
  private async activate(key: string, instance: unknown, attempt: { failure?: PluginError }): Promise<unknown> {
    const { logger, timeouts, now } = this.options;
    const began = now();
    try {
      await runHook({
        pluginKey: key,
        phase: 'startup',
        timeoutMs: timeouts.startupMs,
        hook: (signal) => (instance as Hooks).startup?.(signal),
        onLateSettle: (outcome) => this.lateStartup(key, instance, outcome, now() - began),
      });
      logger.info(`started plugin ${key}`, {
        event: 'plugin.started',
        plugin: key,
        durationMs: Math.round(now() - began),
      });
    } catch (error) {
      attempt.failure = new PluginStartupError(key, error);
      const fields = { event: 'plugin.startup_failed', plugin: key, durationMs: Math.round(now() - began) };
      if (error instanceof PluginTimeoutError) {
        const waiting = this.waitingOn(key);
        logger.error(
          `plugin ${key} timed out starting after ${Math.round(now() - began)} ms; waiting on it: ${waiting.length === 0 ? 'none' : waiting.join(', ')}`,
          { ...fields, event: 'plugin.startup_timeout', waiting },
        );
      } else logger.error(attempt.failure.message, fields);
    }
    return instance;
  }

  // A startup that finished after its timeout belongs to no one: shut it down so nothing leaks.
  private lateStartup(key: string, instance: unknown, outcome: LateOutcome<unknown>, elapsedMs: number): void {
    const { logger, timeouts } = this.options;
    if (!outcome.ok) {
      logger.warn(`plugin ${key} failed after its startup timeout: ${messageOf(outcome.error)}`, {
        event: 'plugin.late_startup',
        plugin: key,
      });
      return;
    }
    logger.warn(
      `plugin ${key} finished starting ${Math.round(elapsedMs)} ms after it began, past its timeout; shutting it down`,
      {
        event: 'plugin.late_startup',
        plugin: key,
        durationMs: Math.round(elapsedMs),
      },
    );
    runHook({
      pluginKey: key,
      phase: 'shutdown',
      timeoutMs: timeouts.shutdownMs,
      hook: (signal) => (instance as Hooks).shutdown?.(signal),
    }).catch((error: unknown) => {
      logger.error(`plugin ${key} failed to shut down after a late startup: ${messageOf(error)}`, {
        event: 'plugin.shutdown_failed',
        plugin: key,
      });
    });
  }

  // The deactivation hook: shuts down the live instance under its timeout; never rejects.
  private deactivate(key: string, instance: unknown): void | Promise<void> {
    const record = this.catalog().get(key);
    if (record === undefined || record.state !== 'active' || record.instance !== instance) return;
    const { logger, timeouts, now } = this.options;
    const began = now();
    return runHook({
      pluginKey: key,
      phase: 'shutdown',
      timeoutMs: timeouts.shutdownMs,
      hook: (signal) => (instance as Hooks).shutdown?.(signal),
    })
      .then(
        () => {
          record.stopOutcome = {};
          logger.info(`stopped plugin ${key}`, {
            event: 'plugin.stopped',
            plugin: key,
            durationMs: Math.round(now() - began),
          });
        },
        (error: unknown) => {
          record.stopOutcome = { error: new PluginShutdownError(key, error) };
          logger.error(`plugin ${key} failed to shut down: ${messageOf(error)}`, {
            event: 'plugin.shutdown_failed',
            plugin: key,
            durationMs: Math.round(now() - began),
          });
        },
      )
      .finally(() => {
        record.state = 'stopped';
        record.instance = undefined;
        record.serviceId = undefined;
      });
  }

  private async discard(serviceId: symbol): Promise<void> {
    try {
      await this.options.container.unbindAsync(serviceId);
    } catch (error) {
      // A binding the container refuses to drop is unreachable anyway: each attempt has a fresh id.
      this.options.logger.debug(`could not unbind a failed start attempt: ${messageOf(error)}`, {
        event: 'plugin.unbind_failed',
      });
    }
  }
}
