import { Container, type BindingIdentifier } from 'inversify';
import type { BuildTarget, InstanceHooks, InstanceHost } from '../lifecycle/plugin-lifecycle';
import type { PluginRecord } from '../lifecycle/plugin-life';
import type { PluginClass } from '../plugin/floe-plugin';

/** The service ids of one plugin in the instance container, made once and reused by every start. */
interface Slots {
  readonly build: symbol;
  readonly live: symbol;
  /** What the build binding builds now. */
  target?: PluginClass | object;
  /** The configuration's binding (schemas may be shared, so it is removed by its own id). */
  config?: BindingIdentifier;
}

/**
 * Where plugin instances live: a child of the registry's container, so that plugins are built with
 * everything the application bound, while the registry's own bindings stay out of the application's way
 * (and out of its container snapshots). Each plugin gets one transient binding that builds it (its
 * activation hook runs startup) and one constant binding that holds it while live (its deactivation hook
 * runs shutdown). Both ids are reused across starts, so the container's per-id state stays bounded, and
 * the build binding is made once, so starting and stopping leave the container's plan cache alone.
 */
export class InstanceContainer implements InstanceHost {
  private child?: Container;
  private readonly slots = new Map<PluginRecord, Slots>();

  constructor(
    private readonly parent: Container,
    private readonly hooks: InstanceHooks,
    /** The stored configuration of a plugin, injected into its constructor under its schema class. */
    private readonly configOf: (record: PluginRecord) => object | undefined,
  ) {}

  // Made on first use: while a child container exists, every binding made in the parent also clears the
  // child's caches, which would make registering (or discovering) thousands of plugins cost twice as much.
  private get container(): Container {
    this.child ??= new Container({ parent: this.parent });
    return this.child;
  }

  build(record: PluginRecord, target: BuildTarget): Promise<unknown> {
    return this.container.getAsync(this.bound(record, target).build);
  }

  hold(record: PluginRecord, instance: unknown): void {
    const { live } = this.slotsOf(record);
    this.container
      .bind(live)
      .toConstantValue(instance)
      .onDeactivation((held) => this.hooks.deactivated(record, held));
    // A constant's deactivation hook runs only for a value the container has handed out.
    this.container.get(live);
  }

  release(record: PluginRecord): Promise<void> {
    return this.container.unbindAsync(this.slotsOf(record).live);
  }

  /** Drops a plugin's bindings (its record was removed); it must not be live. */
  async forget(record: PluginRecord): Promise<void> {
    const slots = this.slots.get(record);
    if (slots === undefined) return;
    this.slots.delete(record);
    await this.container.unbindAsync(slots.build);
    if (slots.config !== undefined) await this.container.unbindAsync(slots.config);
  }

  private slotsOf(record: PluginRecord): Slots {
    let slots = this.slots.get(record);
    if (slots === undefined) {
      slots = { build: Symbol(`build ${record.key}`), live: Symbol(record.key) };
      this.slots.set(record, slots);
    }
    return slots;
  }

  // Binds what builds the plugin (and its configuration, for its constructor only) the first time, and again
  // only when that changes (an override, or its restore).
  private bound(record: PluginRecord, target: BuildTarget): Slots {
    const slots = this.slotsOf(record);
    const wanted = 'cls' in target ? target.cls : target.instance;
    if (slots.target === wanted) return slots;
    if (slots.target !== undefined) this.container.unbind(slots.build);
    slots.target = wanted;
    const activated = (_context: unknown, instance: unknown) => this.hooks.activated(record, instance) as unknown;
    if ('cls' in target)
      this.container
        .bind(slots.build)
        .to(target.cls as new () => unknown)
        .onActivation(activated);
    else
      this.container
        .bind(slots.build)
        .toDynamicValue(() => target.instance)
        .onActivation(activated);
    const schema = record.life.options?.configSchema;
    if (schema !== undefined && slots.config === undefined) {
      slots.config = this.container
        .bind(schema)
        .toDynamicValue(() => this.configOf(record) as object)
        .whenParentIs(slots.build)
        .getIdentifier();
    }
    return slots;
  }
}
