import { parsePluginKey } from '../../plugin-type';
import { graphData, toDot, toMermaid } from '../graph-format';
import { formatProblems, jsonValue, problemOf, type Output, type Problem } from '../output';
import { openPlatform, pluginKeys } from '../platform';
import { UsageError } from '../usage-error';

/** Options of `floe graph`. */
export interface GraphOptions {
  root?: string;
  json?: boolean;
  format?: string;
}

const FORMATS = ['mermaid', 'dot', 'json'];

/**
 * `floe graph [--format mermaid|dot|json]`: the dependency graph of every plugin. Imports plugins to read
 * their dependencies; one that cannot be imported is drawn without them and its problem printed to stderr.
 */
export async function graphCommand(options: GraphOptions, output: Output): Promise<number> {
  const format = options.json === true ? 'json' : (options.format ?? 'mermaid');
  if (!FORMATS.includes(format))
    throw new UsageError(`--format ${format} is not supported; use ${FORMATS.join(', ')}.`);
  const { registry } = openPlatform({ ...(options.root === undefined ? {} : { root: options.root }) });
  const keys = pluginKeys(registry);
  const problems: Problem[] = [];
  for (const key of keys) {
    const { type, name } = parsePluginKey(key);
    await registry.load(type, name).catch((error: unknown) => problems.push(problemOf(error, key)));
  }
  const plugins = keys.map((key) => {
    const { type, name } = parsePluginKey(key);
    return registry.describe(type, name);
  });
  const graph = graphData(plugins);
  if (format === 'json') output.out(JSON.stringify(jsonValue({ ...graph, problems }), null, 2));
  else output.out(format === 'dot' ? toDot(graph) : toMermaid(graph));
  if (problems.length > 0 && format !== 'json')
    output.err(`Plugins drawn without their dependencies:\n${formatProblems(problems)}`);
  return 0;
}
