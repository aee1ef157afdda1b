import { HealthState, type HealthStatus } from '../health';
import type { ExpectedPlugin, PlatformStatus } from '../lifecycle/expected-set';
import type { PluginState } from '../lifecycle/plugin-life';
import { plainRecord } from '../plain-record';

/** One plugin as `/readyz` reports it. */
export interface PluginReadiness {
  readonly state: PluginState | 'unknown';
  readonly health?: HealthStatus;
  /** Why it is not ready: an error code, `unhealthy`, or its state when nothing else says. */
  readonly reason?: string;
  readonly blockedBy?: string;
}

/** What `/readyz` decided, before it is written as JSON or as Kubernetes' text. */
export type Readiness =
  | { readonly phase: 'starting' | 'stopping' }
  | {
      readonly phase: 'running';
      readonly ready: boolean;
      /** The plugins readiness looked at, in key order; excluded ones are left out. */
      readonly plugins: ReadonlyMap<string, PluginReadiness>;
      /** Keys excluded by `?exclude` that it looked at. */
      readonly excluded: readonly string[];
      /** Keys `?exclude` named that it does not look at. */
      readonly unmatched: readonly string[];
    };

/** Which plugins readiness looks at, and which it leaves out. */
export interface ReadinessScope {
  /** Only these keys (createHealthHandler's `required`); default every expected plugin. */
  readonly required?: readonly string[];
  /** Keys left out (`?exclude=`). */
  readonly exclude?: readonly string[];
}

/**
 * Decides readiness from the registry's status and the last health round: while the registry is idle or
 * starting, `starting`; from the moment a shutdown begins, `stopping`; otherwise ready when every plugin
 * looked at is `active` and none is Unhealthy. A required plugin that was never asked to start is not ready.
 */
export function readinessOf(
  status: PlatformStatus,
  health: Readonly<Record<string, HealthStatus>>,
  scope: ReadinessScope = {},
): Readiness {
  if (status.phase === 'stopping') return { phase: 'stopping' };
  if (status.phase !== 'running') return { phase: 'starting' };
  const expected = new Map(status.expected.map((plugin) => [plugin.key, plugin]));
  const keys = scope.required === undefined ? [...expected.keys()] : [...new Set(scope.required)].sort();
  const exclude = new Set(scope.exclude ?? []);
  const plugins = new Map<string, PluginReadiness>();
  const excluded: string[] = [];
  let ready = true;
  for (const key of keys) {
    if (exclude.has(key)) {
      excluded.push(key);
      continue;
    }
    const plugin = readinessOfPlugin(expected.get(key), health[key]);
    if (plugin.reason !== undefined) ready = false;
    plugins.set(key, plugin);
  }
  const unmatched = [...exclude].filter((key) => !keys.includes(key)).sort();
  return { phase: 'running', ready, plugins, excluded, unmatched };
}

/** One plugin's readiness: live and not Unhealthy, or the reason it is not. */
export function readinessOfPlugin(
  plugin: ExpectedPlugin | undefined,
  health: HealthStatus | undefined,
): PluginReadiness {
  if (plugin === undefined) return { state: 'unknown', reason: 'not_started' };
  const withHealth = health === undefined ? {} : { health };
  if (plugin.state === 'active') {
    return health?.state === HealthState.Unhealthy
      ? { state: 'active', ...withHealth, reason: 'unhealthy' }
      : { state: 'active', ...withHealth };
  }
  return {
    state: plugin.state,
    reason: plugin.reason ?? plugin.state,
    ...(plugin.blockedBy === undefined ? {} : { blockedBy: plugin.blockedBy }),
  };
}

/** The body of `/readyz` as JSON. */
export function readinessBody(readiness: Readiness): { status: string; plugins?: Record<string, PluginReadiness> } {
  if (readiness.phase !== 'running') return { status: readiness.phase };
  return { status: readiness.ready ? 'ready' : 'not_ready', plugins: plainRecord(readiness.plugins) };
}

/**
 * The body of `/readyz?verbose` as Kubernetes writes it: one line per check, `[+]key ok`,
 * `[+]key excluded: ok` or `[-]key failed: REASON`, a warning for exclusions that matched nothing, and a
 * last line `readyz check passed` or `readyz check failed`.
 */
export function readinessText(readiness: Readiness): string {
  const lines: string[] = [];
  if (readiness.phase !== 'running')
    lines.push(readiness.phase === 'stopping' ? '[-]shutdown failed: stopping' : '[-]startup failed: starting');
  else {
    lines.push('[+]shutdown ok');
    for (const [key, plugin] of readiness.plugins)
      lines.push(plugin.reason === undefined ? `[+]${key} ok` : `[-]${key} failed: ${plugin.reason}`);
    for (const key of readiness.excluded) lines.push(`[+]${key} excluded: ok`);
    if (readiness.unmatched.length > 0)
      lines.push(
        `warn: some health checks cannot be excluded: no matches for ${readiness.unmatched.map((k) => JSON.stringify(k)).join(',')}`,
      );
  }
  const passed = readiness.phase === 'running' && readiness.ready;
  lines.push(`readyz check ${passed ? 'passed' : 'failed'}`);
  return `${lines.join('\n')}\n`;
}
