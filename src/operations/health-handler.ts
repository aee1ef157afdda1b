import type { IncomingMessage, ServerResponse } from 'node:http';
import { monotonicMs } from '../clock';
import { PluginError } from '../errors';
import { HealthState, type HealthStatus } from '../health';
import { toJsonValue } from '../json-value';
import type { PlatformStatus } from '../lifecycle/expected-set';
import type { PluginRegistry } from '../registry/plugin-registry';
import { readinessBody, readinessOf, readinessOfPlugin, readinessText, type Readiness } from './readiness';

/** How the health handler behaves. */
export interface HealthHandlerOptions {
  /** How long a finished health round is reused, in milliseconds; default 1000. 0 reuses only a round in flight. */
  cacheMs?: number;
  /**
   * The plugins readiness looks at, by key; default every plugin expected to be live (asked to start since
   * the last full shutdown). A required plugin that was never asked to start is not ready.
   */
  required?: readonly string[];
  /**
   * True while the platform drains before a shutdown (`floe serve --drain`): readiness and health answer
   * `stopping` already, though no plugin stops yet.
   */
  draining?: () => boolean;
  /** A monotonic clock in milliseconds; default `performance.now`. */
  now?: () => number;
}

/** A `node:http` request listener. */
export type HealthHandler = (request: IncomingMessage, response: ServerResponse) => void;

/** An answer: its status code, and a body written as JSON, or as text when it is a string. */
type Answer = readonly [number, unknown];

/**
 * A request listener for `node:http` (and frameworks that take one) answering orchestrator probes, from
 * the registry's status (its phase and the plugins expected to be live; see `PluginRegistry.status`):
 *
 * - `GET /livez`: 200 `{ "status": "ok" }`; 503 `{ "status": "shutting_down" }` once a shutdown began.
 * - `GET /readyz`: 503 `{ "status": "starting" }` until the registry has started (while it is idle or a
 *   startAll runs); 503 `{ "status": "stopping" }` from the moment a shutdown begins; otherwise 200
 *   `{ "status": "ready", "plugins" }` when every expected plugin is `active` and none was Unhealthy in the
 *   last health round, else 503 `{ "status": "not_ready", "plugins": { key: { state, health?, reason? } } }`
 *   with every expected plugin, `reason` saying why one is not ready (an error code such as
 *   PLUGIN_CONFIG_INVALID or PLUGIN_SKIPPED, `unhealthy`, or its state).
 * - `GET /healthz`: `{ "status": "healthy" | "degraded" | "unhealthy", "plugins": { key: HealthStatus } }`
 *   over the live plugins and the expected ones that failed (Unhealthy), 503 when any is Unhealthy; 503
 *   `{ "status": "stopping" }` from the moment a shutdown begins.
 *
 * As Kubernetes' own endpoints do: `?verbose` answers text, one line per check (`[+]floe.computes:duckdb
 * ok`, `[-]floe.storage:db failed: PLUGIN_CONFIG_INVALID`) and a last line `readyz check passed` or
 * `readyz check failed`; `GET /readyz/<key>` probes one plugin (`ok`, or the failed line; 404 with the known
 * keys for an unknown one); `?exclude=<key>` (repeatable) leaves plugins out of `/readyz`.
 *
 * HEAD answers like GET without a body; other methods get 405, other paths 404. Concurrent requests share
 * one health round, and a finished round is reused for `cacheMs`, so a probe storm costs the plugins one
 * round, and a hung plugin one health timeout per round.
 *
 * @throws PluginError `REGISTRY_OPTIONS_INVALID` for a bad `cacheMs` or `required`.
 * @example
 * ```ts
 * http.createServer(createHealthHandler(registry)).listen(8080);
 * ```
 */
export function createHealthHandler(registry: PluginRegistry, options: HealthHandlerOptions = {}): HealthHandler {
  const cacheMs = options.cacheMs ?? 1000;
  if (typeof cacheMs !== 'number' || !(cacheMs >= 0) || !Number.isFinite(cacheMs)) {
    throw new PluginError(
      'REGISTRY_OPTIONS_INVALID',
      `cacheMs must be a number of milliseconds, 0 or more; got ${String(cacheMs)}.`,
    );
  }
  const required = options.required;
  if (required !== undefined && (!Array.isArray(required) || required.some((key) => typeof key !== 'string'))) {
    throw new PluginError('REGISTRY_OPTIONS_INVALID', 'required must be an array of plugin keys.');
  }
  const now = options.now ?? monotonicMs;
  const draining = options.draining ?? (() => false);
  // The registry's status, `stopping` while draining.
  const statusOf = (): PlatformStatus => {
    const status = registry.status();
    return draining() ? { ...status, phase: 'stopping' } : status;
  };
  let round: { promise: Promise<Record<string, HealthStatus>>; finishedAt?: number } | undefined;

  const health = (): Promise<Record<string, HealthStatus>> => {
    if (round !== undefined && (round.finishedAt === undefined || now() - round.finishedAt < cacheMs))
      return round.promise;
    const current: { promise: Promise<Record<string, HealthStatus>>; finishedAt?: number } = {
      promise: registry.healthCheckAll(),
    };
    round = current;
    const finish = () => {
      current.finishedAt = now();
    };
    current.promise.then(finish, finish);
    return current.promise;
  };

  const readiness = async (query: Query): Promise<Readiness> => {
    const status = statusOf();
    return readinessOf(status, status.phase === 'running' ? await health() : {}, {
      ...(required === undefined ? {} : { required }),
      exclude: query.exclude,
    });
  };

  const answers: Record<string, (query: Query) => Promise<Answer>> = {
    '/livez': async (query) => {
      const stopping = registry.shuttingDown;
      if (query.verbose) {
        const text = `[+]ping ok\n${stopping ? '[-]shutdown failed: stopping' : '[+]shutdown ok'}\nlivez check ${stopping ? 'failed' : 'passed'}\n`;
        return [stopping ? 503 : 200, text];
      }
      return stopping ? [503, { status: 'shutting_down' }] : [200, { status: 'ok' }];
    },
    '/readyz': async (query) => {
      const decided = await readiness(query);
      const ok = decided.phase === 'running' && decided.ready;
      return [ok ? 200 : 503, query.verbose ? readinessText(decided) : readinessBody(decided)];
    },
    '/healthz': async () => {
      const status = statusOf();
      if (status.phase === 'stopping') return [503, { status: 'stopping' }];
      const plugins: Record<string, HealthStatus> = { ...(await health()) };
      for (const plugin of status.expected) {
        if (plugin.reason === undefined || plugins[plugin.key] !== undefined) continue;
        plugins[plugin.key] = {
          state: HealthState.Unhealthy,
          message: `not live: ${plugin.reason}`,
          details: { state: plugin.state, reason: plugin.reason },
        };
      }
      const states = Object.values(plugins).map((s) => s.state);
      const overall = states.includes(HealthState.Unhealthy)
        ? 'unhealthy'
        : states.includes(HealthState.Degraded)
          ? 'degraded'
          : 'healthy';
      return [overall === 'unhealthy' ? 503 : 200, { status: overall, plugins }];
    },
  };

  // /readyz/<key>: one plugin, in Kubernetes' words.
  const onePlugin = async (key: string, query: Query): Promise<Answer> => {
    const known = knownKeys(registry);
    if (!known.includes(key)) {
      return [
        404,
        { status: 'not_found', message: `no plugin ${key}; known plugins: ${known.join(', ') || 'none'}`, known },
      ];
    }
    const status = registry.status();
    const expected = status.expected.find((plugin) => plugin.key === key);
    const plugin = readinessOfPlugin(expected, expected?.state === 'active' ? (await health())[key] : undefined);
    if (plugin.reason !== undefined) return [503, `[-]${key} failed: ${plugin.reason}\nreadyz check failed\n`];
    return [200, query.verbose ? `[+]${key} ok\nreadyz check passed\n` : 'ok'];
  };

  return (request, response) => {
    const method = request.method ?? 'GET';
    const { path, query } = parse(request.url);
    const plugin = path.startsWith('/readyz/') ? keyOf(path.slice('/readyz/'.length)) : undefined;
    const answer = plugin !== undefined ? (q: Query) => onePlugin(plugin, q) : answers[path];
    if (answer === undefined) {
      send(response, method, 404, {
        status: 'not_found',
        message: `no probe at ${path}; use /livez, /readyz, /readyz/<key> or /healthz`,
      });
      return;
    }
    if (method !== 'GET' && method !== 'HEAD') {
      send(response, method, 405, { status: 'method_not_allowed', message: 'use GET or HEAD' }, { allow: 'GET, HEAD' });
      return;
    }
    answer(query).then(
      ([status, body]) => send(response, method, status, body),
      () => send(response, method, 500, { status: 'error', message: 'the probe could not be answered' }),
    );
  };
}

/** What a probe's query asks for. */
interface Query {
  readonly verbose: boolean;
  readonly exclude: readonly string[];
}

// A malformed URL or query is read as far as it can be: a probe never fails for its query.
function parse(url: string | undefined): { path: string; query: Query } {
  const raw = url ?? '/';
  const at = raw.indexOf('?');
  const path = at === -1 ? raw : raw.slice(0, at);
  if (at === -1) return { path, query: { verbose: false, exclude: [] } };
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(raw.slice(at + 1));
  } catch {
    return { path, query: { verbose: false, exclude: [] } };
  }
  return { path, query: { verbose: params.has('verbose'), exclude: params.getAll('exclude').filter((k) => k !== '') } };
}

function keyOf(segment: string): string | undefined {
  try {
    const key = decodeURIComponent(segment);
    return key === '' || key.includes('/') ? undefined : key;
  } catch {
    return undefined;
  }
}

function knownKeys(registry: PluginRegistry): string[] {
  return Object.entries(registry.listAll())
    .flatMap(([type, names]) => names.map((name) => `${type}:${name}`))
    .sort();
}

function send(
  response: ServerResponse,
  method: string,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (response.writableEnded || response.destroyed) return;
  const text = typeof body === 'string' ? body : JSON.stringify(toJsonValue(body));
  response.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  response.end(method === 'HEAD' ? undefined : text);
}
