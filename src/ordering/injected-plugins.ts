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
}

interface ClassMetadata {
  readonly constructorArguments?: readonly (InjectionElement | undefined)[];
  readonly properties?: ReadonlyMap<string | symbol, InjectionElement>;
}

/**
 * The plugins a class injects through its constructor or properties, read from the metadata Inversify's
 * decorators record. Injections of anything other than a plugin type are left out.
 */
export function injectedPlugins(cls: unknown): InjectedPlugin[] {
  if (typeof cls !== 'function') return [];
  const metadata = Reflect.getOwnMetadata(CLASS_METADATA, cls) as ClassMetadata | undefined;
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
