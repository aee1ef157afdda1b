import Ajv2020 from 'ajv/dist/2020';
import { Type } from 'class-transformer';
import {
  Allow,
  ArrayMaxSize,
  ArrayMinSize,
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsEnum,
  IsIn,
  IsInt,
  IsNumber,
  IsNegative,
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
import { PluginConfigurationError } from '../../src';
import { platformSchema } from '../../src/config/platform-schema';
import { validateConfig } from '../../src/config/validate-config';

/**
 * Settings classes generated from every class-validator decorator floe-core supports, in random
 * combinations (with `each`, optional, allowed, with and without defaults, nested), and values of every
 * kind: the JSON Schema `floe schema` writes (checked with ajv) and `applyConfig` must accept and refuse
 * the same settings.
 */

type Decorate = (target: object, property: string) => void;
interface DecoratorSpec {
  readonly label: string;
  readonly make: (each: boolean) => PropertyDecorator;
  /** Whether `{ each: true }` makes sense for it. */
  readonly eachable: boolean;
}

enum Color {
  Red = 'red',
  Blue = 'blue',
}

const each = (on: boolean) => (on ? { each: true } : undefined);
const DECORATORS: readonly DecoratorSpec[] = [
  { label: 'IsString', make: (e) => IsString(each(e)), eachable: true },
  { label: 'IsInt', make: (e) => IsInt(each(e)), eachable: true },
  { label: 'IsNumber', make: (e) => IsNumber({}, each(e)), eachable: true },
  { label: 'IsBoolean', make: (e) => IsBoolean(each(e)), eachable: true },
  { label: 'IsObject', make: (e) => IsObject(each(e)), eachable: true },
  { label: 'IsArray', make: () => IsArray(), eachable: false },
  { label: 'IsIn', make: (e) => IsIn(['a', 'b', 1, true], each(e)), eachable: true },
  { label: 'IsEnum', make: (e) => IsEnum(Color, each(e)), eachable: true },
  { label: 'Min(1)', make: (e) => Min(1, each(e)), eachable: true },
  { label: 'Max(10)', make: (e) => Max(10, each(e)), eachable: true },
  { label: 'IsPositive', make: (e) => IsPositive(each(e)), eachable: true },
  { label: 'IsNegative', make: (e) => IsNegative(each(e)), eachable: true },
  { label: 'MinLength(2)', make: (e) => MinLength(2, each(e)), eachable: true },
  { label: 'MaxLength(4)', make: (e) => MaxLength(4, each(e)), eachable: true },
  { label: 'Length(1,3)', make: (e) => Length(1, 3, each(e)), eachable: true },
  { label: 'Matches', make: (e) => Matches(/^[a-c]+$/, each(e)), eachable: true },
  { label: 'ArrayMinSize(1)', make: () => ArrayMinSize(1), eachable: false },
  { label: 'ArrayMaxSize(2)', make: () => ArrayMaxSize(2), eachable: false },
  { label: 'ArrayNotEmpty', make: () => ArrayNotEmpty(), eachable: false },
];

class Inner {
  @IsInt() @Min(0) n = 0;
  @IsOptional() @IsString() label?: string;
}

interface SettingSpec {
  readonly decorators: readonly { readonly index: number; readonly each: boolean }[];
  readonly optional: boolean;
  readonly allow: boolean;
  readonly nested: 'none' | 'one' | 'each';
  readonly fallback: { readonly has: boolean; readonly value: unknown };
}

const jsonValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('a', 'b', 'ab', 'abcd', 'abcde', 'red', '', 'x'),
    fc.constantFrom(0, 1, 2, 5, 10, 11, -1, -3, 1.5, 0.5),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('n', 'label', 'other'), tie('value'), { maxKeys: 2 }),
  ),
})).value;

const settingSpec: fc.Arbitrary<SettingSpec> = fc.record({
  decorators: fc.uniqueArray(fc.record({ index: fc.nat({ max: DECORATORS.length - 1 }), each: fc.boolean() }), {
    maxLength: 3,
    selector: (d) => d.index,
  }),
  optional: fc.boolean(),
  allow: fc.boolean(),
  nested: fc.constantFrom('none' as const, 'none' as const, 'one' as const, 'each' as const),
  fallback: fc.record({
    has: fc.oneof({ arbitrary: fc.constant(true), weight: 3 }, { arbitrary: fc.constant(false), weight: 1 }),
    value: jsonValue,
  }),
});

/** Settings for the generated classes: each setting given most of the time, an unknown key now and then. */
const rawSettings: fc.Arbitrary<Record<string, unknown>> = fc
  .record(
    {
      alpha: fc.option(jsonValue, { freq: 4, nil: undefined }),
      beta: fc.option(jsonValue, { freq: 4, nil: undefined }),
      gamma: fc.option(jsonValue, { freq: 4, nil: undefined }),
      unknown: fc.option(jsonValue, { freq: 8, nil: undefined }),
    },
    { requiredKeys: [] },
  )
  .map((raw) => Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== undefined)));

const NAMES = ['alpha', 'beta', 'gamma'];

/** A plain setting with the decorators at these indexes of DECORATORS, and a default. */
function spec(decorators: readonly number[], fallback: unknown): SettingSpec {
  return {
    decorators: decorators.map((index) => ({ index, each: false })),
    optional: false,
    allow: false,
    nested: 'none',
    fallback: { has: true, value: fallback },
  };
}

/** A settings class with the given settings, its defaults set by its constructor. */
function settingsClass(specs: readonly SettingSpec[]): new () => object {
  const defaults: Record<string, unknown> = {};
  const cls = class Generated {
    constructor() {
      Object.assign(this, structuredClone(defaults));
    }
  };
  specs.forEach((spec, i) => {
    const name = NAMES[i];
    const apply = (decorator: PropertyDecorator) => (decorator as Decorate)(cls.prototype, name);
    for (const { index, each: eachOn } of spec.decorators) {
      const decorator = DECORATORS[index];
      apply(decorator.make(eachOn && decorator.eachable));
    }
    if (spec.optional) apply(IsOptional());
    if (spec.allow || (spec.decorators.length === 0 && spec.nested === 'none')) apply(Allow());
    if (spec.nested !== 'none') {
      apply(ValidateNested({ each: spec.nested === 'each' }));
      apply(Type(() => Inner));
    }
    if (spec.fallback.has && spec.fallback.value !== null) defaults[name] = spec.fallback.value;
  });
  return cls;
}

const ajv = new Ajv2020({ strict: true, allErrors: true });
ajv.addKeyword('x-floe-runtime-only');

async function applies(cls: new () => object, raw: Record<string, unknown>): Promise<boolean> {
  try {
    await validateConfig(cls, raw, { name: 'generated' });
    return true;
  } catch (error) {
    if (error instanceof PluginConfigurationError) return false;
    throw error;
  }
}

describe('the JSON Schema and applyConfig', () => {
  it('accept and refuse the same settings, for every supported decorator and every kind of value', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(settingSpec, { minLength: 1, maxLength: 3 }),
        fc.array(rawSettings, { minLength: 1, maxLength: 6 }),
        async (specs, values) => {
          const cls = settingsClass(specs);
          const { schema, runtimeOnly } = platformSchema([
            { key: 'floe.computes:generated', type: 'floe.computes', name: 'generated', configSchema: cls },
          ]);
          expect(runtimeOnly).toEqual([]);
          const schemaAccepts = ajv.compile(schema);
          for (const raw of values) {
            const bySchema = schemaAccepts({ plugins: { 'floe.computes:generated': raw } });
            const byApply = await applies(cls, raw);
            if (bySchema !== byApply) {
              throw new Error(
                `schema ${bySchema ? 'accepts' : 'refuses'} but applyConfig ${byApply ? 'accepts' : 'refuses'} ` +
                  `${JSON.stringify(raw)} for ${JSON.stringify(specs)}: ${JSON.stringify(schemaAccepts.errors)}`,
              );
            }
          }
        },
      ),
      {
        numRuns: 400,
        // Found by this property: two rules of one kind (@MinLength(2) with @Length(1, 3); @IsIn with
        // @IsEnum, which share no value) were written as the last one alone, or as an empty enum.
        examples: [
          [[spec([12, 14], 'a')], [{ alpha: 'a' }, { alpha: 'ab' }, { alpha: 'abcd' }]],
          [[spec([6, 7], 'a')], [{}, { alpha: 'a' }, { alpha: 'red' }]],
          [[spec([15, 12], 'ab')], [{ alpha: 'ab' }, { alpha: 'a' }, { alpha: 'x' }]],
        ],
      },
    );
  }, 60_000);
});
