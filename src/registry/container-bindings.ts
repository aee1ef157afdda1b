import type { Container } from 'inversify';
import type { ConfigSchema, PluginClass } from '../plugin/floe-plugin';
import type { PluginType } from '../plugin-type';

/**
 * Binds a plugin under its type, named by its name, as users inject it: `@inject(type) @named(name)`.
 * `resolve` returns the live instance, or a promise of it while the plugin still has to start.
 */
export function bindNamedPlugin(container: Container, type: PluginType, name: string, resolve: () => unknown): void {
  container.bind(type).toDynamicValue(resolve).whenNamed(name);
}

/** Binds what a bare `@inject(type)` gets: `resolve` picks the type's default plugin. */
export function bindTypeDefault(container: Container, type: PluginType, resolve: () => unknown): void {
  container.bind(type).toDynamicValue(resolve).whenDefault();
}

/** The hooks of one plugin instance's binding. Neither may reject: a rejection would pin the binding. */
export interface InstanceHooks {
  onActivation(instance: unknown): Promise<unknown>;
  onDeactivation(instance: unknown): void | Promise<void>;
}

/**
 * Binds one start attempt of a plugin class as a singleton under a fresh service id, so that the
 * container constructs it (injecting its config and dependencies) and runs startup and shutdown through
 * its activation and deactivation hooks.
 */
export function bindPluginInstance(
  container: Container,
  serviceId: symbol,
  cls: PluginClass,
  hooks: InstanceHooks,
): void {
  const binding = container
    .bind<unknown>(serviceId)
    .to(cls as new () => unknown)
    .inSingletonScope();
  binding.onActivation((_context, instance) => hooks.onActivation(instance));
  binding.onDeactivation((instance) => hooks.onDeactivation(instance));
}

/**
 * Binds a plugin's configuration under its schema class, for that plugin's constructor only (several
 * plugins may share a schema). `isOwner` tells whether a service id belongs to the plugin.
 */
export function bindPluginConfig(
  container: Container,
  schema: ConfigSchema,
  isOwner: (serviceId: unknown) => boolean,
  config: () => object,
): void {
  container
    .bind(schema)
    .toDynamicValue(() => config())
    .whenParent((parent) => isOwner(parent.serviceIdentifier));
}
