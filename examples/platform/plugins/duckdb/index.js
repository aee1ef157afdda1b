'use strict';
const { ComputePlugin, FloePlugin, HealthState, PluginType } = require('floe-core');
const { IsInt, IsString, Max, Min } = require('class-validator');
const { inject, named } = require('inversify');

/** Settings: worker threads and the database file. */
class DuckDBConfig {
  threads = 4;
  path = ':memory:';
}
IsInt()(DuckDBConfig.prototype, 'threads');
Min(1)(DuckDBConfig.prototype, 'threads');
Max(64)(DuckDBConfig.prototype, 'threads');
IsString()(DuckDBConfig.prototype, 'path');

function wait(ms, signal) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });
}

const PRESETS = {
  small: { cpuRequest: '250m', cpuLimit: '1', memoryRequest: '512Mi', memoryLimit: '1Gi' },
  medium: { cpuRequest: '500m', cpuLimit: '2', memoryRequest: '1Gi', memoryLimit: '4Gi' },
  large: { cpuRequest: '2', cpuLimit: '4', memoryRequest: '4Gi', memoryLimit: '16Gi' },
};

/** DuckDB, attached to the platform's Iceberg catalog. */
class DuckDBPlugin extends ComputePlugin {
  constructor(config, catalog) {
    super();
    this.config = config;
    this.catalog = catalog;
  }

  get isSelfHosted() {
    return true;
  }

  async startup(signal) {
    await wait(30, signal); // opening the database file
    this.attached = this.catalog.connect({}).listNamespaces().length;
  }

  generateDbtProfile(config) {
    return { type: 'duckdb', path: this.config.path, threads: config.threads ?? this.config.threads };
  }

  getRequiredDbtPackages() {
    return ['dbt-duckdb>=1.7.0'];
  }

  validateConnection() {
    return { status: HealthState.Healthy, latencyMs: 1, message: 'in-process', warnings: [] };
  }

  getResourceRequirements(workloadSize) {
    const spec = PRESETS[workloadSize];
    if (spec === undefined) throw new Error(`unknown workload size "${workloadSize}"; use small, medium or large`);
    return spec;
  }

  getCatalogAttachmentSql(catalogConfig) {
    return [
      `ATTACH '${catalogConfig.warehouse ?? 'default'}' AS ice (TYPE ICEBERG, ENDPOINT '${catalogConfig.catalogUri}')`,
    ];
  }

  healthCheck() {
    return {
      state: HealthState.Healthy,
      message: `${this.config.threads} threads`,
      details: { namespaces: this.attached },
    };
  }
}
inject(DuckDBConfig)(DuckDBPlugin, undefined, 0);
inject(PluginType.Catalog)(DuckDBPlugin, undefined, 1);
named('polaris')(DuckDBPlugin, undefined, 1);
FloePlugin({
  type: PluginType.Compute,
  name: 'duckdb',
  version: '1.2.0',
  apiVersion: '1.0',
  dependsOn: ['polaris'],
  description: 'DuckDB compute engine',
  configSchema: DuckDBConfig,
})(DuckDBPlugin);

module.exports = { DuckDBPlugin, DuckDBConfig };
