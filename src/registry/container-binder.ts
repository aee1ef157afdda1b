import { Container } from 'inversify';
import { PluginError, PluginNotFoundError } from '../errors';
import type { PluginRecord } from '../lifecycle/plugin-life';
import { parsePluginKey, type PluginType } from '../plugin-type';
import type { RegistryState } from './registry-state';
import {
  asOwnChange,
  enableLiveLookup,
  inSynchronousResolution,
  trackSynchronousResolution,
} from './synchronous-resolution';
import { defaultPluginKey } from './type-defaults';

/**
 * Makes the Inversify container agree with the registry's value: each plugin bound under its type and
 * named by its name (`@inject(type) @named(name)`), and once per type what a bare `@inject(type)` gets.
 * A binding hands out the live instance; for `getAsync`, a promise that starts the plugin first; for a
 * synchronous `get` of a plugin that is not live, through this container or any child of it, it throws
 * PLUGIN_NOT_LIVE and starts nothing.
 */
export class ContainerBinder {
  private made?: Container;
  /**
   * The keys bound by name and the types bound by default, so that a key known again (a plugin replaced by a
   * new version, or removed and installed again) keeps its one binding: a binding finds its plugin by key
   * when it resolves. Saved with each snapshot.
   */
  private bound = { keys: new Set<string>(), types: new Set<PluginType>() };
  private readonly saved: { sentinel: symbol; keys: Set<string>; types: Set<PluginType> }[] = [];

  constructor(
    given: Container | undefined,
    private readonly state: RegistryState,
    /** Starts a plugin (registry.get). */
    private readonly start: (type: PluginType, name: string) => Promise<unknown>,
    /** Whether a plugin is being constructed: then the plugins it injects must already be live. */
    private readonly constructing: () => boolean,
  ) {
    if (given !== undefined) this.take(given);
  }

  /**
   * The container: the one given, or one made on first use. Until then plugins are only recorded, so that
   * discovering, checking or ordering plugins never pays for bindings; whichever way the container is first
   * reached, it already holds every plugin known.
   */
  get container(): Container {
    return this.made ?? this.take(new Container(), true);
  }

  /** Binds a plugin just added, once the container is made. */
  added(record: PluginRecord): void {
    const { made } = this;
    if (made !== undefined) asOwnChange(() => this.bind(made, record));
  }

  /** Saves the container's bindings; returns the sentinel that marks the snapshot. */
  snapshot(): symbol {
    const sentinel = Symbol('floe-core snapshot');
    const container = this.container;
    asOwnChange(() => {
      container.snapshot();
      container.bind(sentinel).toConstantValue(true);
    });
    this.saved.push({ sentinel, keys: new Set(this.bound.keys), types: new Set(this.bound.types) });
    return sentinel;
  }

  /** Undoes the container's changes since the snapshot `sentinel` marks, also those of snapshots taken after it. */
  restore(sentinel: symbol): void {
    const container = this.container;
    asOwnChange(() => {
      while (container.isBound(sentinel)) container.restore();
    });
    const at = this.saved.findIndex((saved) => saved.sentinel === sentinel);
    if (at >= 0) {
      const { keys, types } = this.saved[at];
      this.bound = { keys, types };
      this.saved.length = at;
    }
  }

  /**
   * Takes a container into use: every plugin known so far is bound in it, in the order they were added. A
   * container the registry made itself also gets the short way to live plugins (see enableLiveLookup).
   */
  private take(container: Container, made = false): Container {
    this.made = container;
    trackSynchronousResolution(container);
    if (made) {
      const { state } = this;
      enableLiveLookup(container, (type, name) => {
        const life = state.catalog.find(type as PluginType, name as string)?.life;
        return life?.state === 'active' ? life.instance : undefined;
      });
    }
    for (const record of this.state.catalog.inAddedOrder()) asOwnChange(() => this.bind(container, record));
    return container;
  }

  // Binds a plugin by name, and for the first plugin of a type also what a bare `@inject(type)` gets.
  private bind(container: Container, record: PluginRecord): void {
    const { key, type, name } = record;
    if (this.bound.keys.has(key)) return;
    this.bound.keys.add(key);
    container
      .bind(type)
      .toDynamicValue(() => this.resolve(key))
      .whenNamed(name);
    if (!this.bound.types.has(type)) {
      this.bound.types.add(type);
      const { state } = this;
      container
        .bind(type)
        .toDynamicValue(() => this.resolve(defaultPluginKey(state.catalog, type, state.current.defaults[type])))
        .whenDefault();
    }
  }

  // What a binding hands out: the live instance, or (for getAsync) a promise while it starts.
  private resolve(key: string): unknown {
    const record = this.state.catalog.get(key);
    if (record === undefined) {
      const { type, name } = parsePluginKey(key);
      throw new PluginNotFoundError(type, name);
    }
    if (record.life.state === 'active') return record.life.instance;
    if (this.constructing()) {
      throw new PluginError(
        'PLUGIN_NOT_LIVE',
        `Plugin ${key} is not live (it is ${record.life.state}), so the plugin being built cannot inject it. ` +
          'The plugins a plugin injects start before it; this one changed while it started (a default or an override). Start it again.',
      );
    }
    if (inSynchronousResolution()) {
      throw new PluginError(
        'PLUGIN_NOT_LIVE',
        `Plugin ${key} is not live (it is ${record.life.state}), so a synchronous container.get() cannot provide it, and nothing was started. ` +
          'Use await container.getAsync(...) to start it on demand, or start plugins first with await registry.startAll() (or registry.get()).',
      );
    }
    return this.start(record.type, record.name);
  }
}
