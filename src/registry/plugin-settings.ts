import type { PlatformConfig } from '../config/platform-config';
import { locateProblem, PlatformConfigError, type PlatformConfigProblem } from '../config/platform-config-error';
import { validateConfig } from '../config/validate-config';
import { PluginConfigurationError, PluginNotFoundError } from '../errors';
import type { PluginRecord } from '../lifecycle/plugin-life';
import type { SettingsChange } from '../lifecycle/restart-operation';
import type { ReconfigureReport } from '../lifecycle/reports';
import { parsePluginKey, pluginKey, type PluginType } from '../plugin-type';
import {
  InvalidSettings,
  PendingSettings,
  refuseIfLive,
  refuseIfMoving,
  type AppliedConfig,
  type RegistryState,
  type RegistryValue,
} from './registry-state';

/** One plugin's settings in a platform configuration, with the record or the reason it has none. */
export interface ConfigTarget {
  readonly key: string;
  readonly record?: PluginRecord;
  readonly raw: unknown;
  readonly error?: unknown;
}

/** Validated settings by plugin, `undefined` for a plugin without schema. */
export type Accepted = Map<PluginRecord, object | undefined>;

/** What validating a platform config found. */
export interface ConfigCheck {
  readonly accepted: Accepted;
  readonly problems: PlatformConfigProblem[];
}

/** A change to the stored settings, made at once (see `store`). */
export interface SettingsUpdate {
  /** Validated settings to store (`undefined`: a plugin without schema, nothing to store). */
  readonly accepted: Accepted;
  /** Settings that did not validate: the plugin fails to start with the error until valid ones come. */
  readonly invalid?: ReadonlyMap<PluginRecord, unknown>;
  /**
   * Plugins a config no longer lists: their settings are dropped first, so that what `accepted` holds for
   * them (their schema's defaults) is what remains.
   */
  readonly reset?: readonly PluginRecord[];
  readonly defaults: Partial<Record<PluginType, string>>;
  /** Types whose default goes back to the registry options' default, or to none. */
  readonly resetDefaults?: readonly PluginType[];
  /** What the config held, for the next live one to tell what it removed. */
  readonly config?: AppliedConfig;
}

/** Brings changed settings live: the lifecycle's restart operation. */
export type Restart = (change: SettingsChange) => Promise<ReconfigureReport>;

const settle = (): void => undefined;

/**
 * Turns raw settings into validated ones and stores them in the registry's value: `configure`, a platform
 * config (`apply`), and the settings a plugin is built with (`prepare`). Every write goes to the value that
 * was current when it was asked for, so a restore in between drops it. Starts of a plugin wait for the
 * configure work in flight for it, so that a plugin is never built with settings about to be replaced.
 */
export class PluginSettings {
  private readonly pending = new Map<string, Promise<void>>();
  /** Settings given at creation, still being validated: every start waits for them and fails with their error. */
  private staged?: Promise<void>;

  constructor(
    private readonly state: RegistryState,
    private readonly load: (record: PluginRecord) => Promise<unknown>,
  ) {}

  /** What every start waits for first (see `stage`); `undefined` when nothing is pending. */
  ready(): Promise<void> | undefined {
    return this.staged;
  }

  /**
   * Validates and stores one plugin's settings; a failure keeps the previous ones.
   *
   * @throws PluginConfigurationError; PLUGIN_ALREADY_ACTIVE (decided when called); PluginNotFoundError.
   */
  configure(type: PluginType, name: string, raw: unknown): Promise<object | undefined> {
    let record: PluginRecord;
    try {
      record = this.state.require(type, name);
      refuseIfLive(record);
    } catch (error) {
      return Promise.reject(error);
    }
    const value = this.state.current;
    const run = (this.pending.get(record.key) ?? Promise.resolve()).then(async () => {
      await this.load(record);
      const config = await this.validate(record, raw);
      if (config !== undefined) value.settings.set(record.key, config);
      return config;
    });
    this.track(record.key, run);
    return run;
  }

  /**
   * New settings for one plugin: on a live one through `restart`, else as `configure`.
   *
   * @throws PluginConfigurationError (nothing changed); PLUGIN_ALREADY_ACTIVE while it is starting or
   *   stopping; PluginNotFoundError.
   */
  async reconfigure(type: PluginType, name: string, raw: unknown, restart: Restart): Promise<ReconfigureReport> {
    const record = this.state.require(type, name);
    refuseIfMoving(record);
    if (record.life.state !== 'active') {
      await this.configure(type, name, raw);
      return { ok: true, restarted: [], rolledBack: false, failed: [] };
    }
    const value = this.state.current;
    let accepted: Accepted = new Map();
    return restart({
      validate: async () => {
        await this.load(record);
        accepted = new Map([[record, await this.validate(record, raw)]]);
      },
      changed: (live) => (live.isLive(record) ? [record] : []),
      all: () => value.catalog.all(),
      commit: () => this.store(value, { accepted, defaults: {} }),
    });
  }

  /**
   * Takes a platform config in at once, for createTestRegistry: its defaults (of known plugins) now, its
   * settings as entries validated in the background that snapshots taken meanwhile share. Every start
   * waits for them, and fails with their PlatformConfigError if any is invalid.
   */
  stage(config: PlatformConfig): void {
    const targets = this.targetsOf(config, refuseIfLive);
    const value = this.state.current;
    const known = Object.entries(config.defaults).filter(([type, name]) =>
      value.catalog.find(type as PluginType, name),
    );
    this.state.setDefaults(Object.fromEntries(known), value);
    const validation = this.check(config, targets).then(({ accepted, problems }) => {
      if (problems.length > 0) throw new PlatformConfigError(problems, config.source, config.locations);
      return accepted;
    });
    const entries = new Map<PluginRecord, PendingSettings>();
    for (const { record } of targets) {
      if (record === undefined) continue;
      const entry = new PendingSettings(validation.then(settle, settle));
      entries.set(record, entry);
      value.settings.set(record.key, entry);
    }
    this.staged = validation.then((accepted) => {
      for (const [record, settings] of accepted) {
        const entry = entries.get(record) as PendingSettings;
        if (settings === undefined) value.settings.delete(record.key);
        else entry.settings = settings;
      }
    });
    this.staged.catch(settle);
  }

  /**
   * The settings a plugin is built with: after the configure work in flight for it, its stored settings,
   * else its schema's defaults (stored then). The settings themselves when nothing is to be waited for.
   */
  prepare(record: PluginRecord): object | undefined | Promise<object | undefined> {
    const value = this.state.current;
    const inFlight = this.pending.get(record.key);
    const entry = value.settings.get(record.key);
    if (inFlight === undefined && !(entry instanceof PendingSettings)) {
      if (entry instanceof InvalidSettings) return Promise.reject(entry.error);
      if (entry !== undefined || record.life.options?.configSchema === undefined) return entry;
    }
    return (async () => {
      await inFlight;
      const staged = value.settings.get(record.key);
      if (staged instanceof PendingSettings) await staged.ready;
      if (staged instanceof InvalidSettings) throw staged.error;
      const stored = value.settingsOf(record.key);
      if (stored !== undefined || record.life.options?.configSchema === undefined) return stored;
      const defaults = (await this.validate(record, {})) as object;
      if (!value.settings.has(record.key)) value.settings.set(record.key, defaults);
      return value.settingsOf(record.key);
    })();
  }

  /**
   * Validates raw settings against the plugin's schema (loaded).
   *
   * @throws PluginConfigurationError; also for settings given to a plugin without schema.
   */
  async validate(record: PluginRecord, raw: unknown): Promise<object | undefined> {
    const schema = record.life.options?.configSchema;
    if (schema !== undefined) return validateConfig(schema, raw, { name: record.name, key: record.key });
    if (raw === undefined || isEmptyObject(raw)) return undefined;
    throw new PluginConfigurationError(
      record.name,
      [
        {
          path: '',
          constraint: 'noConfigSchema',
          message: `plugin ${record.key} takes no settings (it declares no configSchema); remove them`,
        },
      ],
      record.key,
    );
  }

  /** Each plugin of a config with its record, or the reason it cannot be configured (decided now). */
  targetsOf(config: PlatformConfig, refuse: (record: PluginRecord) => void): ConfigTarget[] {
    const targets: ConfigTarget[] = [];
    for (const [key, raw] of Object.entries(config.plugins)) {
      try {
        const { type, name } = parsePluginKey(key);
        const record = this.state.require(type, name);
        refuse(record);
        targets.push({ key, record, raw });
      } catch (error) {
        targets.push({ key, raw, error });
      }
    }
    return targets;
  }

  /** What storing settings must wait for: the configure calls already in flight for the same plugins. */
  earlier(targets: readonly ConfigTarget[]): Promise<unknown> {
    return Promise.all(targets.map(({ record }) => record && this.pending.get(record.key)));
  }

  /** Validates every target: the accepted settings, and every problem (a plugin's, or a default's). */
  async check(config: PlatformConfig, targets: readonly ConfigTarget[]): Promise<ConfigCheck> {
    const problems: PlatformConfigProblem[] = [];
    const accepted: Accepted = new Map();
    for (const { key, record, raw, error } of targets) {
      if (record === undefined) {
        problems.push(locateProblem({ pluginKey: key, error }, config));
        continue;
      }
      try {
        await this.load(record);
        accepted.set(record, await this.validate(record, raw));
      } catch (failure) {
        problems.push(locateProblem({ pluginKey: key, error: failure }, config));
      }
    }
    const catalog = this.state.catalog;
    for (const [type, name] of Object.entries(config.defaults) as [PluginType, string][]) {
      if (catalog.find(type, name) === undefined) {
        const error = new PluginNotFoundError(
          type,
          name,
          catalog.ofType(type).map((r) => r.name),
        );
        problems.push(locateProblem({ pluginKey: pluginKey(type, name), error }, config, { default: type }));
      }
    }
    return { accepted, problems };
  }

  /** Stores settings, defaults and what a config held in `value`; returns what puts the previous ones back. */
  store(value: RegistryValue, update: SettingsUpdate): () => void {
    const touched = [...update.accepted.keys(), ...(update.invalid?.keys() ?? []), ...(update.reset ?? [])].map(
      (record) => record.key,
    );
    const previous = touched.map((key) => [key, value.settings.get(key)] as const);
    const { defaults: previousDefaults, lastConfig: previousConfig } = value;
    for (const record of update.reset ?? []) value.settings.delete(record.key);
    for (const [record, settings] of update.accepted) {
      if (settings !== undefined) value.settings.set(record.key, settings);
      else if (value.settings.get(record.key) instanceof InvalidSettings) value.settings.delete(record.key);
    }
    for (const [record, error] of update.invalid ?? []) value.settings.set(record.key, new InvalidSettings(error));
    const defaults = { ...value.defaults, ...update.defaults };
    for (const type of update.resetDefaults ?? []) {
      const fallback = this.state.optionDefaults[type];
      if (fallback === undefined) delete defaults[type];
      else defaults[type] = fallback;
    }
    value.defaults = Object.freeze(defaults);
    if (update.config !== undefined) value.lastConfig = update.config;
    return () => {
      for (const [key, entry] of previous) {
        if (entry === undefined) value.settings.delete(key);
        else value.settings.set(key, entry);
      }
      value.defaults = previousDefaults;
      value.lastConfig = previousConfig;
    };
  }

  /** Makes starts of a plugin wait for `work` as well. */
  track(key: string, work: Promise<unknown>): void {
    const done = Promise.all([this.pending.get(key), work.then(settle, settle)]).then(settle);
    this.pending.set(key, done);
    void done.then(() => {
      if (this.pending.get(key) === done) this.pending.delete(key);
    });
  }
}

/** Each registry's settings part, for createTestRegistry (see `stageConfig`). */
export const settingsParts = new WeakMap<object, PluginSettings>();

/**
 * Takes a platform config into a registry at once (createTestRegistry): its defaults hold now, its settings
 * are validated in the background, and every start waits for them and fails with their error.
 */
export function stageConfig(registry: object, config: PlatformConfig): void {
  settingsParts.get(registry)?.stage(config);
}

function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}
