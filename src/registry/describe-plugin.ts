import { describeSchema } from '../config/describe-schema';
import { PluginError, messageOf } from '../errors';
import type { PluginInfo, PluginRecord } from '../lifecycle/plugin-life';
import type { DependencyPlanner } from './dependency-planner';
import type { PluginDescription } from './reports';

/** Everything known about one record: its info, where it comes from, its dependencies (resolving them may fail), schema, config and failure. */
export function describePlugin(
  record: PluginRecord,
  info: PluginInfo,
  planner: DependencyPlanner,
  config: object | undefined,
): PluginDescription {
  const description: PluginDescription = { ...info };
  const entry = record.entry;
  if (entry !== undefined) {
    if (entry.packageVersion !== undefined) description.packageVersion = entry.packageVersion;
    description.entryPoint = entry.target;
    description.manifestPath = entry.manifestPath;
  }
  const { options, error, state } = record.life;
  if (options !== undefined) {
    description.description = options.description ?? '';
    try {
      description.dependencies = planner.dependenciesOf(record).map((dep) => dep.key);
      const missing = planner.missingOf(record);
      if (missing.length > 0) description.missing = [...missing];
    } catch (failure) {
      description.dependencyError = describeError(failure);
    }
    if (options.configSchema !== undefined) {
      description.configSchema = options.configSchema.name;
      description.settings = describeSchema(options.configSchema);
    }
  }
  if (config !== undefined) description.config = config;
  if (error !== undefined && state === 'failed') description.error = describeError(error);
  return description;
}

function describeError(error: unknown): { code?: string; message: string } {
  return PluginError.is(error) ? { code: error.code, message: error.message } : { message: messageOf(error) };
}
