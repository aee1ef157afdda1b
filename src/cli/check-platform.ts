import type { PlatformConfigProblem } from '../config/platform-config-error';
import { CircularDependencyError, MissingDependencyError, PluginConfigurationError, PluginError } from '../errors';
import { parsePluginKey } from '../plugin-type';
import type { PluginDescription } from '../registry/reports';
import { applyValidConfig } from './apply-config';
import { addProblems, problemOf, type Problem } from './output';
import { pluginKeys, type Platform } from './platform';

/** What `floe check` found: every plugin as far as it could be read, and every problem. */
export interface CheckResult {
  readonly ok: boolean;
  readonly configFile?: string;
  readonly plugins: PluginDescription[];
  readonly problems: Problem[];
  /**
   * The plugins that must not start, with their error: settings refused, dependencies missing, on a
   * cycle, or an ambiguous reference.
   */
  readonly unstartable: ReadonlyMap<string, unknown>;
}

/**
 * Checks a discovered platform without starting anything: discovery issues, the configuration file, every
 * plugin's import, metadata and API version, its configuration (the file's, or its defaults), and the
 * dependencies of each plugin. Every problem is collected; nothing stops at the first. What is valid in the
 * config file is applied; the plugins that must not start are listed in `unstartable`.
 */
export async function checkPlatform(platform: Platform): Promise<CheckResult> {
  const { registry, discovery, config } = platform;
  const problems: Problem[] = discovery.issues.map((issue) => ({
    code: issue.code,
    ...(issue.packageName === undefined ? {} : { package: issue.packageName }),
    path: issue.path,
    message: issue.message,
  }));
  const keys = pluginKeys(registry);
  const unstartable = new Map<string, unknown>();

  if (platform.configError !== undefined) addProblems(problems, [problemOf(platform.configError)]);
  if (config !== undefined) {
    const applied = await applyValidConfig(registry, config);
    for (const [key, error] of applied.invalid) unstartable.set(key, error);
    addProblems(
      problems,
      applied.problems.map((problem) => {
        const at = positionOf(problem) ?? config.locations[problem.pluginKey];
        const where =
          config.source !== undefined && at !== undefined ? { path: `${config.source}:${at.line}:${at.column}` } : {};
        return { ...problemOf(problem.error, problem.pluginKey), ...where };
      }),
    );
  }

  const loaded: string[] = [];
  for (const key of keys) {
    const { type, name } = parsePluginKey(key);
    try {
      await registry.load(type, name);
      loaded.push(key);
    } catch (error) {
      addProblems(problems, [problemOf(error, key)]);
    }
  }

  for (const key of loaded) {
    const { type, name } = parsePluginKey(key);
    if (unstartable.has(key) || config?.plugins[key] !== undefined || registry.getConfig(type, name) !== undefined)
      continue;
    try {
      // Never configured: the plugin would start with its defaults, so they must validate.
      await registry.configure(type, name, {});
    } catch (error) {
      unstartable.set(key, error);
      addProblems(problems, [problemOf(error, key)]);
    }
  }

  const loadFailures = new Set(['PLUGIN_LOAD_FAILED', 'PLUGIN_INVALID', 'PLUGIN_INCOMPATIBLE']);
  for (const key of loaded) {
    try {
      await registry.resolveDependencies([key]);
    } catch (error) {
      // A dependency that cannot be imported is already reported under its own key.
      if (PluginError.is(error) && loadFailures.has(error.code)) continue;
      if (error instanceof MissingDependencyError) unstartable.set(error.pluginKey, error);
      else if (error instanceof CircularDependencyError)
        for (const member of error.cycle) unstartable.set(member, error);
      else unstartable.set(key, error);
      // A cycle or an ambiguous name is reached from every plugin upstream of it: report it once, unattributed.
      addProblems(problems, [problemOf(error, error instanceof MissingDependencyError ? error.pluginKey : undefined)]);
    }
  }

  const plugins = keys.map((key) => {
    const { type, name } = parsePluginKey(key);
    return registry.describe(type, name);
  });
  return {
    ok: problems.length === 0,
    ...(config?.source === undefined ? {} : { configFile: config.source }),
    plugins,
    problems,
    unstartable,
  };
}

/** Where a config problem is: its first located issue (the offending key or value), else the plugin's key. */
function positionOf(problem: PlatformConfigProblem): { line: number; column: number } | undefined {
  const { error } = problem;
  const issue = error instanceof PluginConfigurationError ? error.errors.find((i) => i.line !== undefined) : undefined;
  if (issue !== undefined) return { line: issue.line as number, column: issue.column ?? 1 };
  return problem.line === undefined ? undefined : { line: problem.line, column: problem.column ?? 1 };
}
