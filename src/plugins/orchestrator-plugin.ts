import { PluginMetadata } from '../plugin/plugin-metadata';
import { PluginType } from '../plugin-type';
import type { MaybePromise, ResourceSpec, ValidationResult, WorkloadSize } from './common';

/** One dbt model to orchestrate. */
export interface TransformConfig {
  name: string;
  path?: string;
  schemaName?: string;
  /** dbt materialization: `table`, `view`, `incremental`, ... */
  materialization?: string;
  tags?: string[];
  /** Upstream model names. */
  dependsOn?: string[];
  meta?: Record<string, unknown>;
  /** A compute plugin name overriding the platform default for this model. */
  compute?: string;
}

/** The OpenLineage run states. */
export type RunState = 'START' | 'RUNNING' | 'COMPLETE' | 'ABORT' | 'FAIL' | 'OTHER';

/** A dataset read or written by a job, as OpenLineage names it. */
export interface LineageDataset {
  namespace: string;
  name: string;
  facets?: Record<string, unknown>;
}

/** The optional parts of a lineage event. */
export interface LineageEventOptions {
  jobNamespace?: string;
  /** The run's UUID; generated when absent. */
  runId?: string;
  inputs?: LineageDataset[];
  outputs?: LineageDataset[];
  runFacets?: Record<string, unknown>;
  jobFacets?: Record<string, unknown>;
  /** Defaults to `'floe'`. */
  producer?: string;
}

/** What an orchestrator's generated entry point wires in. */
export interface EntryPointOptions {
  lineageEnabled?: boolean;
  icebergEnabled?: boolean;
}

/**
 * An orchestration platform that schedules and runs jobs (Dagster, Airflow, ...).
 * Implementations turn compiled artifacts into the platform's own definitions and report lineage.
 */
export abstract class OrchestratorPlugin extends PluginMetadata {
  /** The plugin type every subclass must declare in `@FloePlugin`. */
  static readonly pluginType = PluginType.Orchestrator;

  /** Validates compiled artifacts and turns them into the orchestrator's runtime definitions object. */
  abstract createDefinitions(artifacts: Record<string, unknown>): unknown;

  /** Turns dbt models into orchestrator assets (Dagster assets, Airflow tasks), one per transform. */
  abstract createAssetsFromTransforms(transforms: TransformConfig[]): unknown[];

  /** Returns the Helm values that deploy the orchestration services. */
  abstract getHelmValues(): Record<string, unknown>;

  /** Checks within about ten seconds that the orchestration service is reachable; failures are reported in the result. */
  abstract validateConnection(): MaybePromise<ValidationResult>;

  /** Returns the Kubernetes resources the orchestration pods of this size need; throws for an unknown size. */
  abstract getResourceRequirements(workloadSize: WorkloadSize): ResourceSpec;

  /** Sends an OpenLineage event to the lineage backend and returns the run's UUID (generated when not given). */
  abstract emitLineageEvent(eventType: RunState, jobName: string, options?: LineageEventOptions): MaybePromise<string>;

  /** Creates or updates a schedule running `jobName` on a cron expression in an IANA time zone; throws for an invalid cron or zone. */
  abstract scheduleJob(jobName: string, cron: string, timezone: string): MaybePromise<void>;

  /** Writes the orchestrator's entry-point file for a data product into `outputDir` and returns its path. */
  abstract generateEntryPointCode(
    productName: string,
    outputDir: string,
    options?: EntryPointOptions,
  ): MaybePromise<string>;

  /** Returns an event-driven sensor definition, or `undefined` when the plugin has none (the default). */
  sensorDefinition(): unknown {
    return undefined;
  }
}
