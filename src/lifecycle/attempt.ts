import type { Context } from '@opentelemetry/api';
import { PluginError, type PluginShutdownError } from '../errors';
import type { FloePluginOptions, PluginClass } from '../plugin/floe-plugin';
import { HookAbort } from './hook-abort';
import type { PluginInfo, PluginLife, PluginRecord, PluginState } from './plugin-life';

const SETTLED: Promise<void> = Promise.resolve();

/** How many times any life's public view was dropped: lists of views read at the same count are current. */
let viewsDropped = 0;

/** The count lists of views compare to know whether they are still current (see `Life.changed`). */
export function viewRevision(): number {
  return viewsDropped;
}

/** One try at bringing a plugin up, from the first step of its start to the end of its shutdown. */
export class Attempt {
  /** Aborts the start (timeout, cancellation); dropped once the start is over. */
  abort: HookAbort | undefined = new HookAbort();
  /** Set when a stop covering this plugin began while the attempt was starting. */
  cancelled?: PluginError;
  /** Whether the container finished constructing the instance (the activation hook took over). */
  constructed = false;
  instance?: unknown;
  /** Rejects the start at once while the container is still constructing (no hook to wait for). */
  cancelBuild?: (error: unknown) => void;
  /** Settles when the container is done constructing this attempt's instance, whatever the outcome. */
  built?: Promise<void>;
  /** The shutdown's outcome: undefined when it stopped cleanly, else the PluginShutdownError. */
  stopping?: Promise<PluginShutdownError | undefined>;
  /** The trace context of the stop that shuts it down. */
  stopContext?: Context;
  /** Resolves when the start is over (live, failed or cancelled); never rejects. */
  settled: Promise<void> = SETTLED;
  /** The start: the live instance, or the reason it is not live. */
  done: Promise<unknown> = SETTLED;

  /** The settings it is built with, once its configuration is ready. */
  settings?: object;

  /** @param deps - the keys of the plugins it was started after: it is stopped before them. */
  constructor(readonly deps: readonly string[]) {}

  /** Lets go of what only the start needed, so that a live plugin holds as little as possible. */
  release(): void {
    this.abort = undefined;
    this.cancelBuild = undefined;
    this.settled = SETTLED;
    this.done = SETTLED;
  }
}

/** A plugin's life as the lifecycle sees it; other modules only read it, through PluginLife. */
export class Life implements PluginLife {
  cls?: PluginClass;
  options?: FloePluginOptions;
  error?: unknown;
  instance?: unknown;
  /** When it last went live, in the order plugins went live. */
  liveSince = 0;
  loading?: Promise<PluginClass>;
  /** The current attempt while starting, active or stopping. */
  attempt?: Attempt;
  /** The attempt whose instance the container is constructing; a newer one waits for it. */
  building?: Attempt;
  view?: PluginInfo;

  constructor(public state: PluginState) {}

  /** The one way a state changes: the frozen view is made again on the next read. */
  enter(state: PluginState): void {
    this.state = state;
    this.changed();
  }

  /** Drops the public view after a change it shows (the state, the class's options). */
  changed(): void {
    this.view = undefined;
    viewsDropped++;
  }
}

/** The lifecycle's own view of a record's life. */
export function lifeOf(record: PluginRecord): Life {
  return record.life as Life;
}

/** The PluginError of a start cut short by a shutdown, a restore or a refresh. */
export function cancelledError(key: string, why: string): PluginError {
  return new PluginError(
    'PLUGIN_START_CANCELLED',
    `The start of plugin ${key} was cancelled: ${why}. Start it again once that is done (get or startAll wait for it).`,
  );
}
