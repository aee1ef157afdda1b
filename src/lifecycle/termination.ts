import type { EventEmitter } from 'node:events';

/** What a shutdown reports, at least. */
export interface StopReport {
  readonly ok: boolean;
  readonly failed: { key: string; error: unknown }[];
}

/** Something that can stop every live plugin, such as a PluginRegistry. */
export interface ShutdownTarget<R extends StopReport = StopReport> {
  shutdownAll(): Promise<R>;
}

/** Where termination signals are heard: the process, or an emitter a test passes. */
export type SignalSource = Pick<EventEmitter, 'on' | 'removeListener'>;

/** How a termination ended: the shutdown's report, or why there is none. */
export type TerminationOutcome<R extends StopReport = StopReport> =
  | { readonly by: 'shutdown'; readonly report: R }
  | { readonly by: 'shutdown-failed'; readonly error: unknown }
  | { readonly by: 'second-signal' }
  | { readonly by: 'budget' };

/** What happens on termination signals (every field has a default). */
export interface TerminationOptions<R extends StopReport = StopReport> {
  /** Default `['SIGTERM', 'SIGINT']`. */
  readonly signals?: readonly NodeJS.Signals[];
  /** Default `process`. */
  readonly source?: SignalSource;
  /** The time the shutdown gets in all before the termination ends anyway; default `Infinity`. */
  readonly budgetMs?: number;
  /**
   * How long to wait after the first signal before the shutdown begins (readiness is already 503 then, so
   * that load balancers stop sending work); default 0. A second signal during the wait ends at once.
   */
  readonly drainMs?: number;
  /** Told of each signal as it arrives (`count` 1 for the first): to log it. */
  readonly onSignal?: (signal: NodeJS.Signals, count: number) => void;
  /** Told once, synchronously, when the termination ends (a second signal ends it within its own call). */
  readonly onEnd?: (outcome: TerminationOutcome<R>) => void;
}

/** A termination being listened for. */
export interface Termination<R extends StopReport = StopReport> {
  /** Resolves with the first signal, when it arrives. */
  readonly signalled: Promise<NodeJS.Signals>;
  /** How many signals arrived so far (synchronously up to date). */
  readonly received: number;
  /**
   * Resolves once the termination is over, whichever comes first: the shutdown the first signal began, a
   * second signal, or the budget. The listeners are removed and the budget's timer cleared by then.
   */
  readonly done: Promise<TerminationOutcome<R>>;
  /** Stops listening (and clears the budget's timer); a termination not signalled yet never ends. */
  dispose(): void;
}

/**
 * The one handling of termination signals in floe-core, for `enableShutdownHooks` and `floe serve`: the
 * first SIGTERM or SIGINT stops every live plugin once through `target.shutdownAll()` (which turns
 * readiness 503 at once), after the drain and within a total budget; a second signal ends the termination
 * at once.
 */
export function onTermination<R extends StopReport>(
  target: ShutdownTarget<R>,
  options: TerminationOptions<R> = {},
): Termination<R> {
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const source = options.source ?? process;
  const budgetMs = options.budgetMs ?? Infinity;
  const drainMs = options.drainMs ?? 0;
  let received = 0;
  let timer: NodeJS.Timeout | undefined;
  let drain: NodeJS.Timeout | undefined;
  let onFirst!: (signal: NodeJS.Signals) => void;
  let finish!: (outcome: TerminationOutcome<R>) => void;
  const signalled = new Promise<NodeJS.Signals>((resolve) => (onFirst = resolve));
  const done = new Promise<TerminationOutcome<R>>((resolve) => (finish = resolve));

  const dispose = () => {
    clearTimeout(timer);
    clearTimeout(drain);
    for (const signal of signals) source.removeListener(signal, onSignal);
  };
  // Ends once, whichever comes first.
  let over = false;
  const end = (outcome: TerminationOutcome<R>) => {
    if (over) return;
    over = true;
    dispose();
    options.onEnd?.(outcome);
    finish(outcome);
  };

  function onSignal(signal: NodeJS.Signals): void {
    received++;
    options.onSignal?.(signal, received);
    if (received > 1) {
      end({ by: 'second-signal' });
      return;
    }
    onFirst(signal);
    if (drainMs > 0) drain = setTimeout(stop, drainMs);
    else stop();
  }

  // The shutdown itself, after the drain, within the budget.
  function stop(): void {
    if (over) return;
    if (budgetMs !== Infinity) timer = setTimeout(() => end({ by: 'budget' }), budgetMs);
    let stopping: Promise<R>;
    try {
      stopping = target.shutdownAll();
    } catch (error) {
      stopping = Promise.reject(error);
    }
    stopping.then(
      (report) => end({ by: 'shutdown', report }),
      (error: unknown) => end({ by: 'shutdown-failed', error }),
    );
  }

  for (const signal of signals) source.on(signal, onSignal);
  return {
    signalled,
    done,
    dispose,
    get received() {
      return received;
    },
  };
}
