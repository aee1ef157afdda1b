import { PluginMetadata } from '../plugin/plugin-metadata';
import { PluginType } from '../plugin-type';
import type { MaybePromise } from './common';

/** One ingestion pipeline: where data comes from and which Iceberg table receives it. */
export interface IngestionConfig {
  /** `'postgres'`, `'salesforce'`, `'api'`, ... */
  sourceType: string;
  sourceConfig: Record<string, unknown>;
  destinationTable: string;
  writeMode: 'append' | 'replace' | 'merge';
  schemaContract: 'evolve' | 'freeze' | 'discard_value';
}

/** The outcome of an ingestion run. */
export interface IngestionResult {
  success: boolean;
  rowsLoaded: number;
  bytesWritten: number;
  durationSeconds: number;
  errors: string[];
}

/**
 * A tool that loads data from external sources into Iceberg (dlt, Airbyte, ...).
 */
export abstract class IngestionPlugin extends PluginMetadata {
  /** The plugin type every subclass must declare in `@FloePlugin`. */
  static readonly pluginType = PluginType.Ingestion;

  /** True when the tool runs as a separate service (Airbyte); false when it runs in-process (dlt). */
  abstract get isExternal(): boolean;

  /** Builds a pipeline from `config`; throws when the config is invalid or the source unreachable. */
  abstract createPipeline(config: IngestionConfig): MaybePromise<unknown>;

  /** Runs a pipeline made by `createPipeline` and reports what it loaded. */
  abstract run(pipeline: unknown, options?: Record<string, unknown>): MaybePromise<IngestionResult>;

  /** Returns the destination settings that write to Iceberg through the platform's catalog. */
  abstract getDestinationConfig(catalogConfig: Record<string, unknown>): Record<string, unknown>;
}
