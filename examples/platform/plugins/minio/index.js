'use strict';
const { FloePlugin, HealthState, PluginType, StoragePlugin } = require('floe-core');
const { IsString, IsUrl, Matches } = require('class-validator');
const { inject, named } = require('inversify');

/** Settings: the MinIO endpoint and the bucket holding the warehouse. */
class MinioConfig {
  endpoint = 'http://localhost:9000';
  bucket = 'warehouse';
  secretKey = 'minio/secret-key';
}
IsUrl({ require_tld: false })(MinioConfig.prototype, 'endpoint');
Matches(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/)(MinioConfig.prototype, 'bucket');
IsString()(MinioConfig.prototype, 'secretKey');

function wait(ms, signal) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });
}

/** MinIO storage: file access and the settings dbt and the orchestrator need. */
class MinioPlugin extends StoragePlugin {
  constructor(config, secrets) {
    super();
    this.config = config;
    this.secrets = secrets;
  }

  async startup(signal) {
    if ((await this.secrets.getSecret(this.config.secretKey)) === undefined)
      throw new Error(`secret "${this.config.secretKey}" is not set`);
    await wait(20, signal);
  }

  getPyicebergFileio() {
    const files = new Map();
    return {
      newInput: (location) => files.get(location),
      newOutput: (location) => ({ write: (data) => files.set(location, data) }),
      delete: (location) => files.delete(location),
    };
  }

  getWarehouseUri(namespace) {
    return `s3://${this.config.bucket}/warehouse/${namespace}`;
  }

  getDbtProfileConfig() {
    return { s3_endpoint: this.config.endpoint, s3_use_ssl: this.config.endpoint.startsWith('https') };
  }

  getDagsterIoManagerConfig() {
    return { bucket: this.config.bucket, prefix: 'dagster-assets', endpoint_url: this.config.endpoint };
  }

  getHelmValuesOverride() {
    return { mode: 'standalone', replicas: 1, persistence: { size: '10Gi' } };
  }

  healthCheck() {
    return {
      state: HealthState.Healthy,
      message: `bucket ${this.config.bucket}`,
      details: { endpoint: this.config.endpoint },
    };
  }
}
inject(MinioConfig)(MinioPlugin, undefined, 0);
inject(PluginType.Secrets)(MinioPlugin, undefined, 1);
named('env')(MinioPlugin, undefined, 1);
FloePlugin({
  type: PluginType.Storage,
  name: 'minio',
  version: '0.9.0',
  apiVersion: '1.0',
  dependsOn: ['floe.secrets:env'],
  description: 'MinIO object storage',
  configSchema: MinioConfig,
})(MinioPlugin);

module.exports = { MinioPlugin, MinioConfig };
