'use strict';
const { CatalogPlugin, FloePlugin, HealthState, PluginType } = require('floe-core');
const { IsString, IsUrl } = require('class-validator');
const { inject, named } = require('inversify');

/** Settings: where the catalog is, which warehouse to use, and which secret holds the client credential. */
class PolarisConfig {
  uri = 'http://localhost:8181/api/catalog';
  warehouse = 'default';
  credentialKey = 'polaris/client-secret';
}
IsUrl({ require_tld: false })(PolarisConfig.prototype, 'uri');
IsString()(PolarisConfig.prototype, 'warehouse');
IsString()(PolarisConfig.prototype, 'credentialKey');

/** Waits, unless the signal aborts first. */
function wait(ms, signal) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });
}

/** A catalog that keeps namespaces in memory and vends credentials signed with the secret from the secrets plugin. */
class PolarisPlugin extends CatalogPlugin {
  constructor(config, secrets) {
    super();
    this.config = config;
    this.secrets = secrets;
    this.namespaces = new Map();
  }

  async startup(signal) {
    this.credential = await this.secrets.getSecret(this.config.credentialKey);
    if (this.credential === undefined)
      throw new Error(`secret "${this.config.credentialKey}" is not set; export FLOE_SECRET_POLARIS_CLIENT_SECRET`);
    await wait(40, signal); // the OAuth handshake with the catalog
    this.createNamespace('bronze');
  }

  async shutdown(signal) {
    await wait(10, signal);
    this.namespaces.clear();
  }

  connect() {
    const namespaces = this.namespaces;
    return {
      listNamespaces: () => [...namespaces.keys()].map((name) => [name]),
      listTables: (namespace) => [...(namespaces.get(namespace) ?? [])],
      loadTable: (identifier) => ({ identifier, warehouse: this.config.warehouse }),
    };
  }

  createNamespace(namespace) {
    if (this.namespaces.has(namespace)) throw new Error(`namespace ${namespace} already exists`);
    this.namespaces.set(namespace, new Set());
  }

  vendCredentials(tablePath, operations) {
    return {
      token: `${this.config.warehouse}:${tablePath}:${operations.join('+')}`,
      expiration: new Date(Date.now() + 3_600_000).toISOString(),
    };
  }

  healthCheck() {
    return {
      state: HealthState.Healthy,
      message: `connected to ${this.config.uri}`,
      details: { namespaces: this.namespaces.size },
    };
  }
}
inject(PolarisConfig)(PolarisPlugin, undefined, 0);
inject(PluginType.Secrets)(PolarisPlugin, undefined, 1);
named('env')(PolarisPlugin, undefined, 1);
FloePlugin({
  type: PluginType.Catalog,
  name: 'polaris',
  version: '1.0.0',
  apiVersion: '1.0',
  dependsOn: ['floe.secrets:env'],
  description: 'Apache Polaris Iceberg REST catalog',
  configSchema: PolarisConfig,
})(PolarisPlugin);

module.exports = { PolarisPlugin, PolarisConfig };
