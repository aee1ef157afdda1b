import { PluginError, messageOf } from '../errors';

/** One plugin's problem in a platform configuration. */
export interface PlatformConfigProblem {
  readonly pluginKey: string;
  readonly error: unknown;
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
    const lines = problems.map(({ pluginKey, error }) => {
      const at = locations[pluginKey];
      const where = source !== undefined && at !== undefined ? ` (${source}:${at.line})` : '';
      return `  - ${pluginKey}${where}: ${messageOf(error).replace(/\n/g, '\n    ')}`;
    });
    super(
      'PLATFORM_CONFIG_INVALID',
      `The platform configuration${source === undefined ? '' : ` in ${source}`} has ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was applied:\n${lines.join('\n')}`,
    );
    this.errors = Object.freeze([...problems]);
  }
}
