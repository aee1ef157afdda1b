import { IsInt } from 'class-validator';
import { FloePlugin, HealthState, PluginError, PluginMetadata, PluginType } from '../../src';

class Settings {
  @IsInt() threads = 4;
}

@FloePlugin({ type: PluginType.Secrets, name: 'vault', version: '2.0.1', apiVersion: '1.0' })
class Vault extends PluginMetadata {}

@FloePlugin({
  type: PluginType.Catalog,
  name: 'polaris',
  version: '1.0.0',
  apiVersion: '1.0',
  dependsOn: ['vault'],
  description: 'Polaris catalog',
  configSchema: Settings,
})
class Polaris extends PluginMetadata {}

describe('PluginMetadata', () => {
  it('reads its metadata from the decorator', () => {
    const polaris = new Polaris();
    expect(polaris.type).toBe(PluginType.Catalog);
    expect(polaris.name).toBe('polaris');
    expect(polaris.version).toBe('1.0.0');
    expect(polaris.apiVersion).toBe('1.0');
    expect(polaris.description).toBe('Polaris catalog');
    expect(polaris.dependsOn).toEqual(['vault']);
    expect(polaris.getConfigSchema()).toBe(Settings);
  });

  it('defaults description, dependsOn and config schema', () => {
    const vault = new Vault();
    expect(vault.description).toBe('');
    expect(vault.dependsOn).toEqual([]);
    expect(vault.getConfigSchema()).toBeUndefined();
  });

  it('has hooks that do nothing and a health check that reports Healthy', async () => {
    const vault = new Vault();
    const signal = new AbortController().signal;
    await expect(Promise.resolve(vault.startup(signal))).resolves.toBeUndefined();
    await expect(Promise.resolve(vault.shutdown(signal))).resolves.toBeUndefined();
    await expect(Promise.resolve(vault.healthCheck(signal))).resolves.toEqual({
      state: HealthState.Healthy,
      message: '',
      details: {},
    });
  });

  it('explains a missing decorator when metadata is read', () => {
    class Undecorated extends PluginMetadata {}
    let caught: unknown;
    try {
      void new Undecorated().name;
    } catch (error) {
      caught = error;
    }
    expect(PluginError.is(caught, 'PLUGIN_INVALID')).toBe(true);
    expect((caught as Error).message).toContain('Undecorated');
  });
});
