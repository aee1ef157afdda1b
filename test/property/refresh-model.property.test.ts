import fc from 'fast-check';
import {
  createSilentLogger,
  FloePlugin,
  PluginError,
  PluginMetadata,
  PluginRegistry,
  PluginType,
  type DiscoveryFileSystem,
} from '../../src';
import { checker, drain, launchInTurn } from '../support/model-run';

/**
 * A model-based test of refresh() among the operations it overlaps with: packages installed, upgraded
 * (sometimes to a version that fails to start) and removed in an in-memory node_modules while startAll,
 * get, shutdownAll, refresh, snapshot and restore run as fast-check's scheduler interleaves them.
 *
 * Checked: no plugin starts while a plugin it depends on is not live; a get never hands out an instance
 * that is not live; every rejection is a coded PluginError the operation may give; and at the end, after a
 * last refresh, the registry knows exactly the installed plugins, each live plugin runs the installed code
 * (or, when that version fails to start, the code it ran before), every startup that completed is shut
 * down exactly once, and nothing is live after the final shutdownAll.
 */

const { Secrets, Catalog, Compute, Storage } = PluginType;
type Name = 'vault' | 'polaris' | 'duckdb' | 's3';
const PLUGINS: Record<Name, { type: PluginType; dependsOn: string[] }> = {
  vault: { type: Secrets, dependsOn: [] },
  polaris: { type: Catalog, dependsOn: ['floe.secrets:vault'] },
  duckdb: { type: Compute, dependsOn: ['floe.catalogs:polaris'] },
  s3: { type: Storage, dependsOn: [] },
};
const NAMES = Object.keys(PLUGINS) as Name[];
const ROOT = '/platform';
const MODULES = `${ROOT}/node_modules`;

/** What is installed: a version per package, and whether that version's startup fails. */
type Installed = Map<Name, { version: number; fails: boolean }>;

type Operation =
  | { readonly op: 'startAll' | 'shutdownAll' | 'refresh' | 'snapshot' | 'restore' }
  | { readonly op: 'get'; readonly plugin: Name }
  | { readonly op: 'install'; readonly plugin: Name; readonly version: number; readonly fails: boolean }
  | { readonly op: 'uninstall'; readonly plugin: Name };

const operation: fc.Arbitrary<Operation> = fc.oneof(
  fc.constant({ op: 'startAll' as const }),
  fc.constant({ op: 'shutdownAll' as const }),
  { weight: 3, arbitrary: fc.constant({ op: 'refresh' as const }) },
  fc.constant({ op: 'snapshot' as const }),
  fc.constant({ op: 'restore' as const }),
  fc.record({ op: fc.constant('get' as const), plugin: fc.constantFrom(...NAMES) }),
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('install' as const),
      plugin: fc.constantFrom(...NAMES),
      version: fc.integer({ min: 1, max: 3 }),
      fails: fc.boolean(),
    }),
  },
  fc.record({ op: fc.constant('uninstall' as const), plugin: fc.constantFrom(...NAMES) }),
);

const ALLOWED: Record<Operation['op'], readonly string[]> = {
  startAll: ['DEPENDENCY_MISSING', 'PLUGIN_NOT_FOUND'],
  shutdownAll: [],
  refresh: [],
  snapshot: [],
  restore: ['NO_SNAPSHOT'],
  get: [
    'PLUGIN_NOT_FOUND',
    'PLUGIN_STARTUP_FAILED',
    'PLUGIN_START_CANCELLED',
    'DEPENDENCY_MISSING',
    'PLUGIN_DEPENDENCY_REMOVED',
  ],
  install: [],
  uninstall: [],
};

/** node_modules in memory: a folder per installed package, with its package.json. */
function memoryFiles(installed: Installed): DiscoveryFileSystem {
  const missing = (file: string) => Object.assign(new Error(`ENOENT: ${file}`), { code: 'ENOENT' });
  const packageOf = (file: string) => NAMES.find((name) => file.startsWith(`${MODULES}/${name}`));
  return {
    readDir(dir) {
      if (dir === MODULES) return [...installed.keys()].map((name) => ({ name, kind: 'directory' as const }));
      if (dir === ROOT) return [{ name: 'node_modules', kind: 'directory' as const }];
      throw missing(dir);
    },
    readFile(file) {
      if (file === `${ROOT}/package.json`) return '{"name":"platform"}';
      const name = packageOf(file);
      const version = name === undefined ? undefined : installed.get(name);
      if (name === undefined || version === undefined || file !== `${MODULES}/${name}/package.json`)
        throw missing(file);
      const { type } = PLUGINS[name];
      const module = `./index-${version.version}${version.fails ? '-fails' : ''}.js#Plugin`;
      return JSON.stringify({
        name,
        version: `${version.version}.0.0`,
        floe: { plugins: { [type]: { [name]: module } } },
      });
    },
    realPath(file) {
      const name = packageOf(file);
      if (file === ROOT || file === MODULES || (name !== undefined && installed.has(name))) return file;
      throw missing(file);
    },
    isDirectory(file) {
      const name = packageOf(file);
      return (
        file === ROOT ||
        file === MODULES ||
        (name !== undefined && file === `${MODULES}/${name}` && installed.has(name))
      );
    },
  };
}

function runCase(
  s: fc.Scheduler,
  operations: { operation: Operation; afterPrevious: boolean }[],
  outcomes: fc.Stream<boolean>,
): Promise<void> {
  return (async () => {
    const violations: string[] = [];
    const check = checker(violations);
    const installed: Installed = new Map(NAMES.map((name) => [name, { version: 1, fails: false }]));
    const started = new Set<object>();
    const stops = new Map<object, number>();
    const classes = new Map<string, unknown>();
    /** `name@version` of every startup that failed (on purpose, or as the outcome stream said). */
    const failedStarts = new Set<string>();

    const step = async (label: string) => {
      await s.schedule(Promise.resolve(label), label);
      if (outcomes.next().value === true) throw new Error(`${label} failed`);
    };
    const stateOf = (key: string) => {
      const [type, name] = key.split(':') as [PluginType, string];
      try {
        return registry.info(type, name).state;
      } catch {
        return 'unknown';
      }
    };
    // The module a package's entry names: one class per file, as a module cache would keep it.
    const importModule = (file: string) => {
      const match = /\/node_modules\/(\w+)\/index-(\d+)(-fails)?\.js$/.exec(file);
      if (match === null) throw Object.assign(new Error(`Cannot find module ${file}`), { code: 'MODULE_NOT_FOUND' });
      const [, name, version, fails] = match as unknown as [string, Name, string, string | undefined];
      const known = classes.get(file);
      if (known !== undefined) return { Plugin: known };
      const { type, dependsOn } = PLUGINS[name];
      class Plugin extends PluginMetadata {
        readonly release = Number(version);
        override async startup() {
          for (const dep of dependsOn) {
            const state = stateOf(dep);
            if (state !== 'active') violations.push(`${name} ${version} started while ${dep} is ${state}`);
          }
          try {
            await step(`startup ${name} ${version}`);
            if (fails !== undefined) throw new Error(`${name} ${version} cannot start`);
          } catch (error) {
            failedStarts.add(`${name}@${version}`);
            throw error;
          }
          started.add(this);
        }
        override async shutdown() {
          stops.set(this, (stops.get(this) ?? 0) + 1);
          if (!started.has(this)) violations.push(`a shutdown ran for ${name} whose startup never completed`);
          await step(`shutdown ${name} ${version}`);
        }
      }
      FloePlugin({ type, name, version: `${version}.0.0`, apiVersion: '1.0', dependsOn })(Plugin);
      classes.set(file, Plugin);
      return { Plugin };
    };
    // Declared after the closures above, which only run once it exists.
    const registry: PluginRegistry = new PluginRegistry({
      rootDir: ROOT,
      logger: createSilentLogger(),
      files: memoryFiles(installed),
      loader: { importModule, resolveModule: (file) => file, realPath: (file) => file },
      timeouts: { startupMs: 60_000, shutdownMs: 60_000 },
    });
    registry.discoverAll();

    const run = (operation: Operation): Promise<unknown> => {
      switch (operation.op) {
        case 'startAll':
          return registry.startAll();
        case 'shutdownAll':
          return registry.shutdownAll();
        case 'refresh':
          return registry.refresh();
        case 'snapshot':
          registry.snapshot();
          return Promise.resolve();
        case 'restore':
          return registry.restore();
        case 'get': {
          const { type } = PLUGINS[operation.plugin];
          return registry.get<object>(type, operation.plugin).then((instance) =>
            check('get', () => {
              if (!started.has(instance) || stops.has(instance))
                violations.push(`get handed out ${operation.plugin} that is not live`);
            }),
          );
        }
        case 'install':
          installed.set(operation.plugin, { version: operation.version, fails: operation.fails });
          return Promise.resolve();
        case 'uninstall':
          installed.delete(operation.plugin);
          return Promise.resolve();
      }
    };

    const settled = launchInTurn(s, operations, run, (operation, failed) => {
      if (failed === undefined) return;
      const code = PluginError.is(failed.error) ? failed.error.code : undefined;
      if (code === undefined || !ALLOWED[operation.op].includes(code))
        violations.push(`${operation.op} rejected with ${code ?? 'no code'}: ${String(failed.error)}`);
    });
    await drain(s, Promise.all(settled), violations);
    // A last refresh makes the registry agree with node_modules again (a restore may have brought back a
    // plugin removed since its snapshot).
    await drain(s, registry.refresh(), violations);
    check('the end', () => {
      const known = Object.entries(registry.listAll()).flatMap(([type, names]) => names.map((n) => `${type}:${n}`));
      const expected = [...installed.keys()].map((name) => `${PLUGINS[name].type}:${name}`);
      if (JSON.stringify(known.sort()) !== JSON.stringify(expected.sort()))
        violations.push(`the registry knows ${known.join(', ')} while ${expected.join(', ')} are installed`);
      // A plugin runs the installed code, unless that code failed to start and the old one came back.
      for (const [name, { version }] of installed) {
        const info = registry.info(PLUGINS[name].type, name);
        if (info.state === 'active' && info.version !== `${version}.0.0` && !failedStarts.has(`${name}@${version}`))
          violations.push(`${name} runs ${info.version} while ${version}.0.0 is installed and started when asked`);
      }
    });
    await drain(s, registry.shutdownAll(), violations);
    await drain(s, registry.shutdownAll(), violations);
    check('after the final shutdown', () => {
      for (const name of NAMES) {
        const state = stateOf(`${PLUGINS[name].type}:${name}`);
        if (['starting', 'active', 'stopping'].includes(state)) violations.push(`${name} is ${state} at the end`);
      }
      for (const instance of started) {
        const calls = stops.get(instance) ?? 0;
        if (calls !== 1) violations.push(`an instance whose startup completed was shut down ${calls} times`);
      }
    });
    expect(violations).toEqual([]);
  })();
}

const RUNS = Number(process.env.FLOE_MODEL_RUNS ?? 2000) / 5;

describe('refresh among the other operations, overlapping', () => {
  it('keeps the registry and what is live true to node_modules under hundreds of interleavings', async () => {
    const fails = fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) });
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(fc.record({ operation, afterPrevious: fc.boolean() }), { minLength: 1, maxLength: 10 }),
        fc.infiniteStream(fails),
        runCase,
      ),
      { numRuns: RUNS },
    );
  }, 120_000);
});
