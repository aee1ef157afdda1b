import Ajv2020 from 'ajv/dist/2020';
import {
  Allow,
  ArrayMinSize,
  IsIn,
  IsInt,
  IsString,
  Max,
  Min,
  MinLength,
  registerDecorator,
  type ValidationOptions,
} from 'class-validator';
import { PluginConfigurationError } from '../../src';
import { platformSchema } from '../../src/config/platform-schema';
import { validateConfig } from '../../src/config/validate-config';

/*
 * What a newcomer met on the first hour: rules that floe schema's JSON Schema and applyConfig read
 * differently, a typo with no hint, three messages for one wrong value, and an isIn problem that did not
 * say what is allowed.
 */

class Probes {
  @MinLength(2) name = 'ab';
  @Min(1) count = 1;
  @ArrayMinSize(1) items: unknown[] = [1];
  @IsString({ each: true }) labels: string[] = [];
  @Allow() anything?: unknown;
}

const KEY = 'floe.computes:probes';
const ajv = new Ajv2020({ strict: true, allErrors: true });
ajv.addKeyword('x-floe-runtime-only');

function schemaOf(cls: new () => object) {
  return platformSchema([{ key: KEY, type: 'floe.computes', name: 'probes', configSchema: cls }]);
}

async function issuesOf(cls: new () => object, raw: object) {
  try {
    await validateConfig(cls, raw, { name: 'probes', key: KEY });
    return [];
  } catch (error) {
    if (!(error instanceof PluginConfigurationError)) throw error;
    return error.errors.map(({ path, constraint, message }) => ({ path, constraint, message }));
  }
}

describe('floe schema and applyConfig agree on the rules that differed', () => {
  const validate = ajv.compile(schemaOf(Probes).schema);
  it.each([
    ['a length rule without @IsString constrains strings only', { name: 5 }, true],
    ['a length rule refuses a short string', { name: 'a' }, false],
    ['a bound without @IsInt constrains numbers only', { count: 'many' }, true],
    ['a bound refuses a small number', { count: 0 }, false],
    ['an array size rule without @IsArray constrains arrays only', { items: 'one' }, true],
    ['an array size rule refuses a short array', { items: [] }, false],
    ['each: true applies to members without forcing an array', { labels: 'one' }, true],
    ['each: true refuses a member of the wrong kind', { labels: ['a', 2] }, false],
    ['an @Allow()ed key may be left out, and holds anything', { anything: { deep: [null] } }, true],
  ])('%s', async (_what, raw, valid) => {
    expect(validate({ plugins: { [KEY]: raw } })).toBe(valid);
    expect((await issuesOf(Probes, raw)).length === 0).toBe(valid);
  });
});

describe('config problems say how to fix them', () => {
  class Sized {
    @IsInt() @Min(1) @Max(10) size = 1;
    @IsIn(['fast', 'safe', 2]) mode: string | number = 'safe';
  }

  it('a mistyped key gets the known key it was close to', async () => {
    expect(await issuesOf(Sized, { szie: 3 })).toEqual([
      {
        path: 'szie',
        constraint: 'whitelistValidation',
        message: '"szie" is not a known setting; did you mean "size"?',
      },
    ]);
  });

  it('a key close to none gets no hint', async () => {
    expect(await issuesOf(Sized, { colour: 3 })).toEqual([
      { path: 'colour', constraint: 'whitelistValidation', message: '"colour" is not a known setting' },
    ]);
  });

  it('a value of the wrong type gets one problem, not one per rule', async () => {
    expect(await issuesOf(Sized, { size: 'ten' })).toEqual([
      { path: 'size', constraint: 'isInt', message: '"size" must be an integer, not the string "ten"' },
    ]);
  });

  it('an isIn problem lists the allowed values', async () => {
    expect(await issuesOf(Sized, { mode: 'slow' })).toEqual([
      { path: 'mode', constraint: 'isIn', message: '"mode" must be one of "fast", "safe", 2, not the string "slow"' },
    ]);
  });
});

describe('a decorator floe-core does not know', () => {
  function IsEven(options?: ValidationOptions): PropertyDecorator {
    return (target, property) =>
      registerDecorator({
        name: 'isEven',
        target: target.constructor,
        propertyName: property as string,
        options,
        validator: { validate: (value: unknown) => typeof value === 'number' && value % 2 === 0 },
      });
  }
  class Custom {
    @IsInt() @IsEven({ message: 'lanes must be even' }) lanes = 2;
  }

  it('still runs at runtime', async () => {
    expect(await issuesOf(Custom, { lanes: 3 })).toEqual([
      { path: 'lanes', constraint: 'isEven', message: 'lanes must be even' },
    ]);
    expect(await issuesOf(Custom, { lanes: 4 })).toEqual([]);
  });

  it('is listed as runtime-only, and the schema still holds what it can express', () => {
    const { schema, runtimeOnly } = schemaOf(Custom);
    expect(runtimeOnly).toEqual(['Custom.lanes: isEven']);
    expect((schema as Record<string, unknown>)['x-floe-runtime-only']).toEqual(runtimeOnly);
    const validate = ajv.compile(schema);
    expect(validate({ plugins: { [KEY]: { lanes: 'x' } } })).toBe(false);
    expect(validate({ plugins: { [KEY]: { lanes: 3 } } })).toBe(true);
  });
});
