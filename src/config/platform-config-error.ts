import { PluginConfigurationError, PluginError, messageOf } from '../errors';
import type { PlatformConfig } from './platform-config';

/** One plugin's problem in a platform configuration. */
export interface PlatformConfigProblem {
  readonly pluginKey: string;
  readonly error: unknown;
  /** Where the problem is in the config file, when the config came from one: the plugin's key, or the default's value. */
  readonly line?: number;
  readonly column?: number;
}

/**
 * Every problem `applyConfig` found, across all plugins, at once; like an AggregateError, `errors`
 * holds each plugin's own error (a PluginConfigurationError, PLUGIN_NOT_FOUND, PLUGIN_ALREADY_ACTIVE, ...).
 */
export class PlatformConfigError extends PluginError {
  readonly errors: readonly PlatformConfigProblem[];

  constructor(
    problems: readonly PlatformConfigProblem[],
    readonly source?: string,
    locations: Readonly<Record<string, { line: number; column: number }>> = {},
  ) {
    const lines = problems.map(({ pluginKey, error, line, column }) => {
      const at = line === undefined ? locations[pluginKey] : { line, column: column ?? 1 };
      const where = source !== undefined && at !== undefined ? ` (${source}:${at.line}:${at.column})` : '';
      return `  - ${pluginKey}${where}: ${messageOf(error).replace(/\n/g, '\n    ')}`;
    });
    super(
      'PLATFORM_CONFIG_INVALID',
      `The platform configuration${source === undefined ? '' : ` in ${source}`} has ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was applied:\n${lines.join('\n')}`,
    );
    this.errors = Object.freeze([...problems]);
  }
}

/**
 * A problem with where it is in the config file it came from: the plugin's key (or, for a default, the
 * plugin name it gives), and for refused settings each issue's offending key or value (see ConfigIssue).
 * The problem as it is when the config did not come from a file.
 */
export function locateProblem(
  problem: PlatformConfigProblem,
  config: PlatformConfig,
  of: { default?: string } = {},
): PlatformConfigProblem {
  const positions = config.positions;
  if (positions === undefined) return problem;
  const { pluginKey } = problem;
  const at = of.default === undefined ? positions.setting(pluginKey, '', 'key') : positions.defaultFor(of.default);
  let error = problem.error;
  if (error instanceof PluginConfigurationError) {
    const issues = error.errors.map((issue) => ({
      ...issue,
      ...positions.setting(pluginKey, issue.path, issue.constraint === 'whitelistValidation' ? 'key' : 'value'),
    }));
    error = new PluginConfigurationError(error.pluginName, issues, error.pluginKey, config.source);
  }
  return { ...problem, error, ...at };
}
