import { InvalidPluginError, PluginError, PluginNotFoundError } from '../errors';
import type { PluginRecord } from '../lifecycle/plugin-life';
import type { BuildTarget } from '../lifecycle/plugin-starter';
import { getPluginOptions, type PluginClass } from '../plugin/floe-plugin';
import { parsePluginKey, type PluginType } from '../plugin-type';
import { PluginCatalog } from './plugin-catalog';
import type { DiscoveryReport } from './reports';

/**
 * Settings still being validated when they were given (createTestRegistry's config): shared by the value
 * and every copy of it, so that a snapshot taken meanwhile holds them too once they are ready.
 */
export class PendingSettings {
  settings?: object;
  constructor(readonly ready: Promise<void>) {}
}

/**
 * Settings a platform config gave a plugin that did not validate (applied in part, as `floe serve` does):
 * the plugin fails to start with their error, and its dependents are skipped, until valid ones are applied.
 */
export class InvalidSettings {
  constructor(readonly error: unknown) {}
}

/** One plugin's stored settings. */
export type SettingsEntry = object | PendingSettings | InvalidSettings;

/** What the last platform config applied held: a live one tells from it what was removed. */
export interface AppliedConfig {
  readonly plugins: ReadonlySet<string>;
  readonly defaults: ReadonlySet<PluginType>;
}

/**
 * The registry's data as one value: the plugins (catalog entries), their settings, the test doubles standing
 * in for them, the default plugin of each type, and what discovery found. A snapshot is a copy of it; a
 * restore puts a copy back whole. The catalog grows and the settings change in place; defaults and
 * overrides are replaced on every change, so that a copy shares them safely and a change is seen by its
 * identity.
 */
export class RegistryValue {
  constructor(
    readonly catalog: PluginCatalog = new PluginCatalog(),
    readonly settings: Map<string, SettingsEntry> = new Map(),
    public defaults: Readonly<Partial<Record<PluginType, string>>> = {},
    public overrides: ReadonlyMap<PluginRecord, BuildTarget> = new Map(),
    public discovery?: DiscoveryReport,
    public lastConfig?: AppliedConfig,
  ) {}

  /** A copy that changes independently of this one. */
  copy(): RegistryValue {
    return new RegistryValue(
      this.catalog.copy(),
      new Map(this.settings),
      this.defaults,
      this.overrides,
      this.discovery,
      this.lastConfig,
    );
  }

  /**
   * A plugin's validated settings; `undefined` when none are stored, they are still being validated, or
   * the ones given did not validate.
   */
  settingsOf(key: string): object | undefined {
    const entry = this.settings.get(key);
    if (entry instanceof InvalidSettings) return undefined;
    return entry instanceof PendingSettings ? entry.settings : entry;
  }
}

/** What the dependency planner's resolutions were made under: a new one whenever a reference may mean something else. */
export interface Basis {
  readonly value: RegistryValue;
  readonly defaults: RegistryValue['defaults'];
  readonly overrides: RegistryValue['overrides'];
  /** How many plugins had been taken out (a refresh): a key may then mean another record, or none. */
  readonly removals: number;
}

/**
 * Owns the registry's one value (see RegistryValue): the only part that replaces it, and the one that
 * answers which plugin a key or a type means.
 */
export class RegistryState {
  private value: RegistryValue;
  private memo?: Basis;
  private removals = 0;

  /** @param optionDefaults - the registry options' defaults: a default a config removes falls back to these. */
  constructor(readonly optionDefaults: Readonly<Partial<Record<PluginType, string>>>) {
    this.value = new RegistryValue(undefined, undefined, Object.freeze({ ...optionDefaults }));
  }

  /** The value now. Work that began under an earlier value keeps writing to that one, which a restore dropped. */
  get current(): RegistryValue {
    return this.value;
  }

  get catalog(): PluginCatalog {
    return this.value.catalog;
  }

  /** A copy of the value, for a snapshot. */
  save(): RegistryValue {
    return this.value.copy();
  }

  /** Puts a saved value back in place of the current one. */
  swap(value: RegistryValue): void {
    this.value = value;
  }

  /**
   * Derived from the value: changes identity exactly when a restore, a default or an override changed, or a
   * plugin was taken out.
   */
  basis(): Basis {
    const { value, memo, removals } = this;
    if (
      memo !== undefined &&
      memo.value === value &&
      memo.defaults === value.defaults &&
      memo.overrides === value.overrides &&
      memo.removals === removals
    )
      return memo;
    this.memo = { value, defaults: value.defaults, overrides: value.overrides, removals };
    return this.memo;
  }

  /** Takes a plugin out of the catalog (a refresh): every resolution made before is made again. */
  remove(record: PluginRecord): void {
    this.value.catalog.remove(record);
    this.removals++;
  }

  /** @throws PluginNotFoundError naming the known plugins of the type. */
  require(type: PluginType, name: string): PluginRecord {
    const record = this.value.catalog.find(type, name);
    if (record === undefined)
      throw new PluginNotFoundError(
        type,
        name,
        this.value.catalog.ofType(type).map((r) => r.name),
      );
    return record;
  }

  /** The records of the given keys, or every plugin when none are given. @throws PluginNotFoundError. */
  recordsOf(keys: readonly string[] | undefined): readonly PluginRecord[] {
    if (keys === undefined) return this.value.catalog.all();
    return keys.map((key) => {
      const { type, name } = parsePluginKey(key);
      return this.require(type, name);
    });
  }

  /** Makes a plugin what a bare `@inject(type)` gets. @throws PluginNotFoundError. */
  setDefault(type: PluginType, name: string): void {
    this.require(type, name);
    this.setDefaults({ [type]: name });
  }

  /** Merges defaults in (a platform config's). */
  setDefaults(defaults: Partial<Record<PluginType, string>>, into: RegistryValue = this.value): void {
    into.defaults = Object.freeze({ ...into.defaults, ...defaults });
  }

  /**
   * Puts `replacement` in place of a plugin until the matching restore.
   *
   * @throws PluginNotFoundError; PLUGIN_ALREADY_ACTIVE while it is starting, live or stopping;
   *   InvalidPluginError for a replacement that is neither a class nor an object.
   */
  override(type: PluginType, name: string, replacement: PluginClass | object): void {
    const record = this.require(type, name);
    refuseIfLive(record);
    let target: BuildTarget;
    if (typeof replacement === 'function') target = { cls: replacement as PluginClass };
    else if (typeof replacement === 'object' && replacement !== null) target = { instance: replacement };
    else throw new InvalidPluginError(`override of ${record.key}: the replacement must be a class or an object.`);
    const overrides = new Map(this.value.overrides);
    overrides.set(record, target);
    this.value.overrides = overrides;
  }

  /** What stands in for a plugin, if anything. */
  replacementOf(record: PluginRecord): BuildTarget | undefined {
    return this.value.overrides.get(record);
  }

  /**
   * What a plugin declares it needs, from what stands in for it if anything, else from its loaded class;
   * `undefined` while its class is not loaded.
   */
  definitionOf(record: PluginRecord): { dependsOn: readonly string[]; cls?: unknown } | undefined {
    const replacement = this.value.overrides.get(record);
    if (replacement !== undefined)
      return 'cls' in replacement
        ? { dependsOn: getPluginOptions(replacement.cls)?.dependsOn ?? [], cls: replacement.cls }
        : { dependsOn: [] };
    const options = record.life.options;
    return options === undefined ? undefined : { dependsOn: options.dependsOn ?? [], cls: record.life.cls };
  }
}

/** A plugin starting, live or stopping keeps its settings and what it is built from. */
export function refuseIfLive(record: PluginRecord): void {
  const state = record.life.state;
  if (state === 'starting' || state === 'active' || state === 'stopping') {
    throw new PluginError(
      'PLUGIN_ALREADY_ACTIVE',
      `Plugin ${record.key} is ${state}; its configuration is fixed while it runs. Configure plugins before their first use (get, startAll or injection).`,
    );
  }
}

/** A plugin on its way up or down cannot take new settings now, live or not. */
export function refuseIfMoving(record: PluginRecord): void {
  const state = record.life.state;
  if (state === 'starting' || state === 'stopping') {
    throw new PluginError(
      'PLUGIN_ALREADY_ACTIVE',
      `Plugin ${record.key} is ${state}; change its configuration once it is ${state === 'starting' ? 'live' : 'stopped'}.`,
    );
  }
}
