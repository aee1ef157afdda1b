import { didYouMean } from './did-you-mean';

const BRAND = Symbol.for('floe-core.PluginError');

/** Every code a floe-core error carries; tests and operators match on these, never on wording. */
export const PLUGIN_ERROR_CODES = Object.freeze([
  'PLUGIN_NOT_FOUND',
  'PLUGIN_INCOMPATIBLE',
  'PLUGIN_CONFIG_INVALID',
  'PLUGIN_DUPLICATE',
  'DEPENDENCY_CYCLE',
  'DEPENDENCY_MISSING',
  'PLUGIN_STARTUP_FAILED',
  'PLUGIN_SHUTDOWN_FAILED',
  'PLUGIN_TIMEOUT',
  'PLUGIN_INVALID',
  'VERSION_INVALID',
  'UNKNOWN_PLUGIN_TYPE',
  'PLUGIN_AMBIGUOUS',
  'PLUGIN_ALREADY_ACTIVE',
  'PLUGIN_START_CANCELLED',
  'PLUGIN_SKIPPED',
  'PLUGIN_DEPENDENCY_REMOVED',
  'PLUGIN_NOT_LIVE',
  'PLUGIN_LOAD_FAILED',
  'NO_SNAPSHOT',
  'REGISTRY_EXISTS',
  'REGISTRY_OPTIONS_INVALID',
  'CONFIG_FILE_INVALID',
  'PLATFORM_CONFIG_INVALID',
  'OPERATION_UNSUPPORTED',
  'NOT_IMPLEMENTED',
  'USAGE',
] as const);

/** One of PLUGIN_ERROR_CODES. */
export type PluginErrorCode = (typeof PLUGIN_ERROR_CODES)[number];

/** A lifecycle phase that runs under a timeout. */
export type HookPhase = 'load' | 'startup' | 'shutdown' | 'health';

/** One problem found in a plugin's configuration. */
export interface ConfigIssue {
  /** Dotted path to the field, array items by index: `connection.port`, `replicas.1.port`; `''` is the whole config. */
  readonly path: string;
  /** The rule that failed, as class-validator names it (`isInt`, `whitelistValidation`), or a floe-core rule. */
  readonly constraint: string;
  readonly message: string;
  /**
   * Where the offending key or value is in the config file (1-based), when the settings came from one: the
   * value for a wrong value, the key for an unknown key, the key of the enclosing mapping for a missing one.
   */
  readonly line?: number;
  readonly column?: number;
}

/**
 * The base of every floe-core error: a stable `code`, the underlying error as `cause`.
 *
 * @example
 * ```ts
 * if (PluginError.is(err, 'PLUGIN_NOT_FOUND')) console.error(err.message);
 * ```
 */
export class PluginError extends Error {
  readonly code: string;

  constructor(code: PluginErrorCode | (string & {}), message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = new.target.name;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /**
   * Recognises a floe-core error, also one thrown by another installed copy of the package.
   *
   * @param code - when given, the error must also carry this code.
   */
  static is(value: unknown, code?: PluginErrorCode | (string & {})): value is PluginError {
    if (typeof value !== 'object' || value === null) return false;
    try {
      if ((value as Record<symbol, unknown>)[BRAND] !== true) return false;
      return code === undefined || (value as PluginError).code === code;
    } catch {
      // A Proxy whose traps throw is not one of ours.
      return false;
    }
  }

  /** A plain object for JSON output: name, code, message, the subclass's fields, and the cause's summary. */
  toJSON(): Record<string, unknown> {
    const json: Record<string, unknown> = { name: this.name, code: this.code, message: this.message };
    for (const [field, value] of Object.entries(this)) {
      if (field !== 'code' && field !== 'cause') json[field] = value;
    }
    if (this.cause !== undefined) json.cause = describeCause(this.cause);
    return json;
  }
}

function describeCause(cause: unknown): unknown {
  if (PluginError.is(cause)) return cause.toJSON();
  const { type, message } = describeThrown(cause);
  return type === 'string' ? message : { name: type, message };
}

/** A lookup named a plugin that is neither discovered nor registered. */
export class PluginNotFoundError extends PluginError {
  constructor(
    readonly pluginType: string,
    readonly pluginName: string,
    known: readonly string[] = [],
  ) {
    const hint =
      known.length > 0 ? `Known ${pluginType} plugins: ${known.join(', ')}.` : `No ${pluginType} plugin is known.`;
    super(
      'PLUGIN_NOT_FOUND',
      `Plugin "${pluginName}" of type ${pluginType} was not found${didYouMean(pluginName, known)}. ${hint} ` +
        'Install a package that announces it under "floe.plugins" in its package.json, or register its class with registry.register().',
    );
  }
}

/** A plugin was built for a plugin API this platform does not provide. */
export class PluginIncompatibleError extends PluginError {
  constructor(
    readonly pluginName: string,
    readonly requiredVersion: string,
    readonly platformVersion: string,
  ) {
    super(
      'PLUGIN_INCOMPATIBLE',
      `Plugin "${pluginName}" requires plugin API ${requiredVersion}, but this platform provides ${platformVersion}. ` +
        `Install a release of the plugin built for API ${platformVersion.split('.')[0]}.x with a minor version of at most ${platformVersion}, or upgrade floe-core.`,
    );
  }
}

/** A plugin's configuration failed validation; `errors` holds every problem at once. */
export class PluginConfigurationError extends PluginError {
  readonly errors: readonly ConfigIssue[];

  /** The plugin's key, when known: `pluginName` alone may be shared by plugins of several types. */
  readonly pluginKey?: string;

  /** The config file the settings came from, when they did (the issues then carry lines and columns). */
  readonly source?: string;

  constructor(
    readonly pluginName: string,
    errors: readonly ConfigIssue[],
    pluginKey?: string,
    source?: string,
  ) {
    const lines = errors.map((e) => {
      const at =
        e.line === undefined
          ? ''
          : source === undefined
            ? ` (line ${e.line}, column ${e.column ?? 1})`
            : ` (${source}:${e.line}:${e.column ?? 1})`;
      return `  - ${e.path === '' ? '(config)' : e.path}${at}: ${e.message} [${e.constraint}]`;
    });
    super(
      'PLUGIN_CONFIG_INVALID',
      `Configuration of plugin ${pluginKey ?? `"${pluginName}"`} is invalid (${errors.length} problem${errors.length === 1 ? '' : 's'}):\n${lines.join('\n')}\n` +
        'Fix these fields in the plugin configuration (for example floe.config.yaml) and try again.',
    );
    this.errors = Object.freeze(errors.map((e) => Object.freeze({ ...e })));
    if (pluginKey !== undefined) this.pluginKey = pluginKey;
    if (source !== undefined) this.source = source;
  }
}

/** Two plugins claim the same type and name. */
export class DuplicatePluginError extends PluginError {
  constructor(
    readonly pluginType: string,
    readonly pluginName: string,
    detail = '',
  ) {
    super(
      'PLUGIN_DUPLICATE',
      `Plugin "${pluginName}" of type ${pluginType} is already known${detail === '' ? '' : ` (${detail})`}. ` +
        'Each type and name pair must be unique: rename one plugin or uninstall the duplicate package.',
    );
  }
}

/** The declared dependencies form a cycle; `cycle` is the closed path of plugin keys. */
export class CircularDependencyError extends PluginError {
  readonly cycle: readonly string[];

  constructor(cycle: readonly string[]) {
    super(
      'DEPENDENCY_CYCLE',
      `Circular dependency: ${cycle.join(' -> ')}. Remove one of these dependsOn entries to break the cycle.`,
    );
    this.cycle = Object.freeze([...cycle]);
  }
}

/** A plugin depends on plugins that are not known; `missing` lists the entries as declared. */
export class MissingDependencyError extends PluginError {
  readonly missing: readonly string[];

  constructor(
    readonly pluginKey: string,
    missing: readonly string[],
  ) {
    super(
      'DEPENDENCY_MISSING',
      `Plugin ${pluginKey} depends on ${missing.map((m) => `"${m}"`).join(', ')}, which ${missing.length === 1 ? 'is' : 'are'} not installed or registered. ` +
        'Install the missing plugin packages or correct the dependsOn entries.',
    );
    this.missing = Object.freeze([...missing]);
  }
}

/** A plugin's startup hook threw or timed out; the reason is the `cause`. */
export class PluginStartupError extends PluginError {
  constructor(
    readonly pluginKey: string,
    cause: unknown,
  ) {
    super('PLUGIN_STARTUP_FAILED', `Plugin ${pluginKey} failed to start: ${messageOf(cause)}`, { cause });
  }
}

/** A plugin's shutdown hook threw or timed out; the reason is the `cause`. Other plugins still stop. */
export class PluginShutdownError extends PluginError {
  constructor(
    readonly pluginKey: string,
    cause: unknown,
  ) {
    super('PLUGIN_SHUTDOWN_FAILED', `Plugin ${pluginKey} failed to shut down cleanly: ${messageOf(cause)}`, { cause });
  }
}

// Where each phase's time limit is set, for the message that says to raise it.
const TIMEOUT_SETTINGS: Record<HookPhase, string> = {
  load: 'the registry option timeouts.loadMs',
  startup: 'floe --startup-timeout, timeouts.startupMs in floe.config.yaml, or the registry option timeouts.startupMs',
  shutdown:
    'floe --shutdown-timeout, timeouts.shutdownMs in floe.config.yaml, or the registry option timeouts.shutdownMs',
  health: 'floe --health-timeout, timeouts.healthMs in floe.config.yaml, or the registry option timeouts.healthMs',
};

/** A hook did not finish within its time; its AbortSignal was aborted. */
export class PluginTimeoutError extends PluginError {
  constructor(
    readonly pluginKey: string,
    readonly phase: HookPhase,
    readonly timeoutMs: number,
  ) {
    super(
      'PLUGIN_TIMEOUT',
      `Plugin ${pluginKey} timed out: its ${phase} did not finish within ${timeoutMs} ms. ` +
        `Make the hook honour its AbortSignal and finish sooner, or raise the ${phase} timeout (${TIMEOUT_SETTINGS[phase]}).`,
    );
  }
}

/** A class or module is not a valid plugin: bad decorator options, no decorator, missing export, or metadata that disagrees with its entry point. */
export class InvalidPluginError extends PluginError {
  constructor(
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super('PLUGIN_INVALID', `Invalid plugin: ${reason}`, options);
  }
}

/** A plugin API version string is malformed. */
export class InvalidVersionError extends PluginError {
  constructor(readonly version: unknown) {
    super(
      'VERSION_INVALID',
      `Invalid plugin API version ${describeValue(version)}: use "MAJOR.MINOR" or "MAJOR.MINOR.PATCH" with digits only and no leading zeros, such as "1.0".`,
    );
  }
}

/** A bare dependency name or a bare `@inject(type)` matches several plugins. */
export class AmbiguousPluginError extends PluginError {
  readonly candidates: readonly string[];

  constructor(
    readonly reference: string,
    candidates: readonly string[],
    fix: string,
  ) {
    super('PLUGIN_AMBIGUOUS', `"${reference}" is ambiguous: it matches ${candidates.join(', ')}. ${fix}`);
    this.candidates = Object.freeze([...candidates]);
  }
}

/**
 * The message of any thrown value. Total: it never throws, whatever it is given (an object without a
 * prototype, a Proxy whose traps throw, an object whose `toString` or `message` getter throws).
 */
export function messageOf(value: unknown): string {
  try {
    if (typeof value === 'object' && value !== null) {
      const message = (value as { message?: unknown }).message;
      if (typeof message === 'string') return message;
    }
    return String(value);
  } catch {
    return `(a thrown ${kindOf(value)} that cannot be turned into text)`;
  }
}

/**
 * What a thrown value is, for reports and logs: its message and its kind (the class name of an error, else
 * `typeof`). Total, like messageOf: plugins may throw anything.
 */
export function describeThrown(value: unknown): { readonly type: string; readonly message: string } {
  return { type: typeOf(value), message: messageOf(value) };
}

function typeOf(value: unknown): string {
  try {
    if (value instanceof Error) {
      const name = value.constructor?.name;
      return typeof name === 'string' && name !== '' ? name : 'Error';
    }
  } catch {
    // instanceof runs a Proxy's getPrototypeOf trap, which may throw.
  }
  return kindOf(value);
}

/** What kind of value something is, without calling into it. */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  try {
    return Array.isArray(value) ? 'array' : 'object';
  } catch {
    return 'object';
  }
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || value === undefined) return String(value);
  return `${typeof value} ${String(value)}`;
}
