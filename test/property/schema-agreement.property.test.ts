import Ajv2020 from 'ajv/dist/2020';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsEnum,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsPositive,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import fc from 'fast-check';
import { createSilentLogger, FloePlugin, PluginMetadata, PluginRegistry, PluginType } from '../../src';
import { platformSchema } from '../../src/config/platform-schema';

enum Mode {
  Fast = 'fast',
  Safe = 'safe',
}

class Endpoint {
  @IsString() @MinLength(1) @MaxLength(20) host = 'localhost';
  @IsInt() @Min(1) @Max(65535) port = 5432;
}

class Tag {
  @IsString() @Matches(/^[a-z]+$/) name!: string;
}

/** A schema using every class-validator rule the JSON Schema expresses. */
class Everything {
  @IsInt() @Min(0) @Max(10) level = 3;
  @IsNumber() @IsPositive() ratio = 0.5;
  @IsBoolean() enabled = true;
  @IsString() @Matches(/^[a-z][a-z0-9-]*$/) slug = 'main';
  @IsIn(['a', 'b', 'c']) letter = 'a';
  @IsEnum(Mode) mode = Mode.Fast;
  @IsOptional() @IsString() @Length(2, 5) note?: string;
  @IsObject() @ValidateNested() @Type(() => Endpoint) endpoint = new Endpoint();
  @IsArray() @ArrayMaxSize(3) @ValidateNested({ each: true }) @Type(() => Tag) tags: Tag[] = [];
  @IsArray() @ArrayNotEmpty() @IsInt({ each: true }) counts = [1];
  @IsString() required!: string;
  @IsOptional() @ValidateNested() @Type(() => Endpoint) backup?: Endpoint;
}

@FloePlugin({
  type: PluginType.Compute,
  name: 'everything',
  version: '1.0.0',
  apiVersion: '1.0',
  configSchema: Everything,
})
class EverythingPlugin extends PluginMetadata {}

@FloePlugin({ type: PluginType.Secrets, name: 'plain', version: '1.0.0', apiVersion: '1.0' })
class PlainPlugin extends PluginMetadata {}

const KEY = 'floe.computes:everything';
const { schema, runtimeOnly } = platformSchema([
  { key: KEY, type: PluginType.Compute, name: 'everything', configSchema: Everything },
  { key: 'floe.secrets:plain', type: PluginType.Secrets, name: 'plain', configSchema: null },
]);
const validate = new Ajv2020({ strict: true, allErrors: true }).compile(schema);

const registry = new PluginRegistry({ rootDir: '/nonexistent', logger: createSilentLogger() });
registry.register(EverythingPlugin);
registry.register(PlainPlugin);

/** Whether floe's applyConfig accepts a config file holding these plugin settings. */
async function floeAccepts(plugins: Record<string, unknown>): Promise<boolean> {
  try {
    await registry.applyConfig({ defaults: {}, plugins, locations: {} });
    return true;
  } catch {
    return false;
  }
}

function agreement(settings: Record<string, unknown>) {
  return async () => {
    const file = { plugins: settings };
    const plugins = Object.fromEntries(Object.entries(settings).map(([key, value]) => [key, value ?? {}]));
    expect({ settings, schema: validate(file) }).toEqual({ settings, schema: await floeAccepts(plugins) });
  };
}

const valid = {
  level: fc.integer({ min: 0, max: 10 }),
  ratio: fc.double({ min: 0.001, max: 100, noNaN: true }),
  enabled: fc.boolean(),
  slug: fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/),
  letter: fc.constantFrom('a', 'b', 'c'),
  mode: fc.constantFrom('fast', 'safe'),
  note: fc.oneof(fc.string({ minLength: 2, maxLength: 5 }), fc.constant(null)),
  endpoint: fc.record(
    { host: fc.string({ minLength: 1, maxLength: 20 }), port: fc.integer({ min: 1, max: 65535 }) },
    { requiredKeys: [] },
  ),
  tags: fc.array(fc.record({ name: fc.stringMatching(/^[a-z]{1,6}$/) }), { maxLength: 3 }),
  counts: fc.array(fc.integer(), { minLength: 1, maxLength: 4 }),
  required: fc.string(),
  backup: fc.oneof(fc.constant(null), fc.record({ host: fc.constant('h'), port: fc.integer({ min: 1, max: 9 }) })),
};

// Values of the wrong type, out of bounds, or not matching: JSON only (what a config file can hold).
const wrong = {
  level: fc.oneof(fc.integer({ min: 11 }), fc.integer({ max: -1 }), fc.constant(1.5), fc.constant('3')),
  ratio: fc.oneof(fc.constant(0), fc.constant(-2), fc.constant('0.5')),
  enabled: fc.oneof(fc.constant('true'), fc.constant(1)),
  slug: fc.oneof(fc.constant('Main'), fc.constant('-x'), fc.constant(7)),
  letter: fc.oneof(fc.constant('d'), fc.constant(1)),
  mode: fc.oneof(fc.constant('Fast'), fc.constant('slow')),
  note: fc.oneof(fc.constant(''), fc.constant('toolong'), fc.constant(5)),
  endpoint: fc.oneof(
    fc.constant(null),
    fc.constant('localhost'),
    fc.constant({ host: '', port: 1 }),
    fc.constant({ port: 70000 }),
    fc.constant({ host: 'h', extra: true }),
  ),
  tags: fc.oneof(
    fc.constant([{ name: 'x' }, { name: 'y' }, { name: 'z' }, { name: 'w' }]),
    fc.constant([{ name: 'Upper' }]),
    fc.constant([{}]),
    fc.constant([5]),
    fc.constant({ name: 'x' }),
  ),
  counts: fc.oneof(fc.constant([]), fc.constant([1.5]), fc.constant(['1']), fc.constant(3)),
  required: fc.oneof(fc.constant(5), fc.constant(null), fc.constant(true)),
  backup: fc.oneof(fc.constant('h'), fc.constant({ port: 0 })),
};

type Property = keyof typeof valid;
const PROPERTIES = Object.keys(valid) as Property[];

/** Settings where each property is valid, wrong, or left out, and sometimes an unknown key is added. */
const settings = fc
  .record(
    Object.fromEntries(
      PROPERTIES.map((property) => [
        property,
        fc.oneof(
          { weight: 6, arbitrary: valid[property].map((value) => ({ value })) },
          { weight: 1, arbitrary: wrong[property].map((value) => ({ value })) },
          { weight: 1, arbitrary: fc.constant(undefined) },
        ),
      ]),
    ) as Record<Property, fc.Arbitrary<{ value: unknown } | undefined>>,
  )
  .chain((chosen) =>
    fc.option(fc.constantFrom('levle', 'toString', 'extra'), { nil: undefined }).map((unknown) => {
      const raw: Record<string, unknown> = {};
      for (const property of PROPERTIES) {
        const pick = chosen[property];
        if (pick !== undefined) raw[property] = pick.value;
      }
      if (unknown !== undefined) raw[unknown] = 1;
      return raw;
    }),
  );

describe('the JSON Schema of the config file', () => {
  it('expresses every rule of the schema used here', () => {
    expect(runtimeOnly).toEqual([]);
  });

  it.each([
    ['defaults only', { [KEY]: { required: 'x' } }],
    ['a plugin listed without settings', { [KEY]: null }],
    ['a missing required setting', { [KEY]: {} }],
    ['an unknown setting', { [KEY]: { required: 'x', colour: 'red' } }],
    ['an unknown nested setting', { [KEY]: { required: 'x', endpoint: { host: 'h', colour: 1 } } }],
    ['null for an optional setting', { [KEY]: { required: 'x', note: null, backup: null } }],
    ['null for a required object', { [KEY]: { required: 'x', endpoint: null } }],
    ['a wrong item in an array', { [KEY]: { required: 'x', counts: [1, 'two'] } }],
    ['a nested array item missing its required setting', { [KEY]: { required: 'x', tags: [{}] } }],
    ['settings for a plugin without schema', { 'floe.secrets:plain': { token: 'x' } }],
    ['empty settings for a plugin without schema', { 'floe.secrets:plain': {} }],
    ['an unknown plugin', { 'floe.computes:nowhere': {} }],
  ])('agrees with floe on %s', (_label, plugins) => agreement(plugins)());

  it('accepts exactly what applyConfig accepts, for generated settings', async () => {
    await fc.assert(
      fc.asyncProperty(settings, async (raw) => {
        await agreement({ [KEY]: raw })();
      }),
      { numRuns: 300 },
    );
  });

  it('describes defaults, enums, bounds, patterns and required settings', () => {
    const everything = (schema.$defs as Record<string, Record<string, unknown>>)[KEY];
    expect(everything).toMatchObject({
      type: 'object',
      additionalProperties: false,
      required: ['required'],
      properties: {
        level: { type: 'integer', minimum: 0, maximum: 10, default: 3 },
        slug: { type: 'string', pattern: '^[a-z][a-z0-9-]*$', default: 'main' },
        letter: { enum: ['a', 'b', 'c'], default: 'a' },
        mode: { enum: ['fast', 'safe'], default: 'fast' },
        note: { type: ['string', 'null'], minLength: 2, maxLength: 5 },
        endpoint: { $ref: '#/$defs/Endpoint', type: 'object', default: { host: 'localhost', port: 5432 } },
        tags: { type: 'array', maxItems: 3, items: { $ref: '#/$defs/Tag' } },
      },
    });
  });
});
