'use strict';
const { FloePlugin, PluginType, SecretsPlugin, HealthState } = require('floe-core');
const { IsObject, IsString, Matches } = require('class-validator');

/** Settings: the prefix of the environment variables to read, and values to use when a variable is absent. */
class EnvSecretsConfig {
  prefix = 'FLOE_SECRET_';
  fallbacks = {};
}
IsString()(EnvSecretsConfig.prototype, 'prefix');
Matches(/^[A-Z_][A-Z0-9_]*$/)(EnvSecretsConfig.prototype, 'prefix');
IsObject()(EnvSecretsConfig.prototype, 'fallbacks');

/** Secrets from environment variables: `database/password` is read from `FLOE_SECRET_DATABASE_PASSWORD`. */
class EnvSecretsPlugin extends SecretsPlugin {
  constructor(config) {
    super();
    this.config = config;
    this.values = new Map();
  }

  startup() {
    for (const [key, value] of Object.entries(this.config.fallbacks)) this.values.set(key, String(value));
    for (const [variable, value] of Object.entries(process.env)) {
      if (variable.startsWith(this.config.prefix) && value !== undefined) {
        this.values.set(variable.slice(this.config.prefix.length).toLowerCase().replace(/_/g, '/'), value);
      }
    }
  }

  getSecret(key) {
    return this.values.get(key);
  }

  setSecret(key, value) {
    this.values.set(key, value);
  }

  listSecrets(prefix = '') {
    return [...this.values.keys()].filter((key) => key.startsWith(prefix)).sort();
  }

  healthCheck() {
    return { state: HealthState.Healthy, message: `${this.values.size} secrets`, details: { count: this.values.size } };
  }
}
require('inversify').inject(EnvSecretsConfig)(EnvSecretsPlugin, undefined, 0);
FloePlugin({
  type: PluginType.Secrets,
  name: 'env',
  version: '1.0.0',
  apiVersion: '1.0',
  description: 'Secrets from environment variables',
  configSchema: EnvSecretsConfig,
})(EnvSecretsPlugin);

module.exports = { EnvSecretsPlugin, EnvSecretsConfig };
