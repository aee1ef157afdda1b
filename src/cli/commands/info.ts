import { PluginNotFoundError } from '../../errors';
import { isValidPluginName } from '../../plugin/plugin-name';
import { parsePluginKey, pluginKey, type PluginType } from '../../plugin-type';
import type { PluginRegistry } from '../../registry/plugin-registry';
import type { PluginDescription } from '../../registry/reports';
import { formatProblems, jsonValue, problemOf, table, type Output, type Problem } from '../output';
import { openPlatform, pluginKeys, readPlatformConfig } from '../platform';
import { UsageError } from '../usage-error';

/** Options of `floe info`. */
export interface InfoOptions {
  root?: string;
  json?: boolean;
  config?: string;
}

/**
 * A plugin named by its key (`floe.computes:duckdb`) or, like a `dependsOn` entry, by a bare name that one
 * plugin alone has (`duckdb`).
 *
 * @throws UsageError for something that is neither, or a bare name several plugins share (listing them);
 *   PluginNotFoundError for a bare name no plugin has.
 */
function resolveReference(registry: PluginRegistry, reference: string): { type: PluginType; name: string } {
  if (reference.includes(':')) {
    try {
      return parsePluginKey(reference);
    } catch {
      throw new UsageError(
        `"${reference}" is not a plugin key; write it as <type>:<name>, such as floe.computes:duckdb, or give a plugin name.`,
      );
    }
  }
  if (!isValidPluginName(reference)) {
    throw new UsageError(`"${reference}" is neither a plugin key (<type>:<name>) nor a plugin name.`);
  }
  const matches = Object.entries(registry.listAll())
    .filter(([, names]) => names.includes(reference))
    .map(([type]) => type as PluginType);
  if (matches.length > 1) {
    throw new UsageError(
      `"${reference}" names ${matches.length} plugins: ${matches.map((type) => pluginKey(type, reference)).join(', ')}; give the key of the one you mean.`,
    );
  }
  if (matches.length === 0) {
    throw new PluginNotFoundError('(any)', reference, pluginKeys(registry));
  }
  return { type: matches[0], name: reference };
}

/**
 * `floe info KEY`: everything known about one plugin. Imports it to read its metadata and config schema,
 * and validates its settings from the platform configuration, if any. A plugin that cannot be imported or
 * configured is still described, with its problem; only an unknown plugin fails the command.
 */
export async function infoCommand(reference: string, options: InfoOptions, output: Output): Promise<number> {
  const { root, registry } = openPlatform({ ...(options.root === undefined ? {} : { root: options.root }) });
  const { type, name } = resolveReference(registry, reference);
  const key = pluginKey(type, name);
  registry.info(type, name);
  const problems: Problem[] = [];
  try {
    await registry.load(type, name);
    const settings = readPlatformConfig(root, options.config)?.plugins[key];
    if (settings !== undefined) await registry.configure(type, name, settings);
  } catch (error) {
    problems.push(problemOf(error, key));
  }
  const plugin = registry.describe(type, name);
  if (options.json === true) {
    output.out(JSON.stringify(jsonValue({ plugin, problems }), null, 2));
    return 0;
  }
  output.out(render(plugin));
  if (problems.length > 0) output.err(`Problems:\n${formatProblems(problems)}`);
  return 0;
}

function render(p: PluginDescription): string {
  const lines: [string, string][] = [
    ['Plugin', p.key],
    ['State', p.state],
    ['Source', p.source === 'registered' ? 'registered by hand' : 'discovered'],
  ];
  if (p.version !== undefined) lines.push(['Version', `${p.version} (plugin API ${p.apiVersion})`]);
  if (p.packageName !== undefined)
    lines.push(['Package', `${p.packageName}${p.packageVersion === undefined ? '' : ` ${p.packageVersion}`}`]);
  if (p.entryPoint !== undefined) lines.push(['Entry point', `${p.entryPoint}  (${p.manifestPath})`]);
  if (p.description !== undefined && p.description !== '') lines.push(['Description', p.description]);
  if (p.dependsOn !== undefined) {
    const resolved = p.dependencies?.join(', ') ?? '';
    lines.push([
      'Depends on',
      p.dependsOn.length === 0 ? '(nothing)' : `${p.dependsOn.join(', ')}${resolved === '' ? '' : `  -> ${resolved}`}`,
    ]);
  }
  if (p.missing !== undefined) lines.push(['Missing', p.missing.join(', ')]);
  if (p.dependencyError !== undefined) lines.push(['Dependencies', p.dependencyError.message]);
  if (p.error !== undefined) lines.push(['Failed', `${p.error.code ?? ''} ${p.error.message}`.trim()]);
  lines.push(['Config schema', p.configSchema ?? '(none)']);
  const width = Math.max(...lines.map(([label]) => label.length));
  let text = lines.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n');
  if (p.settings !== undefined && p.settings.length > 0) {
    const rows = p.settings.map((s) => [
      s.setting,
      s.default === undefined ? '(none)' : JSON.stringify(jsonValue(s.default)),
      s.rules.join(', '),
    ]);
    text += `\n\n${table(['SETTING', 'DEFAULT', 'RULES'], rows)}`;
  }
  if (p.config !== undefined) text += `\n\nConfig\n${JSON.stringify(p.config, null, 2)}`;
  return text;
}
