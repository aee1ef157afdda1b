import * as fc from 'fast-check';
import { createSilentLogger, PluginError, PluginRegistry, PluginType } from '../../src';
import { DuckDBConfig, DuckDBPlugin } from '../support/config-fixtures';

const KEYS = [
  'threads',
  'path',
  'connection',
  'host',
  'port',
  'replicas',
  'readOnly',
  'user',
  '__proto__',
  'constructor',
  'prototype',
  'x',
];

/** JSON-like values whose objects may carry own `__proto__`, `constructor` and `prototype` keys, as JSON.parse makes them. */
const value: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.integer({ min: -70000, max: 70000 }),
    fc.double({ noNaN: false }),
    fc.string(),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.array(fc.tuple(fc.constantFrom(...KEYS), tie('value')), { maxLength: 5 }).map((entries) => {
      const object: Record<string, unknown> = {};
      for (const [key, item] of entries)
        Object.defineProperty(object, key, { value: item, enumerable: true, writable: true, configurable: true });
      return object;
    }),
  ),
})).value;

describe('configure, for any input', () => {
  const registry = new PluginRegistry({ rootDir: '/nonexistent', logger: createSilentLogger() });
  registry.register(DuckDBPlugin);
  const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort();

  it('yields a validated instance or a PLUGIN_CONFIG_INVALID error, and never touches Object.prototype', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(value, fc.jsonValue()), async (raw) => {
        try {
          const config = await registry.configure(PluginType.Compute, 'duckdb', raw);
          expect(config).toBeInstanceOf(DuckDBConfig);
        } catch (error) {
          expect(PluginError.is(error, 'PLUGIN_CONFIG_INVALID')).toBe(true);
        }
        expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeBefore);
        expect(Object.getPrototypeOf({})).toBe(Object.prototype);
      }),
      { numRuns: 400 },
    );
  });
});
