/**
 * The validated configuration of each plugin, by key, and the configure calls in flight: a start waits for
 * them, so that a plugin is never built with a configuration that is about to be replaced.
 */
export class PluginConfigs {
  private readonly pending = new Map<string, Promise<void>>();

  constructor(private readonly values = new Map<string, object>()) {}

  get(key: string): object | undefined {
    return this.values.get(key);
  }

  has(key: string): boolean {
    return this.values.has(key);
  }

  set(key: string, config: object): void {
    this.values.set(key, config);
  }

  delete(key: string): void {
    this.values.delete(key);
  }

  /** Runs `work` for a plugin after the configure work already queued for it, and tracks it. */
  queue<T>(key: string, work: () => Promise<T>): Promise<T> {
    const run = this.settled(key).then(work);
    this.track(key, run);
    return run;
  }

  /** Makes starts of a plugin wait for `work` as well. */
  track(key: string, work: Promise<unknown>): void {
    const previous = this.pending.get(key);
    const done = Promise.all([previous, work.then(settle, settle)]).then(settle);
    this.pending.set(key, done);
    void done.then(() => {
      if (this.pending.get(key) === done) this.pending.delete(key);
    });
  }

  /** Resolves once no configure work for the plugin is in flight. */
  settled(key: string): Promise<void> {
    return this.pending.get(key) ?? Promise.resolve();
  }

  /** The configure work in flight for the plugin, if any. */
  inFlight(key: string): Promise<void> | undefined {
    return this.pending.get(key);
  }

  /** A copy of the stored configurations (work in flight is not copied). */
  copy(): PluginConfigs {
    return new PluginConfigs(new Map(this.values));
  }
}

function settle(): void {}
