import type { Logger } from 'winston';
import { messageOf } from '../errors';
import { createDefaultLogger } from '../logging';
import { onTermination, type ShutdownTarget } from './termination';

export type { ShutdownTarget } from './termination';

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
 * The signals are handled as `floe serve` handles them (see onTermination).
 *
 * @returns a function that removes the signal listeners again.
 * @example
 * ```ts
 * const registry = getRegistry();
 * enableShutdownHooks(registry, { budgetMs: 20_000 });
 * ```
 */
export function enableShutdownHooks(target: ShutdownTarget, options: ShutdownHookOptions = {}): () => void {
  const budgetMs = options.budgetMs ?? 30_000;
  const logger = options.logger ?? createDefaultLogger();
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const termination = onTermination(target, {
    ...(options.signals === undefined ? {} : { signals: options.signals }),
    budgetMs,
    onSignal: (signal, count) => {
      if (count === 1)
        logger.warn(`received ${signal}; stopping plugins within ${budgetMs} ms`, { event: 'shutdown.signal', signal });
      else logger.warn(`received ${signal} again during shutdown; exiting now`, { event: 'shutdown.forced' });
    },
    onEnd: (outcome) => {
      switch (outcome.by) {
        case 'shutdown':
          for (const { key, error } of outcome.report.failed) {
            logger.error(`plugin ${key} did not stop cleanly: ${messageOf(error)}`, {
              event: 'shutdown.failed',
              plugin: key,
            });
          }
          return exit(outcome.report.ok ? 0 : 1);
        case 'shutdown-failed':
          logger.error(`shutdown failed: ${messageOf(outcome.error)}`, { event: 'shutdown.failed' });
          return exit(1);
        case 'budget':
          logger.error(`shutdown did not finish within ${budgetMs} ms; exiting anyway`, {
            event: 'shutdown.budget_exceeded',
          });
          return exit(1);
        case 'second-signal':
          return exit(1);
      }
    },
  });
  return termination.dispose;
}
