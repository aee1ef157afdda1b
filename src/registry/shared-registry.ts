import { PluginError } from '../errors';
import { PluginRegistry } from './plugin-registry';
import type { PluginRegistryOptions } from './registry-options';

let shared: PluginRegistry | undefined;

/**
 * The one shared registry of the process, created and discovered on the first call.
 *
 * @throws PluginError `REGISTRY_EXISTS` when options are passed after the registry was created: they would be ignored.
 */
export function getRegistry(options?: PluginRegistryOptions): PluginRegistry {
  if (shared !== undefined) {
    if (options !== undefined) {
      throw new PluginError(
        'REGISTRY_EXISTS',
        'getRegistry() was given options, but the shared registry already exists; pass options only on the first call, or call resetRegistry() first.',
      );
    }
    return shared;
  }
  const registry = new PluginRegistry(options);
  registry.discoverAll();
  shared = registry;
  return registry;
}

/** Shuts the shared registry down and forgets it, so the next getRegistry() builds a new one (for tests). */
export async function resetRegistry(): Promise<void> {
  const registry = shared;
  shared = undefined;
  if (registry !== undefined) await registry.shutdownAll();
}
