import { PlatformConfigError } from '../config/platform-config-error';
import { MissingDependencyError, PluginError } from '../errors';
import { parsePluginKey } from '../plugin-type';
import type { PluginDescription } from '../registry/reports';
import { addProblems, problemOf, type Problem } from './output';
import { pluginKeys, readPlatformConfig, type Platform } from './platform';

/** What `floe check` found: every plugin as far as it could be read, and every problem. */
export interface CheckResult {
  readonly ok: boolean;
  readonly configFile?: string;
  readonly plugins: PluginDescription[];
  readonly problems: Problem[];
}

/**
 * Checks a discovered platform without starting anything: discovery issues, the configuration file, every
 * plugin's import, metadata and API version, its configuration (the file's, or its defaults), and the
 * dependencies of each plugin. Every problem is collected; nothing stops at the first.
 */
export async function checkPlatform(platform: Platform, configFile: string | undefined): Promise<CheckResult> {
  const { registry, discovery } = platform;
  const problems: Problem[] = discovery.issues.map((issue) => ({
    code: issue.code,
    ...(issue.packageName === undefined ? {} : { package: issue.packageName }),
    path: issue.path,
    message: issue.message,
  }));
  const keys = pluginKeys(registry);

  let configured = new Set<string>();
  let source: string | undefined;
  try {
    const config = readPlatformConfig(platform.root, configFile);
    if (config !== undefined) {
      source = config.source;
      configured = new Set(Object.keys(config.plugins));
      await registry.applyConfig(config);
    }
  } catch (error) {
    if (error instanceof PlatformConfigError) {
      addProblems(
        problems,
        error.errors.map(({ pluginKey, error: inner }) => problemOf(inner, pluginKey)),
      );
    } else addProblems(problems, [problemOf(error)]);
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
    if (configured.has(key) || registry.getConfig(type, name) !== undefined) continue;
    try {
      // Never configured: the plugin would start with its defaults, so they must validate.
      await registry.configure(type, name, {});
    } catch (error) {
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
      // A cycle or an ambiguous name is reached from every plugin upstream of it: report it once, unattributed.
      addProblems(problems, [problemOf(error, error instanceof MissingDependencyError ? error.pluginKey : undefined)]);
    }
  }

  const plugins = keys.map((key) => {
    const { type, name } = parsePluginKey(key);
    return registry.describe(type, name);
  });
  return { ok: problems.length === 0, ...(source === undefined ? {} : { configFile: source }), plugins, problems };
}
