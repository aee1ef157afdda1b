import { cancelledError } from './attempt';
import type { PlanSource } from './plan';
import type { Operation, PluginLifecycle } from './plugin-lifecycle';
import type { PluginRecord } from './plugin-life';
import type { ReconfigureReport } from './reports';
import type { StartOperations } from './start-operations';

/** Which plugins are live, and the settings each live instance was built with. */
export interface LiveView {
  isLive(record: PluginRecord): boolean;
  settingsOf(record: PluginRecord): object | undefined;
}

/** A change of settings to bring live: what it touches, and how to store it. */
export interface SettingsChange {
  /** Validates the new settings in the operation's turn; a throw rejects the call and changes nothing. */
  validate(): Promise<void>;
  /**
   * The live plugins the change must restart, as `view` shows them: plugins whose settings differ from
   * those their live instance was built with. Asked in the operation's turn (once no start is in flight)
   * of the plugins live then, or, when a shutdown or restore overtook the change first, of those live
   * when the change was asked for (what it was asked to restart, reported cancelled).
   */
  changed(view: LiveView): PluginRecord[];
  /** Every known plugin: the restart also stops the live plugins depending on the changed ones. */
  all(): readonly PluginRecord[];
  /** Stores the new settings; returns what puts the old ones back. */
  commit(): () => void;
}

/**
 * Brings new settings live as one exclusive operation of the lifecycle (reconfigure, a live applyConfig),
 * queued when called, so that nothing starts between the call and the change. In its turn it validates the
 * settings (a failure changes nothing), stops the changed plugins and every live plugin depending on them (dependents first),
 * stores the settings and starts them again in dependency order; if any fails to start, those started are
 * stopped, the old settings come back and they start again with them. Nothing else starts meanwhile. A
 * shutdown or restore asked for meanwhile cancels what it has not started yet (reported as
 * PLUGIN_START_CANCELLED, nothing rolled back).
 */
export function restartWith(
  lifecycle: PluginLifecycle,
  starts: StartOperations,
  planner: PlanSource,
  change: SettingsChange,
): Promise<ReconfigureReport> {
  const asked = liveWhenAsked(lifecycle, change.all());
  return lifecycle.exclusive(async (op) => {
    await change.validate();
    if (op.overtaken) {
      change.commit();
      return cancelled(change.changed(asked));
    }
    const changed = change.changed(liveView(lifecycle));
    const stopOutcome = await op.stop(changed, change.all());
    const failed = [...stopOutcome.failed];
    const stopped = change
      .all()
      .filter((record) => stopOutcome.stopped.includes(record.key) || failed.some((f) => f.key === record.key));
    const undo = change.commit();
    const first = await startAgain(op, starts, planner, stopped);
    if (first.failed.length === 0 && first.skipped.length === 0)
      return { ok: failed.length === 0, restarted: liveOrder(lifecycle, stopped), rolledBack: false, failed };
    failed.push(...first.failed);
    if (op.overtaken) return { ok: false, restarted: liveOrder(lifecycle, stopped), rolledBack: false, failed };
    // Back to how it was: also what the restart started that was not live before (a new dependency).
    const startedByIt = new Set(first.started);
    const back = await op.stop(
      change
        .all()
        .filter(
          (record) => (stopped.includes(record) || startedByIt.has(record.key)) && record.life.state === 'active',
        ),
      change.all(),
    );
    failed.push(...back.failed);
    undo();
    const second = await startAgain(op, starts, planner, stopped);
    failed.push(...second.failed);
    return { ok: false, restarted: liveOrder(lifecycle, stopped), rolledBack: true, failed };
  });
}

async function startAgain(op: Operation, starts: StartOperations, planner: PlanSource, records: PluginRecord[]) {
  return starts.run(await planner.plan(records, 'collect'), op.ticket);
}

/** The report of a change a shutdown or restore overtook before it restarted anything. */
function cancelled(changed: readonly PluginRecord[]): ReconfigureReport {
  const failed = changed.map((record) => ({
    key: record.key,
    error: cancelledError(record.key, 'a shutdown or restore was asked for before its restart'),
  }));
  return { ok: failed.length === 0, restarted: [], rolledBack: false, failed };
}

/** Which plugins are live, and with which settings, read from their lives when asked. */
function liveView(lifecycle: PluginLifecycle): LiveView {
  return {
    isLive: (record) => record.life.state === 'active',
    settingsOf: (record) => lifecycle.liveSettings(record),
  };
}

/** The live plugins among `records` and the settings each was built with, kept as they are now. */
function liveWhenAsked(lifecycle: PluginLifecycle, records: readonly PluginRecord[]): LiveView {
  const settings = new Map<PluginRecord, object | undefined>();
  for (const record of records)
    if (record.life.state === 'active') settings.set(record, lifecycle.liveSettings(record));
  return { isLive: (record) => settings.has(record), settingsOf: (record) => settings.get(record) };
}

/** The keys of those records live now, in the order they went live. */
function liveOrder(lifecycle: PluginLifecycle, records: readonly PluginRecord[]): string[] {
  return records
    .filter((record) => record.life.state === 'active')
    .sort((a, b) => lifecycle.liveSince(a) - lifecycle.liveSince(b))
    .map((record) => record.key);
}
