import type { IncomingMessage, ServerResponse } from 'node:http';
import { PluginError } from '../errors';
import { HealthState, type HealthStatus } from '../health';
import { toJsonValue } from '../json-value';
import type { PluginState } from '../lifecycle/plugin-life';
import type { PluginRegistry } from '../registry/plugin-registry';

/** How the health handler behaves. */
export interface HealthHandlerOptions {
  /** How long a finished health round is reused, in milliseconds; default 1000. 0 reuses only a round in flight. */
  cacheMs?: number;
  /** A monotonic clock in milliseconds; default `performance.now`. */
  now?: () => number;
}

/** A `node:http` request listener. */
export type HealthHandler = (request: IncomingMessage, response: ServerResponse) => void;

// States of plugins that were asked to start at some point: readiness looks at these only.
const STARTED: ReadonlySet<PluginState> = new Set(['starting', 'active', 'stopping', 'stopped', 'failed']);

/**
 * A request listener for `node:http` (and frameworks that take one) answering orchestrator probes:
 *
 * - `GET /livez`: 200 `{ "status": "ok" }`; 503 `{ "status": "shutting_down" }` once a shutdown began.
 * - `GET /readyz`: 200 `{ "status": "ready", "plugins": ... }` when every plugin that was started is
 *   `active` and none was Unhealthy in the last health round; else 503 `{ "status": "not_ready", "plugins":
 *   { key: { state, health } } }`; 503 from the moment a shutdown begins.
 * - `GET /healthz`: `{ "status": "healthy" | "degraded" | "unhealthy", "plugins": { key: HealthStatus } }`,
 *   503 when any plugin is Unhealthy.
 *
 * HEAD answers like GET without a body; other methods get 405, other paths 404; every answer is JSON.
 * Concurrent requests share one health round, and a finished round is reused for `cacheMs`, so a probe
 * storm costs the plugins one round, and a hung plugin one health timeout per round.
 *
 * @throws PluginError `REGISTRY_OPTIONS_INVALID` for a bad `cacheMs`.
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
  const now = options.now ?? (() => performance.now());
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

  const answers: Record<string, () => Promise<[number, unknown]>> = {
    '/livez': async () => (registry.shuttingDown ? [503, { status: 'shutting_down' }] : [200, { status: 'ok' }]),
    '/readyz': async () => {
      const statuses = await health();
      const plugins: Record<string, { state: PluginState; health?: HealthStatus }> = {};
      let ready = !registry.shuttingDown;
      for (const info of allPlugins(registry)) {
        if (!STARTED.has(info.state)) continue;
        const status = statuses[info.key];
        plugins[info.key] = { state: info.state, ...(status === undefined ? {} : { health: status }) };
        if (info.state !== 'active' || status?.state === HealthState.Unhealthy) ready = false;
      }
      return ready ? [200, { status: 'ready', plugins }] : [503, { status: 'not_ready', plugins }];
    },
    '/healthz': async () => {
      const plugins = await health();
      const states = Object.values(plugins).map((status) => status.state);
      const status = states.includes(HealthState.Unhealthy)
        ? 'unhealthy'
        : states.includes(HealthState.Degraded)
          ? 'degraded'
          : 'healthy';
      return [status === 'unhealthy' ? 503 : 200, { status, plugins }];
    },
  };

  return (request, response) => {
    const method = request.method ?? 'GET';
    const path = pathOf(request.url);
    const answer = answers[path];
    if (answer === undefined) {
      send(response, method, 404, {
        status: 'not_found',
        message: `no probe at ${path}; use /livez, /readyz or /healthz`,
      });
      return;
    }
    if (method !== 'GET' && method !== 'HEAD') {
      send(response, method, 405, { status: 'method_not_allowed', message: 'use GET or HEAD' }, { allow: 'GET, HEAD' });
      return;
    }
    answer().then(
      ([status, body]) => send(response, method, status, body),
      () => send(response, method, 500, { status: 'error', message: 'the probe could not be answered' }),
    );
  };
}

function allPlugins(registry: PluginRegistry) {
  return Object.entries(registry.listAll()).flatMap(([type, names]) =>
    names.map((name) => registry.info(type as Parameters<PluginRegistry['info']>[0], name)),
  );
}

function pathOf(url: string | undefined): string {
  const query = (url ?? '/').indexOf('?');
  return query === -1 ? (url ?? '/') : (url ?? '/').slice(0, query);
}

function send(
  response: ServerResponse,
  method: string,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (response.writableEnded || response.destroyed) return;
  const text = JSON.stringify(toJsonValue(body));
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  response.end(method === 'HEAD' ? undefined : text);
}
