import { inject } from 'inversify';
import {
  createSilentLogger,
  FloePlugin,
  HealthState,
  PluginMetadata,
  PluginRegistry,
  type PluginShutdownError,
  type PluginStartupError,
  PluginType,
} from '../../src';
import { messageOf } from '../../src/errors';
import { rejection, thrown } from '../support/caught';
import { floeField, PackageTree, pluginModule } from '../support/package-tree';
import { runMain } from '../support/run-main';

/* Plugins that throw values that are hard to turn into text, or export things that throw when read. */

function hostile(): [string, () => unknown][] {
  return [
    ['an object without prototype', () => Object.create(null)],
    [
      'a Proxy whose traps throw',
      () =>
        new Proxy(
          {},
          {
            get() {
              throw new Error('trap');
            },
            getPrototypeOf() {
              throw new Error('trap');
            },
            has() {
              throw new Error('trap');
            },
          },
        ),
    ],
    [
      'an object whose toString throws',
      () => ({
        toString() {
          throw new Error('no text');
        },
      }),
    ],
    [
      'an object whose message getter throws',
      () => ({
        get message(): string {
          throw new Error('no message');
        },
      }),
    ],
  ];
}

describe('messageOf', () => {
  it.each(hostile())('describes %s without throwing', (_label, make) => {
    expect(typeof messageOf(make())).toBe('string');
  });
});

describe('plugins that throw values hard to turn into text', () => {
  function registryThrowing(make: () => unknown, hook: 'startup' | 'shutdown' | 'healthCheck'): PluginRegistry {
    const registry = new PluginRegistry({ rootDir: '/nonexistent', logger: createSilentLogger() });
    class Thrower extends PluginMetadata {
      override startup(): void {
        if (hook === 'startup') throw make();
      }
      override shutdown(): void {
        if (hook === 'shutdown') throw make();
      }
      override healthCheck() {
        if (hook === 'healthCheck') throw make();
        return super.healthCheck(new AbortController().signal);
      }
    }
    FloePlugin({ type: PluginType.Compute, name: 'thrower', version: '1.0.0', apiVersion: '1.0' })(Thrower);
    class Fine extends PluginMetadata {}
    FloePlugin({ type: PluginType.Secrets, name: 'fine', version: '1.0.0', apiVersion: '1.0' })(Fine);
    registry.register(Thrower);
    registry.register(Fine);
    return registry;
  }

  it.each(hostile())('healthCheckAll reports %s as Unhealthy and keeps every other status', async (_label, make) => {
    const registry = registryThrowing(make, 'healthCheck');
    await registry.startAll();
    const health = await registry.healthCheckAll();
    expect(health['floe.computes:thrower'].state).toBe(HealthState.Unhealthy);
    expect(typeof health['floe.computes:thrower'].message).toBe('string');
    expect(typeof health['floe.computes:thrower'].details.exceptionType).toBe('string');
    expect(health['floe.secrets:fine'].state).toBe(HealthState.Healthy);
    await registry.shutdownAll();
  });

  it.each(hostile())('get rejects with a PluginStartupError when startup throws %s', async (_label, make) => {
    const registry = registryThrowing(make, 'startup');
    const error = await rejection<PluginStartupError>(registry.get(PluginType.Compute, 'thrower'));
    expect(error.code).toBe('PLUGIN_STARTUP_FAILED');
    expect(error.pluginKey).toBe('floe.computes:thrower');
    expect(typeof error.message).toBe('string');
  });

  it.each(hostile())('shutdownAll reports %s as a PluginShutdownError and stops the others', async (_label, make) => {
    const registry = registryThrowing(make, 'shutdown');
    await registry.startAll();
    const report = await registry.shutdownAll();
    expect(report.stopped).toEqual(['floe.secrets:fine']);
    expect(report.failed.map((f) => [f.key, (f.error as PluginShutdownError).code])).toEqual([
      ['floe.computes:thrower', 'PLUGIN_SHUTDOWN_FAILED'],
    ]);
  });
});

describe('plugin modules and classes that cannot be used as they are', () => {
  let tree: PackageTree;
  beforeEach(() => {
    tree = PackageTree.create('hostile-modules');
    tree.project({});
  });
  afterEach(() => tree.remove());

  it.each([
    [
      'an export whose getter throws',
      `Object.defineProperty(exports, 'Plugin', { get() { throw new Error('no'); } });`,
    ],
    [
      'an exports object that is a Proxy with throwing traps',
      `module.exports = new Proxy({}, { get() { throw new Error('trap'); }, getOwnPropertyDescriptor() { throw new Error('trap'); } });`,
    ],
  ])('turns %s into PLUGIN_LOAD_FAILED naming the plugin', async (_label, source) => {
    tree.package('bad-exports', floeField(['floe.computes', 'bad', './index.js#Plugin']), { 'index.js': source });
    const registry = new PluginRegistry({ rootDir: tree.root, logger: createSilentLogger() });
    registry.discoverAll();
    const error = await rejection(registry.get(PluginType.Compute, 'bad'));
    expect(error.code).toBe('PLUGIN_LOAD_FAILED');
    expect(error.message).toContain('floe.computes:bad');
  });

  it('refuses a discovered class whose constructor needs an argument it cannot get, naming the parameter', async () => {
    tree.package('needs-arg', floeField(['floe.computes', 'needy', './index.js#needyPlugin']), {
      'index.js': pluginModule({
        type: 'floe.computes',
        name: 'needy',
        body: 'constructor(first, second) { super(); this.first = first; }',
      }),
    });
    const registry = new PluginRegistry({ rootDir: tree.root, logger: createSilentLogger() });
    registry.discoverAll();
    const error = await rejection(registry.get(PluginType.Compute, 'needy'));
    expect(error.code).toBe('PLUGIN_INVALID');
    expect(error.message).toContain('floe.computes:needy');
    expect(error.message).toContain('parameters 0, 1');
  });

  it('refuses to register a class with a parameter that has only a TypeScript type, naming it', () => {
    class Needy extends PluginMetadata {
      constructor(
        @inject('known') readonly known: unknown,
        readonly label: string,
      ) {
        super();
      }
    }
    FloePlugin({ type: PluginType.Compute, name: 'needy', version: '1.0.0', apiVersion: '1.0' })(Needy);
    const registry = new PluginRegistry({ rootDir: '/nonexistent', logger: createSilentLogger() });
    const error = thrown(() => registry.register(Needy));
    expect(error.code).toBe('PLUGIN_INVALID');
    expect(error.message).toContain('plugin floe.computes:needy');
    expect(error.message).toContain('parameter 1');
    expect(registry.listAll()[PluginType.Compute]).toEqual([]);
    expect(registry.container.isBound(PluginType.Compute, { name: 'needy' })).toBe(false);
  });
});

describe('health details JSON cannot hold', () => {
  it('doctor --json still prints, with markers in place of the values', async () => {
    const tree = PackageTree.create('hostile-details');
    try {
      tree.project({});
      tree.package('odd', floeField(['floe.computes', 'odd', './index.js#oddPlugin']), {
        'index.js': pluginModule({
          type: 'floe.computes',
          name: 'odd',
          body: [
            'healthCheck() {',
            '  const details = { big: 10n, fn: function probe() {}, nested: {} };',
            '  details.nested.self = details;',
            "  Object.defineProperty(details, 'broken', { enumerable: true, get() { throw new Error('no'); } });",
            "  return { state: 'healthy', message: 'odd', details };",
            '}',
          ].join('\n'),
        }),
      });
      const { code, stdout } = await runMain(['doctor', '--root', tree.root, '--json']);
      expect(code).toBe(0);
      const details = JSON.parse(stdout).health['floe.computes:odd'].details;
      expect(details).toEqual({
        big: '[BigInt 10]',
        fn: '[Function probe]',
        nested: { self: '[Circular]' },
        broken: '[Unreadable: no]',
      });
    } finally {
      tree.remove();
    }
  });
});
