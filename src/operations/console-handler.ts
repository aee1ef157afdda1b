import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { toJsonValue } from '../json-value';
import { layoutGraph, type GraphLayout } from '../pictures/graph-layout';
import { renderGraphSvg } from '../pictures/graph-svg';
import { consolePage } from './console-page';
import type { ConsoleState } from './console-state';
import type { HealthHandler } from './health-handler';

/** A `node:http` request listener. */
export type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;

// Nothing but this server: the page's own script (by nonce), its inline styles, and requests to itself.
const policy = (nonce: string): string =>
  [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    "style-src 'unsafe-inline'",
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');

const COMMON_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/**
 * The console of `floe serve`, in front of `next` (the health probes, which answer every other path):
 *
 * - `GET /`: the page (HTML with its style and script inline; a Content-Security-Policy allows nothing
 *   but this server), which polls `/status.json` every second and shows every plugin with its state and
 *   health, the dependency graph coloured by state, and the last startup as a timeline with its critical path;
 * - `GET /status.json`: the same data as JSON (see `ConsoleStatus`);
 * - `GET /graph.svg`: the dependency graph with the states of the moment, laid out again only when its shape
 *   changes.
 *
 * HEAD answers like GET without a body; other methods on these paths get 405.
 */
export function createConsoleHandler(state: ConsoleState, next: HealthHandler): RequestListener {
  let layout: { version: number; promise: Promise<GraphLayout> } | undefined;
  const layoutOf = (version: number, graph: Parameters<typeof layoutGraph>[0]): Promise<GraphLayout> => {
    if (layout?.version !== version) {
      const promise = layoutGraph(graph);
      layout = { version, promise };
      // A failed layout is tried again on the next request.
      promise.catch(() => {
        if (layout?.promise === promise) layout = undefined;
      });
    }
    return layout.promise;
  };
  return (request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path !== '/' && path !== '/index.html' && path !== '/status.json' && path !== '/graph.svg') {
      next(request, response);
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
      response.end('method not allowed\n');
      return;
    }
    const send = (status: number, type: string, body: string, headers: Record<string, string> = {}): void => {
      response.writeHead(status, {
        ...COMMON_HEADERS,
        ...headers,
        'content-type': type,
        'content-length': Buffer.byteLength(body),
      });
      response.end(request.method === 'HEAD' ? undefined : body);
    };
    if (path === '/status.json') {
      send(200, 'application/json; charset=utf-8', JSON.stringify(toJsonValue(state.status())));
      return;
    }
    if (path === '/graph.svg') {
      const { graph, version } = state.graphNow();
      layoutOf(version, graph).then(
        (laidOut) => send(200, 'image/svg+xml; charset=utf-8', renderGraphSvg(graph, laidOut)),
        (error: unknown) =>
          send(500, 'text/plain; charset=utf-8', `the graph could not be laid out: ${String(error)}\n`),
      );
      return;
    }
    const nonce = randomBytes(16).toString('base64');
    send(200, 'text/html; charset=utf-8', consolePage(nonce), { 'content-security-policy': policy(nonce) });
  };
}
