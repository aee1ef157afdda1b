import * as fs from 'node:fs';
import * as path from 'node:path';
import { platformSchema, type SchemaPlugin } from '../../config/platform-schema';
import { parsePluginKey } from '../../plugin-type';
import { formatProblems, problemOf, type Output, type Problem } from '../output';
import { openPlatform, pluginKeys } from '../platform';

/** Options of `floe schema`. */
export interface SchemaOptions {
  root?: string;
  json?: boolean;
  out?: string;
}

/**
 * `floe schema [--out FILE]`: the JSON Schema (draft 2020-12) of the platform's config file for the
 * installed plugins, on stdout or into FILE. Imports every plugin to read its config schema; one that
 * cannot be imported is left open (any settings) and its problem printed to stderr, as are the rules a
 * JSON Schema cannot express (checked only when floe applies the config).
 */
export async function schemaCommand(options: SchemaOptions, output: Output): Promise<number> {
  const { registry } = openPlatform({ ...(options.root === undefined ? {} : { root: options.root }) });
  const problems: Problem[] = [];
  const plugins: SchemaPlugin[] = [];
  for (const key of pluginKeys(registry)) {
    const { type, name } = parsePluginKey(key);
    await registry.load(type, name).catch((error: unknown) => problems.push(problemOf(error, key)));
    plugins.push({ key, type, name, configSchema: registry.configSchemaOf(type, name) });
  }
  const { schema, runtimeOnly } = platformSchema(plugins);
  const text = JSON.stringify(schema, null, 2);
  if (options.out === undefined) output.out(text);
  else {
    const file = path.resolve(options.out);
    fs.writeFileSync(file, `${text}\n`);
    output.err(`wrote ${file}`);
  }
  if (problems.length > 0) output.err(`Plugins whose settings the schema leaves open:\n${formatProblems(problems)}`);
  if (runtimeOnly.length > 0)
    output.err(
      `Checked only when floe applies the config (no JSON Schema keyword for them): ${runtimeOnly.join('; ')}`,
    );
  return 0;
}
