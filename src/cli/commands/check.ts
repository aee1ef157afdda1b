import type { PluginDescription } from '../../registry/reports';
import { checkPlatform, type CheckResult } from '../check-platform';
import { count, formatProblems, jsonValue, table, type Output } from '../output';
import { openPlatform, type PlatformOptions } from '../platform';

/** Options of `floe check` and `floe doctor`. */
export interface CheckOptions {
  root?: string;
  json?: boolean;
  config?: string;
  startupTimeout?: number;
  shutdownTimeout?: number;
  healthTimeout?: number;
}

/** The platform options of a command that reads the config file and takes the timeout flags. */
export function platformOptions(options: CheckOptions): PlatformOptions {
  return {
    ...(options.root === undefined ? {} : { root: options.root }),
    config: options.config ?? true,
    ...(options.startupTimeout === undefined ? {} : { startupTimeout: options.startupTimeout }),
    ...(options.shutdownTimeout === undefined ? {} : { shutdownTimeout: options.shutdownTimeout }),
    ...(options.healthTimeout === undefined ? {} : { healthTimeout: options.healthTimeout }),
  };
}

/**
 * `floe check [--config FILE]`: discovers, imports, checks versions, configuration and dependencies, and
 * starts nothing. Prints every problem; exits 1 when there is any.
 */
export async function checkCommand(options: CheckOptions, output: Output): Promise<number> {
  const platform = openPlatform(platformOptions(options), output.progress);
  const result = await checkPlatform(platform);
  if (options.json === true) {
    const { unstartable: _unstartable, ...shown } = result;
    output.out(JSON.stringify(jsonValue({ root: platform.root, ...shown }), null, 2));
  } else {
    output.out(renderCheck(platform.root, platform.discovery.packagesScanned, result));
  }
  return result.ok ? 0 : 1;
}

/** The check result for people: the plugins, then every problem, then a one-line verdict. */
export function renderCheck(root: string, packages: number, result: CheckResult): string {
  const lines = [
    `Checked ${root}: ${count(result.plugins.length, 'plugin')} in ${count(packages, 'package')}${result.configFile === undefined ? ', no configuration file' : `, configuration ${result.configFile}`}`,
  ];
  if (result.plugins.length > 0) {
    const failing = new Set(result.problems.map((p) => p.plugin));
    lines.push(
      '',
      table(
        ['', 'PLUGIN', 'VERSION', 'API', 'PACKAGE', 'DEPENDS ON'],
        result.plugins.map((p) => row(p, failing.has(p.key))),
      ),
    );
  }
  if (result.problems.length > 0)
    lines.push('', `Problems (${result.problems.length}):`, formatProblems(result.problems));
  lines.push('', result.ok ? 'OK: no problems found.' : `FAILED: ${count(result.problems.length, 'problem')}.`);
  return lines.join('\n');
}

function row(p: PluginDescription, failing: boolean): string[] {
  return [
    failing || p.state === 'failed' ? '✖' : '✔',
    p.key,
    p.version ?? '-',
    p.apiVersion ?? '-',
    p.packageName ?? '(registered)',
    (p.dependencies ?? []).join(', '),
  ];
}
