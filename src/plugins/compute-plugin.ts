import type { HealthState } from '../health';
import { PluginMetadata } from '../plugin/plugin-metadata';
import { PluginType } from '../plugin-type';
import type { MaybePromise, ResourceSpec, WorkloadSize } from './common';

/** The compute settings a platform passes to a compute plugin. */
export interface ComputeConfig {
  /** The compute plugin's name, such as `'duckdb'`. */
  plugin: string;
  timeoutSeconds: number;
  threads: number;
  /** Engine-specific connection settings. */
  connection: Record<string, unknown>;
  credentials?: Record<string, unknown>;
}

/** The outcome of `ComputePlugin.validateConnection`. */
export interface ConnectionResult {
  status: HealthState;
  latencyMs: number;
  message: string;
  warnings: string[];
}

/** An Iceberg catalog a compute engine may attach to. */
export interface CatalogConfig {
  catalogName: string;
  catalogUri: string;
  warehouse?: string;
  properties?: Record<string, string>;
}

/**
 * A compute engine where dbt transforms run (DuckDB, Snowflake, Spark, ...).
 * Implementations describe how dbt connects to the engine and what its job pods need.
 */
export abstract class ComputePlugin extends PluginMetadata {
  /** The plugin type every subclass must declare in `@FloePlugin`. */
  static readonly pluginType = PluginType.Compute;

  /** True when the engine runs inside the platform (DuckDB, Spark); false for a SaaS engine (Snowflake). */
  abstract get isSelfHosted(): boolean;

  /** Returns the target section of dbt's `profiles.yml` for this engine, built from `config`. */
  abstract generateDbtProfile(config: ComputeConfig): Record<string, unknown>;

  /** Returns the dbt adapter packages this engine needs, as package specifiers (`'dbt-duckdb>=1.7.0'`). */
  abstract getRequiredDbtPackages(): string[];

  /** Checks within about ten seconds that the engine is reachable with `config`; reports status and latency, never throws for an unreachable engine. */
  abstract validateConnection(config: ComputeConfig): MaybePromise<ConnectionResult>;

  /** Returns the Kubernetes resources a dbt job pod of this size needs; throws for an unknown size. */
  abstract getResourceRequirements(workloadSize: WorkloadSize): ResourceSpec;

  /** Returns the SQL that attaches the engine to an Iceberg catalog, or `undefined` when the engine attaches otherwise (the default). */
  getCatalogAttachmentSql(catalogConfig: CatalogConfig): string[] | undefined {
    void catalogConfig;
    return undefined;
  }
}
