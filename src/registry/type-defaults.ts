import { AmbiguousPluginError, PluginNotFoundError } from '../errors';
import { pluginKey, type PluginType } from '../plugin-type';
import type { PluginCatalog } from './plugin-catalog';

/**
 * The key of the plugin a bare `@inject(type)` gets: the configured default, else the only plugin of the type.
 *
 * @throws PluginNotFoundError when the default is not installed or the type has no plugin;
 *   AmbiguousPluginError when several plugins and no default.
 */
export function defaultPluginKey(catalog: PluginCatalog, type: PluginType, chosen: string | undefined): string {
  const candidates = catalog.ofType(type);
  if (chosen !== undefined) {
    if (catalog.find(type, chosen) === undefined)
      throw new PluginNotFoundError(
        type,
        chosen,
        candidates.map((r) => r.name),
      );
    return pluginKey(type, chosen);
  }
  if (candidates.length === 1) return candidates[0].key;
  if (candidates.length === 0) throw new PluginNotFoundError(type, '(default)');
  throw new AmbiguousPluginError(
    `@inject(${type})`,
    candidates.map((r) => r.key),
    `Inject one by name with @named('${candidates[0].name}'), or set the default for ${type} (registry option "defaults", or "defaults" in floe.config).`,
  );
}

/**
 * The key a bare `@inject(type)` would get, for planning: the configured default (known or not), the only
 * plugin of the type, or `undefined` when the type has none.
 *
 * @throws AmbiguousPluginError when several plugins and no default.
 */
export function findDefaultKey(
  catalog: PluginCatalog,
  type: PluginType,
  chosen: string | undefined,
): string | undefined {
  if (chosen !== undefined) return pluginKey(type, chosen);
  if (catalog.countOfType(type) === 0) return undefined;
  return defaultPluginKey(catalog, type, undefined);
}
