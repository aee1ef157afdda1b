import { PluginError, PLUGIN_TYPES, PluginType, pluginKey, pluginTypeFromGroup, isPluginType } from '../../src';

describe('plugin types', () => {
  it('maps every entry-point group back to its type', () => {
    for (const type of PLUGIN_TYPES) expect(pluginTypeFromGroup(type)).toBe(type);
  });

  it('refuses an unknown group with UNKNOWN_PLUGIN_TYPE and lists the valid groups', () => {
    let caught: unknown;
    try {
      pluginTypeFromGroup('floe.compute');
    } catch (error) {
      caught = error;
    }
    expect(PluginError.is(caught, 'UNKNOWN_PLUGIN_TYPE')).toBe(true);
    for (const type of PLUGIN_TYPES) expect((caught as Error).message).toContain(type);
  });

  it('builds keys as group:name', () => {
    expect(pluginKey(PluginType.Secrets, 'vault')).toBe('floe.secrets:vault');
  });

  it('recognises only the eleven groups as types', () => {
    expect(isPluginType('floe.dbt')).toBe(true);
    expect(isPluginType('Compute')).toBe(false);
    expect(isPluginType(undefined)).toBe(false);
  });

  it('keeps PLUGIN_TYPES frozen', () => {
    expect(Object.isFrozen(PLUGIN_TYPES)).toBe(true);
  });
});
