import type { PlatformConfig } from '../config/platform-config';
import { PlatformConfigError, type PlatformConfigProblem } from '../config/platform-config-error';
import { toJsonValue } from '../json-value';
import type { PluginRecord } from '../lifecycle/plugin-life';
import type { StartupReport } from '../lifecycle/reports';
import { parsePluginKey, type PluginType } from '../plugin-type';
import type { Accepted, PluginSettings, Restart, SettingsUpdate } from './plugin-settings';
import { refuseIfLive, refuseIfMoving, type AppliedConfig, type RegistryState } from './registry-state';
import type { LiveConfigReport } from './reports';

/** What applying a platform config in part did: the settings it stored, and what it refused. */
export interface PartialConfigReport {
  /** The validated settings of every plugin it stored them for (`undefined` for a plugin without schema). */
  readonly applied: Record<string, object | undefined>;
  /** Every plugin (or default) it refused, with its error; a refused plugin fails to start with that error. */
  readonly problems: readonly PlatformConfigProblem[];
}

/** What applying a config needs besides the registry's value and its settings. */
export interface ConfigParts {
  /** Brings changed settings live (the lifecycle's restart operation). */
  readonly restart: Restart;
  /** Starts every expected plugin that is not live (after a live change); `undefined` when there is none. */
  heal(): Promise<StartupReport> | undefined;
}

/**
 * Applies a platform configuration (a file's `plugins` and `defaults`) to the registry: all or nothing
 * (`apply`), in part (`applyPartial`: what `floe serve` and `floe doctor` do, so that one bad section fails
 * one plugin), or live (`applyLive`: the file is the whole desired state; what it no longer lists returns to
 * its defaults, live plugins restart, and then every expected plugin that is not live is started again).
 */
export class ConfigApplication {
  constructor(
    private readonly state: RegistryState,
    private readonly settings: PluginSettings,
    private readonly parts: ConfigParts,
  ) {}

  /**
   * Applies a configuration to plugins that are not live, all or nothing.
   *
   * @throws PlatformConfigError with every plugin's problem.
   */
  apply(config: PlatformConfig): Promise<Record<string, object | undefined>> {
    const { settings } = this;
    const targets = settings.targetsOf(config, refuseIfLive);
    const value = this.state.current;
    const earlier = settings.earlier(targets);
    const work = settings.check(config, targets).then(async ({ accepted, problems }) => {
      if (problems.length > 0) throw new PlatformConfigError(problems, config.source, config.locations);
      await earlier;
      settings.store(value, { accepted, defaults: config.defaults, config: heldBy(config) });
      return appliedOf(accepted);
    });
    for (const { record } of targets) if (record !== undefined) settings.track(record.key, work);
    return work;
  }

  /**
   * Applies what is valid in a configuration to plugins that are not live: the valid settings are stored,
   * a plugin whose settings are refused (or that is live) is marked so that it fails to start with its
   * error (PLUGIN_CONFIG_INVALID) until valid settings are applied, and a default naming an unknown plugin
   * is left out. Never rejects for a problem of the config: it reports them.
   */
  applyPartial(config: PlatformConfig): Promise<PartialConfigReport> {
    const { settings } = this;
    const targets = settings.targetsOf(config, refuseIfLive);
    const value = this.state.current;
    const earlier = settings.earlier(targets);
    const work = settings.check(config, targets).then(async ({ accepted, problems }) => {
      await earlier;
      const invalid = new Map<PluginRecord, unknown>();
      for (const { key, record } of targets) {
        const problem = problems.find((p) => p.pluginKey === key);
        if (record !== undefined && problem !== undefined && !isLive(record)) invalid.set(record, problem.error);
      }
      const defaults = Object.fromEntries(
        Object.entries(config.defaults).filter(([type, name]) => value.catalog.find(type as PluginType, name)),
      );
      settings.store(value, { accepted, invalid, defaults, config: heldBy(config) });
      return { applied: appliedOf(accepted), problems };
    });
    for (const { record } of targets) if (record !== undefined) settings.track(record.key, work);
    return work;
  }

  /**
   * Applies a configuration live, all or nothing, as the whole desired state: live plugins whose settings
   * differ from those they were built with restart with their live dependents (rolled back together if any
   * fails to start); a plugin the last applied config listed and this one does not returns to its defaults,
   * and a default it no longer names returns to the registry options' default (or to none). Once applied,
   * every expected plugin that is not live is started again, so fixing a bad setting heals the platform.
   *
   * @throws PlatformConfigError (nothing changed).
   */
  applyLive(config: PlatformConfig): Promise<LiveConfigReport> {
    const { settings, parts } = this;
    const targets = settings.targetsOf(config, refuseIfMoving);
    const value = this.state.current;
    const held = heldBy(config);
    const previous = value.lastConfig;
    // What the last config listed and this one does not: back to defaults.
    const reset = [...(previous?.plugins ?? [])]
      .filter((key) => !held.plugins.has(key))
      .flatMap((key) => {
        const record = value.catalog.get(key);
        return record === undefined || record.life.state === 'starting' || record.life.state === 'stopping'
          ? []
          : [record];
      });
    const resetDefaults = [...(previous?.defaults ?? [])].filter((type) => !held.defaults.has(type));
    const earlier = settings.earlier(targets);
    let accepted: Accepted = new Map();
    const defaultsOf = new Map<PluginRecord, object | undefined>();
    // A plugin back to its defaults stores them, as a start would: what it runs with is what getConfig says.
    const update = (): SettingsUpdate => ({
      accepted: new Map([...defaultsOf, ...accepted]),
      reset,
      defaults: config.defaults,
      resetDefaults,
      config: held,
    });
    const restarted = parts.restart({
      validate: async () => {
        await earlier;
        const { accepted: valid, problems } = await settings.check(config, targets);
        if (problems.length > 0) throw new PlatformConfigError(problems, config.source, config.locations);
        accepted = valid;
        for (const record of reset) defaultsOf.set(record, await settings.validate(record, {}));
      },
      changed: (live) =>
        [...accepted, ...defaultsOf]
          .filter(([record, next]) => live.isLive(record) && !sameSettings(live.settingsOf(record), next))
          .map(([record]) => record),
      all: () => value.catalog.all(),
      commit: () => settings.store(value, update()),
    });
    return restarted.then(async (report) => {
      const healed = report.rolledBack ? undefined : await parts.heal();
      return {
        ...report,
        ok: report.ok && (healed === undefined || healed.ok),
        failed: [...report.failed, ...(healed?.failed ?? [])],
        started: healed?.started ?? [],
        applied: appliedOf(accepted),
      };
    });
  }
}

/** What a config lists: its plugin keys and the types it names a default for. */
function heldBy(config: PlatformConfig): AppliedConfig {
  return {
    plugins: new Set(
      Object.keys(config.plugins).flatMap((key) => {
        try {
          const { type, name } = parsePluginKey(key);
          return [`${type}:${name}`];
        } catch {
          return [];
        }
      }),
    ),
    defaults: new Set(Object.keys(config.defaults) as PluginType[]),
  };
}

function isLive(record: PluginRecord): boolean {
  return record.life.state === 'active';
}

function appliedOf(accepted: Accepted): Record<string, object | undefined> {
  return Object.fromEntries([...accepted].map(([record, value]) => [record.key, value]));
}

/** Whether two validated configurations hold the same settings (key order aside). */
function sameSettings(a: object | undefined, b: object | undefined): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  return JSON.stringify(toJsonValue(value), (_key, item: unknown) =>
    typeof item === 'object' && item !== null && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : item,
  );
}
