import { PluginMetadata } from '../plugin/plugin-metadata';
import { PluginType } from '../plugin-type';
import type { MaybePromise } from './common';
import type { ComputePlugin } from './compute-plugin';

/**
 * A semantic layer serving business metrics (Cube, dbt Semantic Layer, ...); it reaches data through the compute plugin.
 */
export abstract class SemanticLayerPlugin extends PluginMetadata {
  /** The plugin type every subclass must declare in `@FloePlugin`. */
  static readonly pluginType = PluginType.SemanticLayer;

  /** Generates semantic model files from a dbt `manifest.json` into `outputDir` and returns their paths. */
  abstract syncFromDbtManifest(manifestPath: string, outputDir: string): MaybePromise<string[]>;

  /** Returns the row- and column-level security context for a data namespace and a user's roles. */
  abstract getSecurityContext(namespace: string, roles: string[]): Record<string, unknown>;

  /** Returns the semantic layer's datasource settings derived from the live compute plugin. */
  abstract getDatasourceConfig(computePlugin: ComputePlugin): Record<string, unknown>;
}
