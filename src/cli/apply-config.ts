import type { PlatformConfig } from '../config/platform-config';
import type { PlatformConfigProblem } from '../config/platform-config-error';
import type { PluginRegistry } from '../registry/plugin-registry';
import type { StartupReport } from '../registry/reports';
import { parsePluginKey } from '../plugin-type';
import { pluginKeys } from './platform';

/** What applying a config file left out: each plugin whose settings were refused, with its error. */
export interface AppliedConfig {
  readonly invalid: ReadonlyMap<string, unknown>;
  /** Every problem, the plugins' and the defaults'. */
  readonly problems: readonly PlatformConfigProblem[];
}

/**
 * Applies what is valid in a platform config (see `applyConfig(config, { partial: true })`): a plugin whose
 * settings were refused is listed in `invalid`, and the registry fails its start with that error.
 */
export async function applyValidConfig(registry: PluginRegistry, config: PlatformConfig): Promise<AppliedConfig> {
  const { problems } = await registry.applyConfig(config, { partial: true });
  const invalid = new Map(
    problems.filter(({ pluginKey }) => pluginKey in config.plugins).map(({ pluginKey, error }) => [pluginKey, error]),
  );
  return { invalid, problems };
}

/**
 * Starts every plugin but those in `invalid` and everything that depends on them, directly or not, and
 * reports them as startAll would: the invalid ones `failed` with their error, their dependents `skipped`.
 *
 * @throws what startAll throws (a cycle, a missing dependency, an ambiguous name).
 */
export async function startAllExcept(
  registry: PluginRegistry,
  invalid: ReadonlyMap<string, unknown>,
): Promise<StartupReport> {
  if (invalid.size === 0) return registry.startAll();
  const keys = pluginKeys(registry);
  const dependents = new Map<string, string[]>();
  for (const key of keys) {
    const { type, name } = parsePluginKey(key);
    await registry.load(type, name).catch(() => undefined);
    for (const dep of registry.describe(type, name).dependencies ?? []) {
      dependents.set(dep, [...(dependents.get(dep) ?? []), key]);
    }
  }
  const blockedBy = new Map<string, string>();
  for (const root of invalid.keys()) {
    const stack = [root];
    while (stack.length > 0) {
      for (const dependent of dependents.get(stack.pop() as string) ?? []) {
        if (invalid.has(dependent) || blockedBy.has(dependent)) continue;
        blockedBy.set(dependent, root);
        stack.push(dependent);
      }
    }
  }
  const report = await registry.startAll(keys.filter((key) => !invalid.has(key) && !blockedBy.has(key)));
  return {
    ...report,
    ok: false,
    failed: [...[...invalid].map(([key, error]) => ({ key, error })), ...report.failed],
    skipped: [...[...blockedBy].map(([key, root]) => ({ key, blockedBy: root })), ...report.skipped],
  };
}
