import { FloePlugin, PluginMetadata, type HealthStatus, type PluginClass, type PluginType } from '../../src';

/** What a test plugin does in each hook; each hook gets the AbortSignal. */
export interface Behaviour {
  dependsOn?: string[];
  startup?: (signal: AbortSignal) => unknown;
  shutdown?: (signal: AbortSignal) => unknown;
  health?: (signal: AbortSignal) => unknown;
}

/** A record of hook calls in the order they happened: `start:<key>`, `started:<key>`, `stop:<key>`, ... */
export class Journal {
  readonly events: string[] = [];
  readonly signals = new Map<string, AbortSignal>();
  readonly instances = new Map<string, unknown[]>();
  /** How many times each instance's shutdown hook was called. */
  readonly stopsOf = new WeakMap<object, number>();

  /** Keys in the order an event kind happened. */
  of(kind: string): string[] {
    return this.events.filter((e) => e.startsWith(`${kind}:`)).map((e) => e.slice(kind.length + 1));
  }

  /** Builds a plugin class whose hooks write to this journal and then do what `behaviour` says. */
  plugin(type: PluginType, name: string, behaviour: Behaviour = {}): PluginClass {
    const { events, signals, instances, stopsOf } = this;
    const key = `${type}:${name}`;
    const cls = class extends PluginMetadata {
      constructor() {
        super();
        const list = instances.get(key) ?? [];
        list.push(this);
        instances.set(key, list);
      }
      override async startup(signal: AbortSignal) {
        events.push(`start:${key}`);
        signals.set(`startup:${key}`, signal);
        await behaviour.startup?.(signal);
        events.push(`started:${key}`);
      }
      override async shutdown(signal: AbortSignal) {
        stopsOf.set(this, (stopsOf.get(this) ?? 0) + 1);
        events.push(`stop:${key}`);
        signals.set(`shutdown:${key}`, signal);
        await behaviour.shutdown?.(signal);
        events.push(`stopped:${key}`);
      }
      override healthCheck(signal: AbortSignal): HealthStatus | Promise<HealthStatus> {
        signals.set(`health:${key}`, signal);
        return behaviour.health === undefined ? super.healthCheck(signal) : (behaviour.health(signal) as HealthStatus);
      }
    };
    Object.defineProperty(cls, 'name', { value: `${name}Plugin` });
    FloePlugin({ type, name, version: '1.0.0', apiVersion: '1.0', dependsOn: behaviour.dependsOn ?? [] })(cls);
    return cls;
  }
}

/** A promise with its resolve and reject exposed. */
export function deferred<T = void>(): {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
} {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A promise that never settles: a hook that ignores its signal. */
export function forever(): Promise<never> {
  return new Promise<never>(() => undefined);
}

/** Waits for real time to pass. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits until a condition holds, checking on each turn of the event loop. */
export async function until(condition: () => boolean, limitMs = 5000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Asks `read` again every `everyMs` until its answer passes `accept`, and returns that answer. */
export async function eventually<T>(
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  { limitMs = 10_000, everyMs = 50 } = {},
): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await read();
    if (accept(value) || Date.now() > deadline) return value;
    await sleep(everyMs);
  }
}
