import {
  AmbiguousPluginError,
  CircularDependencyError,
  DuplicatePluginError,
  InvalidPluginError,
  InvalidVersionError,
  MissingDependencyError,
  PluginConfigurationError,
  PluginError,
  PluginIncompatibleError,
  PluginNotFoundError,
  PluginStartupError,
  PluginTimeoutError,
} from '../../src';

describe('PluginError', () => {
  it('carries a code, a name and the cause', () => {
    const cause = new Error('disk on fire');
    const error = new PluginError('PLUGIN_LOAD_FAILED', 'could not load', { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('PLUGIN_LOAD_FAILED');
    expect(error.name).toBe('PluginError');
    expect(error.cause).toBe(cause);
  });

  it('is recognised by its brand, also when built by another copy of the package', () => {
    const foreign = Object.assign(new Error('x'), { code: 'PLUGIN_NOT_FOUND' });
    Object.defineProperty(foreign, Symbol.for('floe-core.PluginError'), { value: true });
    expect(PluginError.is(foreign)).toBe(true);
    expect(PluginError.is(foreign, 'PLUGIN_NOT_FOUND')).toBe(true);
    expect(PluginError.is(foreign, 'PLUGIN_DUPLICATE')).toBe(false);
  });

  it('does not mistake plain errors and other values for its own', () => {
    expect(PluginError.is(Object.assign(new Error('x'), { code: 'PLUGIN_NOT_FOUND' }))).toBe(false);
    expect(PluginError.is(undefined)).toBe(false);
    expect(PluginError.is('PLUGIN_NOT_FOUND')).toBe(false);
  });

  it('serialises its fields and cause to JSON', () => {
    const error = new PluginStartupError(
      'floe.computes:duckdb',
      new PluginTimeoutError('floe.computes:duckdb', 'startup', 50),
    );
    const json = JSON.parse(JSON.stringify(error));
    expect(json).toMatchObject({
      name: 'PluginStartupError',
      code: 'PLUGIN_STARTUP_FAILED',
      pluginKey: 'floe.computes:duckdb',
      cause: { code: 'PLUGIN_TIMEOUT', phase: 'startup', timeoutMs: 50 },
    });
  });
});

describe('the error classes', () => {
  const cases: [PluginError, string, Record<string, unknown>][] = [
    [
      new PluginNotFoundError('floe.computes', 'duckdb', ['spark']),
      'PLUGIN_NOT_FOUND',
      { pluginType: 'floe.computes', pluginName: 'duckdb' },
    ],
    [
      new PluginIncompatibleError('duckdb', '2.0', '1.0'),
      'PLUGIN_INCOMPATIBLE',
      { pluginName: 'duckdb', requiredVersion: '2.0', platformVersion: '1.0' },
    ],
    [
      new PluginConfigurationError('duckdb', [
        { path: 'connection.port', constraint: 'isInt', message: 'port must be an integer' },
      ]),
      'PLUGIN_CONFIG_INVALID',
      {
        pluginName: 'duckdb',
        errors: [{ path: 'connection.port', constraint: 'isInt', message: 'port must be an integer' }],
      },
    ],
    [
      new DuplicatePluginError('floe.computes', 'duckdb'),
      'PLUGIN_DUPLICATE',
      { pluginType: 'floe.computes', pluginName: 'duckdb' },
    ],
    [new CircularDependencyError(['a:x', 'b:y', 'a:x']), 'DEPENDENCY_CYCLE', { cycle: ['a:x', 'b:y', 'a:x'] }],
    [
      new MissingDependencyError('floe.catalogs:polaris', ['vault']),
      'DEPENDENCY_MISSING',
      { pluginKey: 'floe.catalogs:polaris', missing: ['vault'] },
    ],
    [
      new PluginStartupError('floe.catalogs:polaris', new Error('x')),
      'PLUGIN_STARTUP_FAILED',
      { pluginKey: 'floe.catalogs:polaris' },
    ],
    [
      new PluginTimeoutError('floe.catalogs:polaris', 'health', 5000),
      'PLUGIN_TIMEOUT',
      { pluginKey: 'floe.catalogs:polaris', phase: 'health', timeoutMs: 5000 },
    ],
    [new InvalidPluginError('no decorator'), 'PLUGIN_INVALID', { reason: 'no decorator' }],
    [new InvalidVersionError('v1'), 'VERSION_INVALID', { version: 'v1' }],
    [
      new AmbiguousPluginError('vault', ['floe.secrets:vault', 'floe.identity:vault'], 'Use a key.'),
      'PLUGIN_AMBIGUOUS',
      { candidates: ['floe.secrets:vault', 'floe.identity:vault'] },
    ],
  ];

  it.each(cases)('%p has its code and fields', (error, code, fields) => {
    expect(error).toBeInstanceOf(PluginError);
    expect(PluginError.is(error, code)).toBe(true);
    expect(error.name).toBe(error.constructor.name);
    expect(error).toMatchObject(fields);
    expect(error.message.length).toBeGreaterThan(0);
  });

  it('names all three versions in an incompatibility message', () => {
    const { message } = new PluginIncompatibleError('duckdb', '2.1', '1.0');
    expect(message).toContain('duckdb');
    expect(message).toContain('2.1');
    expect(message).toContain('1.0');
  });

  it('prints a cycle as a -> b -> a', () => {
    expect(new CircularDependencyError(['a', 'b', 'a']).message).toContain('Circular dependency: a -> b -> a');
  });

  it('keeps the startup failure reason as its cause', () => {
    const timeout = new PluginTimeoutError('k', 'startup', 10);
    expect(new PluginStartupError('k', timeout).cause).toBe(timeout);
  });

  it('freezes the lists it carries', () => {
    const error = new PluginConfigurationError('duckdb', [{ path: 'a', constraint: 'isInt', message: 'm' }]);
    expect(Object.isFrozen(error.errors)).toBe(true);
    expect(Object.isFrozen(new CircularDependencyError(['a', 'a']).cycle)).toBe(true);
  });
});
