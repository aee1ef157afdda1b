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

/** What a new scan of the root found, against the plugins discovered before; nothing applied yet. */
export interface Rescan {
  /** Entries of plugins not known before. */
  readonly added: readonly PluginEntry[];
  /** Discovered plugins whose package no longer announces them. */
  readonly removed: readonly PluginRecord[];
  /** Discovered plugins whose package changed (its version, folder or entry point), with the new entry. */
  readonly updated: readonly (readonly [PluginRecord, PluginEntry])[];
  /** The scan's report, to keep once the changes are applied. */
  readonly report: Omit<DiscoveryReport, 'found'>;
}

/**
 * How plugins come in: discovery (once, every entry of every package) and registration by hand. Both add
 * one record per key to the registry's value; a key already known is refused (registration) or reported
 * (discovery).
 */
export class PluginIntake {
  private records = 0;
  /** Entries taken in by a refresh are imported anew: each as the next generation. */
  private generation = 0;

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

  /**
   * Scans the root again and says what changed against the discovered plugins (a plugin registered by hand
   * is never removed, and a package announcing its key is reported as PLUGIN_DUPLICATE as before).
   */
  rescan(): Rescan {
    const { rootDir, files } = this.options;
    const catalog = this.state.catalog;
    const result = discoverPlugins(rootDir, {
      ...(files === undefined ? {} : { files }),
      isTaken: (key) =>
        catalog.get(key)?.entry === undefined && catalog.hasKey(key) ? 'a plugin registered by hand' : undefined,
      libraries: ownLibraryCopies(),
    });
    const seen = new Set<string>();
    const added: PluginEntry[] = [];
    const updated: [PluginRecord, PluginEntry][] = [];
    for (const entry of result.entries) {
      seen.add(entry.key);
      const record = catalog.get(entry.key);
      if (record === undefined) added.push(entry);
      else if (record.entry !== undefined && changed(record.entry, entry)) updated.push([record, entry]);
    }
    // A package caught half-written (its package.json unreadable or invalid mid-install) keeps its plugins
    // as they are until a later scan reads it.
    const unreadable = new Set(
      result.issues.filter((issue) => issue.code.startsWith('PACKAGE_')).map((issue) => issue.path),
    );
    const removed = catalog
      .all()
      .filter(
        (record) => record.entry !== undefined && !seen.has(record.key) && !unreadable.has(record.entry.manifestPath),
      );
    return {
      added,
      removed,
      updated,
      report: { issues: result.issues, packagesScanned: result.packagesScanned },
    };
  }

  /** Takes in an entry a refresh found, to be imported anew. */
  take(entry: PluginEntry): PluginRecord {
    const { key, type, name } = entry;
    return this.add({ key, type, name, entry: { ...entry, generation: ++this.generation } }, 'discovered');
  }

  /**
   * Takes a plugin out of the registry's value (a snapshot taken before keeps it). The removal changes the
   * planner's basis, so every resolution is made again.
   */
  drop(record: PluginRecord): void {
    this.state.remove(record);
  }

  /** Puts back a plugin taken out (a refresh rolling back an update). */
  putBack(record: PluginRecord): void {
    this.state.catalog.add(record);
    this.parts.added(record);
  }

  /** Keeps what a refresh's scan found as the discovery report, once its changes are applied. */
  rediscovered(report: Rescan['report']): void {
    const found = this.state.catalog
      .all()
      .filter((record) => record.entry !== undefined)
      .map((record) => this.parts.info(record));
    this.state.current.discovery = { found, ...report };
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

// Whether a package's entry changed in a way that means other code: its version, folder or entry point.
function changed(before: PluginEntry, after: PluginEntry): boolean {
  return (
    before.packageVersion !== after.packageVersion ||
    before.packageDir !== after.packageDir ||
    before.modulePath !== after.modulePath ||
    before.exportName !== after.exportName ||
    before.esm !== after.esm
  );
}
