import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { loadPlatformConfig } from '../../config/platform-config';
import { messageOf } from '../../errors';
import { onTermination, type SignalSource, type Termination } from '../../lifecycle/termination';
import { createHealthHandler } from '../../operations/health-handler';
import type { ShutdownReport, StartupReport } from '../../registry/reports';
import { applyValidConfig, startAllExcept } from '../apply-config';
import { formatProblems, jsonValue, problemOf, type Output } from '../output';
import { openPlatform } from '../platform';
import { UsageError } from '../usage-error';
import { platformOptions, type CheckOptions } from './check';

/** Options of `floe serve`. */
export interface ServeOptions extends CheckOptions {
  port?: number;
  host?: string;
  watch?: boolean;
}

export type { SignalSource } from '../../lifecycle/termination';
const WATCH_SETTLE_MS = 100;

/**
 * `floe serve [--port 8080] [--host 127.0.0.1] [--config FILE] [--watch]`: discovers the platform, applies
 * its config, starts every plugin and serves /livez, /readyz and /healthz. On SIGTERM or SIGINT readiness
 * turns 503, every plugin stops in reverse dependency order, the server closes, and the command resolves:
 * 0 when everything started and stopped cleanly, else 1. A second signal ends it at once with 1. With
 * `--watch`, a changed config file is applied live; one that does not parse or validate is reported and
 * changes nothing.
 */
export async function serveCommand(
  options: ServeOptions,
  output: Output,
  signals: SignalSource = process,
): Promise<number> {
  const platform = openPlatform(platformOptions(options), output.progress);
  const { config } = platform;
  if (platform.configError !== undefined) throw platform.configError;
  const configFile = config?.source;
  if (options.watch === true && configFile === undefined) {
    throw new UsageError('--watch needs a config file: pass --config FILE or create floe.config.yaml in the root.');
  }
  for (const issue of platform.discovery.issues) output.err(`floe: ${issue.code}: ${issue.message}`);
  // Listen for signals before anything starts: an orchestrator may stop the platform while it comes up. The
  // shutdown begins on the signal itself (readiness turns 503, starts in flight are cancelled).
  const termination = onTermination(platform.registry, {
    source: signals,
    onSignal: (signal, count) =>
      output.err(
        count === 1
          ? `received ${signal}: not ready any more; stopping plugins`
          : `received ${signal} again: stopping at once`,
      ),
  });
  try {
    return await serveUntilSignalled(platform, options, output, termination);
  } finally {
    termination.dispose();
  }
}

async function serveUntilSignalled(
  platform: ReturnType<typeof openPlatform>,
  options: ServeOptions,
  output: Output,
  termination: Termination<ShutdownReport>,
): Promise<number> {
  const { registry, config } = platform;
  const configFile = config?.source;

  const invalid =
    config === undefined ? new Map<string, unknown>() : (await applyValidConfig(registry, config)).invalid;
  for (const [key, error] of invalid) output.err(`floe: ${key}: ${messageOf(error)}`);
  let startup: StartupReport | undefined;
  // A platform told to stop while it was being configured does not start at all.
  if (termination.received === 0) {
    try {
      startup = await startAllExcept(registry, invalid);
    } catch (error) {
      output.err(`floe: ${problemOf(error).code}: ${messageOf(error)}`);
    }
  }
  for (const { key, error } of startup?.failed ?? []) output.err(`floe: ${key} failed to start: ${messageOf(error)}`);
  for (const { key, blockedBy } of startup?.skipped ?? []) output.err(`floe: ${key} skipped: ${blockedBy} failed`);

  let server: http.Server | undefined;
  let stopWatching = (): void => undefined;
  if (termination.received === 0) {
    server = http.createServer(createHealthHandler(registry));
    await listen(server, options.port ?? 8080, options.host ?? '127.0.0.1');
    const { address, port } = server.address() as AddressInfo;
    output.err(`listening on http://${address.includes(':') ? `[${address}]` : address}:${port}`);
    if (options.watch === true) stopWatching = watch(configFile as string, registry, output);
  }
  await termination.signalled;
  stopWatching();
  const outcome = await termination.done;
  const report = outcome.by === 'shutdown' ? outcome.report : undefined;
  if (server !== undefined) await close(server);
  const ok = report !== undefined && report.ok && startup?.ok === true;
  for (const { key, error } of report?.failed ?? [])
    output.err(`floe: ${key} did not stop cleanly: ${messageOf(error)}`);
  if (options.json === true) output.out(JSON.stringify(jsonValue({ ok, startup, shutdown: report }), null, 2));
  output.err(`stopped${report === undefined ? ' at once (second signal)' : ''}`);
  return ok ? 0 : 1;
}

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new UsageError(`port ${port} on ${host} is taken; pass another --port (0 picks a free one).`)
          : error,
      ),
    );
    server.listen(port, host, () => resolve());
  });
}

function close(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Applies the config file live each time it changes; returns a function that stops watching. */
function watch(file: string, registry: ReturnType<typeof openPlatform>['registry'], output: Output): () => void {
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  const apply = async () => {
    try {
      const config = loadPlatformConfig(file);
      const report = await registry.applyConfig(config, { live: true });
      if (report.ok) {
        output.err(
          `applied ${file}${report.restarted.length === 0 ? '' : `: restarted ${report.restarted.join(', ')}`}`,
        );
      } else {
        output.err(`applied ${file}, but it failed to start and was rolled back:`);
        output.err(formatProblems(report.failed.map(({ key, error }) => problemOf(error, key))));
      }
    } catch (error) {
      // A ConfigFileError's message starts with file:line:column, a PlatformConfigError's names each line.
      output.err(`not applied, nothing changed: ${messageOf(error)}`);
    }
  };
  // Editors replace files by renaming: watch the folder, and look at this file's name only.
  const watcher = fs.watch(path.dirname(file), (_event, name) => {
    if (name !== null && name !== path.basename(file)) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(apply);
    }, WATCH_SETTLE_MS);
  });
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}
