import { PluginMetadata } from '../plugin/plugin-metadata';
import { PluginType } from '../plugin-type';
import type { MaybePromise } from './common';

/** The part of an Iceberg catalog client floe relies on. */
export interface Catalog {
  listNamespaces(): MaybePromise<string[][]>;
  listTables(namespace: string): MaybePromise<string[]>;
  loadTable(identifier: string): MaybePromise<unknown>;
}

/** Short-lived credentials scoped to one table. */
export interface VendedCredentials {
  accessKey?: string;
  secretKey?: string;
  token?: string;
  /** ISO 8601 time at which the credentials stop working. */
  expiration?: string;
  [extra: string]: unknown;
}

/**
 * An Iceberg table catalog (Polaris, AWS Glue, Unity Catalog, ...).
 * Implementations connect to it, manage namespaces, and vend short-lived table credentials.
 */
export abstract class CatalogPlugin extends PluginMetadata {
  /** The plugin type every subclass must declare in `@FloePlugin`. */
  static readonly pluginType = PluginType.Catalog;

  /** Connects with `config` (uri, warehouse, credential, ...) and returns a catalog client; throws when it cannot connect or authenticate. */
  abstract connect(config: Record<string, unknown>): MaybePromise<Catalog>;

  /** Creates a namespace (`'bronze'`, `'silver.customers'`) with optional properties; throws when it exists or is not permitted. */
  abstract createNamespace(namespace: string, properties?: Record<string, string>): MaybePromise<void>;

  /** Returns temporary credentials allowing only `operations` (`'READ'`, `'WRITE'`) on one table. */
  abstract vendCredentials(tablePath: string, operations: string[]): MaybePromise<VendedCredentials>;
}
