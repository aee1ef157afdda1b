import { IsInt } from 'class-validator';
import { inject, injectable, named } from 'inversify';
import { FloePlugin, PluginMetadata, PluginType, SecretsPlugin, type PluginRegistry } from '../../src';
import { createTestRegistry } from '../../src/testing';
import { rejection, thrown } from '../support/caught';
import { floeField, PackageTree, pluginModule } from '../support/package-tree';

const { Secrets, Catalog, Compute } = PluginType;
const meta = { version: '1.0.0', apiVersion: '1.0' };

class VaultSettings {
  @IsInt() ttl = 60;
}

@FloePlugin({ ...meta, type: Secrets, name: 'vault', configSchema: VaultSettings })
class Vault extends SecretsPlugin {
  static stops = 0;
  constructor(@inject(VaultSettings) readonly settings: VaultSettings) {
    super();
  }
  getSecret(key: string) {
    return `real:${key}`;
  }
  setSecret() {}
  listSecrets() {
    return [];
  }
  override shutdown() {
    Vault.stops++;
  }
}

@FloePlugin({ ...meta, type: Catalog, name: 'polaris' })
class Polaris extends PluginMetadata {
  constructor(@inject(Secrets) @named('vault') readonly secrets: SecretsPlugin) {
    super();
  }
}

@injectable()
class UsesDefaultSecrets {
  constructor(@inject(Secrets) readonly secrets: { getSecret(key: string): unknown }) {}
}

describe('createTestRegistry', () => {
  it('registers the plugins and applies the config before anything starts', async () => {
    const registry = createTestRegistry({
      plugins: [Vault, Polaris],
      config: { plugins: { 'floe.secrets:vault': { ttl: 5 } } },
    });
    const vault = await registry.get<Vault>(Secrets, 'vault');
    expect(vault.settings.ttl).toBe(5);
    expect((await registry.get<Polaris>(Catalog, 'polaris')).secrets).toBe(vault);
    await registry.shutdownAll();
  });

  it('fails the first start with the config’s error when the config is invalid', async () => {
    const registry = createTestRegistry({
      plugins: [Vault],
      config: { plugins: { 'floe.secrets:vault': { ttl: 'x' } } },
    });
    expect((await rejection(registry.get(Secrets, 'vault'))).code).toBe('PLATFORM_CONFIG_INVALID');
    expect((await rejection(registry.startAll())).code).toBe('PLATFORM_CONFIG_INVALID');
  });

  it('gives every hook two seconds unless told otherwise', async () => {
    @FloePlugin({ ...meta, type: Compute, name: 'hangs' })
    class Hangs extends PluginMetadata {
      override startup() {
        return new Promise<void>(() => undefined);
      }
    }
    const quick = createTestRegistry({ plugins: [Hangs], timeouts: { startupMs: 20 } });
    expect((await rejection(quick.get(Compute, 'hangs'))).cause).toMatchObject({ timeoutMs: 20 });
    const standard = createTestRegistry({ plugins: [Hangs] });
    expect((await rejection(standard.get(Compute, 'hangs'))).cause).toMatchObject({ timeoutMs: 2000 });
  });

  it('stops everything at the end of an await using block', async () => {
    const before = Vault.stops;
    {
      await using registry = createTestRegistry({ plugins: [Vault] });
      await registry.get(Secrets, 'vault');
    }
    expect(Vault.stops).toBe(before + 1);
  });

  it('starts, checks and stops plugins while a test has Jest’s fake timers on', async () => {
    jest.useFakeTimers();
    try {
      const before = Vault.stops;
      const registry = createTestRegistry({ plugins: [Vault, Polaris] });
      const polaris = await registry.get(Catalog, 'polaris');
      expect(polaris).toBeInstanceOf(Polaris);
      const health = await registry.healthCheckAll();
      expect(Object.keys(health).sort()).toEqual(['floe.catalogs:polaris', 'floe.secrets:vault']);
      const report = await registry.shutdownAll();
      expect(report.stopped).toEqual(['floe.catalogs:polaris', 'floe.secrets:vault']);
      expect(Vault.stops).toBe(before + 1);
    } finally {
      jest.useRealTimers();
    }
  });

  it('discovers the project’s plugins when asked', async () => {
    const tree = PackageTree.create('testing-kit');
    try {
      tree.project({});
      tree.package('s3', floeField(['floe.storage', 's3', './index.js#s3Plugin']), {
        'index.js': pluginModule({ type: 'floe.storage', name: 's3' }),
      });
      expect(createTestRegistry({ rootDir: tree.root }).listAll()[PluginType.Storage]).toEqual([]);
      expect(createTestRegistry({ rootDir: tree.root, discover: true }).listAll()[PluginType.Storage]).toEqual(['s3']);
    } finally {
      tree.remove();
    }
  });
});

describe('override and setDefault', () => {
  function registry(): PluginRegistry {
    return createTestRegistry({ plugins: [Vault, Polaris] });
  }

  it('puts an object in place of a plugin for get, @named and bare injection and its dependents, until restore', async () => {
    const r = registry();
    r.container.bind(UsesDefaultSecrets).toSelf();
    r.snapshot();
    const started: string[] = [];
    const fake = {
      getSecret: (key: string) => `fake:${key}`,
      startup: () => void started.push('startup'),
      shutdown: () => void started.push('shutdown'),
    };
    r.override(Secrets, 'vault', fake);
    expect(await r.get(Secrets, 'vault')).toBe(fake);
    expect((await r.get<Polaris>(Catalog, 'polaris')).secrets).toBe(fake);
    expect((await r.container.getAsync(UsesDefaultSecrets)).secrets).toBe(fake);
    await r.restore();
    expect(started).toEqual(['startup', 'shutdown']);
    expect(await r.get(Secrets, 'vault')).toBeInstanceOf(Vault);
    await r.shutdownAll();
  });

  it('builds a replacement class through the container, decorated or plain', async () => {
    class PlainFake {
      getSecret() {
        return 'plain';
      }
    }
    const r = registry();
    r.override(Secrets, 'vault', PlainFake);
    expect(await r.get(Secrets, 'vault')).toBeInstanceOf(PlainFake);
    await r.shutdownAll();
  });

  it('replaces a discovered plugin whose module cannot even be imported', async () => {
    const tree = PackageTree.create('override-discovered');
    try {
      tree.project({});
      tree.package('broken', floeField(['floe.secrets', 'broken', './missing.js#Nope']), { 'index.js': '' });
      const r = createTestRegistry({ rootDir: tree.root, discover: true });
      const fake = { getSecret: () => 'ok' };
      r.override(Secrets, 'broken', fake);
      expect(await r.get(Secrets, 'broken')).toBe(fake);
      await r.shutdownAll();
    } finally {
      tree.remove();
    }
  });

  it('refuses an unknown plugin, a live one, and a replacement that is neither class nor object', async () => {
    const r = registry();
    expect(thrown(() => r.override(Secrets, 'nope', {})).code).toBe('PLUGIN_NOT_FOUND');
    await r.get(Secrets, 'vault');
    expect(thrown(() => r.override(Secrets, 'vault', {})).code).toBe('PLUGIN_ALREADY_ACTIVE');
    expect(thrown(() => r.override(Catalog, 'polaris', 5 as unknown as object)).code).toBe('PLUGIN_INVALID');
    await r.shutdownAll();
  });

  it('setDefault picks the plugin a bare @inject(type) gets, until restore', async () => {
    @FloePlugin({ ...meta, type: Secrets, name: 'env' })
    class Env extends PluginMetadata {
      getSecret() {
        return 'env';
      }
    }
    const r = createTestRegistry({ plugins: [Vault, Env] });
    r.container.bind(UsesDefaultSecrets).toSelf();
    r.snapshot();
    r.setDefault(Secrets, 'env');
    expect((await r.container.getAsync(UsesDefaultSecrets)).secrets).toBeInstanceOf(Env);
    await r.restore();
    expect((await rejection(r.container.getAsync(UsesDefaultSecrets))).code).toBe('PLUGIN_AMBIGUOUS');
    expect(thrown(() => r.setDefault(Secrets, 'nope')).code).toBe('PLUGIN_NOT_FOUND');
    await r.shutdownAll();
  });
});
