import {
  CatalogPlugin,
  ComputePlugin,
  DBTPlugin,
  IdentityPlugin,
  IngestionPlugin,
  LineageBackendPlugin,
  OrchestratorPlugin,
  PluginMetadata,
  PluginType,
  SecretsPlugin,
  SemanticLayerPlugin,
  StoragePlugin,
  TelemetryBackendPlugin,
} from '../../src';
import type { Equal, Expect, Shape, Simplify } from '../support/type-assertions';

/*
 * The members of PluginMetadata and of each type class, with their arity, are part of the public contract.
 * These aliases fail to compile when a member is added, removed, renamed or changes its parameter count.
 */
type MetadataShape = {
  type: 'property';
  name: 'property';
  version: 'property';
  apiVersion: 'property';
  description: 'property';
  dependsOn: 'property';
  getConfigSchema: 0;
  startup: 1;
  shutdown: 1;
  healthCheck: 1;
};
type With<T> = Simplify<MetadataShape & T>;

export type Contract = [
  Expect<Equal<Shape<PluginMetadata>, MetadataShape>>,
  Expect<
    Equal<
      Shape<ComputePlugin>,
      With<{
        isSelfHosted: 'property';
        generateDbtProfile: 1;
        getRequiredDbtPackages: 0;
        validateConnection: 1;
        getResourceRequirements: 1;
        getCatalogAttachmentSql: 1;
      }>
    >
  >,
  Expect<
    Equal<
      Shape<OrchestratorPlugin>,
      With<{
        createDefinitions: 1;
        createAssetsFromTransforms: 1;
        getHelmValues: 0;
        validateConnection: 0;
        getResourceRequirements: 1;
        emitLineageEvent: 2 | 3;
        scheduleJob: 3;
        generateEntryPointCode: 2 | 3;
        sensorDefinition: 0;
      }>
    >
  >,
  Expect<Equal<Shape<CatalogPlugin>, With<{ connect: 1; createNamespace: 1 | 2; vendCredentials: 2 }>>>,
  Expect<
    Equal<
      Shape<StoragePlugin>,
      With<{
        getPyicebergFileio: 0;
        getWarehouseUri: 1;
        getDbtProfileConfig: 0;
        getDagsterIoManagerConfig: 0;
        getHelmValuesOverride: 0;
      }>
    >
  >,
  Expect<
    Equal<Shape<TelemetryBackendPlugin>, With<{ getOtlpExporterConfig: 0; getHelmValues: 0; validateConnection: 0 }>>
  >,
  Expect<
    Equal<
      Shape<LineageBackendPlugin>,
      With<{ getTransportConfig: 0; getNamespaceStrategy: 0; getHelmValues: 0; validateConnection: 0 }>
    >
  >,
  Expect<
    Equal<
      Shape<DBTPlugin>,
      With<{
        compileProject: 3;
        runModels: 3 | 4;
        testModels: 3 | 4;
        lintProject: 3 | 4;
        getManifest: 1;
        getRunResults: 1;
        supportsParallelExecution: 0;
        supportsSqlLinting: 0;
        getRuntimeMetadata: 0;
      }>
    >
  >,
  Expect<
    Equal<Shape<SemanticLayerPlugin>, With<{ syncFromDbtManifest: 2; getSecurityContext: 2; getDatasourceConfig: 1 }>>
  >,
  Expect<
    Equal<
      Shape<IngestionPlugin>,
      With<{ isExternal: 'property'; createPipeline: 1; run: 1 | 2; getDestinationConfig: 1 }>
    >
  >,
  Expect<
    Equal<
      Shape<SecretsPlugin>,
      With<{ getSecret: 1; setSecret: 2 | 3; listSecrets: 0 | 1; generatePodEnvSpec: 1; getMultiKeySecret: 1 }>
    >
  >,
  Expect<
    Equal<Shape<IdentityPlugin>, With<{ authenticate: 1; getUserInfo: 1; validateToken: 1; getOidcConfig: 0 | 1 }>>
  >,
];

describe('the plugin classes', () => {
  const typeClasses = [
    [ComputePlugin, PluginType.Compute],
    [OrchestratorPlugin, PluginType.Orchestrator],
    [CatalogPlugin, PluginType.Catalog],
    [StoragePlugin, PluginType.Storage],
    [TelemetryBackendPlugin, PluginType.TelemetryBackend],
    [LineageBackendPlugin, PluginType.LineageBackend],
    [DBTPlugin, PluginType.DBT],
    [SemanticLayerPlugin, PluginType.SemanticLayer],
    [IngestionPlugin, PluginType.Ingestion],
    [SecretsPlugin, PluginType.Secrets],
    [IdentityPlugin, PluginType.Identity],
  ] as const;

  it.each(typeClasses)('%p extends PluginMetadata and names its type', (cls, type) => {
    expect(cls.prototype).toBeInstanceOf(PluginMetadata);
    expect(cls.pluginType).toBe(type);
  });

  it('gives PluginMetadata its hooks and metadata accessors at run time', () => {
    const members = Object.getOwnPropertyNames(PluginMetadata.prototype).sort();
    expect(members).toEqual(
      [
        'apiVersion',
        'constructor',
        'dependsOn',
        'description',
        'getConfigSchema',
        'healthCheck',
        'name',
        'shutdown',
        'startup',
        'type',
        'version',
      ].sort(),
    );
    expect(PluginMetadata.prototype.startup.length).toBe(1);
    expect(PluginMetadata.prototype.shutdown.length).toBe(1);
    expect(PluginMetadata.prototype.healthCheck.length).toBe(1);
  });
});
