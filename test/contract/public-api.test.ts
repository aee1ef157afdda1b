import * as floe from '../../src';
import { PLUGIN_TYPES, PluginType } from '../../src';

describe('the public surface', () => {
  it('keeps the plugin type values and their order', () => {
    expect(PLUGIN_TYPES).toEqual([
      'floe.computes',
      'floe.orchestrators',
      'floe.catalogs',
      'floe.storage',
      'floe.telemetry_backends',
      'floe.lineage_backends',
      'floe.dbt',
      'floe.semantic_layers',
      'floe.ingestion',
      'floe.secrets',
      'floe.identity',
    ]);
    expect(Object.keys(PluginType)).toEqual([
      'Compute',
      'Orchestrator',
      'Catalog',
      'Storage',
      'TelemetryBackend',
      'LineageBackend',
      'DBT',
      'SemanticLayer',
      'Ingestion',
      'Secrets',
      'Identity',
    ]);
  });

  it('keeps the error codes', () => {
    const codes = {
      PluginNotFoundError: new floe.PluginNotFoundError('t', 'n').code,
      PluginIncompatibleError: new floe.PluginIncompatibleError('n', '2.0', '1.0').code,
      PluginConfigurationError: new floe.PluginConfigurationError('n', []).code,
      DuplicatePluginError: new floe.DuplicatePluginError('t', 'n').code,
      CircularDependencyError: new floe.CircularDependencyError(['a', 'a']).code,
      MissingDependencyError: new floe.MissingDependencyError('k', ['m']).code,
      PluginStartupError: new floe.PluginStartupError('k', new Error('x')).code,
      PluginTimeoutError: new floe.PluginTimeoutError('k', 'startup', 1).code,
      InvalidPluginError: new floe.InvalidPluginError('r').code,
      InvalidVersionError: new floe.InvalidVersionError('v').code,
      AmbiguousPluginError: new floe.AmbiguousPluginError('r', [], '').code,
    };
    expect(codes).toEqual({
      PluginNotFoundError: 'PLUGIN_NOT_FOUND',
      PluginIncompatibleError: 'PLUGIN_INCOMPATIBLE',
      PluginConfigurationError: 'PLUGIN_CONFIG_INVALID',
      DuplicatePluginError: 'PLUGIN_DUPLICATE',
      CircularDependencyError: 'DEPENDENCY_CYCLE',
      MissingDependencyError: 'DEPENDENCY_MISSING',
      PluginStartupError: 'PLUGIN_STARTUP_FAILED',
      PluginTimeoutError: 'PLUGIN_TIMEOUT',
      InvalidPluginError: 'PLUGIN_INVALID',
      InvalidVersionError: 'VERSION_INVALID',
      AmbiguousPluginError: 'PLUGIN_AMBIGUOUS',
    });
  });

  it('exports exactly these values from the package entry', () => {
    expect(Object.keys(floe).sort()).toEqual(
      [
        'AmbiguousPluginError',
        'CatalogPlugin',
        'CircularDependencyError',
        'CONFIG_FILE_NAMES',
        'ConfigFileError',
        'ComputePlugin',
        'DBTPlugin',
        'DuplicatePluginError',
        'FLOE_PLUGIN_API_VERSION',
        'FloePlugin',
        'HealthState',
        'IdentityPlugin',
        'IngestionPlugin',
        'InvalidPluginError',
        'InvalidVersionError',
        'LineageBackendPlugin',
        'MissingDependencyError',
        'OrchestratorPlugin',
        'PLUGIN_TYPES',
        'PlatformConfigError',
        'PluginConfigurationError',
        'PluginError',
        'PluginIncompatibleError',
        'PluginMetadata',
        'PluginNotFoundError',
        'PluginRegistry',
        'PluginShutdownError',
        'PluginStartupError',
        'PluginTimeoutError',
        'PluginType',
        'SecretsPlugin',
        'SemanticLayerPlugin',
        'StoragePlugin',
        'TelemetryBackendPlugin',
        'createDefaultLogger',
        'createSilentLogger',
        'findPlatformConfig',
        'getPluginOptions',
        'getRegistry',
        'isCompatible',
        'isHealthStatus',
        'isPluginType',
        'loadPlatformConfig',
        'parseApiVersion',
        'parsePlatformConfig',
        'parsePluginKey',
        'pluginKey',
        'pluginTypeFromGroup',
        'resetRegistry',
      ].sort(),
    );
  });
});

/* The exported types, pinned at compile time: removing one breaks this file's typecheck. */
export type ExportedTypes = [
  floe.HealthStatus,
  floe.FloePluginOptions,
  floe.ConfigSchema,
  floe.PluginClass,
  floe.PluginErrorCode,
  floe.HookPhase,
  floe.ConfigIssue,
  floe.ApiVersion,
  floe.MaybePromise<number>,
  floe.ResourceSpec,
  floe.ComputeConfig,
  floe.ConnectionResult,
  floe.CatalogConfig,
  floe.TransformConfig,
  floe.LineageDataset,
  floe.Catalog,
  floe.FileIO,
  floe.DBTRunResult,
  floe.IngestionResult,
  floe.UserInfo,
  floe.TokenValidationResult,
  floe.OIDCConfig,
];
