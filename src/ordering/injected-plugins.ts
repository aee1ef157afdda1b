import { InvalidPluginError } from '../errors';
import { isPluginType, type PluginType } from '../plugin-type';

/** A plugin a class receives by injection: `@inject(type) @named(name)`, or a bare `@inject(type)`. */
export interface InjectedPlugin {
  readonly type: PluginType;
  /** The `@named` name; `undefined` for a bare `@inject(type)` (the type's default plugin). */
  readonly name?: string;
  readonly optional: boolean;
  /** Where the injection is declared, for messages: `constructor parameter 0`, `property secrets`. */
  readonly where: string;
}

// Where Inversify keeps what @inject, @named and @optional declared on a class.
const CLASS_METADATA = '@inversifyjs/core/classMetadataReflectKey';

interface InjectionElement {
  readonly kind?: number;
  readonly value?: unknown;
  readonly name?: unknown;
  readonly optional?: boolean;
  /** Set when the service id is only the parameter's TypeScript type (emitDecoratorMetadata), no @inject. */
  readonly isFromTypescriptParamType?: boolean;
}

// Types TypeScript emits for parameters whose type is a primitive, an interface or a union: nothing the
// container can build.
const UNRESOLVABLE_TYPES: ReadonlySet<unknown> = new Set([
  Object,
  String,
  Number,
  Boolean,
  Array,
  Function,
  Symbol,
  BigInt,
]);

interface ClassMetadata {
  readonly constructorArguments?: readonly (InjectionElement | undefined)[];
  readonly properties?: ReadonlyMap<string | symbol, InjectionElement>;
  readonly lifecycle?: {
    readonly postConstructMethodNames?: ReadonlySet<unknown>;
    readonly preDestroyMethodNames?: ReadonlySet<unknown>;
  };
}

// What Inversify's decorators recorded on the class itself (Inversify reads only a class's own metadata).
function ownClassMetadata(cls: object): ClassMetadata | undefined {
  return Reflect.getOwnMetadata(CLASS_METADATA, cls) as ClassMetadata | undefined;
}

/**
 * The plugins a class injects through its constructor or properties, read from the metadata Inversify's
 * decorators record. Injections of anything other than a plugin type are left out.
 */
export function injectedPlugins(cls: unknown): InjectedPlugin[] {
  if (typeof cls !== 'function') return [];
  const metadata = ownClassMetadata(cls);
  if (metadata === undefined) return [];
  const found: InjectedPlugin[] = [];
  const visit = (element: InjectionElement | undefined, where: string) => {
    if (element === undefined) return;
    const type = unwrap(element.value);
    if (!isPluginType(type)) return;
    found.push({
      type,
      ...(element.name === undefined ? {} : { name: String(element.name) }),
      optional: element.optional === true,
      where,
    });
  };
  (metadata.constructorArguments ?? []).forEach((element, i) => visit(element, `constructor parameter ${i}`));
  for (const [property, element] of metadata.properties ?? []) visit(element, `property ${String(property)}`);
  return found;
}

/** How an injection reads in a message: `@inject(floe.secrets) @named('vault')`. */
export function describeInjection(injected: InjectedPlugin): string {
  return injected.name === undefined
    ? `@inject(${injected.type})`
    : `@inject(${injected.type}) @named('${injected.name}')`;
}

// A LazyServiceIdentifier wraps the real one behind unwrap().
function unwrap(value: unknown): unknown {
  const lazy = value as { unwrap?: () => unknown } | null | undefined;
  return typeof lazy === 'object' && lazy !== null && typeof lazy.unwrap === 'function' ? lazy.unwrap() : value;
}

/**
 * The constructor parameters of a class that the container cannot fill: no `@inject` (nor `@unmanaged`,
 * `@multiInject`), or only a TypeScript type that names no service (`string`, an interface). Parameters
 * with a default value are not counted, as the constructor's `length` leaves them out.
 */
export function unresolvableParameters(cls: unknown): number[] {
  if (typeof cls !== 'function') return [];
  const elements = ownClassMetadata(cls)?.constructorArguments ?? [];
  const found: number[] = [];
  for (let i = 0; i < Math.max(cls.length, elements.length); i++) {
    const element = elements[i];
    if (element === undefined) {
      if (i < cls.length) found.push(i);
    } else if (
      element.isFromTypescriptParamType === true &&
      (element.value === undefined || UNRESOLVABLE_TYPES.has(unwrap(element.value)))
    ) {
      found.push(i);
    }
  }
  return found;
}

/**
 * Refuses a plugin class whose constructor the container cannot call.
 *
 * @param plugin - names the plugin in the message (`plugin floe.computes:duckdb`).
 * @throws InvalidPluginError naming the plugin, its class and each parameter index.
 */
export function requireInjectableConstructor(cls: unknown, plugin: string): void {
  const missing = unresolvableParameters(cls);
  if (missing.length === 0) return;
  const name = typeof cls === 'function' && cls.name !== '' ? cls.name : '(anonymous)';
  throw new InvalidPluginError(
    `${plugin}: the constructor of class ${name} needs ${missing.length === 1 ? 'parameter' : 'parameters'} ${missing.join(', ')} (counting from 0), which the container cannot provide. ` +
      'Decorate each with @inject(serviceId) (and @named(name) for a plugin), give it a default value, or remove it.',
  );
}

// Decided once per class: a start asks every time, and decorators have run by then.
const injecting = new WeakMap<object, boolean>();

/**
 * Whether building the class takes the container's injection: a constructor parameter, an injected
 * property or a `@postConstruct` / `@preDestroy` method recorded by Inversify's decorators on the class
 * itself (Inversify reads only a class's own metadata). Without any, `new cls()` is what the container does.
 */
export function needsInjection(cls: unknown): boolean {
  if (typeof cls !== 'function') return false;
  let injects = injecting.get(cls);
  if (injects === undefined) {
    const metadata = ownClassMetadata(cls);
    injects =
      cls.length > 0 ||
      (metadata?.constructorArguments?.length ?? 0) > 0 ||
      (metadata?.properties?.size ?? 0) > 0 ||
      (metadata?.lifecycle?.postConstructMethodNames?.size ?? 0) > 0 ||
      (metadata?.lifecycle?.preDestroyMethodNames?.size ?? 0) > 0;
    injecting.set(cls, injects);
  }
  return injects;
}
