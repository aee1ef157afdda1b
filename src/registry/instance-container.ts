import { Container, type BindingIdentifier } from 'inversify';
import type { InstanceHooks } from '../lifecycle/plugin-lifecycle';
import type { BuildTarget, InstanceHost } from '../lifecycle/plugin-starter';
import type { PluginRecord } from '../lifecycle/plugin-life';
import type { PluginClass } from '../plugin/floe-plugin';
import { needsInjection } from '../ordering/injected-plugins';

/** The binding that builds one plugin whose class needs the container's injection; made once, then reused. */
interface ClassBinding {
  readonly id: symbol;
  /** What it builds now: the plugin's class, or the class standing in for it. */
  target: PluginClass;
  /** The configuration's binding (schemas may be shared, so it is removed by its own id). */
  config?: BindingIdentifier;
  /** The settings of the construction under way (one per plugin at a time), injected under its schema. */
  settings?: object;
}

/** An instance to release, and what its caller waits on. */
interface Release {
  readonly record: PluginRecord;
  readonly instance: unknown;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

const noop = () => undefined;

/** The build under way on the shared binding: it runs synchronously within `getAsync`. */
interface SharedBuild {
  readonly record: PluginRecord;
  readonly target: BuildTarget;
}

/**
 * Where plugin instances are built and released, in containers of the registry's own that stay out of the
 * application's way (and out of its container snapshots).
 *
 * Building goes through a container, and its activation hook runs startup. A class that injects nothing
 * (no constructor parameters, injected properties or lifecycle methods, as Inversify's metadata says) is
 * built by one binding shared by every plugin, in a container of its own, so that a live plugin costs the
 * container nothing and starting such plugins never makes (or binds) the application's container. A class
 * that injects is built in a child of the registry's container, with everything the application bound, by
 * a binding of its own, made on its first start and reused by the next.
 *
 * Releasing goes through the container too, and its deactivation hook runs shutdown: the instances asked
 * for in one turn (plugins whose dependents finished together) are bound as one constant under an id taken
 * from a small pool, handed out once (a constant's deactivation hook runs only for a value the container
 * handed out), and unbound; each binding costs Inversify a few kilobytes of bookkeeping, so one per turn
 * rather than one per plugin. The registry itself holds live instances, so the container holds none
 * between their start and their stop. Ids are reused because Inversify keeps a plan for every id it has
 * resolved, bound or not.
 */
export class InstanceContainer implements InstanceHost {
  /** Builds what injects nothing and releases everything: needs nothing the application bound. */
  private own?: Container;
  /** Builds what injects: a child of the registry's container. */
  private child?: Container;
  private readonly classBindings = new Map<PluginRecord, ClassBinding>();
  private readonly sharedId = Symbol('floe-core build');
  private shared?: SharedBuild;
  private sharedBound = false;
  private readonly freeReleaseIds: symbol[] = [];
  /** The releases asked for in the current turn, released together at its end. */
  private releasing?: Release[];
  private releaseIds = 0;
  /** getAsync calls building a plugin whose injections are being resolved (see `constructing`). */
  private injecting = 0;

  constructor(
    /** The registry's container, asked for only when the first instance is built. */
    private readonly parent: () => Container,
    private readonly hooks: InstanceHooks,
  ) {}

  // Made on first use: while a child container exists, every binding made in the parent also clears the
  // child's caches, which would make registering (or discovering) thousands of plugins cost twice as much.
  private get container(): Container {
    this.child ??= new Container({ parent: this.parent() });
    return this.child;
  }

  private get standalone(): Container {
    this.own ??= new Container();
    return this.own;
  }

  /**
   * Whether a plugin's injections are being resolved right now: the plugins it injects are its
   * dependencies, live before it is built, so a binding must not start one then (see ContainerBinder).
   */
  get constructing(): boolean {
    return this.injecting > 0;
  }

  build(record: PluginRecord, target: BuildTarget, settings: object | undefined): Promise<unknown> {
    if ('cls' in target && needsInjection(target.cls)) {
      const binding = this.classBinding(record, target.cls);
      binding.settings = settings;
      this.injecting++;
      try {
        return this.container.getAsync(binding.id);
      } finally {
        this.injecting--;
      }
    }
    const outer = this.shared;
    this.shared = { record, target };
    try {
      // Inversify calls a synchronous dynamic value, and its activation hook, before getAsync returns.
      return this.standalone.getAsync(this.sharedBuilder());
    } finally {
      this.shared = outer;
    }
  }

  release(record: PluginRecord, instance: unknown): Promise<void> {
    return new Promise((resolve, reject) => {
      let batch = this.releasing;
      if (batch === undefined) {
        const fresh: Release[] = [];
        batch = this.releasing = fresh;
        // A promise job, not queueMicrotask: test fake timers (Jest's among them) replace queueMicrotask.
        void Promise.resolve().then(() => {
          if (this.releasing === fresh) this.releasing = undefined;
          return this.releaseAll(fresh);
        });
      }
      batch.push({ record, instance, resolve, reject });
    });
  }

  // Releases what was asked for in one turn through one binding: its deactivation hook begins every
  // shutdown, and each release resolves as soon as its own has begun, not when the slowest one ends.
  private async releaseAll(batch: readonly Release[]): Promise<void> {
    const id = this.freeReleaseIds.pop() ?? Symbol(`floe-core release ${++this.releaseIds}`);
    let failure: { error: unknown } | undefined;
    try {
      this.standalone
        .bind(id)
        .toConstantValue(batch)
        .onDeactivation((held) =>
          Promise.all((held as readonly Release[]).map((item) => this.deactivate(item))).then(noop),
        );
      try {
        this.standalone.get(id);
      } finally {
        await this.standalone.unbindAsync(id);
      }
    } catch (error) {
      failure = { error };
    } finally {
      if (!this.standalone.isCurrentBound(id)) this.freeReleaseIds.push(id);
    }
    // Settles what the hook did not reach (a promise settles once, so the others are unaffected).
    for (const item of batch) {
      if (failure === undefined) item.resolve();
      else item.reject(failure.error);
    }
  }

  private deactivate(item: Release): Promise<void> | void {
    const shutdown = this.hooks.deactivated(item.record, item.instance);
    item.resolve();
    return shutdown;
  }

  /** Drops a plugin's own binding, if it has one (its record was removed); it must not be live. */
  async forget(record: PluginRecord): Promise<void> {
    const binding = this.classBindings.get(record);
    if (binding === undefined) return;
    this.classBindings.delete(record);
    await this.container.unbindAsync(binding.id);
    if (binding.config !== undefined) await this.container.unbindAsync(binding.config);
  }

  private sharedBuilder(): symbol {
    if (this.sharedBound) return this.sharedId;
    this.sharedBound = true;
    this.standalone
      .bind(this.sharedId)
      .toDynamicValue(() => {
        const { target } = this.current();
        return 'cls' in target ? new (target.cls as new () => unknown)() : target.instance;
      })
      .onActivation((_context, instance) => this.hooks.activated(this.current().record, instance) as unknown);
    return this.sharedId;
  }

  private current(): SharedBuild {
    if (this.shared === undefined) throw new Error('floe-core builds plugins only while starting them');
    return this.shared;
  }

  // Binds the class (and its configuration, for its constructor only) the first time, and again only when
  // the class changes (an override, or its restore).
  private classBinding(record: PluginRecord, cls: PluginClass): ClassBinding {
    let binding = this.classBindings.get(record);
    if (binding?.target === cls) return binding;
    if (binding === undefined) {
      binding = { id: Symbol(`build ${record.key}`), target: cls };
      this.classBindings.set(record, binding);
    } else {
      this.container.unbind(binding.id);
      binding.target = cls;
    }
    this.container
      .bind(binding.id)
      .to(cls as new () => unknown)
      // Every start builds a fresh instance, whatever scope the class declares (@injectable('Singleton')).
      .inTransientScope()
      .onActivation((_context, instance) => {
        // Construction is over: the startup the hook runs may start what it likes.
        this.injecting--;
        try {
          return this.hooks.activated(record, instance) as unknown;
        } finally {
          this.injecting++;
        }
      });
    const schema = record.life.options?.configSchema;
    if (schema !== undefined && binding.config === undefined) {
      const built = binding;
      binding.config = this.container
        .bind(schema)
        .toDynamicValue(() => built.settings as object)
        .whenParentIs(binding.id)
        .getIdentifier();
    }
    return binding;
  }
}
