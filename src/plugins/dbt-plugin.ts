import { PluginMetadata } from '../plugin/plugin-metadata';
import { PluginType } from '../plugin-type';
import type { MaybePromise } from './common';

/** The outcome of a dbt command. */
export interface DBTRunResult {
  success: boolean;
  manifestPath: string;
  runResultsPath: string;
  catalogPath?: string;
  executionTimeSeconds: number;
  modelsRun: number;
  testsRun: number;
  failures: number;
  metadata: Record<string, unknown>;
}

/** The outcome of SQL linting. */
export interface LintResult {
  success: boolean;
  issues: Record<string, unknown>[];
  filesChecked: number;
  filesFixed: number;
}

/** Which models a run selects. */
export interface RunModelsOptions {
  select?: string;
  exclude?: string;
  fullRefresh?: boolean;
}

/**
 * Where dbt compiles and runs (dbt-core locally, dbt Fusion, dbt Cloud); not the SQL framework itself.
 */
export abstract class DBTPlugin extends PluginMetadata {
  /** The plugin type every subclass must declare in `@FloePlugin`. */
  static readonly pluginType = PluginType.DBT;

  /** Compiles the project (Jinja to SQL) without running it and returns the path of `manifest.json`; throws on a compilation error. */
  abstract compileProject(projectDir: string, profilesDir: string, target: string): MaybePromise<string>;

  /** Runs the selected models against `target`. */
  abstract runModels(
    projectDir: string,
    profilesDir: string,
    target: string,
    options?: RunModelsOptions,
  ): MaybePromise<DBTRunResult>;

  /** Runs the selected dbt tests against `target`; failures are counted in the result. */
  abstract testModels(
    projectDir: string,
    profilesDir: string,
    target: string,
    options?: { select?: string },
  ): MaybePromise<DBTRunResult>;

  /** Lints the project's SQL for the target's dialect, fixing what it can when `fix` is set; throws only when the linter itself fails. */
  abstract lintProject(
    projectDir: string,
    profilesDir: string,
    target: string,
    options?: { fix?: boolean },
  ): MaybePromise<LintResult>;

  /** Returns the parsed `manifest.json`; throws when the project was not compiled. */
  abstract getManifest(projectDir: string): MaybePromise<Record<string, unknown>>;

  /** Returns the parsed `run_results.json` of the latest run; throws when nothing ran yet. */
  abstract getRunResults(projectDir: string): MaybePromise<Record<string, unknown>>;

  /** True when models can run in parallel. */
  abstract supportsParallelExecution(): boolean;

  /** True when `lintProject` is implemented. */
  abstract supportsSqlLinting(): boolean;

  /** Returns facts about the runtime (runtime, dbt version, adapter) for logs and monitoring. */
  abstract getRuntimeMetadata(): Record<string, unknown>;
}
