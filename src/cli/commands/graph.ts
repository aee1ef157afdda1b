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
  if (options.json === true && options.format !== undefined && options.format !== 'json')
    throw new UsageError(`--json prints the graph as JSON; it cannot be combined with --format ${options.format}.`);
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
  for (const p of plugins) {
    if (p.missing !== undefined) {
      problems.push({
        code: 'DEPENDENCY_MISSING',
        plugin: p.key,
        message: `${p.key} depends on ${p.missing.map((m) => `"${m}"`).join(', ')}, which no installed plugin provides.`,
      });
    }
    if (p.dependencyError !== undefined)
      problems.push({
        code: p.dependencyError.code ?? 'UNEXPECTED_ERROR',
        plugin: p.key,
        message: p.dependencyError.message,
      });
  }
  for (const cycle of graph.cycles)
    problems.push({ code: 'DEPENDENCY_CYCLE', message: `Circular dependency: ${cycle.join(' -> ')}.` });
  const { cycles: _cycles, ...drawn } = graph;
  if (format === 'json') output.out(JSON.stringify(jsonValue({ ...drawn, problems }), null, 2));
  else output.out(format === 'dot' ? toDot(graph) : toMermaid(graph));
  if (problems.length > 0 && format !== 'json') output.err(`Problems:\n${formatProblems(problems)}`);
  return 0;
}
