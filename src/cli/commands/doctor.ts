import { HealthState, type HealthStatus } from '../../health';
import { messageOf } from '../../errors';
import type { ShutdownReport, StartupReport } from '../../registry/reports';
import { checkPlatform } from '../check-platform';
import { addProblems, count, formatProblems, jsonValue, problemOf, table, type Output, type Problem } from '../output';
import { openPlatform } from '../platform';
import { platformOptions, renderCheck, type CheckOptions } from './check';
import { startAllExcept } from '../apply-config';
import { MissingDependencyError } from '../../errors';

const BAR_WIDTH = 30;

/**
 * `floe doctor [--config FILE]`: check, then start every plugin, check their health and shut them down.
 * Prints the startup timeline (start, duration, critical path, failures and what they blocked), the health
 * table and the shutdown result. Exits 1 when anything is wrong; Degraded health is only a warning.
 */
export async function doctorCommand(options: CheckOptions, output: Output): Promise<number> {
  const platform = openPlatform(platformOptions(options), output.progress);
  const { registry } = platform;
  const check = await checkPlatform(platform);
  const problems: Problem[] = [...check.problems];

  let startup: StartupReport | undefined;
  let health: Record<string, HealthStatus>;
  let shutdown: ShutdownReport;
  try {
    try {
      // A plugin check found unstartable does not start: it is failed, and what needs it skipped.
      startup = await startAllExcept(registry, check.unstartable);
    } catch (error) {
      // A cycle or a missing dependency: check reported it already, under the same plugin.
      addProblems(problems, [problemOf(error, error instanceof MissingDependencyError ? error.pluginKey : undefined)]);
    }
    for (const { key, error } of startup?.failed ?? []) {
      // Check reported the unstartable ones already.
      if (!check.unstartable.has(key)) addProblems(problems, [problemOf(error, key)]);
    }
    for (const { key, blockedBy } of startup?.skipped ?? []) {
      problems.push({ code: 'PLUGIN_SKIPPED', plugin: key, message: `not started because ${blockedBy} failed` });
    }
    health = await registry.healthCheckAll();
    for (const [key, status] of Object.entries(health)) {
      if (status.state === HealthState.Unhealthy)
        problems.push({ code: 'PLUGIN_UNHEALTHY', plugin: key, message: status.message });
    }
  } finally {
    // Whatever happened, what was started is stopped before the report.
    shutdown = await registry.shutdownAll();
  }
  for (const { key, error } of shutdown.failed) problems.push(problemOf(error, key));
  const ok = problems.length === 0;
  const { unstartable: _unstartable, ...shownCheck } = check;

  if (options.json === true) {
    output.out(
      JSON.stringify(
        jsonValue({ ok, root: platform.root, check: shownCheck, startup, health, shutdown, problems }),
        null,
        2,
      ),
    );
    return ok ? 0 : 1;
  }
  const sections = [renderCheck(platform.root, platform.discovery.packagesScanned, check)];
  if (startup !== undefined) sections.push(renderStartup(startup));
  sections.push(renderHealth(health), renderShutdown(shutdown));
  const warnings = Object.values(health).filter((s) => s.state === HealthState.Degraded).length;
  const verdict = ok
    ? `Doctor: OK${warnings > 0 ? ` with ${count(warnings, 'degraded plugin')} (warning)` : ''}.`
    : `Doctor: FAILED: ${count(problems.length, 'problem')}.\n${formatProblems(problems.slice(check.problems.length))}`;
  output.out(`${sections.join('\n\n')}\n\n${verdict}`);
  return ok ? 0 : 1;
}

/** The startup timeline: one bar per plugin on a shared time axis, then the critical path. */
export function renderStartup(report: StartupReport): string {
  const total = Math.max(report.durationMs, 1);
  const failed = new Map(report.failed.map(({ key, error }) => [key, error]));
  const blocked = new Map<string, string[]>();
  for (const { key, blockedBy } of report.skipped) blocked.set(blockedBy, [...(blocked.get(blockedBy) ?? []), key]);
  const timed = Object.entries(report.timings).sort(
    ([, a], [, b]) => a.startedAt - b.startedAt || a.endedAt - b.endedAt,
  );
  const rows = timed.map(([key, t]) => {
    const from = Math.floor((t.startedAt / total) * BAR_WIDTH);
    const width = Math.max(1, Math.round((t.durationMs / total) * BAR_WIDTH));
    const error = failed.get(key);
    const note =
      error === undefined
        ? ''
        : `FAILED: ${messageOf(error).replace(/\.$/, '')}${blocked.has(key) ? `; blocked ${(blocked.get(key) as string[]).join(', ')}` : ''}`;
    return [
      error === undefined ? '✔' : '✖',
      key,
      `+${ms(t.startedAt)}`,
      ms(t.durationMs),
      `${' '.repeat(from)}${'█'.repeat(width)}`.padEnd(BAR_WIDTH),
      note,
    ];
  });
  for (const { key, blockedBy } of report.skipped)
    rows.push(['⊘', key, '', '', ''.padEnd(BAR_WIDTH), `skipped: ${blockedBy} failed`]);
  for (const [key, error] of failed)
    if (report.timings[key] === undefined)
      rows.push(['✖', key, '', '', ''.padEnd(BAR_WIDTH), `FAILED: ${messageOf(error)}`]);
  const lines = [
    `Startup: ${count(report.started.length, 'plugin')} live in ${ms(report.durationMs)}, ${report.failed.length} failed, ${report.skipped.length} skipped`,
    table(['', 'PLUGIN', 'START', 'TOOK', 'TIMELINE', ''], rows),
  ];
  if (report.criticalPath.length > 0) lines.push(`Critical path: ${report.criticalPath.join(' -> ')}`);
  return lines.join('\n');
}

/** The health of each live plugin. */
export function renderHealth(health: Record<string, HealthStatus>): string {
  const entries = Object.entries(health);
  if (entries.length === 0) return 'Health: no plugin is live.';
  const mark = { [HealthState.Healthy]: '✔', [HealthState.Degraded]: '!', [HealthState.Unhealthy]: '✖' };
  return `Health:\n${table(
    ['', 'PLUGIN', 'STATE', 'MESSAGE'],
    entries.map(([key, s]) => [mark[s.state], key, s.state, s.message]),
  )}`;
}

/** The shutdown result. */
export function renderShutdown(report: ShutdownReport): string {
  const lines = [`Shutdown: ${count(report.stopped.length, 'plugin')} stopped, ${report.failed.length} failed`];
  for (const { key, error } of report.failed) lines.push(`  ✖ ${key}: ${messageOf(error)}`);
  return lines.join('\n');
}

function ms(value: number): string {
  return `${Math.round(value)} ms`;
}
