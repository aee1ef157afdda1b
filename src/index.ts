import 'reflect-metadata';

export { PluginType, PLUGIN_TYPES, pluginTypeFromGroup, pluginKey, parsePluginKey, isPluginType } from './plugin-type';
export {
  PluginError,
  PluginNotFoundError,
  PluginIncompatibleError,
  PluginConfigurationError,
  DuplicatePluginError,
  CircularDependencyError,
  MissingDependencyError,
  PluginStartupError,
  PluginTimeoutError,
  InvalidPluginError,
  InvalidVersionError,
  AmbiguousPluginError,
  PluginShutdownError,
  PLUGIN_ERROR_CODES,
} from './errors';
export type { PluginErrorCode, HookPhase, ConfigIssue } from './errors';
export { FLOE_PLUGIN_API_VERSION, parseApiVersion, isCompatible } from './version';
export type { ApiVersion } from './version';
export { HealthState, isHealthStatus } from './health';
export type { HealthStatus } from './health';
export { createDefaultLogger, createSilentLogger } from './logging';
export type { DefaultLoggerOptions } from './logging';
export { FloePlugin, getPluginOptions } from './plugin/floe-plugin';
export type { FloePluginOptions, ConfigSchema, PluginClass } from './plugin/floe-plugin';
export { PluginMetadata } from './plugin/plugin-metadata';
export type { MaybePromise, WorkloadSize, ResourceSpec, ValidationResult } from './plugins/common';
export { ComputePlugin } from './plugins/compute-plugin';
export type { ComputeConfig, ConnectionResult, CatalogConfig } from './plugins/compute-plugin';
export { OrchestratorPlugin } from './plugins/orchestrator-plugin';
export type {
  TransformConfig,
  RunState,
  LineageDataset,
  LineageEventOptions,
  EntryPointOptions,
} from './plugins/orchestrator-plugin';
export { CatalogPlugin } from './plugins/catalog-plugin';
export type { Catalog, VendedCredentials } from './plugins/catalog-plugin';
export { StoragePlugin } from './plugins/storage-plugin';
export type { FileIO } from './plugins/storage-plugin';
export { TelemetryBackendPlugin } from './plugins/telemetry-backend-plugin';
export { LineageBackendPlugin } from './plugins/lineage-backend-plugin';
export { DBTPlugin } from './plugins/dbt-plugin';
export type { DBTRunResult, LintResult, RunModelsOptions } from './plugins/dbt-plugin';
export { SemanticLayerPlugin } from './plugins/semantic-layer-plugin';
export { IngestionPlugin } from './plugins/ingestion-plugin';
export type { IngestionConfig, IngestionResult } from './plugins/ingestion-plugin';
export { SecretsPlugin } from './plugins/secrets-plugin';
export { IdentityPlugin } from './plugins/identity-plugin';
export type { UserInfo, TokenValidationResult, OIDCConfig } from './plugins/identity-plugin';
export { PluginRegistry } from './registry/plugin-registry';
export type { PluginRegistryOptions, RegistryTimeouts } from './registry/registry-options';
export type { PluginInfo, PluginState } from './lifecycle/plugin-life';
export type { PlatformStatus, PlatformPhase, ExpectedPlugin } from './lifecycle/expected-set';
export type {
  DiscoveryReport,
  StartupReport,
  StartupTiming,
  ShutdownReport,
  PluginDescription,
  ReconfigureReport,
  RefreshReport,
  LiveConfigReport,
} from './registry/reports';
export { DISCOVERY_ISSUE_CODES } from './discovery/plugin-entry';
export type { DiscoveryIssue } from './discovery/plugin-entry';
export type { DiscoveryFileSystem, DirEntry, EntryKind } from './discovery/file-system';
export type { LoaderIO, ModuleImporter } from './discovery/plugin-loader';
export type { PartialConfigReport } from './registry/config-application';
export { getRegistry, resetRegistry } from './registry/shared-registry';
export {
  loadPlatformConfig,
  parsePlatformConfig,
  findPlatformConfig,
  CONFIG_FILE_NAMES,
} from './config/platform-config';
export type { PlatformConfig, PlatformTimeouts } from './config/platform-config';
export { ConfigFileError } from './config/config-file-error';
export type { ConfigFileProblem } from './config/config-file-error';
export { PlatformConfigError } from './config/platform-config-error';
export type { PlatformConfigProblem } from './config/platform-config-error';
export { enableShutdownHooks } from './lifecycle/shutdown-hooks';
export type { ShutdownHookOptions, ShutdownTarget } from './lifecycle/shutdown-hooks';
export { createHealthHandler } from './operations/health-handler';
export type { HealthHandler, HealthHandlerOptions } from './operations/health-handler';
