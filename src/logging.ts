import type * as Winston from 'winston';
import type { Logger } from 'winston';
import { lazy } from './lazy';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded when a default logger is first made
const winston = lazy(() => require('winston') as typeof Winston);

const LEVELS = ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'];

/** Options of the default logger; each falls back to an environment variable. */
export interface DefaultLoggerOptions {
  /** A winston level; default `FLOE_LOG_LEVEL`, else `'warn'`. */
  level?: string;
  /** `'text'` (one readable line per entry) or `'json'`; default `FLOE_LOG_FORMAT`, else `'text'`. */
  format?: 'text' | 'json';
}

/**
 * Creates floe-core's default winston logger: every level to stderr, quiet (`warn`) unless `FLOE_LOG_LEVEL` says otherwise.
 * Entries carry structured fields such as `event`, `plugin`, `package` and `durationMs`.
 */
export function createDefaultLogger(options: DefaultLoggerOptions = {}): Logger {
  const envLevel = process.env.FLOE_LOG_LEVEL;
  const level = options.level ?? (envLevel !== undefined && LEVELS.includes(envLevel) ? envLevel : 'warn');
  const style = options.format ?? (process.env.FLOE_LOG_FORMAT === 'json' ? 'json' : 'text');
  const { createLogger, format, transports } = winston();
  return createLogger({
    level,
    format: format.combine(format.timestamp(), style === 'json' ? format.json() : textLine()),
    transports: [new transports.Console({ stderrLevels: LEVELS })],
  });
}

/**
 * A logger that drops everything, for tests and for callers that report problems themselves: a winston
 * logger with `silent: true`.
 *
 * Dropping entries needs no winston, so winston is loaded (and the logger made) only when something other
 * than `silent` and the logging methods is used: a transport added, a level asked or changed, `silent`
 * set, a child made. From then on every use reaches that winston logger, and it behaves as one.
 */
export function createSilentLogger(): Logger {
  let real: Logger | undefined;
  const made = (): Logger => {
    if (real === undefined) {
      const { createLogger, transports } = winston();
      real = createLogger({ silent: true, transports: [new transports.Console({ stderrLevels: LEVELS })] });
    }
    return real;
  };
  const proxy: Logger = new Proxy(Object.create(null) as Logger, {
    get(_target, property) {
      if (real === undefined) {
        if (property === 'silent') return true;
        if (typeof property === 'string' && DROPS.has(property)) return () => proxy;
      }
      const value: unknown = Reflect.get(made(), property);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(made()) : value;
    },
    set: (_target, property, value) => Reflect.set(made(), property, value),
    has: (_target, property) => Reflect.has(made(), property),
    getPrototypeOf: () => Reflect.getPrototypeOf(made()),
    ownKeys: () => Reflect.ownKeys(made()),
    getOwnPropertyDescriptor: (_target, property) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(made(), property);
      // A proxy may not report as non-configurable a property its target does not have.
      return descriptor === undefined ? undefined : { ...descriptor, configurable: true };
    },
    defineProperty: (_target, property, descriptor) => Reflect.defineProperty(made(), property, descriptor),
    deleteProperty: (_target, property) => Reflect.deleteProperty(made(), property),
  });
  return proxy;
}

/** The methods that write an entry: while silent, each drops it (and returns the logger, as winston's do). */
const DROPS: ReadonlySet<string> = new Set([...LEVELS, 'log']);

const textLine = lazy(() =>
  winston().format.printf((info) => {
    const { level, message, timestamp, ...fields } = info;
    const extras = Object.entries(fields)
      .filter(([, value]) => value !== undefined)
      .map(
        ([key, value]) => `${key}=${typeof value === 'string' && !/\s/.test(value) ? value : JSON.stringify(value)}`,
      );
    return [String(timestamp), `floe ${level}:`, String(message), ...extras].join(' ');
  }),
);

/**
 * Whether `logger` writes entries at `level`. Asked before an entry is built, so that a quiet or silent
 * logger costs nothing on hot paths (winston builds and queues every entry it is given, even to drop it).
 */
export function logs(logger: Logger, level: 'error' | 'warn' | 'info' | 'debug'): boolean {
  return !logger.silent && logger.isLevelEnabled(level);
}

/**
 * A logger that hands the event of every entry about a plugin (`{ event: 'plugin.started', plugin: key }`)
 * to `onEvent`, whatever the level, and passes each entry on to `inner`, which decides itself what it writes.
 * Progress lines and the console of `floe serve` follow the registry's work this way.
 */
export function tapEvents(inner: Logger, onEvent: (event: string, plugin: string) => void): Logger {
  const forward =
    (level: 'error' | 'warn' | 'info' | 'debug') =>
    (message: string, fields: { event?: string; plugin?: string } = {}) => {
      if (fields.event !== undefined && fields.plugin !== undefined) onEvent(fields.event, fields.plugin);
      if (!inner.silent && inner.isLevelEnabled(level)) inner[level](message, fields);
    };
  return {
    silent: false,
    isLevelEnabled: () => true,
    error: forward('error'),
    warn: forward('warn'),
    info: forward('info'),
    debug: forward('debug'),
  } as unknown as Logger;
}
