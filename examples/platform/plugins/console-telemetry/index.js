'use strict';
const { FloePlugin, HealthState, PluginType, TelemetryBackendPlugin } = require('floe-core');
const { IsNumber, Max, Min } = require('class-validator');

/** Settings: the share of traces kept. */
class ConsoleTelemetryConfig {
  sampleRate = 1;
}
IsNumber()(ConsoleTelemetryConfig.prototype, 'sampleRate');
Min(0)(ConsoleTelemetryConfig.prototype, 'sampleRate');
Max(1)(ConsoleTelemetryConfig.prototype, 'sampleRate');

/** The OTLP Collector's debug exporter: telemetry goes to the collector's console. Degraded while sampling. */
class ConsoleTelemetryPlugin extends TelemetryBackendPlugin {
  constructor(config) {
    super();
    this.config = config;
  }

  getOtlpExporterConfig() {
    return {
      exporters: { debug: { verbosity: 'basic', sampling_initial: 5 } },
      service: { pipelines: { traces: { receivers: ['otlp'], processors: ['batch'], exporters: ['debug'] } } },
    };
  }

  getHelmValues() {
    return {};
  }

  validateConnection() {
    return true;
  }

  healthCheck() {
    if (this.config.sampleRate < 1) {
      return {
        state: HealthState.Degraded,
        message: `keeping ${this.config.sampleRate * 100}% of traces`,
        details: { sampleRate: this.config.sampleRate },
      };
    }
    return { state: HealthState.Healthy, message: 'all traces kept', details: { sampleRate: 1 } };
  }
}
require('inversify').inject(ConsoleTelemetryConfig)(ConsoleTelemetryPlugin, undefined, 0);
FloePlugin({
  type: PluginType.TelemetryBackend,
  name: 'console',
  version: '1.0.0',
  apiVersion: '1.0',
  description: 'OTLP Collector debug exporter',
  configSchema: ConsoleTelemetryConfig,
})(ConsoleTelemetryPlugin);

module.exports = { ConsoleTelemetryPlugin, ConsoleTelemetryConfig };
