import { Container } from 'inversify';
import {
  CatalogPlugin,
  ComputePlugin,
  FloePlugin,
  getPluginOptions,
  InvalidPluginError,
  PluginError,
  PluginMetadata,
  PluginType,
  type FloePluginOptions,
} from '../../src';
import { thrown } from '../support/caught';

const valid: FloePluginOptions = { type: PluginType.Compute, name: 'duckdb', version: '1.2.0', apiVersion: '1.0' };

function decorate(options: unknown): () => FloePluginOptions | undefined {
  return () => {
    class Candidate extends PluginMetadata {}
    FloePlugin(options as FloePluginOptions)(Candidate);
    return getPluginOptions(Candidate);
  };
}

describe('@FloePlugin', () => {
  it('records frozen options with defaults for the optional ones', () => {
    @FloePlugin({ ...valid, dependsOn: ['floe.secrets:vault'], description: 'DuckDB compute' })
    class DuckDB extends PluginMetadata {}
    const options = getPluginOptions(DuckDB);
    expect(options).toEqual({ ...valid, dependsOn: ['floe.secrets:vault'], description: 'DuckDB compute' });
    expect(Object.isFrozen(options)).toBe(true);
    expect(Object.isFrozen(options?.dependsOn)).toBe(true);
    expect(getPluginOptions(class Plain {})).toBeUndefined();
  });

  it('copies dependsOn so later changes to the caller array do not leak in', () => {
    const dependsOn = ['vault'];
    @FloePlugin({ ...valid, dependsOn })
    class DuckDB extends PluginMetadata {}
    dependsOn.push('other');
    expect(getPluginOptions(DuckDB)?.dependsOn).toEqual(['vault']);
  });

  it('does not hand its options down to an undecorated subclass', () => {
    @FloePlugin(valid)
    class Base extends PluginMetadata {}
    class Sub extends Base {}
    expect(getPluginOptions(Sub)).toBeUndefined();
  });

  it('returns undefined for values that are not classes', () => {
    expect(getPluginOptions(undefined)).toBeUndefined();
    expect(getPluginOptions({})).toBeUndefined();
    expect(getPluginOptions('duckdb')).toBeUndefined();
  });

  it('makes the class injectable without binding it anywhere', () => {
    @FloePlugin(valid)
    class DuckDB extends PluginMetadata {}
    const container = new Container();
    expect(container.isBound(DuckDB)).toBe(false);
    container.bind(DuckDB).toSelf();
    expect(container.get(DuckDB)).toBeInstanceOf(DuckDB);
  });

  it.each([
    ['options that are not an object', null],
    ['a missing type', { ...valid, type: undefined }],
    ['an unknown type', { ...valid, type: 'floe.compute' }],
    ['a missing name', { ...valid, name: undefined }],
    ['an empty name', { ...valid, name: '' }],
    ['a name with a space', { ...valid, name: 'duck db' }],
    ['a name starting with a dash', { ...valid, name: '-duckdb' }],
    ['a name with a colon', { ...valid, name: 'a:b' }],
    ['a missing version', { ...valid, version: undefined }],
    ['a two-part version', { ...valid, version: '1.2' }],
    ['a v-prefixed version', { ...valid, version: 'v1.2.0' }],
    ['a missing apiVersion', { ...valid, apiVersion: undefined }],
    ['a malformed apiVersion', { ...valid, apiVersion: '1.x' }],
    ['dependsOn that is not an array', { ...valid, dependsOn: 'vault' }],
    ['a dependsOn entry that is not a string', { ...valid, dependsOn: [3] }],
    ['a dependsOn key with an unknown group', { ...valid, dependsOn: ['floe.secret:vault'] }],
    ['a dependsOn entry with a bad name', { ...valid, dependsOn: ['floe.secrets:'] }],
    ['a description that is not a string', { ...valid, description: 5 }],
    ['a configSchema that is not a class', { ...valid, configSchema: {} }],
    ['an unknown option', { ...valid, depends_on: ['vault'] }],
  ])('refuses %s with InvalidPluginError', (_label, options) => {
    const error = thrown(decorate(options));
    expect(error).toBeInstanceOf(InvalidPluginError);
    expect(error.code).toBe('PLUGIN_INVALID');
    expect((error as InvalidPluginError).reason).toContain('Candidate');
  });

  it('keeps the version parse error as the cause of a bad apiVersion', () => {
    const error = thrown(decorate({ ...valid, apiVersion: '01.0' }));
    expect(PluginError.is(error.cause, 'VERSION_INVALID')).toBe(true);
  });

  it('refuses a type that disagrees with the base class', () => {
    const error = thrown(() => {
      @FloePlugin({ ...valid, type: PluginType.Catalog })
      class Wrong extends ComputePlugin {
        get isSelfHosted() {
          return true;
        }
        generateDbtProfile() {
          return {};
        }
        getRequiredDbtPackages() {
          return [];
        }
        validateConnection() {
          return { status: 'healthy', latencyMs: 0, message: '', warnings: [] } as never;
        }
        getResourceRequirements() {
          return { cpuRequest: '1', cpuLimit: '1', memoryRequest: '1Gi', memoryLimit: '1Gi' };
        }
      }
      return Wrong;
    });
    expect(error.code).toBe('PLUGIN_INVALID');
    expect((error as InvalidPluginError).reason).toContain(PluginType.Catalog);
  });

  it('accepts the type of its base class', () => {
    const declare = () => {
      @FloePlugin({ ...valid, type: PluginType.Catalog, name: 'polaris' })
      class Polaris extends CatalogPlugin {
        connect() {
          return { listNamespaces: () => [], listTables: () => [], loadTable: () => undefined };
        }
        createNamespace() {}
        vendCredentials() {
          return {};
        }
      }
      return Polaris;
    };
    expect(getPluginOptions(declare())).toMatchObject({ type: PluginType.Catalog, name: 'polaris' });
  });

  it.each(['a', 'A1', '1a', 'duck_db', 'duck-db', 'DuckDB2'])('accepts the name %s', (name) => {
    expect(decorate({ ...valid, name })()?.name).toBe(name);
  });

  it.each(['1.2.0', '0.0.1', '1.2.0-beta.1', '1.2.0+build.5'])('accepts the version %s', (version) => {
    expect(decorate({ ...valid, version })()?.version).toBe(version);
  });
});
