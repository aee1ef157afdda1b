import { PluginError } from '../errors';
import { lifeOf } from './attempt';
import type { PluginRecord, PluginState } from './plugin-life';

/** Where a registry is as a whole, for probes. */
export type PlatformPhase = 'idle' | 'starting' | 'running' | 'stopping';

/** One plugin that was asked to be live, and why it is not when it is not. */
export interface ExpectedPlugin {
  readonly key: string;
  readonly state: PluginState;
  /**
   * Why it is not live, as an error code, when that is known: its own failure (PLUGIN_STARTUP_FAILED,
   * PLUGIN_CONFIG_INVALID, PLUGIN_TIMEOUT, ...), PLUGIN_SKIPPED when a plugin it needs failed, or why it
   * was refused before starting (DEPENDENCY_CYCLE, DEPENDENCY_MISSING, ...). Absent for a live plugin and
   * for one still on its way up.
   */
  readonly reason?: string;
  /** With PLUGIN_SKIPPED: the plugin that failed. */
  readonly blockedBy?: string;
  /** The error behind `reason`, when there is one. */
  readonly error?: unknown;
}

/** A registry as probes see it: its phase and every plugin expected to be live. */
export interface PlatformStatus {
  /**
   * `idle` until a start is asked for (since creation or the last full shutdown), `starting` while a
   * `startAll` runs, `running` after, `stopping` from the moment a full shutdown is asked for until a start
   * is asked for after it.
   */
  readonly phase: PlatformPhase;
  /** Every plugin asked to start since the last full shutdown, in key order. */
  readonly expected: readonly ExpectedPlugin[];
}

/** Why a plugin asked for was not started, when its life does not say. */
interface Refusal {
  readonly error: unknown;
  readonly blockedBy?: string;
}

/** The code of a failure, as probes report it. */
function codeOf(error: unknown, fallback: string): string {
  return PluginError.is(error) ? error.code : fallback;
}

/**
 * The plugins asked to be live since the last full shutdown (every `get` and `startAll`, with what they
 * depend on), including those that failed, were skipped or were refused before starting. What each one's
 * state and reason are is read from its life when asked, never kept aside: only why a plugin was refused
 * or skipped, which its life cannot tell, is recorded here, and forgotten once it is asked for again.
 */
export class ExpectedSet {
  private readonly asked = new Map<PluginRecord, Refusal | undefined>();

  /** Adds plugins asked to start; what was recorded against them before no longer holds. */
  ask(records: Iterable<PluginRecord>): void {
    for (const record of records) this.asked.set(record, undefined);
  }

  /** Records why an expected plugin was not started: refused (a cycle, a missing dependency) or skipped. */
  refuse(record: PluginRecord, error: unknown, blockedBy?: string): void {
    if (this.asked.has(record)) this.asked.set(record, blockedBy === undefined ? { error } : { error, blockedBy });
  }

  /** Whether a plugin was asked to be live since the last full shutdown. */
  has(record: PluginRecord): boolean {
    return this.asked.has(record);
  }

  /** Forgets one plugin (its package was removed); `instead`, its replacement, is expected if it was. */
  replace(record: PluginRecord, instead?: PluginRecord): void {
    if (!this.asked.has(record)) return;
    this.asked.delete(record);
    if (instead !== undefined) this.asked.set(instead, undefined);
  }

  /** Forgets everything: a full shutdown was asked for. */
  clear(): void {
    this.asked.clear();
  }

  get size(): number {
    return this.asked.size;
  }

  /** The expected plugins that `isKnown` (the registry still has them), in key order, as they are now. */
  view(isKnown: (record: PluginRecord) => boolean): ExpectedPlugin[] {
    const expected: ExpectedPlugin[] = [];
    for (const [record, refusal] of this.asked) {
      if (!isKnown(record)) continue;
      const life = lifeOf(record);
      const state = life.state;
      if (state === 'active') expected.push({ key: record.key, state });
      else if (life.error !== undefined && (state === 'failed' || state === 'stopped'))
        expected.push({
          key: record.key,
          state,
          reason: codeOf(life.error, 'PLUGIN_STARTUP_FAILED'),
          error: life.error,
        });
      else if (refusal !== undefined && (state === 'loaded' || state === 'discovered' || state === 'stopped'))
        expected.push({
          key: record.key,
          state,
          reason: refusal.blockedBy === undefined ? codeOf(refusal.error, 'PLUGIN_INVALID') : 'PLUGIN_SKIPPED',
          ...(refusal.blockedBy === undefined ? {} : { blockedBy: refusal.blockedBy }),
          error: refusal.error,
        });
      else expected.push({ key: record.key, state });
    }
    return expected.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
}
