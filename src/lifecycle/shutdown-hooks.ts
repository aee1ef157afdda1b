import type { Logger } from 'winston';
import { messageOf } from '../errors';
import { createDefaultLogger } from '../logging';

/** Something that can stop every live plugin, such as a PluginRegistry. */
export interface ShutdownTarget {
  shutdownAll(): Promise<{ ok: boolean; failed: { key: string; error: unknown }[] }>;
}

/** How the process reacts to termination signals. */
export interface ShutdownHookOptions {
  /** Default `['SIGTERM', 'SIGINT']`. */
  signals?: readonly NodeJS.Signals[];
  /** The time `shutdownAll` gets in all, in milliseconds, before the process exits anyway; default 30000. */
  budgetMs?: number;
  logger?: Logger;
  /** Ends the process; default `process.exit`. Code 0 when every plugin stopped cleanly, else 1. */
  exit?: (code: number) => void;
}

/**
 * On the first SIGTERM or SIGINT, stops every live plugin once, within a total time budget, then lets the
 * process exit (code 0 when every plugin stopped cleanly, 1 otherwise). A second signal exits at once.
 *
 * @returns a function that removes the signal listeners again.
 * @example
 * ```ts
 * const registry = getRegistry();
 * enableShutdownHooks(registry, { budgetMs: 20_000 });
 * ```
 */
export function enableShutdownHooks(target: ShutdownTarget, options: ShutdownHookOptions = {}): () => void {
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const budgetMs = options.budgetMs ?? 30_000;
  const logger = options.logger ?? createDefaultLogger();
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let shuttingDown = false;
  let exited = false;
  let timer: NodeJS.Timeout | undefined;

  const dispose = () => {
    for (const signal of signals) process.removeListener(signal, onSignal);
  };
  // Ends the process once, whichever comes first: the shutdown, the budget, or a second signal.
  const finish = (code: number) => {
    if (exited) return;
    exited = true;
    clearTimeout(timer);
    dispose();
    exit(code);
  };

  function onSignal(signal: NodeJS.Signals): void {
    if (shuttingDown) {
      logger.warn(`received ${signal} again during shutdown; exiting now`, { event: 'shutdown.forced' });
      finish(1);
      return;
    }
    shuttingDown = true;
    logger.warn(`received ${signal}; stopping plugins within ${budgetMs} ms`, { event: 'shutdown.signal', signal });
    const budget = new Promise<'budget'>((resolve) => {
      timer = setTimeout(() => resolve('budget'), budgetMs);
    });
    const stopping = target.shutdownAll().then(
      (report) => {
        for (const { key, error } of report.failed) {
          logger.error(`plugin ${key} did not stop cleanly: ${messageOf(error)}`, {
            event: 'shutdown.failed',
            plugin: key,
          });
        }
        return report.ok ? ('ok' as const) : ('failed' as const);
      },
      (error: unknown) => {
        logger.error(`shutdown failed: ${messageOf(error)}`, { event: 'shutdown.failed' });
        return 'failed' as const;
      },
    );
    void Promise.race([stopping, budget]).then((result) => {
      if (result === 'budget' && !exited)
        logger.error(`shutdown did not finish within ${budgetMs} ms; exiting anyway`, {
          event: 'shutdown.budget_exceeded',
        });
      finish(result === 'ok' ? 0 : 1);
    });
  }

  for (const signal of signals) process.on(signal, onSignal);
  return dispose;
}
