import { PluginMetadata } from '../plugin/plugin-metadata';
import { PluginType } from '../plugin-type';

/** The part of an Iceberg FileIO floe relies on. */
export interface FileIO {
  newInput(location: string): unknown;
  newOutput(location: string): unknown;
  delete(location: string): unknown;
}

/**
 * Object storage for Iceberg data (S3, GCS, Azure Blob, MinIO, ...).
 * Implementations give file access and the storage settings other tools need.
 */
export abstract class StoragePlugin extends PluginMetadata {
  /** The plugin type every subclass must declare in `@FloePlugin`. */
  static readonly pluginType = PluginType.Storage;

  /** Returns a FileIO configured for this storage, used to read and write table data and metadata. */
  abstract getPyicebergFileio(): FileIO;

  /** Returns the warehouse URI of a catalog namespace, such as `'s3://bucket/warehouse/bronze'`. */
  abstract getWarehouseUri(namespace: string): string;

  /** Returns the storage settings merged into dbt's `profiles.yml`. */
  abstract getDbtProfileConfig(): Record<string, unknown>;

  /** Returns the settings of the orchestrator's IO manager for this storage. */
  abstract getDagsterIoManagerConfig(): Record<string, unknown>;

  /** Returns Helm values that deploy self-hosted storage, or `{}` for cloud storage. */
  abstract getHelmValuesOverride(): Record<string, unknown>;
}
