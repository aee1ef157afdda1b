import {
  ComputePlugin,
  FloePlugin,
  IdentityPlugin,
  OrchestratorPlugin,
  PluginError,
  PluginType,
  SecretsPlugin,
  type TokenValidationResult,
} from '../../src';

const meta = { version: '1.0.0', apiVersion: '1.0' };

@FloePlugin({ ...meta, type: PluginType.Secrets, name: 'env' })
class EnvSecrets extends SecretsPlugin {
  private readonly store = new Map<string, string>();
  getSecret(key: string) {
    return this.store.get(key);
  }
  setSecret(key: string, value: string) {
    this.store.set(key, value);
  }
  listSecrets(prefix = '') {
    return [...this.store.keys()].filter((key) => key.startsWith(prefix));
  }
}

@FloePlugin({ ...meta, type: PluginType.Identity, name: 'static' })
class StaticIdentity extends IdentityPlugin {
  authenticate() {
    return 'token';
  }
  getUserInfo() {
    return undefined;
  }
  validateToken(): TokenValidationResult {
    return { valid: false, error: 'expired', expiresAt: '' };
  }
}

@FloePlugin({ ...meta, type: PluginType.Compute, name: 'memory' })
class MemoryCompute extends ComputePlugin {
  get isSelfHosted() {
    return true;
  }
  generateDbtProfile() {
    return { type: 'duckdb', path: ':memory:' };
  }
  getRequiredDbtPackages() {
    return ['dbt-duckdb>=1.7.0'];
  }
  async validateConnection() {
    return { status: 'healthy', latencyMs: 1, message: '', warnings: [] } as never;
  }
  getResourceRequirements() {
    return { cpuRequest: '100m', cpuLimit: '1', memoryRequest: '256Mi', memoryLimit: '1Gi' };
  }
}

@FloePlugin({ ...meta, type: PluginType.Orchestrator, name: 'cron' })
class CronOrchestrator extends OrchestratorPlugin {
  createDefinitions() {
    return {};
  }
  createAssetsFromTransforms() {
    return [];
  }
  getHelmValues() {
    return {};
  }
  validateConnection() {
    return { success: true, message: '', errors: [], warnings: [] };
  }
  getResourceRequirements() {
    return { cpuRequest: '100m', cpuLimit: '1', memoryRequest: '256Mi', memoryLimit: '1Gi' };
  }
  emitLineageEvent() {
    return '00000000-0000-4000-8000-000000000000';
  }
  scheduleJob() {}
  generateEntryPointCode(_product: string, outputDir: string) {
    return `${outputDir}/definitions.py`;
  }
}

describe('the default methods of the type classes', () => {
  it('builds a pod env spec from a secret name', () => {
    expect(new EnvSecrets().generatePodEnvSpec('db-creds')).toEqual({ envFrom: [{ secretRef: { name: 'db-creds' } }] });
  });

  it('refuses multi-key secrets with OPERATION_UNSUPPORTED naming the plugin', () => {
    let caught: unknown;
    try {
      void new EnvSecrets().getMultiKeySecret('db-creds');
    } catch (error) {
      caught = error;
    }
    expect(PluginError.is(caught, 'OPERATION_UNSUPPORTED')).toBe(true);
    expect((caught as Error).message).toContain('"env"');
  });

  it('refuses OIDC discovery unless the identity plugin provides it', () => {
    expect(() => new StaticIdentity().getOidcConfig('floe')).toThrow(PluginError);
  });

  it('attaches no catalog SQL and has no sensor by default', () => {
    expect(
      new MemoryCompute().getCatalogAttachmentSql({ catalogName: 'ice', catalogUri: 'http://polaris' }),
    ).toBeUndefined();
    expect(new CronOrchestrator().sensorDefinition()).toBeUndefined();
  });

  it('lets implementations keep their own state and metadata', () => {
    const secrets = new EnvSecrets();
    secrets.setSecret('db/password', 'x');
    secrets.setSecret('api/key', 'y');
    expect(secrets.listSecrets('db/')).toEqual(['db/password']);
    expect(secrets.type).toBe(PluginType.Secrets);
    expect(new CronOrchestrator().generateEntryPointCode('p', '/out')).toBe('/out/definitions.py');
  });
});
