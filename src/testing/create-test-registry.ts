import type { PlatformConfig } from '../config/platform-config';
import { createSilentLogger } from '../logging';
import type { PluginClass } from '../plugin/floe-plugin';
import type { PluginType } from '../plugin-type';
import { PluginRegistry } from '../registry/plugin-registry';
import { stageConfig } from '../registry/plugin-settings';
import type { RegistryTimeouts } from '../registry/registry-options';

/** Settings for a test registry: a platform config, or just the parts a test needs. */
export interface TestConfig {
  readonly defaults?: Partial<Record<PluginType, string>>;
  readonly plugins?: Readonly<Record<string, unknown>>;
}

/** How a test registry is set up; everything is optional. */
export interface TestRegistryOptions {
  /** Plugin classes to register by hand. */
  plugins?: readonly PluginClass[];
  /** The project to discover plugins in when `discover` is true; default `process.cwd()`. */
  rootDir?: string;
  /** Scan `rootDir` and its node_modules for plugin packages; default false. */
  discover?: boolean;
  /**
   * Settings in force from the moment the registry is returned: its defaults at once, its plugin settings
   * once validated (every start waits for them, and fails with their error); a snapshot taken at once holds
   * them too.
   */
  config?: PlatformConfig | TestConfig;
  /** Default 2000 ms each. */
  timeouts?: RegistryTimeouts;
}

const TEST_TIMEOUT_MS = 2000;

/**
 * A PluginRegistry for tests: a silent logger, 2-second timeouts, the given plugins registered, and
 * (optionally) the project's plugins discovered and a config applied. Stop it with `await using`, or
 * `shutdownAll()` in an `afterEach`.
 *
 * @throws what `register` throws for a bad plugin class.
 * @example
 * ```ts
 * await using registry = createTestRegistry({ plugins: [DuckDBPlugin], config: { plugins: { 'floe.computes:duckdb': { threads: 1 } } } });
 * const duckdb = await registry.get(PluginType.Compute, 'duckdb');
 * ```
 */
export function createTestRegistry(options: TestRegistryOptions = {}): PluginRegistry {
  const registry = new PluginRegistry({
    rootDir: options.rootDir ?? process.cwd(),
    logger: createSilentLogger(),
    timeouts: {
      loadMs: TEST_TIMEOUT_MS,
      startupMs: TEST_TIMEOUT_MS,
      shutdownMs: TEST_TIMEOUT_MS,
      healthMs: TEST_TIMEOUT_MS,
      ...options.timeouts,
    },
  });
  if (options.discover === true) registry.discoverAll();
  for (const cls of options.plugins ?? []) registry.register(cls);
  if (options.config !== undefined) {
    const config = options.config;
    stageConfig(registry, {
      ...('source' in config && config.source !== undefined ? { source: config.source } : {}),
      defaults: config.defaults ?? {},
      plugins: config.plugins ?? {},
      locations: 'locations' in config ? config.locations : {},
    });
  }
  return registry;
}
