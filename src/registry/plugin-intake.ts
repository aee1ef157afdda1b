import { discoverPlugins } from '../discovery/discover-plugins';
import { ownLibraryCopies } from '../discovery/library-copies';
import type { PluginEntry } from '../discovery/plugin-entry';
import { DuplicatePluginError, PluginIncompatibleError } from '../errors';
import type { PluginInfo, PluginLife, PluginRecord } from '../lifecycle/plugin-life';
import { logs } from '../logging';
import { requireInjectableConstructor } from '../ordering/injected-plugins';
import { requirePluginOptions, type PluginClass } from '../plugin/floe-plugin';
import { pluginKey } from '../plugin-type';
import { endSpan, startSpan } from '../tracing';
import { isCompatible } from '../version';
import type { ResolvedOptions } from './registry-options';
import type { RegistryState } from './registry-state';
import type { DiscoveryReport } from './reports';

/** What taking a plugin in tells the other parts. */
export interface IntakeParts {
  /** A new record's life, from the lifecycle. */
  create(cls?: PluginClass): PluginLife;
  info(record: PluginRecord): PluginInfo;
  /** Told after a record is in the catalog: the planner and the container binder. */
  added(record: PluginRecord): void;
}

/**
 * How plugins come in: discovery (once, every entry of every package) and registration by hand. Both add
 * one record per key to the registry's value; a key already known is refused (registration) or reported
 * (discovery).
 */
export class PluginIntake {
  private records = 0;

  constructor(
    private readonly options: ResolvedOptions,
    private readonly state: RegistryState,
    private readonly parts: IntakeParts,
  ) {}

  /**
   * Scans the project's package.json and every package in its node_modules for `floe.plugins` entries,
   * once; later calls return the same report. Nothing is imported; problems become issues and warnings.
   */
  discoverAll(): DiscoveryReport {
    const value = this.state.current;
    if (value.discovery !== undefined) return value.discovery;
    const { now, logger, rootDir, files } = this.options;
    const began = now();
    const span = startSpan('floe.discover', { 'floe.root': rootDir });
    const result = discoverPlugins(rootDir, {
      ...(files === undefined ? {} : { files }),
      isTaken: (key) => (this.state.catalog.hasKey(key) ? 'a plugin registered by hand' : undefined),
      libraries: ownLibraryCopies(),
    });
    const found = result.entries.map((entry) =>
      this.parts.info(this.add({ key: entry.key, type: entry.type, name: entry.name, entry }, 'discovered')),
    );
    for (const issue of result.issues) {
      logger.warn(issue.message, {
        event: 'discovery.issue',
        code: issue.code,
        package: issue.packageName,
        path: issue.path,
      });
    }
    for (const note of result.notes)
      if (logs(logger, 'debug'))
        logger.debug(`skipped ${note.dir}: ${note.detail}`, { event: 'discovery.skipped', path: note.dir });
    value.discovery = { found, issues: result.issues, packagesScanned: result.packagesScanned };
    span.setAttribute('floe.plugins', found.length);
    span.setAttribute('floe.issues', result.issues.length);
    endSpan(span);
    if (logs(logger, 'info'))
      logger.info(`discovered ${result.entries.length} plugins in ${result.packagesScanned} packages`, {
        event: 'discovery.done',
        durationMs: Math.round(now() - began),
        issues: result.issues.length,
      });
    return value.discovery;
  }

  /**
   * Registers a decorated plugin class by hand.
   *
   * @throws InvalidPluginError for an undecorated class or a constructor parameter the container cannot
   *   fill; DuplicatePluginError for a known key; PluginIncompatibleError for an incompatible apiVersion.
   */
  register(cls: PluginClass): PluginInfo {
    const options = requirePluginOptions(cls, 'register()');
    const key = pluginKey(options.type, options.name);
    const existing = this.state.catalog.get(key);
    if (existing !== undefined) {
      throw new DuplicatePluginError(
        options.type,
        options.name,
        existing.entry === undefined
          ? 'already registered'
          : `already provided by package ${existing.entry.packageName}`,
      );
    }
    if (!isCompatible(options.apiVersion, this.options.apiVersion)) {
      throw new PluginIncompatibleError(options.name, options.apiVersion, this.options.apiVersion);
    }
    requireInjectableConstructor(cls, `plugin ${key}`);
    return this.parts.info(this.add({ key, type: options.type, name: options.name }, 'registered', cls));
  }

  private add(
    identity: Pick<PluginRecord, 'key' | 'type' | 'name'> & { entry?: PluginEntry },
    source: PluginRecord['source'],
    cls?: PluginClass,
  ): PluginRecord {
    const record: PluginRecord = {
      key: identity.key,
      type: identity.type,
      name: identity.name,
      source,
      ...(identity.entry === undefined ? {} : { entry: identity.entry }),
      index: this.records++,
      life: this.parts.create(cls),
    };
    this.state.catalog.add(record);
    this.parts.added(record);
    return record;
  }
}
