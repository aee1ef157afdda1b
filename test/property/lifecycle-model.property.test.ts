import fc from 'fast-check';
import { IsInt } from 'class-validator';
import { inject, injectable, named } from 'inversify';
import {
  createSilentLogger,
  FloePlugin,
  getRegistry,
  PluginError,
  PluginMetadata,
  PluginType,
  resetRegistry,
  type LiveConfigReport,
  type PluginRegistry,
} from '../../src';
import { checker, drain, launchInTurn } from '../support/model-run';

/**
 * A model-based test of every operation that changes what is live, overlapping as fast-check's scheduler
 * decides: startAll, get, getAsync through the container, shutdownAll, reconfigure, configure, applyConfig
 * (live or not), snapshot, restore and resetRegistry, with hooks whose delays the scheduler picks and that
 * fail at random (and, in the second property, hang past their timeout).
 *
 * Checked during and after every run: no plugin is built or started while a dependency is not live; every
 * live plugin was built with the settings the registry reports for it; settings an applyConfig or reconfigure
 * reports as applied are those of the live instance; a restore brings the registry's data back exactly as
 * at its snapshot; every rejection is a coded PluginError an operation may give; reports tell the truth when
 * they resolve; and by the end every startup that completed has had exactly one shutdown, none ran for a
 * startup that did not complete, and nothing is live after the final shutdownAll. A failure anywhere in the
 * checker is a violation, never swallowed.
 */

const { Secrets, Catalog, Compute, Storage } = PluginType;
type Outcome = 'ok' | 'throw' | 'hang';
type Name = 'vault' | 'env' | 'polaris' | 'duckdb' | 's3';

/** A settings value that makes a startup fail: what a reconfigure must roll back. */
const FAILS_TO_START = 13;

const PLUGINS: Record<Name, { type: PluginType; schema: boolean; dependsOn: string[] }> = {
  vault: { type: Secrets, schema: true, dependsOn: [] },
  env: { type: Secrets, schema: true, dependsOn: [] },
  // Injects the default secrets plugin (a bare @inject), so the `defaults` decide its dependency.
  polaris: { type: Catalog, schema: true, dependsOn: [] },
  // Injects polaris by name.
  duckdb: { type: Compute, schema: true, dependsOn: [] },
  s3: { type: Storage, schema: false, dependsOn: ['vault'] },
};
const NAMES = Object.keys(PLUGINS) as Name[];
const keyOf = (name: Name) => `${PLUGINS[name].type}:${name}`;

class Settings {
  @IsInt() n = 1;
}

type Operation =
  | { readonly op: 'startAll' | 'shutdownAll' | 'snapshot' | 'restore' | 'reset' }
  | { readonly op: 'get' | 'getAsync'; readonly plugin: Name }
  | { readonly op: 'configure' | 'reconfigure'; readonly plugin: Name; readonly n: number }
  | {
      readonly op: 'apply';
      readonly live: boolean;
      readonly settings: readonly { plugin: Name; n: number }[];
      readonly secrets?: 'vault' | 'env';
    };

const settingsValue = fc.oneof(fc.integer({ min: 1, max: 4 }), fc.constant(FAILS_TO_START));
const configurable = fc.constantFrom<Name>('vault', 'env', 'polaris', 'duckdb');
const operation: fc.Arbitrary<Operation> = fc.oneof(
  fc.constant({ op: 'startAll' as const }),
  fc.constant({ op: 'shutdownAll' as const }),
  fc.constant({ op: 'snapshot' as const }),
  fc.constant({ op: 'restore' as const }),
  { weight: 1, arbitrary: fc.constant({ op: 'reset' as const }) },
  fc.record({ op: fc.constantFrom('get' as const, 'getAsync' as const), plugin: fc.constantFrom(...NAMES) }),
  fc.record({
    op: fc.constantFrom('configure' as const, 'reconfigure' as const),
    plugin: configurable,
    n: settingsValue,
  }),
  fc.record(
    {
      op: fc.constant('apply' as const),
      live: fc.boolean(),
      settings: fc.uniqueArray(fc.record({ plugin: configurable, n: settingsValue }), {
        selector: (s) => s.plugin,
        maxLength: 3,
      }),
      secrets: fc.constantFrom('vault' as const, 'env' as const),
    },
    { requiredKeys: ['op', 'live', 'settings'] },
  ),
);

/** The codes each operation may reject with; anything else is a violation. */
const ALLOWED: Record<Operation['op'], readonly string[]> = {
  startAll: [],
  shutdownAll: [],
  snapshot: [],
  reset: [],
  restore: ['NO_SNAPSHOT'],
  get: ['PLUGIN_STARTUP_FAILED', 'PLUGIN_START_CANCELLED'],
  getAsync: ['PLUGIN_STARTUP_FAILED', 'PLUGIN_START_CANCELLED'],
  configure: ['PLUGIN_ALREADY_ACTIVE'],
  reconfigure: ['PLUGIN_ALREADY_ACTIVE'],
  apply: ['PLATFORM_CONFIG_INVALID'],
};

/** The registry's data as a test can compare it: plugins, their settings, and the defaults. */
function dataOf(registry: PluginRegistry): string {
  const internals = registry as unknown as { parts: { state: { current: { defaults: object } } } };
  return JSON.stringify({
    plugins: registry.listAll(),
    settings: NAMES.map((name) => registry.getConfig(PLUGINS[name].type, name) ?? null),
    defaults: internals.parts.state.current.defaults,
  });
}

/** The live instance of a plugin, as the registry holds it. */
function liveInstance(registry: PluginRegistry, name: Name): Built | undefined {
  const internals = registry as unknown as {
    parts: {
      state: { catalog: { find(type: string, name: string): { life: { state: string; instance?: unknown } } } };
    };
  };
  const life = internals.parts.state.catalog.find(PLUGINS[name].type, name).life;
  return life.state === 'active' ? (life.instance as Built) : undefined;
}

/** What every test plugin instance records about itself. */
interface Built {
  /** From the decorator. */
  readonly name: string;
  readonly settings?: Settings;
}

function runCase(hangs: boolean) {
  return async (
    s: fc.Scheduler,
    operations: { operation: Operation; afterPrevious: boolean }[],
    outcomes: fc.Stream<Outcome>,
  ): Promise<void> => {
    const violations: string[] = [];
    const check = checker(violations);
    const started = new Set<object>();
    const stops = new Map<object, number>();
    const nextOutcome = () => {
      const outcome = outcomes.next().value as Outcome;
      return outcome === 'hang' && !hangs ? 'ok' : outcome;
    };
    const step = async (label: string) => {
      const outcome = nextOutcome();
      if (outcome === 'hang') return new Promise<void>(() => undefined);
      await s.schedule(Promise.resolve(label), label);
      if (outcome === 'throw') throw new Error(`${label} failed`);
    };

    await resetRegistry();
    const registry = getRegistry({
      rootDir: '/nonexistent',
      logger: createSilentLogger(),
      defaults: { [Secrets]: 'vault' },
      timeouts: hangs ? { startupMs: 5, shutdownMs: 5 } : { startupMs: 60_000, shutdownMs: 60_000 },
    });

    // No plugin is built or started while a plugin it depends on is not live.
    const requireLive = (who: Name, when: string, deps: readonly (Built | Name)[]) => {
      for (const dep of deps) {
        const name = (typeof dep === 'string' ? dep : dep.name) as Name;
        const state = registry.info(PLUGINS[name].type, name).state;
        if (state !== 'active') violations.push(`${who} ${when} while its dependency ${name} is ${state}`);
        if (typeof dep !== 'string' && (!started.has(dep) || stops.has(dep)))
          violations.push(`${who} ${when} with an instance of ${name} that is not live`);
      }
    };

    for (const name of NAMES) {
      const { type, schema, dependsOn } = PLUGINS[name];
      @injectable()
      class Plugin extends PluginMetadata {
        readonly deps: (Built | Name)[] = [...(dependsOn as Name[])];
        constructor(readonly settings?: Settings) {
          super();
        }
        override async startup() {
          requireLive(name, 'started', this.deps);
          await step(`startup ${name}`);
          if (this.settings?.n === FAILS_TO_START) throw new Error(`${name} cannot start with n=${FAILS_TO_START}`);
          started.add(this);
        }
        override async shutdown() {
          stops.set(this, (stops.get(this) ?? 0) + 1);
          if (!started.has(this)) violations.push(`a shutdown ran for ${name} whose startup never completed`);
          await step(`shutdown ${name}`);
        }
      }
      const cls = plugin(name, Plugin, requireLive);
      FloePlugin({
        type,
        name,
        version: '1.0.0',
        apiVersion: '1.0',
        dependsOn,
        ...(schema ? { configSchema: Settings } : {}),
      })(cls);
      registry.register(cls);
    }

    const snapshots: string[] = [];
    let launches = 0;
    const run = (operation: Operation, launch: number): Promise<unknown> => {
      const unchangedSince = () => launches === launch;
      switch (operation.op) {
        case 'startAll':
          return registry.startAll().then((report) => {
            check('startAll report', () => {
              for (const key of report.started) {
                const name = key.split(':')[1] as Name;
                const state = registry.info(PLUGINS[name].type, name).state;
                if (state !== 'active' && unchangedSince())
                  violations.push(`startAll reported ${key} live while ${state}`);
              }
            });
          });
        case 'shutdownAll':
          return registry.shutdownAll().then((report) => {
            check('shutdownAll report', () => {
              if (!unchangedSince()) return;
              for (const name of NAMES) {
                const state = registry.info(PLUGINS[name].type, name).state;
                if (['starting', 'active', 'stopping'].includes(state))
                  violations.push(`shutdownAll resolved while ${name} is ${state}`);
              }
              for (const key of report.stopped) {
                const name = key.split(':')[1] as Name;
                if (registry.info(PLUGINS[name].type, name).state !== 'stopped')
                  violations.push(`shutdownAll reported ${key} stopped while it is not`);
              }
            });
          });
        case 'get':
        case 'getAsync': {
          const { type } = PLUGINS[operation.plugin];
          const got =
            operation.op === 'get'
              ? registry.get<Built>(type, operation.plugin)
              : registry.container.getAsync<Built>(type, { name: operation.plugin });
          return got.then((instance) =>
            check('get', () => {
              if (!started.has(instance) || stops.has(instance))
                violations.push(`${operation.op} handed out ${operation.plugin} that is not live`);
            }),
          );
        }
        case 'snapshot':
          registry.snapshot();
          snapshots.push(dataOf(registry));
          return Promise.resolve();
        case 'restore': {
          const expected = snapshots.pop();
          const restoring = registry.restore();
          if (expected !== undefined) {
            check('restore, at once', () => {
              if (dataOf(registry) !== expected) violations.push('restore did not bring back the snapshot at once');
            });
          }
          return restoring.then(() =>
            check('restore, when done', () => {
              if (expected === undefined) violations.push('restore resolved without a snapshot');
              else if (unchangedSince() && dataOf(registry) !== expected)
                violations.push(`restore resolved with ${dataOf(registry)}, not the snapshot's ${expected}`);
            }),
          );
        }
        case 'reset':
          return resetRegistry();
        case 'configure':
          return registry.configure(PLUGINS[operation.plugin].type, operation.plugin, { n: operation.n });
        case 'reconfigure':
          return registry
            .reconfigure(PLUGINS[operation.plugin].type, operation.plugin, { n: operation.n })
            .then((report) =>
              check('reconfigure report', () => {
                const live = liveInstance(registry, operation.plugin);
                if (report.ok && unchangedSince() && live !== undefined && live.settings?.n !== operation.n)
                  violations.push(
                    `reconfigure reported n=${operation.n} applied, but ${operation.plugin} runs with ${live.settings?.n}`,
                  );
              }),
            );
        case 'apply': {
          const config = {
            defaults: operation.secrets === undefined ? {} : { [Secrets]: operation.secrets },
            plugins: Object.fromEntries(operation.settings.map(({ plugin, n }) => [keyOf(plugin), { n }])),
            locations: {},
          };
          const applying = operation.live ? registry.applyConfig(config, { live: true }) : registry.applyConfig(config);
          return applying.then((result) =>
            check('applyConfig report', () => {
              if (!operation.live || !unchangedSince()) return;
              const report = result as LiveConfigReport;
              if (!report.ok) return;
              for (const { plugin } of operation.settings) {
                const live = liveInstance(registry, plugin);
                const applied = (report.applied[keyOf(plugin)] as Settings | undefined)?.n;
                if (live !== undefined && live.settings?.n !== applied)
                  violations.push(
                    `applyConfig reported n=${applied} for ${plugin}, but it runs with ${live.settings?.n}`,
                  );
              }
            }),
          );
        }
      }
    };

    // Every live plugin runs with the settings the registry reports for it.
    const settingsAgree = (when: string) =>
      check(`settings ${when}`, () => {
        for (const name of NAMES) {
          const live = liveInstance(registry, name);
          if (live === undefined) continue;
          const stored = registry.getConfig(PLUGINS[name].type, name) as Settings | undefined;
          if (JSON.stringify(live.settings ?? null) !== JSON.stringify(stored ?? null))
            violations.push(
              `${when}: ${name} runs with ${JSON.stringify(live.settings)}, the registry says ${JSON.stringify(stored)}`,
            );
        }
      });

    const settled = launchInTurn(
      s,
      operations,
      (operation) => run(operation, ++launches),
      (operation, failed) => {
        settingsAgree(failed === undefined ? `after ${operation.op}` : `after ${operation.op} failed`);
        if (failed === undefined) return;
        const code = PluginError.is(failed.error) ? failed.error.code : undefined;
        if (code === undefined || !ALLOWED[operation.op].includes(code))
          violations.push(`${operation.op} rejected with ${code ?? 'no code'}: ${String(failed.error)}`);
      },
    );

    await drain(s, Promise.all(settled), violations, hangs);
    await drain(s, registry.shutdownAll(), violations, hangs);
    // Startups that finished after their timeout are shut down in the background: let them finish.
    if (hangs) await drain(s, new Promise((resolve) => setTimeout(resolve, 10)), violations, hangs);
    await drain(s, registry.shutdownAll(), violations, hangs);

    check('the end', () => {
      for (const name of NAMES) {
        const state = registry.info(PLUGINS[name].type, name).state;
        if (['starting', 'active', 'stopping'].includes(state))
          violations.push(`${name} is ${state} after the final shutdownAll`);
      }
      for (const instance of started) {
        const calls = stops.get(instance) ?? 0;
        if (calls !== 1) violations.push(`an instance whose startup completed was shut down ${calls} times`);
      }
    });
    await resetRegistry();
    expect(violations).toEqual([]);
  };
}

/**
 * The plugin class with its constructor's injections: a secrets plugin's nothing, polaris the default
 * secrets plugin (a bare @inject), duckdb polaris by name; each with its Settings when it has a schema.
 */
function plugin(
  name: Name,
  base: new (settings?: Settings) => PluginMetadata & { deps: (Built | Name)[] },
  requireLive: (who: Name, when: string, deps: readonly (Built | Name)[]) => void,
): new (...args: never[]) => PluginMetadata {
  if (name === 'polaris') {
    @injectable()
    class Polaris extends base {
      constructor(@inject(Settings) settings: Settings, @inject(Secrets) secrets: Built) {
        super(settings);
        requireLive(name, 'built', [secrets]);
        this.deps.push(secrets);
      }
    }
    return Polaris;
  }
  if (name === 'duckdb') {
    @injectable()
    class DuckDB extends base {
      constructor(@inject(Settings) settings: Settings, @inject(Catalog) @named('polaris') polaris: Built) {
        super(settings);
        requireLive(name, 'built', [polaris]);
        this.deps.push(polaris);
      }
    }
    return DuckDB;
  }
  if (PLUGINS[name].schema) {
    @injectable()
    class Configured extends base {
      constructor(@inject(Settings) settings: Settings) {
        super(settings);
      }
    }
    return Configured;
  }
  return base;
}

/** Interleavings per run: 2,000 in the suite; fewer under mutation testing (stryker.config.mjs). */
const MODEL_RUNS = Number(process.env.FLOE_MODEL_RUNS ?? 2000);

const run = (operation: fc.Arbitrary<Operation>) =>
  fc.array(fc.record({ operation, afterPrevious: fc.boolean() }), { minLength: 1, maxLength: 8 });

describe('every operation that changes what is live, overlapping', () => {
  it('keeps the one truth under thousands of interleavings, with hooks that fail', async () => {
    const outcome = fc.oneof(
      { weight: 8, arbitrary: fc.constant('ok' as const) },
      { weight: 1, arbitrary: fc.constant('throw' as const) },
    );
    await fc.assert(fc.asyncProperty(fc.scheduler(), run(operation), fc.infiniteStream(outcome), runCase(false)), {
      numRuns: MODEL_RUNS,
    });
  }, 120_000);

  it('keeps it when hooks also hang past their timeouts', async () => {
    const outcome = fc.oneof(
      { weight: 12, arbitrary: fc.constant('ok' as const) },
      { weight: 1, arbitrary: fc.constant('throw' as const) },
      { weight: 1, arbitrary: fc.constant('hang' as const) },
    );
    await fc.assert(fc.asyncProperty(fc.scheduler(), run(operation), fc.infiniteStream(outcome), runCase(true)), {
      numRuns: Math.max(20, Math.round(MODEL_RUNS / 13)),
    });
  }, 120_000);
});
