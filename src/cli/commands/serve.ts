import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { messageOf } from '../../errors';
import { onTermination, type SignalSource, type Termination } from '../../lifecycle/termination';
import { createConsoleHandler } from '../../operations/console-handler';
import { ConsoleState } from '../../operations/console-state';
import { createHealthHandler } from '../../operations/health-handler';
import type { PluginRegistry } from '../../registry/plugin-registry';
import type { ShutdownReport, StartupReport } from '../../registry/reports';
import { applyValidConfig } from '../apply-config';
import { watchConfig } from '../config-watch';
import { watchModules } from '../modules-watch';
import { directCommand, execForm, runsUnderNpm, type Launch } from '../launch';
import { failureDetail, jsonValue, problemOf, type Output } from '../output';
import { preparePlatform, type PreparedPlatform } from '../platform';
import { platformOptions, type CheckOptions } from './check';

/** Options of `floe serve`. */
export interface ServeOptions extends CheckOptions {
  port?: number;
  host?: string;
  watch?: boolean;
  /** Milliseconds readiness is 503 before plugins stop, on SIGTERM or SIGINT (over `timeouts.drainMs`). */
  drain?: number;
  /** False (`--no-console`) leaves out the console at `/` (and `/status.json`, `/graph.svg`). */
  console?: boolean;
  /** With `watch`: how long node_modules must stay quiet before a refresh, in ms (tests shorten it). */
  settle?: number;
}

export type { SignalSource } from '../../lifecycle/termination';

/**
 * `floe serve [--port 8080] [--host 127.0.0.1] [--config FILE] [--watch] [--drain MS]`: binds its port
 * first (a taken port exits 1 at once, with nothing started), so that the probes answer from the first
 * moment (`/livez` 200, `/readyz` 503 starting); then discovers the platform, applies what is valid in its
 * config (a plugin whose settings are refused fails to start with them, and readiness says so), and starts
 * every plugin. On SIGTERM or SIGINT readiness turns 503 at once; after the drain every plugin stops in
 * reverse dependency order, the server closes, and the command resolves: 0 when everything started and
 * stopped cleanly, else 1. A second signal ends it at once with 1. With `--watch`, each saved change of the
 * config file is applied live, and the plugins that are not live start again. Started through npm or npx,
 * which may not pass SIGTERM on, it says so and how to run it directly.
 */
export async function serveCommand(
  options: ServeOptions,
  output: Output,
  signals: SignalSource = process,
  launch: Launch = { env: process.env, argv: process.argv.slice(2), cwd: process.cwd() },
): Promise<number> {
  if (runsUnderNpm(launch.env)) {
    output.err(
      'floe: started through npm or npx, which may not pass SIGTERM on to floe: an orchestrator stopping it would ' +
        `kill it without stopping its plugins. Run it directly: ${directCommand(launch)} ` +
        `(in a container image, the exec form: CMD ${execForm(launch)}).`,
    );
  }
  // The console follows startups through the registry's log events.
  let consoleState: ConsoleState | undefined;
  const platform = preparePlatform(platformOptions(options), output.progress, (event, plugin) =>
    consoleState?.event(event, plugin),
  );
  const { registry, config } = platform;
  if (options.console !== false) consoleState = new ConsoleState(registry);
  if (platform.configError !== undefined) throw platform.configError;
  // Draining: readiness answers `stopping` from the signal on, while plugins still run.
  let draining = false;
  const termination = onTermination(registry, {
    source: signals,
    drainMs: options.drain ?? config?.timeouts?.drainMs ?? 0,
    onSignal: (signal, count) => {
      draining = true;
      output.err(
        count === 1
          ? `received ${signal}: not ready any more; stopping plugins`
          : `received ${signal} again: stopping at once`,
      );
    },
  });
  try {
    const probes = createHealthHandler(registry, { draining: () => draining });
    const server = http.createServer(consoleState === undefined ? probes : createConsoleHandler(consoleState, probes));
    try {
      await listen(server, options.port ?? 8080, options.host ?? '127.0.0.1');
    } catch (error) {
      output.err(`floe: ${messageOf(error)}`);
      return 1;
    }
    const { address, port } = server.address() as AddressInfo;
    const origin = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
    output.err(`listening on ${origin}`);
    if (consoleState !== undefined) output.err(`console at ${origin}/`);
    try {
      return await serveUntilSignalled(platform, options, output, termination, consoleState);
    } finally {
      await close(server);
    }
  } finally {
    termination.dispose();
  }
}

async function serveUntilSignalled(
  platform: PreparedPlatform,
  options: ServeOptions,
  output: Output,
  termination: Termination<ShutdownReport>,
  consoleState: ConsoleState | undefined,
): Promise<number> {
  const { registry, config } = platform;
  let startup: StartupReport | undefined;
  let stopWatching = (): void => undefined;
  try {
    const discovery = registry.discoverAll();
    for (const issue of discovery.issues) output.err(`floe: ${issue.code}: ${issue.message}`);
    if (config !== undefined) {
      const { invalid } = await applyValidConfig(registry, config);
      for (const [key, error] of invalid) output.err(`floe: ${key}: ${messageOf(error)}${failureDetail(error)}`);
    }
    // A platform told to stop while it was being configured does not start at all.
    if (termination.received === 0) {
      consoleState?.startupBegan();
      startup = await startAll(registry, output);
      consoleState?.startupEnded(startup);
    }
    if (termination.received === 0 && options.watch === true) {
      const stopConfig = config?.source === undefined ? () => undefined : watchConfig(config.source, registry, output);
      const stopModules = watchModules(platform.root, registry, output, options.settle);
      stopWatching = () => {
        stopConfig();
        stopModules();
      };
    }
  } catch (error) {
    // Nothing is left running when serve ends with an error.
    await registry.shutdownAll();
    throw error;
  }
  await termination.signalled;
  stopWatching();
  const outcome = await termination.done;
  const report = outcome.by === 'shutdown' ? outcome.report : undefined;
  const ok = report !== undefined && report.ok && startup?.ok === true;
  for (const { key, error } of report?.failed ?? [])
    output.err(`floe: ${key} did not stop cleanly: ${messageOf(error)}${failureDetail(error)}`);
  if (options.json === true) output.out(JSON.stringify(jsonValue({ ok, startup, shutdown: report }), null, 2));
  output.err(`stopped${report === undefined ? ' at once (second signal)' : ''}`);
  return ok ? 0 : 1;
}

// Starts every plugin; one that fails is reported, and readiness lists it.
async function startAll(registry: PluginRegistry, output: Output): Promise<StartupReport | undefined> {
  try {
    const startup = await registry.startAll();
    for (const { key, error } of startup.failed)
      output.err(`floe: ${key} failed to start: ${messageOf(error)}${failureDetail(error)}`);
    for (const { key, blockedBy } of startup.skipped) output.err(`floe: ${key} skipped: ${blockedBy} failed`);
    const live = startup.started.length;
    output.err(`${live} plugin${live === 1 ? '' : 's'} live${startup.ok ? '' : ', with problems above'}`);
    return startup;
  } catch (error) {
    // A cycle or a missing dependency: nothing started; readiness reports it for every plugin.
    output.err(`floe: ${problemOf(error).code}: ${messageOf(error)}${failureDetail(error)}`);
    return undefined;
  }
}

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(
              `port ${port} on ${host} is taken; nothing was started. Pass another --port (0 picks a free one).`,
            )
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
