import { describeSchema } from '../config/describe-schema';
import { PluginError, messageOf } from '../errors';
import { toInfo, type PluginRecord } from './plugin-record';
import type { PluginDescription } from './reports';

/** Everything known about one record; `dependenciesOf` resolves its dependencies (and may throw). */
export function describePlugin(
  record: PluginRecord,
  dependenciesOf: (record: PluginRecord) => readonly PluginRecord[],
): PluginDescription {
  const description: PluginDescription = { ...toInfo(record) };
  const entry = record.entry;
  if (entry !== undefined) {
    if (entry.packageVersion !== undefined) description.packageVersion = entry.packageVersion;
    description.entryPoint = entry.target;
    description.manifestPath = entry.manifestPath;
  }
  const options = record.options;
  if (options !== undefined) {
    description.description = options.description ?? '';
    try {
      description.dependencies = dependenciesOf(record).map((dep) => dep.key);
      if ((record.missing ?? []).length > 0) description.missing = [...(record.missing as string[])];
    } catch (error) {
      description.dependencyError = describeError(error);
    }
    if (options.configSchema !== undefined) {
      description.configSchema = options.configSchema.name;
      description.settings = describeSchema(options.configSchema);
    }
  }
  if (record.config !== undefined) description.config = record.config;
  if (record.error !== undefined && record.state === 'failed') description.error = describeError(record.error);
  return description;
}

function describeError(error: unknown): { code?: string; message: string } {
  return PluginError.is(error) ? { code: error.code, message: error.message } : { message: messageOf(error) };
}
