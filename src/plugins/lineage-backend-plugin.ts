import { PluginMetadata } from '../plugin/plugin-metadata';
import { PluginType } from '../plugin-type';
import type { MaybePromise } from './common';

/**
 * Where OpenLineage events go (Marquez, Atlan, OpenMetadata, ...), over HTTP.
 */
export abstract class LineageBackendPlugin extends PluginMetadata {
  /** The plugin type every subclass must declare in `@FloePlugin`. */
  static readonly pluginType = PluginType.LineageBackend;

  /** Returns the OpenLineage HTTP transport settings: `type: 'http'`, `url`, `timeout`, and backend extras. */
  abstract getTransportConfig(): Record<string, unknown>;

  /** Returns how lineage namespaces are named: a `strategy` and its `template` and options. */
  abstract getNamespaceStrategy(): Record<string, unknown>;

  /** Returns Helm values that deploy a self-hosted backend, or `{}` for a SaaS backend. */
  abstract getHelmValues(): Record<string, unknown>;

  /** Checks within about ten seconds that the backend is reachable; false when it is not. */
  abstract validateConnection(): MaybePromise<boolean>;
}
