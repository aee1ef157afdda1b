import type { Logger } from 'winston';
import { PluginError, messageOf } from '../errors';
import type { PluginLifecycle } from '../lifecycle/plugin-lifecycle';
import type { PluginRecord } from '../lifecycle/plugin-life';
import type { ContainerBinder } from './container-binder';
import type { RegistryState, RegistryValue } from './registry-state';

/** A snapshot: a copy of the registry's value, when it was taken, and the container's mark. */
interface Saved {
  readonly value: RegistryValue;
  /** Plugins that went live after this mark were started since the snapshot. */
  readonly liveMark: number;
  /** Bound in the container right after its snapshot: while it is bound, that snapshot is not restored. */
  readonly sentinel: symbol;
}

/**
 * Snapshots of the registry and its container, for tests. A snapshot saves a copy of the registry's value
 * and the container's bindings; a restore is a preemptive operation of the lifecycle that swaps the saved
 * value back at once and then stops the plugins started since the snapshot.
 */
export class Snapshots {
  private readonly stack: Saved[] = [];

  constructor(
    private readonly state: RegistryState,
    private readonly lifecycle: PluginLifecycle,
    private readonly binder: ContainerBinder,
    /** Drops what the container holds for a plugin the restore removed. */
    private readonly forget: (record: PluginRecord) => Promise<void>,
    private readonly logger: Logger,
  ) {}

  /** Saves registry and container state together; snapshots stack. */
  take(): void {
    const sentinel = this.binder.snapshot();
    this.stack.push({ value: this.state.save(), liveMark: this.lifecycle.liveMark, sentinel });
  }

  /**
   * Brings back the latest snapshot: its value at once (what was registered, configured, overridden or
   * made the default since is gone), then stops the plugins started since it and the starts in flight.
   *
   * @throws PluginError `NO_SNAPSHOT` when there is no snapshot left.
   */
  restore(): Promise<void> {
    const saved = this.stack.pop();
    if (saved === undefined) {
      return Promise.reject(
        new PluginError('NO_SNAPSHOT', 'restore() was called without a matching snapshot(); call snapshot() first.'),
      );
    }
    const before = this.state.catalog.all();
    const removed = before.filter((record) => !saved.value.catalog.has(record));
    const scope = before.filter(
      (record) =>
        !saved.value.catalog.has(record) ||
        record.life.state === 'starting' ||
        this.lifecycle.liveSince(record) > saved.liveMark,
    );
    return this.lifecycle.overtake(
      scope,
      'a restore began while it was starting',
      () => {
        this.state.swap(saved.value);
        this.binder.restore(saved.sentinel);
      },
      async (outcome) => {
        for (const { key, error } of outcome.failed) {
          this.logger.error(`plugin ${key} failed to stop during restore: ${messageOf(error)}`, {
            event: 'restore.stop_failed',
            plugin: key,
          });
        }
        for (const record of removed) await this.forget(record);
      },
    );
  }
}
