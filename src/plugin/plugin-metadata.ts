import { healthy, type HealthStatus } from '../health';
import type { PluginType } from '../plugin-type';
import { requirePluginOptions, type ConfigSchema, type FloePluginOptions } from './floe-plugin';

/**
 * The base of every plugin: metadata read from `@FloePlugin`, and lifecycle hooks that do nothing by default.
 * Each hook receives an AbortSignal that aborts when the hook's time is up; a hook may return a Promise.
 */
export abstract class PluginMetadata {
  /** The plugin's type, from the decorator. */
  get type(): PluginType {
    return optionsOf(this).type;
  }

  /** The plugin's name, from the decorator. */
  get name(): string {
    return optionsOf(this).name;
  }

  /** The plugin's own release, from the decorator. */
  get version(): string {
    return optionsOf(this).version;
  }

  /** The plugin API the plugin was built for, from the decorator. */
  get apiVersion(): string {
    return optionsOf(this).apiVersion;
  }

  /** A one-line description, `''` when the decorator gives none. */
  get description(): string {
    return optionsOf(this).description ?? '';
  }

  /** The plugins this one needs live first, as declared; `[]` by default. */
  get dependsOn(): readonly string[] {
    return optionsOf(this).dependsOn ?? [];
  }

  /** The class that validates this plugin's configuration: the decorator's `configSchema`, else `undefined`. */
  getConfigSchema(): ConfigSchema | undefined {
    return optionsOf(this).configSchema;
  }

  /** Called once when the plugin goes live, after every plugin it depends on; stop work when `signal` aborts. */
  startup(signal: AbortSignal): void | Promise<void> {
    void signal;
  }

  /** Called once when the platform stops, before any plugin it depends on; stop work when `signal` aborts. */
  shutdown(signal: AbortSignal): void | Promise<void> {
    void signal;
  }

  /** Reports the plugin's health; Healthy with an empty message and details by default. */
  healthCheck(signal: AbortSignal): HealthStatus | Promise<HealthStatus> {
    void signal;
    return healthy();
  }
}

function optionsOf(plugin: PluginMetadata): FloePluginOptions {
  return requirePluginOptions(plugin.constructor, 'PluginMetadata');
}
