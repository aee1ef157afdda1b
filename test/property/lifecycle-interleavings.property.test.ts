import fc from 'fast-check';
import { IsInt } from 'class-validator';
import { createSilentLogger, FloePlugin, PluginMetadata, PluginRegistry, PluginType } from '../../src';

type Outcome = 'ok' | 'throw' | 'hang';
type Operation =
  | { readonly op: 'startAll' }
  | { readonly op: 'shutdownAll' }
  | { readonly op: 'get'; readonly plugin: number }
  | { readonly op: 'restore' }
  | { readonly op: 'configure'; readonly threads: number };

const PLUGINS: readonly { type: PluginType; name: string; dependsOn: string[] }[] = [
  { type: PluginType.Secrets, name: 'vault', dependsOn: [] },
  { type: PluginType.Catalog, name: 'polaris', dependsOn: ['vault'] },
  { type: PluginType.Compute, name: 'duckdb', dependsOn: ['polaris'] },
  { type: PluginType.Storage, name: 's3', dependsOn: [] },
];

class Settings {
  @IsInt() threads = 1;
}

const operation: fc.Arbitrary<Operation> = fc.oneof(
  fc.constant({ op: 'startAll' as const }),
  fc.constant({ op: 'shutdownAll' as const }),
  fc.record({ op: fc.constant('get' as const), plugin: fc.nat({ max: PLUGINS.length - 1 }) }),
  fc.constant({ op: 'restore' as const }),
  fc.record({ op: fc.constant('configure' as const), threads: fc.integer({ min: 1, max: 8 }) }),
);

const outcome: fc.Arbitrary<Outcome> = fc.oneof(
  { weight: 6, arbitrary: fc.constant('ok' as const) },
  { weight: 1, arbitrary: fc.constant('throw' as const) },
  { weight: 1, arbitrary: fc.constant('hang' as const) },
);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Random sequences of startAll, shutdownAll, get, restore and configure, launched and interleaved by
 * fast-check's scheduler, with startup and shutdown hooks that resolve, throw or hang as it decides.
 */
describe('overlapping lifecycle operations', () => {
  it('keep their invariants under every interleaving fast-check tries', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(fc.record({ operation, afterPrevious: fc.boolean() }), { minLength: 1, maxLength: 7 }),
        fc.infiniteStream(outcome),
        async (s, operations, outcomes) => {
          const started = new Set<object>(); // startup completed
          const stops = new Map<object, number>(); // shutdown hook calls per instance
          const stopBegan = new Set<object>();
          // Instances that had started when a shutdownAll was asked for: none may be handed out afterwards.
          const doomed = new Set<object>();
          const violations: string[] = [];
          const nextOutcome = () => outcomes.next().value as Outcome;
          const hook = async (label: string): Promise<void> => {
            const result = nextOutcome();
            if (result === 'hang') return new Promise<void>(() => undefined);
            await s.schedule(Promise.resolve(label), label);
            if (result === 'throw') throw new Error(`${label} failed`);
          };

          const registry = new PluginRegistry({
            rootDir: '/nonexistent',
            logger: createSilentLogger(),
            timeouts: { startupMs: 20, shutdownMs: 20, healthMs: 20 },
          });
          for (const { type, name, dependsOn } of PLUGINS) {
            const cls = class extends PluginMetadata {
              override async startup() {
                await hook(`startup ${name}`);
                started.add(this);
              }
              override async shutdown() {
                stopBegan.add(this);
                stops.set(this, (stops.get(this) ?? 0) + 1);
                await hook(`shutdown ${name}`);
              }
            };
            const withSchema = name === 'vault' ? { configSchema: Settings } : {};
            FloePlugin({ type, name, version: '1.0.0', apiVersion: '1.0', dependsOn, ...withSchema })(cls);
            registry.register(cls);
          }
          registry.snapshot();
          registry.snapshot();

          const settled: Promise<unknown>[] = [];
          const run = (operation: Operation): Promise<unknown> => {
            switch (operation.op) {
              case 'startAll':
                return registry.startAll().then((report) => {
                  for (const key of report.started) {
                    const { type, name } = PLUGINS.find((p) => `${p.type}:${p.name}` === key) ?? PLUGINS[0];
                    const state = registry.info(type, name).state;
                    if (state !== 'active' && state !== 'stopping')
                      violations.push(`startAll reported ${key} started while it is ${state}`);
                  }
                });
              case 'shutdownAll':
                for (const instance of started) doomed.add(instance);
                return registry.shutdownAll().then((report) => {
                  for (const { type, name } of PLUGINS) {
                    const state = registry.info(type, name).state;
                    if (state === 'starting' || state === 'active' || state === 'stopping')
                      violations.push(`shutdownAll resolved while ${name} is ${state}`);
                  }
                  for (const key of report.stopped) {
                    const { type, name } = PLUGINS.find((p) => `${p.type}:${p.name}` === key) ?? PLUGINS[0];
                    const state = registry.info(type, name).state;
                    if (state !== 'stopped')
                      violations.push(`shutdownAll reported ${key} stopped while it is ${state}`);
                  }
                });
              case 'get': {
                const { type, name } = PLUGINS[operation.plugin];
                return registry.get<object>(type, name).then((instance) => {
                  if (stopBegan.has(instance) || doomed.has(instance))
                    violations.push(`get handed out ${name} after its shutdown began`);
                  if (!started.has(instance)) violations.push(`get handed out ${name} before its startup completed`);
                });
              }
              case 'restore':
                return registry.restore();
              case 'configure':
                return registry.configure(PluginType.Secrets, 'vault', { threads: operation.threads });
            }
          };
          // Each operation is launched by a scheduled step made once the one before was launched (or, when
          // it says so, had ended), so launches spread among the hooks instead of all coming first.
          let previous: { launched: Promise<unknown>; ended: Promise<unknown> } = {
            launched: Promise.resolve(),
            ended: Promise.resolve(),
          };
          for (const { operation, afterPrevious } of operations) {
            const after = afterPrevious ? previous.ended : previous.launched;
            const launched = after.then(() => s.schedule(Promise.resolve(operation.op), `launch ${operation.op}`));
            const ended = launched.then(() => run(operation)).catch(() => undefined);
            settled.push(ended);
            previous = { launched, ended };
          }

          // Drive the scheduler until every operation ended; hung hooks end by their timeouts.
          const drain = async (until: Promise<unknown>) => {
            let done = false;
            void until.then(() => (done = true));
            while (!done) {
              await s.waitAll();
              await sleep(1);
            }
          };
          await drain(Promise.all(settled));
          await drain(registry.shutdownAll());
          // Startups that finished after their timeout are shut down in the background: let them finish.
          await drain(sleep(30));
          await drain(registry.shutdownAll());

          for (const { type, name } of PLUGINS) {
            const state = registry.info(type, name).state;
            if (state === 'starting' || state === 'active' || state === 'stopping')
              violations.push(`${name} is ${state} after the final shutdownAll`);
          }
          for (const instance of started) {
            const calls = stops.get(instance) ?? 0;
            if (calls !== 1) violations.push(`an instance whose startup ran was shut down ${calls} times`);
          }
          for (const instance of stops.keys()) {
            if (!started.has(instance)) violations.push('a shutdown ran for an instance whose startup never completed');
          }
          expect(violations).toEqual([]);
        },
      ),
      { numRuns: 100 },
    );
  }, 60_000);
});
