import { PluginMetadata } from '../plugin/plugin-metadata';
import { PluginType } from '../plugin-type';
import type { MaybePromise } from './common';

/**
 * Where OpenTelemetry data ends up (Jaeger, Datadog, Grafana Cloud, ...), behind the OTLP Collector.
 */
export abstract class TelemetryBackendPlugin extends PluginMetadata {
  /** The plugin type every subclass must declare in `@FloePlugin`. */
  static readonly pluginType = PluginType.TelemetryBackend;

  /** Returns the OTLP Collector configuration (exporters and service pipelines) that sends data to this backend. */
  abstract getOtlpExporterConfig(): Record<string, unknown>;

  /** Returns Helm values that deploy a self-hosted backend, or `{}` for a SaaS backend. */
  abstract getHelmValues(): Record<string, unknown>;

  /** Checks within about ten seconds that the backend is reachable; false when it is not. */
  abstract validateConnection(): MaybePromise<boolean>;
}
